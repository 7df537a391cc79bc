// Whether a schema accepts a value, as the response checks judge it (ajv, JSON Schema 2020-12, formats checked):
// edge values are labelled valid or invalid by this, not by guesswork.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '../description.ts';

const ajv = new Ajv2020({ strict: false, strictNumbers: true, validateFormats: true, logger: false });
addFormats.default(ajv);
const validators = new WeakMap<object, ValidateFunction | null>();

const INT64_MAX = 2n ** 63n - 1n;

/** undefined where the schema is one ajv cannot compile. */
export function schemaAccepts(schema: JsonSchema, value: unknown): boolean | undefined {
  let validate = validators.get(schema);
  if (validate === undefined) {
    try {
      validate = ajv.compile(schema);
    } catch {
      validate = null;
    }
    validators.set(schema, validate);
  }
  if (validate === null) return undefined;
  // ajv-formats lets any integer be an int64; 2^63 is not one.
  if (schema.format === 'int64' && typeof value === 'number' && Number.isInteger(value)) {
    const big = BigInt(value);
    if (big > INT64_MAX || big < -INT64_MAX - 1n) return false;
  }
  return validate(value);
}
