// The run store: the one small key-value interface behind generation's cache, run history, the app's work-queue
// state and base-branch results. Files under `.gauntlet/` are the embedded default; Redis is used when configured.

export interface SetOptions {
  /** Seconds until the entry expires (fractions allowed); without it, the entry stays until deleted. */
  ttlSeconds?: number;
}

export interface Store {
  readonly kind: 'file' | 'redis';
  /** The value, or undefined when absent, expired or unreadable. */
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: SetOptions): Promise<void>;
  /** Removes the entry; removing an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys that start with prefix, sorted. */
  keys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

/** The entry's lifetime in whole milliseconds, or undefined for none; a TTL that is not a positive number throws. */
export function ttlMilliseconds(options: SetOptions | undefined): number | undefined {
  const ttl = options?.ttlSeconds;
  if (ttl === undefined) return undefined;
  if (!Number.isFinite(ttl) || ttl <= 0) {
    throw new RangeError(`ttlSeconds must be a positive number of seconds, got ${ttl}`);
  }
  return Math.max(1, Math.ceil(ttl * 1000));
}
