// Completes a value to what a schema requires. The emulator models the fields Gauntlet reads (ids, numbers, bodies,
// states, links); GitHub's responses and webhook payloads require many more. Each required field the value lacks
// gets a value derived from the schema: null where null is allowed, else the default, the const, the first enum
// value, or a placeholder of the right type and format. REST answers and webhook deliveries both go through here.

export type Schema = { [keyword: string]: unknown };
/** Resolves a `$ref` inside the description the schema came from. */
export type ResolveRef = (ref: string) => Schema;

/** Placeholder for required timestamps the emulator does not track. */
const PLACEHOLDER_TIME = '2026-01-01T00:00:00Z';

const noRefs: ResolveRef = (ref) => {
  throw new Error(`unexpected $ref ${ref} in a dereferenced schema`);
};

// Deep enough for GitHub's nesting (a workflow run's head repository's owner is six levels down), shallow enough
// that a required cycle in a description is reported instead of overflowing the stack.
const MAX_DEPTH = 40;

export function complete(schema: unknown, value: unknown, resolve: ResolveRef = noRefs, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new Error('schema nesting too deep to complete a value (a required cycle?)');
  const s = deref(schema, resolve);
  if (!s) return value;
  const next = (sub: unknown, v: unknown): unknown => complete(sub, v, resolve, depth + 1);

  if (Array.isArray(s.allOf)) {
    const { allOf, ...own } = s;
    const merged = allOf.reduce((v: unknown, part: unknown) => next(part, v), value);
    return Object.keys(own).length > 0 ? next(own, merged) : merged;
  }
  const branches = s.oneOf ?? s.anyOf;
  if (Array.isArray(branches)) {
    const { oneOf: _oneOf, anyOf: _anyOf, ...own } = s;
    if (value === undefined && allowsNull(s, resolve)) return null;
    const chosen = next(pickBranch(branches, value, resolve), value);
    return Object.keys(own).length > 0 ? next(own, chosen) : chosen;
  }
  if (value === undefined) return sample(s, next);
  if (isObject(value) && (s.properties || s.required || s.additionalProperties)) {
    return completeObject(s, value, next);
  }
  if (Array.isArray(value) && s.items) return value.map((item) => next(s.items, item));
  return value;
}

function deref(schema: unknown, resolve: ResolveRef): Schema | undefined {
  let s = schema;
  while (isObject(s) && typeof s.$ref === 'string') s = resolve(s.$ref);
  return isObject(s) ? s : undefined;
}

function completeObject(s: Schema, value: Schema, next: (sub: unknown, v: unknown) => unknown): Schema {
  const properties = isObject(s.properties) ? s.properties : {};
  const extra = isObject(s.additionalProperties) ? s.additionalProperties : undefined;
  const out: Schema = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[key] = next(properties[key] ?? extra, v);
  }
  for (const key of Array.isArray(s.required) ? (s.required as string[]) : []) {
    if (!(key in out)) out[key] = next(properties[key] ?? {}, undefined);
  }
  return out;
}

/** A value for a missing field: the least the schema accepts. */
function sample(s: Schema, next: (sub: unknown, v: unknown) => unknown): unknown {
  if (s.nullable === true || typesOf(s).includes('null')) return null;
  if ('default' in s) return structuredClone(s.default);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const type = typesOf(s)[0] ?? (s.properties || s.required ? 'object' : undefined);
  switch (type) {
    case 'object':
      return completeObject(s, {}, next);
    case 'array': {
      const count = typeof s.minItems === 'number' ? s.minItems : 0;
      return Array.from({ length: count }, () => next(s.items, undefined));
    }
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

const FORMATTED: Record<string, string> = {
  'date-time': PLACEHOLDER_TIME,
  date: PLACEHOLDER_TIME.slice(0, 10),
  uri: 'https://github.com',
  url: 'https://github.com',
  email: 'noreply@github.com',
  hostname: 'github.com',
  uuid: '00000000-0000-0000-0000-000000000000',
};

function sampleString(s: Schema): string {
  const formatted = typeof s.format === 'string' ? FORMATTED[s.format] : undefined;
  if (formatted) return formatted;
  return 'x'.repeat(typeof s.minLength === 'number' ? s.minLength : 0);
}

/** The branch of a oneOf/anyOf that fits the value best: right JSON type, then most of its keys described. */
function pickBranch(branches: unknown[], value: unknown, resolve: ResolveRef): unknown {
  let best: unknown = branches.find((b) => !typesOf(deref(b, resolve) ?? {}).includes('null')) ?? branches[0];
  if (value === undefined) return best;
  let bestScore = -Infinity;
  for (const branch of branches) {
    const s = deref(branch, resolve) ?? {};
    const types = typesOf(s);
    if (types.length > 0 && !types.some((t) => admits(t, value))) continue;
    let score = 0;
    if (isObject(value) && isObject(s.properties)) {
      const described = s.properties;
      score = Object.keys(value).filter((k) => k in described).length;
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      score -= required.filter((k) => !(k in value)).length;
    }
    if (score > bestScore) [best, bestScore] = [branch, score];
  }
  return best;
}

function allowsNull(s: Schema, resolve: ResolveRef): boolean {
  if (s.nullable === true || typesOf(s).includes('null')) return true;
  const branches = s.oneOf ?? s.anyOf;
  return Array.isArray(branches) && branches.some((b) => allowsNull(deref(b, resolve) ?? {}, resolve));
}

function typesOf(s: Schema): string[] {
  if (typeof s.type === 'string') return [s.type];
  return Array.isArray(s.type) ? (s.type as string[]) : [];
}

function admits(type: string, value: unknown): boolean {
  if (type === 'null') return value === null;
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return isObject(value);
  if (type === 'integer') return Number.isInteger(value);
  return typeof value === type;
}

export function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
