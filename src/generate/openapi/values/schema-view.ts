// One schema as the value generators see it: allOf merged into one, the first oneOf/anyOf branch taken, and a
// single type named even where the schema only implies it.
import type { JsonSchema } from '../description.ts';
import { isObject, RECURSIVE } from '../json-schema.ts';

export type ValueType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'any';

/** A flattened schema; `patterns` holds every `pattern` merged in, since allOf may give several. */
export interface SchemaView {
  schema: JsonSchema;
  type: ValueType;
  nullable: boolean;
  patterns: string[];
  recursive: boolean;
}

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const SAMPLES = ['example', 'examples', 'default'];

export function viewOf(schema: unknown): SchemaView {
  const patterns: string[] = [];
  const flat = flatten(
    schema === true || schema === undefined ? {} : isObject(schema) ? schema : { not: {} },
    patterns,
  );
  const types = typesOf(flat);
  return {
    schema: flat,
    type: types.find((t) => t !== 'null') ?? (types.includes('null') ? 'null' : 'any'),
    nullable: types.includes('null') || (Array.isArray(flat.enum) && flat.enum.includes(null)),
    patterns,
    recursive: flat[RECURSIVE] === true,
  };
}

function flatten(schema: JsonSchema, patterns: string[]): JsonSchema {
  const { allOf, oneOf, anyOf, pattern, ...own } = schema;
  if (typeof pattern === 'string') patterns.push(pattern);
  let merged: JsonSchema = own;
  const parts = Array.isArray(allOf) ? allOf.filter(isObject) : [];
  for (const part of parts) {
    const flat = flatten(part, patterns);
    // With several parts, a part's own example is only part of a value: keep the examples of the whole only.
    if (parts.length > 1) for (const key of SAMPLES) Reflect.deleteProperty(flat, key);
    merged = merge(merged, flat);
  }
  const branches = Array.isArray(oneOf) ? oneOf : Array.isArray(anyOf) ? anyOf : [];
  const first = branches.find(isObject);
  if (first) merged = merge(merged, flatten(first, patterns));
  return merged;
}

/** `a` and `b` both hold: bounds tighten, properties and required add up, and otherwise `a` says first. */
function merge(a: JsonSchema, b: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...b, ...a };
  for (const key of LOWER_BOUNDS)
    if (typeof a[key] === 'number' && typeof b[key] === 'number') out[key] = Math.max(a[key], b[key]);
  for (const key of UPPER_BOUNDS)
    if (typeof a[key] === 'number' && typeof b[key] === 'number') out[key] = Math.min(a[key], b[key]);
  if (isObject(a.properties) || isObject(b.properties)) {
    const properties: Record<string, unknown> = { ...(isObject(b.properties) ? b.properties : {}) };
    for (const [name, s] of Object.entries(isObject(a.properties) ? a.properties : {})) {
      properties[name] = name in properties ? { allOf: [s, properties[name]] } : s;
    }
    out.properties = properties;
  }
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    out.required = [...new Set([...asArray(a.required), ...asArray(b.required)])];
  }
  if (a.type !== undefined && b.type !== undefined) {
    const [as, bs] = [asArray(a.type), asArray(b.type)];
    // An integer is a number too.
    const allows = (types: unknown[], t: unknown) =>
      types.includes(t) || (t === 'integer' && types.includes('number'));
    const common = [...new Set([...as.filter((t) => allows(bs, t)), ...bs.filter((t) => allows(as, t))])];
    out.type = common.length ? common : a.type;
  }
  if (Array.isArray(a.enum) && Array.isArray(b.enum)) {
    const inB = new Set(b.enum.map((v) => JSON.stringify(v)));
    out.enum = a.enum.filter((v) => inB.has(JSON.stringify(v)));
  }
  return out;
}

const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'contentMediaType', 'contentEncoding'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const OBJECT_KEYWORDS = [
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'minProperties',
];
const ARRAY_KEYWORDS = ['items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'contains'];

/** The types a schema allows, declared or implied by its keywords or its values. */
function typesOf(schema: JsonSchema): ValueType[] {
  if (typeof schema.type === 'string' || Array.isArray(schema.type))
    return asArray(schema.type) as ValueType[];
  const sample =
    schema.const ?? (Array.isArray(schema.enum) ? schema.enum.find((v) => v !== null) : undefined);
  if (sample !== undefined) return [typeOfValue(sample)];
  const has = (keys: string[]) => keys.some((k) => schema[k] !== undefined);
  if (has(OBJECT_KEYWORDS)) return ['object'];
  if (has(ARRAY_KEYWORDS)) return ['array'];
  if (schema.format === 'int32' || schema.format === 'int64') return ['integer'];
  if (has(NUMBER_KEYWORDS) || schema.format === 'float' || schema.format === 'double') return ['number'];
  if (has(STRING_KEYWORDS) || typeof schema.format === 'string') return ['string'];
  return ['any'];
}

export function typeOfValue(value: unknown): ValueType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'object')
    return typeof value as ValueType;
  return 'any';
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}
