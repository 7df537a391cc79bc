// A valid value for a schema, the same for the same seed: what the description offers first (const, example,
// examples, default, enum), else one built from the type and its constraints. A string with no known format takes a
// value known for its name (harvested), else a word with meaning from the value dictionary, before "name-1234".
import type { JsonSchema } from '../description.ts';
import { isObject } from '../json-schema.ts';
import { dictionaryValue, matchDictionary, type DictionaryEntry } from './dictionary.ts';
import { FORMATS, wordFrom } from './formats.ts';
import { sizeKeyword } from './sizes.ts';
import { knownValuesFor, type KnownValues } from './harvest.ts';
import { between, pick, randomAt, type Random } from './random.ts';
import { matchesPattern, samplePattern } from './regex-sample.ts';
import { viewOf, type SchemaView } from './schema-view.ts';

export type ExampleMode = 'required-only' | 'all-fields';

export interface ExampleOptions {
  /** Only required properties, or every property a client may send (default). */
  mode?: ExampleMode;
  seed?: number;
  /** The field's name, which makes strings readable ("title-2817"). */
  name?: string;
  /**
   * A request (default) leaves out readOnly properties, a response writeOnly ones, even where they are required:
   * OpenAPI says `required` then applies to the other direction only.
   */
  direction?: 'request' | 'response';
  /** The field's or parameter's description (where its schema has none): its words choose dictionary values. */
  description?: string;
  /** Values known by name (harvestDescription, valuesFromResponses): tried first for strings. */
  known?: KnownValues;
  /** Dictionary entries an LLM proposed (proposeDictionaryEntries), for names the table does not know. */
  proposed?: readonly DictionaryEntry[];
}

/** Beyond this depth objects get only their required properties and arrays only their minimum items. */
const FULL_DEPTH = 4;
/** Unconstrained numbers fall in here. */
const DEFAULT_RANGE = 100;

interface Context {
  mode: ExampleMode;
  omitted: 'readOnly' | 'writeOnly';
  seed: number;
  ancestors: Set<unknown>;
  description?: string;
  known?: KnownValues;
  proposed?: readonly DictionaryEntry[];
}

export function exampleFor(schema: JsonSchema | boolean, options: ExampleOptions = {}): unknown {
  const context: Context = {
    mode: options.mode ?? 'all-fields',
    omitted: options.direction === 'response' ? 'writeOnly' : 'readOnly',
    seed: options.seed ?? 1,
    ancestors: new Set(),
    ...(options.description !== undefined && { description: options.description }),
    ...(options.known !== undefined && { known: options.known }),
    ...(options.proposed !== undefined && { proposed: options.proposed }),
  };
  return valueFor(schema, options.name ?? '', options.name ?? '$', 0, context) ?? null;
}

/** undefined where no value can be made (a recursion cut): an optional property is then left out. */
function valueFor(schema: unknown, name: string, place: string, depth: number, context: Context): unknown {
  if (context.ancestors.has(schema)) return undefined;
  const view = viewOf(schema);
  if (view.recursive) return undefined;
  const offered = offeredValue(view.schema, randomAt(context.seed, `${place}#offered`));
  if (offered !== undefined) return offered;
  context.ancestors.add(schema);
  try {
    const random = randomAt(context.seed, place);
    switch (view.type) {
      case 'object':
        return objectFor(view, place, depth, context);
      case 'array':
        return arrayFor(view, name, place, depth, context);
      case 'string':
        return stringFor(view, name, random, {
          seed: context.seed,
          place,
          // The description given in the options is the top field's; nested fields have their schema's.
          description: depth === 0 ? context.description : undefined,
          known: context.known,
          proposed: context.proposed,
        });
      case 'integer':
      case 'number':
        return numberFor(view.schema, view.type === 'integer', random);
      case 'boolean':
        return random() < 0.5;
      case 'null':
        return null;
      default:
        return wordFrom(name);
    }
  } finally {
    context.ancestors.delete(schema);
  }
}

