// Turns a dereferenced Swagger 2.0 / OpenAPI 3.0 / 3.1 schema into JSON Schema 2020-12, as a finite tree, so one
// generator and one validator (ajv's 2020 dialect) serve every version, and the result can be written out as JSON.
import type { JsonSchema } from './description.ts';

export type Dialect = 'swagger2' | 'openapi30' | 'openapi31';

/** Marks where a recursive schema was cut: anything is allowed there. */
export const RECURSIVE = 'x-recursive';

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_SINGLES = [
  'items',
  'additionalProperties',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
];

/** A converter that remembers what it converted, so schemas shared in the description stay shared (and fast). */
export function schemaConverter(dialect: Dialect): (schema: unknown) => JsonSchema {
  // Only subtrees without a cut are reused: a cut depends on the path the schema was reached by.
  const done = new WeakMap<object, JsonSchema>();
  const convert = (schema: unknown, ancestors: Set<object>): { value: unknown; cut: boolean } => {
    if (typeof schema === 'boolean') return { value: schema, cut: false };
    if (!isObject(schema)) return { value: {}, cut: false };
    const known = done.get(schema);
    if (known) return { value: known, cut: false };
    if (ancestors.has(schema)) return { value: { [RECURSIVE]: true }, cut: true };
    ancestors.add(schema);
    let cut = false;
    const sub = (value: unknown): unknown => {
      const converted = convert(value, ancestors);
      cut ||= converted.cut;
      return converted.value;
    };
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (SCHEMA_MAPS.includes(key) && isObject(value)) {
        out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, sub(s)]));
      } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
        out[key] = value.map(sub);
      } else if (key === 'items' && Array.isArray(value)) {
        // Draft 4 tuple form, which some descriptions use anyway.
        out.prefixItems = value.map(sub);
      } else if (SCHEMA_SINGLES.includes(key) && (isObject(value) || typeof value === 'boolean')) {
        out[key] = sub(value);
      } else {
        out[key] = value;
      }
    }
    ancestors.delete(schema);
    const value = dialect === 'openapi31' ? out : fromOpenApi30(out);
    if (!cut) done.set(schema, value);
    return { value, cut };
  };
  return (schema) => convert(schema, new Set()).value as JsonSchema;
}

/** OpenAPI 3.0 and Swagger 2.0 keywords that JSON Schema 2020-12 says differently. */
function fromOpenApi30(schema: JsonSchema): JsonSchema {
  const out = { ...schema };
  if (out.type === 'file') {
    out.type = 'string';
    out.format = 'binary';
  }
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      Reflect.deleteProperty(out, bound);
    } else if (typeof out[exclusive] === 'boolean') {
      Reflect.deleteProperty(out, exclusive);
    }
  }
  const nullable = out.nullable === true || out['x-nullable'] === true;
  delete out.nullable;
  delete out['x-nullable'];
  // `nullable` without a `type` constrains nothing (OpenAPI 3.0.3 says so), and adds nothing here.
  if (nullable && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

const SWAGGER_SCHEMA_KEYS = [
  'type',
  'format',
  'items',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'enum',
  'multipleOf',
  'x-nullable',
];

/** Swagger 2.0 writes a non-body parameter's schema on the parameter itself. */
export function swaggerParameterSchema(p: Record<string, unknown>): Record<string, unknown> {
  const schema = Object.fromEntries(
    SWAGGER_SCHEMA_KEYS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]),
  );
  return p['x-example'] === undefined ? schema : { ...schema, example: p['x-example'] };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
