// Turns the JSON Schema zod derives from a type into one OpenAI's strict Structured Outputs accept, together with
// the decoder that turns a reply in that wire shape back into a value of the type.
//
// Strict mode decodes by the schema, so it accepts only closed, fully-specified shapes:
// - every object says `additionalProperties: false` and lists all its properties in `required`; a property that
//   may be absent is made nullable instead, and the decoder turns `null` back into "absent";
// - a free-form value (`z.unknown()`, such as a request's JSON `example` body) cannot be described at all, so it
//   travels as a string holding JSON text, which the decoder parses;
// - a record (`z.record`, such as `query` or `headers`) has no fixed properties, so it travels as a list of
//   `{ name, value }` entries, which the decoder turns back into an object; a record whose values need decoding
//   themselves (`expect.body`, whose matchers hold free-form values) travels whole as JSON text;
// - a union whose branches need decoding travels as JSON text too, as the decoder could not tell the branches
//   apart; unions of plain values stay unions;
// - keywords strict mode does not take (`propertyNames`, `minLength`, `maxLength`, `$schema`) are left out. The
//   reply is checked against the zod type after decoding, so nothing they said is lost.
// The decoder leaves a value of the wrong shape as it is, for the zod check to report; only JSON text that does not
// parse makes it throw (WireDecodeError), as there is nothing to check.

export type JsonSchema = Record<string, unknown>;

export interface WireSchema {
  schema: JsonSchema;
  /** Wire value to domain value; absent when the two are the same. */
  decode?: (value: unknown) => unknown;
}

/** The wire form of a value that could not be decoded: JSON text that does not parse, and where it was. */
export class WireDecodeError extends Error {
  readonly path: readonly (string | number)[];
  readonly detail: string;
  constructor(detail: string, path: readonly (string | number)[] = [], options?: ErrorOptions) {
    super(path.length > 0 ? `${path.join('.')}: ${detail}` : detail, options);
    this.detail = detail;
    this.path = path;
  }

  /** The same error, one level further out. */
  within(key: string | number): WireDecodeError {
    return new WireDecodeError(this.detail, [key, ...this.path], { cause: this.cause });
  }
}

/** Runs a decoder for the value at `key`, saying where a value that cannot be decoded is. */
function decodeAt(decode: (value: unknown) => unknown, value: unknown, key: string | number): unknown {
  try {
    return decode(value);
  } catch (error) {
    throw error instanceof WireDecodeError ? error.within(key) : error;
  }
}

/** Keywords kept as they are: ones strict mode supports and that mean the same on the wire. */
const KEPT = [
  'type',
  'description',
  'enum',
  'const',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
];

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function toWireSchema(schema: JsonSchema): WireSchema {
  if (Array.isArray(schema.anyOf)) return unionWire(schema);
  if (Array.isArray(schema.type)) return typeUnionWire(schema);
  if (schema.type === 'object') {
    if (isObject(schema.properties)) return objectWire(schema);
    if (isObject(schema.additionalProperties)) return recordWire(schema, schema.additionalProperties);
    return jsonTextWire(schema);
  }
  if (schema.type === 'array' && isObject(schema.items)) return arrayWire(schema, schema.items);
  if (schema.type === undefined && schema.enum === undefined && schema.const === undefined) {
    return jsonTextWire(schema);
  }
  return { schema: kept(schema) };
}

