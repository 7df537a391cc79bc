// Typed entries over a Store: values written as JSON and checked with a zod schema when read back. An entry that
// does not parse or match is absent to the caller (it is generated or recorded anew) and reported to onCorrupt,
// so a damaged entry is never trusted and never crashes a run.
import type { z } from 'zod';
import type { SetOptions, Store } from './store.ts';

export interface JsonStore<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T, options?: SetOptions): Promise<void>;
}

/** Told which key held a damaged entry and what was wrong with it. */
export type OnCorrupt = (key: string, problem: string) => void;

/** The schema should describe plain JSON data (no transforms), so what set() writes, get() reads back. */
export function jsonStore<T>(store: Store, schema: z.ZodType<T>, onCorrupt?: OnCorrupt): JsonStore<T> {
  return {
    async get(key) {
      const text = await store.get(key);
      if (text === undefined) return undefined;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        onCorrupt?.(key, `not JSON: ${(error as Error).message}`);
        return undefined;
      }
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      onCorrupt?.(
        key,
        parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      );
      return undefined;
    },
    async set(key, value, options) {
      await store.set(key, JSON.stringify(value), options);
    },
  };
}
