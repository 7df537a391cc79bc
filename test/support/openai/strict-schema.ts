// The JSON Schema rules OpenAI enforces on `response_format: { type: 'json_schema' }`. Every schema must describe
// an object; with `strict: true` the schema must also fit the subset Structured Outputs can decode by: every object
// closed (`additionalProperties: false`) and listing all its properties in `required` (optional values are made
// nullable instead), no root union, arrays with one `items` schema, nothing from the list of unsupported keywords,
// and at most 10 levels of object nesting. The first problem is reported in OpenAI's words.

/** Keywords strict mode refuses (the list the official SDK's own strict transform refuses, too). */
const UNSUPPORTED = [
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$recursiveAnchor',
  '$recursiveRef',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'minContains',
  'maxContains',
  'contentEncoding',
  'contentMediaType',
  'contentSchema',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'patternProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  'unevaluatedProperties',
  'uniqueItems',
];

const MAX_OBJECT_DEPTH = 10;

type Schema = Record<string, unknown>;

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first reason OpenAI would refuse this schema, or undefined when it would take it. */
export function schemaProblem(schema: unknown, strict: boolean): string | undefined {
  if (!isObject(schema)) return 'schema must be a JSON Schema object';
  if (schema.type !== 'object') {
    return `schema must be a JSON Schema of 'type: "object"', got 'type: ${JSON.stringify(schema.type ?? null)}'`;
  }
  if (!strict) return undefined;
  if (schema.anyOf !== undefined) return `In context=(), 'anyOf' is not permitted at the root of the schema`;
  return strictProblem(schema, [], 0);
}

function strictProblem(schema: unknown, context: string[], depth: number): string | undefined {
  const where = `In context=(${context.map((c) => `'${c}'`).join(', ')})`;
  if (typeof schema === 'boolean') return `${where}, schema must be a JSON Schema object, not a boolean`;
  if (!isObject(schema)) return `${where}, schema must be a JSON Schema object`;
  for (const keyword of UNSUPPORTED) {
    if (schema[keyword] !== undefined) return `${where}, '${keyword}' is not permitted`;
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const isObjectSchema = types.includes('object') || schema.properties !== undefined;
  let nested = depth;
  if (isObjectSchema) {
    nested = depth + 1;
    if (nested > MAX_OBJECT_DEPTH) {
      return `${where}, the schema is nested ${nested} objects deep; at most ${MAX_OBJECT_DEPTH} are allowed`;
    }
    if (schema.additionalProperties !== false) {
      return `${where}, 'additionalProperties' is required to be supplied and to be false`;
    }
    const properties = isObject(schema.properties) ? Object.keys(schema.properties) : [];
    const required = Array.isArray(schema.required) ? schema.required : [];
    const missing = properties.filter((key) => !required.includes(key));
    if (!Array.isArray(schema.required) || missing.length > 0) {
      return (
        `${where}, 'required' is required to be supplied and to be an array including every key in properties.` +
        (missing.length > 0 ? ` Missing '${missing[0]}'.` : '')
      );
    }
    const extra = required.find((key) => typeof key !== 'string' || !properties.includes(key));
    if (extra !== undefined)
      return `${where}, 'required' lists '${String(extra)}', which is not in properties`;
  }
  if (types.includes('array')) {
    if (schema.items === undefined) return `${where}, an array schema must give 'items'`;
    if (Array.isArray(schema.items)) return `${where}, 'items' must be one schema, not a list of them`;
  }
  for (const [keyword, child] of children(schema)) {
    const problem = strictProblem(child, [...context, ...keyword], nested);
    if (problem) return problem;
  }
  return undefined;
}

/** The subschemas of a schema, with the path that leads to each. */
function children(schema: Schema): [string[], unknown][] {
  const found: [string[], unknown][] = [];
  if (isObject(schema.properties)) {
    for (const [key, child] of Object.entries(schema.properties)) found.push([['properties', key], child]);
  }
  for (const keyword of ['$defs', 'definitions']) {
    const defs = schema[keyword];
    if (isObject(defs)) for (const [key, child] of Object.entries(defs)) found.push([[keyword, key], child]);
  }
  if (schema.items !== undefined && !Array.isArray(schema.items)) found.push([['items'], schema.items]);
  if (Array.isArray(schema.anyOf))
    schema.anyOf.forEach((child, i) => found.push([['anyOf', String(i)], child]));
  return found;
}