function kept(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const key of KEPT) {
    const value = schema[key];
    if (value === undefined) continue;
    // zod bounds every integer by the safe range; that says nothing to a model.
    if ((key === 'maximum' || key === 'minimum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER)
      continue;
    out[key] = value;
  }
  return out;
}

function described(schema: JsonSchema, note: string): { description: string } {
  const description = typeof schema.description === 'string' ? `${schema.description} ` : '';
  return { description: `${description}${note}` };
}

function objectWire(schema: JsonSchema): WireSchema {
  const properties = schema.properties as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const wires = Object.fromEntries(
    Object.entries(properties).map(([key, child]) => {
      const wire = toWireSchema(child);
      return [key, required.has(key) ? wire : { ...wire, schema: nullable(wire.schema) }];
    }),
  );
  return {
    schema: {
      type: 'object',
      ...(typeof schema.description === 'string' && { description: schema.description }),
      properties: Object.fromEntries(Object.entries(wires).map(([key, wire]) => [key, wire.schema])),
      required: Object.keys(wires),
      additionalProperties: false,
    },
    decode: (value) => {
      if (!isObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const wire = wires[key];
        // An unknown key is kept, for the zod check to name it.
        if (!wire) out[key] = item;
        else if (item === null && !required.has(key)) continue;
        else out[key] = wire.decode ? decodeAt(wire.decode, item, key) : item;
      }
      return out;
    },
  };
}

function recordWire(schema: JsonSchema, values: JsonSchema): WireSchema {
  const value = toWireSchema(values);
  if (value.decode) return jsonTextWire(schema);
  return {
    schema: {
      type: 'array',
      ...described(schema, 'Written as a list of {"name", "value"} entries.'),
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, value: value.schema },
        required: ['name', 'value'],
        additionalProperties: false,
      },
    },
    decode: (entries) => {
      if (!Array.isArray(entries)) return entries;
      const out: Record<string, unknown> = {};
      for (const entry of entries) {
        // An entry of the wrong shape makes the whole record invalid, for the zod check to report.
        if (!isObject(entry) || typeof entry.name !== 'string' || !('value' in entry)) return entries;
        out[entry.name] = entry.value;
      }
      return out;
    },
  };
}

function arrayWire(schema: JsonSchema, items: JsonSchema): WireSchema {
  const item = toWireSchema(items);
  const decode = item.decode;
  return {
    schema: { ...kept(schema), items: item.schema },
    ...(decode && {
      decode: (value: unknown) =>
        Array.isArray(value) ? value.map((v, i) => decodeAt(decode, v, i)) : value,
    }),
  };
}

function unionWire(schema: JsonSchema): WireSchema {
  const branches = flatten(schema.anyOf as JsonSchema[]).map(toWireSchema);
  if (branches.some((branch) => branch.decode)) return jsonTextWire(schema);
  return { schema: { ...kept(schema), anyOf: branches.map((branch) => branch.schema) } };
}

/** `type: [a, b]` as a union of single types, the form of union strict mode documents. */
function typeUnionWire(schema: JsonSchema): WireSchema {
  const { type, description, ...rest } = schema;
  const types = type as string[];
  if (types.length === 1) return toWireSchema({ ...schema, type: types[0] });
  return unionWire({
    ...(description !== undefined && { description }),
    anyOf: types.map((t) => ({ ...rest, type: t })),
  });
}

/** Nested `anyOf`s as one, so a union of unions is one flat list of branches. */
function flatten(branches: JsonSchema[]): JsonSchema[] {
  return branches.flatMap((branch) =>
    Array.isArray(branch.anyOf) && Object.keys(branch).every((k) => k === 'anyOf' || k === 'description')
      ? flatten(branch.anyOf as JsonSchema[])
      : [branch],
  );
}

function jsonTextWire(schema: JsonSchema): WireSchema {
  return {
    schema: { type: 'string', ...described(schema, 'Written as JSON text, e.g. "{\\"name\\": \\"x\\"}".') },
    decode: (value) => {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch (error) {
        throw new WireDecodeError(`expected JSON text, got ${JSON.stringify(value.slice(0, 80))}`, [], {
          cause: error,
        });
      }
    },
  };
}

const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * The schema, also allowing null: how strict mode says "may be left out". A scalar says it as `type: [t, "null"]`
 * (OpenAI's own examples); anything else as a union with null, which strict mode documents for every shape.
 */
export function nullable(schema: JsonSchema): JsonSchema {
  const { description, ...rest } = schema;
  const note = description === undefined ? {} : { description };
  if (SCALAR_TYPES.has(rest.type as string) && rest.enum === undefined && rest.const === undefined) {
    return { ...note, ...rest, type: [rest.type, 'null'] };
  }
  if (Array.isArray(rest.anyOf))
    return { ...note, anyOf: [...(rest.anyOf as JsonSchema[]), { type: 'null' }] };
  return { ...note, anyOf: [rest, { type: 'null' }] };
}
