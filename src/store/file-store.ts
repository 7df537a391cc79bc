// The embedded store: one JSON file per entry under a directory (default `.gauntlet/store`), needing no set-up.
//
// - Keys may hold any character (`cache:openai/gpt-4:abc`), so a file is named after a hash of its key and holds
//   the key itself: keys() reads the entries back. That costs a read per entry, which suits the store's sizes
//   (hundreds of entries), and needs no shared index file that two processes would have to update together.
// - Writes go to a temporary file that is then renamed over the entry. A rename is atomic, so a reader, a crash
//   or a second process writing the same key never sees half an entry: the last rename wins, whole.
// - Expiry is checked on read; an expired entry is absent and its file removed then.
// - A file that does not parse (edited by hand, truncated by a full disk) is treated as absent, never trusted.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ttlMilliseconds, type SetOptions, type Store } from './store.ts';

export const DEFAULT_STORE_DIR = '.gauntlet/store';

const ENTRY_SUFFIX = '.json';
/** How many entry files keys() reads at once: enough to be quick, few enough to stay clear of EMFILE. */
const READ_BATCH = 64;

const Entry = z.object({ key: z.string(), value: z.string(), expiresAt: z.number().optional() });
type Entry = z.infer<typeof Entry>;

export class FileStore implements Store {
  readonly kind = 'file';
  readonly dir: string;

  constructor(dir: string = DEFAULT_STORE_DIR) {
    this.dir = resolve(dir);
  }

  async get(key: string): Promise<string | undefined> {
    const file = this.#fileFor(key);
    const entry = await readEntry(file);
    if (entry === undefined || entry.key !== key) return undefined;
    if (isExpired(entry)) {
      // Lazy removal. A write of the same key landing between the read and this unlink would be lost; for a
      // key that carries a TTL (a cache entry) that only means generating it again.
      await unlink(file).catch(ignoreMissing);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: string, options?: SetOptions): Promise<void> {
    const ttl = ttlMilliseconds(options);
    const entry: Entry = { key, value, ...(ttl !== undefined && { expiresAt: Date.now() + ttl }) };
    const file = this.#fileFor(key);
    // Unique per process and call, so concurrent writers never share a temporary file.
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await mkdir(this.dir, { recursive: true });
    try {
      await writeFile(temporary, JSON.stringify(entry));
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await unlink(this.#fileFor(key)).catch(ignoreMissing);
  }

  async keys(prefix: string): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      ignoreMissing(error);
      return [];
    }
    // Temporary files end in `.tmp`, so only whole entries are read.
    const files = names.filter((name) => name.endsWith(ENTRY_SUFFIX)).map((name) => join(this.dir, name));
    const keys: string[] = [];
    for (let start = 0; start < files.length; start += READ_BATCH) {
      const entries = await Promise.all(files.slice(start, start + READ_BATCH).map(readEntry));
      for (const entry of entries) {
        if (entry && !isExpired(entry) && entry.key.startsWith(prefix)) keys.push(entry.key);
      }
    }
    return keys.sort();
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }

  #fileFor(key: string): string {
    // Hashing the UTF-16 code units keeps keys that differ only in lone surrogates apart.
    const hash = createHash('sha256').update(key, 'utf16le').digest('hex');
    return join(this.dir, `${hash}${ENTRY_SUFFIX}`);
  }
}

/** The entry in a file, or undefined when the file is missing or does not hold a well-formed entry. */
async function readEntry(file: string): Promise<Entry | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    ignoreMissing(error);
    return undefined;
  }
  try {
    const parsed = Entry.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isExpired(entry: Entry): boolean {
  return entry.expiresAt !== undefined && entry.expiresAt <= Date.now();
}

/** A missing file or directory means an absent entry; any other failure (permissions, disk) is the caller's. */
function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
