// The store on Redis (ioredis), used when a Redis URL is configured: shared by the app's processes and kept
// across runners. Keys carry a namespace (default `gauntlet:`) so the store can share a Redis with other users.
//
// It must never hang a run: connecting gives up after a short timeout with an error that names the server (its
// password masked), and a lost connection is retried a few times, then commands fail instead of waiting forever.
import { Redis } from 'ioredis';
import { ttlMilliseconds, type SetOptions, type Store } from './store.ts';

export const DEFAULT_NAMESPACE = 'gauntlet:';
const DEFAULT_TIMEOUT_MS = 2000;
/** Reconnects after a connection is lost, before commands start failing. */
const RECONNECT_ATTEMPTS = 3;
/** How many keys SCAN looks at per round trip. */
const SCAN_COUNT = 1000;

export interface RedisStoreOptions {
  /** Prefix of every key this store writes and lists. */
  namespace?: string;
  /** How long connecting, and then each command, may take. */
  timeoutMs?: number;
}

export class RedisStore implements Store {
  readonly kind = 'redis';
  /** The server's URL with its password masked, safe to print. */
  readonly where: string;
  readonly #client: Redis;
  readonly #namespace: string;
  #closed = false;

  private constructor(client: Redis, where: string, namespace: string) {
    this.#client = client;
    this.where = where;
    this.#namespace = namespace;
  }

  /** Connects, or rejects within the timeout with `cannot reach Redis at <url>: <reason>`. */
  static async connect(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    const where = maskRedisUrl(url);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let connected = false;
    let lastError: Error | undefined;
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      commandTimeout: timeoutMs,
      maxRetriesPerRequest: 1,
      // After disconnect() on a dead connection ioredis keeps a timer this long; keep it from delaying exit.
      disconnectTimeout: 200,
      // Not reachable at first: fail at once. Lost later: a few quick retries ride out a restart, then stop.
      retryStrategy: (attempt) => (connected && attempt <= RECONNECT_ATTEMPTS ? attempt * 200 : null),
    });
    // ioredis reports the cause (ECONNREFUSED, WRONGPASS…) as an event and rejects connect() with a generic
    // "Connection is closed."; keep the cause for the message. The listener also stops "Unhandled error event".
    client.on('error', (error: Error) => {
      lastError = error;
    });
    try {
      await withDeadline(client.connect(), timeoutMs);
      connected = true;
    } catch (error) {
      // Already ended when the server refused; disconnecting again would leave a timer holding the process.
      if (client.status !== 'end') client.disconnect();
      const reason = reasonOf(lastError ?? (error as Error));
      throw new Error(`cannot reach Redis at ${where}: ${reason}`, { cause: error });
    }
    return new RedisStore(client, where, options.namespace ?? DEFAULT_NAMESPACE);
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.#run('GET', () => this.#client.get(this.#namespace + key));
    return value ?? undefined;
  }

  async set(key: string, value: string, options?: SetOptions): Promise<void> {
    const ttl = ttlMilliseconds(options);
    // PX (milliseconds) rather than EX, so a fractional ttlSeconds is honoured as given.
    await this.#run('SET', () =>
      ttl === undefined
        ? this.#client.set(this.#namespace + key, value)
        : this.#client.set(this.#namespace + key, value, 'PX', ttl),
    );
  }

  async delete(key: string): Promise<void> {
    await this.#run('DEL', () => this.#client.del(this.#namespace + key));
  }

  async keys(prefix: string): Promise<string[]> {
    // SCAN walks the keyspace in steps without blocking the server, unlike KEYS; it may repeat a key, hence the set.
    const pattern = escapeGlob(this.#namespace + prefix) + '*';
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.#run('SCAN', () =>
        this.#client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT),
      );
      for (const key of batch) found.add(key.slice(this.#namespace.length));
      cursor = next;
    } while (cursor !== '0');
    return [...found].sort();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // QUIT lets replies in flight arrive; a client that is not connected just stops reconnecting.
    if (this.#client.status === 'ready') await this.#client.quit().catch(() => this.#client.disconnect());
    else if (this.#client.status !== 'end') this.#client.disconnect();
  }

  /** Runs a command, turning a failure into an error that says which server and which command. */
  async #run<T>(command: string, send: () => Promise<T>): Promise<T> {
    // ioredis may still queue commands after a close that caught it reconnecting; refuse them here instead.
    if (this.#closed) throw new Error(`Redis at ${this.where}: ${command} after the store was closed`);
    try {
      return await send();
    } catch (error) {
      throw new Error(`Redis at ${this.where}: ${command} failed: ${reasonOf(error as Error)}`, {
        cause: error,
      });
    }
  }
}

/** The URL with any password replaced by `***`; throws, without echoing it, when it is not a Redis URL. */
export function maskRedisUrl(url: string): string {
  const parsed = URL.parse(url);
  if (parsed === null || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
    throw new Error('not a valid Redis URL: expected redis://[user:password@]host[:port][/db] or rediss://…');
  }
  if (parsed.password) parsed.password = '***';
  return parsed.href;
}

/** A system error's code (ECONNREFUSED) says it best; otherwise the message (WRONGPASS …, Command timed out). */
function reasonOf(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : error.message;
}

/** Escapes the characters SCAN's MATCH treats as a pattern, so a prefix is matched literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
