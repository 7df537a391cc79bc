// Strings of a given length that keep a schema's pattern and format, for the edge values at length limits.
import { sizeKeyword } from './sizes.ts';
import type { JsonSchema } from '../description.ts';
import { randomAt } from './random.ts';
import { matchesPattern, samplePattern } from './regex-sample.ts';
import { schemaAccepts } from './schema-check.ts';
import type { SchemaView } from './schema-view.ts';

/**
 * A string of exactly `length` code points that is otherwise valid: sampled from the pattern, or the valid example
 * padded or cut, whichever keeps the pattern and format.
 */
export function textOfLength(view: SchemaView, base: unknown, length: number): string {
  const text = typeof base === 'string' ? base : 'value';
  const random = randomAt(length, 'length');
  const candidates = [
    ...view.patterns.flatMap((p) =>
      [length, length - 1, length - 2, Math.ceil(length / 2), 1].map(
        (s) => samplePattern(p, random, s) ?? '',
      ),
    ),
    pad(text, length, 'end'),
    pad(text, length, 'start'),
    'a'.repeat(length),
  ];
  return candidates.find((c) => [...c].length === length && keepsShape(view, c)) ?? 'a'.repeat(length);
}

const formatSchemas = new Map<string, JsonSchema>();

/** Whether a string keeps the schema's patterns and format, whatever its length. */
function keepsShape(view: SchemaView, text: string): boolean {
  if (!view.patterns.every((p) => matchesPattern(p, text))) return false;
  const format = view.schema.format;
  if (typeof format !== 'string') return true;
  // One small schema per format, so ajv compiles each once.
  let schema = formatSchemas.get(format);
  if (!schema) formatSchemas.set(format, (schema = { type: 'string', format }));
  return schemaAccepts(schema, text) !== false;
}

function pad(text: string, length: number, side: 'start' | 'end'): string {
  const chars = [...text];
  if (chars.length >= length)
    return (side === 'end' ? chars.slice(0, length) : chars.slice(chars.length - length)).join('');
  const filler = 'a'.repeat(length - chars.length);
  return side === 'end' ? text + filler : filler + text;
}

/** `text` cut or padded to the declared length bounds. */
export function fitted(text: string, schema: JsonSchema): string {
  const min = sizeKeyword(schema, 'minLength') ?? 0;
  const max = sizeKeyword(schema, 'maxLength') ?? Infinity;
  const chars = [...text];
  if (chars.length > max) return chars.slice(0, max).join('');
  return chars.length < min ? text + 'a'.repeat(min - chars.length) : text;
}
