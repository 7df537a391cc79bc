// {{name}} placeholders in test-case data: captured values, and the per-run specials $uid and $i.
const PLACEHOLDER = /\{\{\s*([$\w][\w.$-]*)\s*\}\}/g;
const WHOLE = /^\{\{\s*([$\w][\w.$-]*)\s*\}\}$/;

export type Vars = ReadonlyMap<string, unknown>;

/** The placeholders every run fills by itself: a fresh id per case ($uid, $uid-2 for a second account), the repeat. */
export function isBuiltInPlaceholder(name: string): boolean {
  return name === '$uid' || name === '$i' || /^\$uid-\d+$/.test(name);
}

/** A piece of text that looks like a placeholder but is not one, and why. */
export interface MalformedPlaceholder {
  /** Where it starts in the string. */
  index: number;
  text: string;
  message: string;
}

// `{{` followed by what starts a name: an attempt at a placeholder (a raw body's `{{"a":1}}` is not one).
const OPENING = /\{\{\s*[$\w]/g;
// Single braces around what only a placeholder holds: a dotted name or a $special. `{id}` alone is left to the field:
// in a path it is a path parameter, and in a body it may be literal text.
const SINGLE_BRACED = /(?<!\{)\{\s*(\$[\w-]*|[A-Za-z_]\w*(?:\.[\w$-]+)+)\s*\}(?!\})/g;

/**
 * The placeholder-like text of one string that would be sent literally: `{{` not closed by `}}` around a name, and
 * single-brace forms (`{shopper.bid}`, `{$uid}`) a misspelt placeholder takes.
 */
export function malformedPlaceholders(text: string): MalformedPlaceholder[] {
  const found: MalformedPlaceholder[] = [];
  for (const match of text.matchAll(OPENING)) {
    const start = match.index;
    const close = text.indexOf('}}', start + 2);
    const inner = close === -1 ? undefined : text.slice(start, close + 2);
    if (inner !== undefined && WHOLE.test(inner)) continue;
    const shown = inner ?? text.slice(start, start + 30);
    found.push({
      index: start,
      text: shown,
      message:
        inner === undefined
          ? `"${shown}" opens a placeholder that is never closed: write {{name}}`
          : `"${shown}" is not a placeholder: a name is letters, digits, _, -, . and $, as in {{basketId}}`,
    });
  }
  for (const match of text.matchAll(SINGLE_BRACED)) {
    found.push({
      index: match.index,
      text: match[0],
      message: `"${match[0]}" would be sent as it is: a placeholder takes two braces, {{${match[1]}}}`,
    });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** Plain names in single braces (`{basketId}`): literal text, unless the name is one a placeholder could name. */
export function singleBracedNames(text: string): { name: string; index: number }[] {
  return [...text.matchAll(/(?<!\{)\{(\w+)\}(?!\})/g)].map((m) => ({ name: m[1]!, index: m.index }));
}

/** Every placeholder of one string, with where it starts. */
export function placeholderOccurrences(text: string): { name: string; index: number }[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1]!, index: m.index }));
}

/** The known names closest to a misspelt one, for a "did you mean". */
export function closestNames(name: string, known: Iterable<string>): string[] {
  const scored = [...new Set(known)].map((candidate) => ({
    candidate,
    distance: editDistance(name.toLowerCase(), candidate.toLowerCase()),
  }));
  if (scored.length === 0) return [];
  const best = Math.min(...scored.map((s) => s.distance));
  if (best > Math.max(1, Math.floor(name.length / 3))) return [];
  return scored
    .filter((s) => s.distance === best)
    .slice(0, 3)
    .map((s) => s.candidate);
}

/** Levenshtein distance: how many letters to change, add or remove to turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

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