function offeredValue(schema: JsonSchema, random: Random): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const values = schema.enum.filter((v) => v !== null);
    return values.length ? pick(random, values) : null;
  }
  return undefined;
}

function objectFor(
  view: SchemaView,
  place: string,
  depth: number,
  context: Context,
): Record<string, unknown> {
  const { schema } = view;
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const full = context.mode === 'all-fields' && depth < FULL_DEPTH;
  const sent = (key: string) => viewOf(properties[key]).schema[context.omitted] !== true;
  const keys = [
    ...new Set([...Object.keys(properties).filter((k) => full || required.has(k)), ...required]),
  ].filter(sent);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = valueFor(properties[key] ?? {}, key, `${place}.${key}`, depth + 1, context);
    if (value !== undefined) out[key] = value;
    else if (required.has(key)) out[key] = null;
  }
  const minProperties = sizeKeyword(schema, 'minProperties') ?? 0;
  const extra = isObject(schema.additionalProperties) ? schema.additionalProperties : {};
  for (let n = 1; Object.keys(out).length < minProperties && schema.additionalProperties !== false; n++) {
    const key = Object.keys(properties).find((k) => !(k in out)) ?? `field${n}`;
    out[key] =
      valueFor(properties[key] ?? extra, key, `${place}.${key}`, depth + 1, context) ?? wordFrom(key);
  }
  return out;
}

function arrayFor(view: SchemaView, name: string, place: string, depth: number, context: Context): unknown[] {
  const { schema } = view;
  const minItems = sizeKeyword(schema, 'minItems') ?? 0;
  const maxItems = sizeKeyword(schema, 'maxItems') ?? Infinity;
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const full = context.mode === 'all-fields' && depth < FULL_DEPTH;
  const count = Math.min(maxItems, Math.max(minItems, full ? Math.max(1, prefix.length) : 0));
  const items: unknown[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; items.length < count && attempt < count + 20; attempt++) {
    const itemSchema = prefix[items.length] ?? schema.items ?? {};
    const itemPlace = `${place}.${attempt}`;
    let value = valueFor(itemSchema, name, itemPlace, depth + 1, context);
    if (value === undefined) break;
    // uniqueItems: an enum offers the next of its values, anything else is drawn again.
    if (schema.uniqueItems === true && seen.has(JSON.stringify(value))) {
      const options = isObject(itemSchema) && Array.isArray(itemSchema.enum) ? itemSchema.enum : [];
      value = options.find((v) => !seen.has(JSON.stringify(v)));
      if (value === undefined) continue;
    }
    seen.add(JSON.stringify(value));
    items.push(value);
  }
  return items;
}

interface Meaning {
  seed: number;
  place: string;
  description: string | undefined;
  known: KnownValues | undefined;
  proposed: readonly DictionaryEntry[] | undefined;
}

function stringFor(view: SchemaView, name: string, random: Random, meaning: Meaning): string {
  const { schema, patterns } = view;
  const minLength = sizeKeyword(schema, 'minLength') ?? 0;
  const maxLength = sizeKeyword(schema, 'maxLength') ?? Infinity;
  const fits = (s: string) => {
    const length = [...s].length;
    return length >= minLength && length <= maxLength && patterns.every((p) => matchesPattern(p, s));
  };
  const word = `${wordFrom(name)}-${between(random, 1000, 9999)}`;
  const format =
    typeof schema.format === 'string' && Object.hasOwn(FORMATS, schema.format)
      ? FORMATS[schema.format]
      : undefined;
  if (!format) {
    const meant = meaningfulString(view, name, meaning, fits);
    if (meant !== undefined) return meant;
  }
  const candidate = format ? format.valid(random, word) : fitLength(word, minLength, maxLength);
  if (fits(candidate)) return candidate;
  // Sample each pattern at lengths around the bounds until one fits them all.
  const target = Number.isFinite(maxLength)
    ? Math.min(maxLength, Math.max(minLength, 8))
    : Math.max(minLength, 8);
  for (const stretch of [1, 2, 4, target, minLength, maxLength, 16]) {
    if (!Number.isFinite(stretch)) continue;
    const samples = patterns.map((p) => samplePattern(p, random, stretch) ?? '');
    for (const sample of [...samples, samples.join('')]) {
      if (fits(sample)) return sample;
      const padded = fitLength(sample, minLength, maxLength);
      if (fits(padded)) return padded;
    }
  }
  return candidate;
}

