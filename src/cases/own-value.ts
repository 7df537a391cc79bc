// Lookups by names a user case or gauntlet.yml writes ("constructor", "toString", "__proto__" are names like any
// other there): only a record's own entries count, never what every object inherits.

/** The record's own entry for `key`, or undefined. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
