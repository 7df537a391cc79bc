// {{name}} placeholders in test-case data: captured values, and the per-run specials $uid and $i.
const PLACEHOLDER = /\{\{\s*([$\w][\w.$-]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([$\w][\w.$-]*)\s*\}\}$/;

export type Vars = ReadonlyMap<string, unknown>;

export class MissingValueError extends Error {
  readonly names: string[];
  constructor(names: string[]) {
    super(`no value for ${names.map((n) => `{{${n}}}`).join(', ')} (was it captured by an earlier step?)`);
    this.names = names;
  }
}

/** Names of the placeholders used anywhere in a value. */
export function placeholdersIn(value: unknown): string[] {
  const names = new Set<string>();
  visitStrings(value, (text) => {
    for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1]!);
  });
  return [...names];
}

/** Replaces placeholders; a string that is exactly one placeholder takes the value's own type. */
export function fillTemplate<T>(value: T, vars: Vars): T {
  const missing = new Set<string>();
  const fill = (input: unknown): unknown => {
    if (typeof input === 'string') {
      const whole = WHOLE.exec(input);
      if (whole) {
        if (!vars.has(whole[1]!)) missing.add(whole[1]!);
        return vars.get(whole[1]!);
      }
      return input.replace(PLACEHOLDER, (_, name: string) => {
        if (!vars.has(name)) missing.add(name);
        return String(vars.get(name) ?? '');
      });
    }
    if (Array.isArray(input)) return input.map(fill);
    if (input !== null && typeof input === 'object') {
      return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, fill(v)]));
    }
    return input;
  };
  const result = fill(value) as T;
  if (missing.size > 0) throw new MissingValueError([...missing]);
  return result;
}

/** Renames placeholders (used to give each identity its own namespace). */
export function renamePlaceholders<T>(value: T, rename: (name: string) => string): T {
  const walk = (input: unknown): unknown => {
    if (typeof input === 'string')
      return input.replace(PLACEHOLDER, (_, name: string) => `{{${rename(name)}}}`);
    if (Array.isArray(input)) return input.map(walk);
    if (input !== null && typeof input === 'object') {
      return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, walk(v)]));
    }
    return input;
  };
  return walk(value) as T;
}

function visitStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((item) => visitStrings(item, visit));
  else if (value !== null && typeof value === 'object')
    Object.values(value).forEach((v) => visitStrings(v, visit));
}