/** A string known for the name, else a dictionary word that fits; undefined where neither has one. */
function meaningfulString(
  view: SchemaView,
  name: string,
  meaning: Meaning,
  fits: (s: string) => boolean,
): string | undefined {
  const known = knownValuesFor(meaning.known, name)
    .filter((v): v is string => typeof v === 'string')
    .filter(fits);
  if (known.length > 0) return pick(randomAt(meaning.seed, `${meaning.place}#known`), known);
  const description =
    typeof view.schema.description === 'string' ? view.schema.description : (meaning.description ?? '');
  const match = matchDictionary(
    {
      name,
      description,
      ...(typeof view.schema.format === 'string' && { format: view.schema.format }),
      patterns: view.patterns,
    },
    undefined,
    meaning.proposed,
  );
  return dictionaryValue(match, meaning.seed, meaning.place, fits);
}

/** Pads with "x" or cuts, by code points, to lie within the bounds. */
function fitLength(text: string, minLength: number, maxLength: number): string {
  const chars = [...text];
  if (chars.length > maxLength) return chars.slice(0, maxLength).join('');
  return chars.length < minLength ? text + 'x'.repeat(minLength - chars.length) : text;
}

function numberFor(schema: JsonSchema, integer: boolean, random: Random): number {
  const num = (key: string) => (typeof schema[key] === 'number' ? (schema[key] as number) : undefined);
  const [minimum, maximum, exMin, exMax] = [
    num('minimum'),
    num('maximum'),
    num('exclusiveMinimum'),
    num('exclusiveMaximum'),
  ];
  const step = integer ? 1 : 0.5;
  let lo = Math.max(minimum ?? -Infinity, exMin === undefined ? -Infinity : nextAbove(exMin, integer));
  let hi = Math.min(maximum ?? Infinity, exMax === undefined ? Infinity : nextBelow(exMax, integer));
  if (!Number.isFinite(lo) && !Number.isFinite(hi)) [lo, hi] = [1, DEFAULT_RANGE];
  else if (!Number.isFinite(lo)) lo = hi - DEFAULT_RANGE;
  else if (!Number.isFinite(hi)) hi = lo + DEFAULT_RANGE;
  if (integer) [lo, hi] = [Math.ceil(lo), Math.floor(hi)];
  const multipleOf = num('multipleOf') ?? (integer ? 1 : undefined);
  if (multipleOf !== undefined && multipleOf > 0) {
    const [kLo, kHi] = [Math.ceil(lo / multipleOf), Math.floor(hi / multipleOf)];
    if (kLo <= kHi) return cleanProduct(between(random, kLo, kHi), multipleOf);
    return lo;
  }
  // A number with a half now and then, so a client that drops fractions shows.
  const value = Math.round((lo + random() * (hi - lo)) / step) * step;
  return Math.min(hi, Math.max(lo, value));
}

function nextAbove(bound: number, integer: boolean): number {
  return integer ? Math.floor(bound) + 1 : bound + Math.max(Math.abs(bound) * 1e-9, 1e-6);
}

function nextBelow(bound: number, integer: boolean): number {
  return integer ? Math.ceil(bound) - 1 : bound - Math.max(Math.abs(bound) * 1e-9, 1e-6);
}

/** k × m without binary noise: 3 × 0.1 is 0.3, not 0.30000000000000004. */
function cleanProduct(k: number, multipleOf: number): number {
  const decimals = (String(multipleOf).split('.')[1] ?? '').length;
  return Number((k * multipleOf).toFixed(decimals));
}
