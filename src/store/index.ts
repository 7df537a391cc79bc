// The run store (see store.ts): openStore picks Redis when a URL is configured, files under `.gauntlet/` otherwise.
import { FileStore } from './file-store.ts';
import { RedisStore } from './redis-store.ts';
import type { Store } from './store.ts';

export type { SetOptions, Store } from './store.ts';
export { DEFAULT_STORE_DIR, FileStore } from './file-store.ts';
export { DEFAULT_NAMESPACE, maskRedisUrl, RedisStore, type RedisStoreOptions } from './redis-store.ts';
export { jsonStore, type JsonStore, type OnCorrupt } from './json-store.ts';

export interface OpenStoreOptions {
  /** The FileStore's directory (default `.gauntlet/store`). */
  dir?: string;
  /** Redis to use instead of files (e.g. from REDIS_URL); an empty string means none. */
  redisUrl?: string;
  /** Prefix of the Redis keys (default `gauntlet:`); files are kept apart by `dir` instead. */
  namespace?: string;
}

export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  if (options.redisUrl) {
    return RedisStore.connect(options.redisUrl, {
      ...(options.namespace !== undefined && { namespace: options.namespace }),
    });
  }
  return new FileStore(options.dir);
}
