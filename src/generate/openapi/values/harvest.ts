// Values harvested for a name: what the API description itself offers anywhere (examples, defaults and enums of
// every parameter and property of that name, words its descriptions quote, as in "`asc` or `desc`"), and what a
// service answered earlier in the same run (explore). The generator prefers them to dictionary words: they are this
// service's own vocabulary. Everything read here is outside input: bounded in depth, count and length, and kept in
// Maps, never looked up on plain objects.
import type { ApiDescription } from '../description.ts';
import { isObject } from '../json-schema.ts';

export type KnownScalar = string | number | boolean;

/**
 * Values known for each field or parameter name, most trusted first, keyed by the name as written or by its
 * normal form (knownName): explore's ResponseValues index is one as it is.
 */
export type KnownValues = ReadonlyMap<string, readonly KnownScalar[]>;

/** A name as harvests key it: case and separators aside, `sort_order`, `sortOrder` and `SortOrder` are one. */
export function knownName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The values known for `name`: under the name as written, else under its normal form. */
export function knownValuesFor(known: KnownValues | undefined, name: string): readonly KnownScalar[] {
  if (!known) return [];
  return known.get(name) ?? known.get(knownName(name)) ?? [];
}

/** Limits on what one harvest keeps: a description or a response is outside input. */
export const HARVEST_LIMITS = {
  /** Values kept per name. */
  valuesPerName: 20,
  /** Names kept in all. */
  names: 2000,
  /** Longer strings are not kept (a value with meaning is short). */
  valueLength: 200,
  /** Nested objects and arrays followed. */
  depth: 32,
  /** Nodes visited in one document or one body. */
  nodes: 200_000,
  /** Characters of one description text read for quoted words. */
  textLength: 4000,
} as const;

/** A mutable harvest: `add` keeps the first values of each name (in its normal form), within HARVEST_LIMITS. */
export class ValueHarvest {
  readonly #values = new Map<string, KnownScalar[]>();
  readonly #seen = new Map<string, Set<string>>();

  add(field: string, value: unknown): void {
    if (typeof field !== 'string' || field.length > HARVEST_LIMITS.valueLength) return;
    const name = knownName(field);
    if (name.length === 0 || !isKeptScalar(value)) return;
    let values = this.#values.get(name);
    if (values === undefined) {
      if (this.#values.size >= HARVEST_LIMITS.names) return;
      values = [];
      this.#values.set(name, values);
      this.#seen.set(name, new Set());
    }
    const key = `${typeof value}:${String(value)}`;
    const seen = this.#seen.get(name)!;
    if (values.length >= HARVEST_LIMITS.valuesPerName || seen.has(key)) return;
    seen.add(key);
    values.push(value);
  }

  /** The values of `name`, most trusted first. */
  valuesFor(name: string): readonly KnownScalar[] {
    return this.#values.get(knownName(name)) ?? [];
  }

  get known(): KnownValues {
    return this.#values;
  }
}

function isKeptScalar(value: unknown): value is KnownScalar {
  if (typeof value === 'string') return value.trim().length > 0 && value.length <= HARVEST_LIMITS.valueLength;
  return typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * Values an API description offers by name, read from the document as written (every $ref resolved): each
 * parameter's and property's example, examples, default, enum and x-example, and the words its description puts in
 * backticks or quotes or introduces with "e.g." / "such as" / "for example". A name's values from several places
 * are merged in document order.
 */
export function harvestDescription(description: ApiDescription): KnownValues {
  const harvest = new ValueHarvest();
  const document = description.document;
  if (document === undefined) {
    for (const operation of description.operations) {
      for (const parameter of operation.parameters) {
        harvest.add(parameter.name, parameter.example);
        offeredBy(parameter.schema, (v) => harvest.add(parameter.name, v));
      }
    }
    return harvest.known;
  }
  const visited = new Set<object>();
  let budget: number = HARVEST_LIMITS.nodes;
  const visit = (node: unknown, depth: number): void => {
    if (depth > HARVEST_LIMITS.depth || budget <= 0 || typeof node !== 'object' || node === null) return;
    if (visited.has(node)) return;
    visited.add(node);
    budget--;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    // A parameter (path, query, header, cookie, Swagger's formData): its name and its values.
    if (typeof record.name === 'string' && typeof record.in === 'string') {
      const name = record.name;
      offeredBy(record, (v) => harvest.add(name, v));
      if (isObject(record.schema)) offeredBy(record.schema, (v) => harvest.add(name, v));
      if (isObject(record.items)) offeredBy(record.items, (v) => harvest.add(name, v));
      for (const word of quotedWords(record.description)) harvest.add(name, word);
    }
    if (isObject(record.properties)) {
      for (const [name, property] of Object.entries(record.properties)) {
        if (!isObject(property)) continue;
        offeredBy(property, (v) => harvest.add(name, v));
        if (isObject(property.items)) offeredBy(property.items, (v) => harvest.add(name, v));
        for (const word of quotedWords(property.description)) harvest.add(name, word);
      }
    }
    for (const value of Object.values(record)) visit(value, depth + 1);
  };
  visit(document, 0);
  return harvest.known;
}

/** The values a schema or parameter object offers: example, x-example, examples (list or map), default, enum. */
function offeredBy(schema: Record<string, unknown>, add: (value: unknown) => void): void {
  add(schema.example);
  add(schema['x-example']);
  if (Array.isArray(schema.examples)) schema.examples.slice(0, HARVEST_LIMITS.valuesPerName).forEach(add);
  else if (isObject(schema.examples)) {
    for (const example of Object.values(schema.examples).slice(0, HARVEST_LIMITS.valuesPerName)) {
      if (isObject(example)) add(example.value);
    }
  }
  add(schema.default);
  if (Array.isArray(schema.enum)) schema.enum.slice(0, HARVEST_LIMITS.valuesPerName).forEach(add);
}

const QUOTED = /`([^`\n]{1,40})`|"([^"\n]{1,40})"|(?<![\w'])'([^'\n]{1,40})'(?![\w'])/g;
const INTRODUCED = /\b(?:e\.g\.|eg\.|for example|such as|ex\.)[:,]?\s+([\w.+#/:-]{1,40})/gi;

/**
 * Words a description quotes: "`asc` or `desc`", `"celsius"`, `'en-US'`, "e.g. km". Only the first
 * HARVEST_LIMITS.textLength characters are read, with patterns that cannot backtrack far (bounded repetition).
 */
export function quotedWords(text: unknown): string[] {
  if (typeof text !== 'string') return [];
  const head = text.slice(0, HARVEST_LIMITS.textLength);
  const words: string[] = [];
  for (const match of head.matchAll(QUOTED)) {
    const word = (match[1] ?? match[2] ?? match[3] ?? '').trim();
    if (word) words.push(word);
  }
  for (const match of head.matchAll(INTRODUCED)) {
    const word = match[1]!.replace(/[.,:;]+$/, '');
    if (word) words.push(word);
  }
  return [...new Set(words)].slice(0, HARVEST_LIMITS.valuesPerName);
}

/**
 * Scalar values by field name from response bodies seen earlier in a run, for explore to try next: every string,
 * number and boolean at any depth (within HARVEST_LIMITS), under the name of the field holding it; an array's items
 * count under the array's name. Pass `into` to add to an earlier harvest.
 */
export function valuesFromResponses(
  bodies: Iterable<unknown>,
  into: ValueHarvest = new ValueHarvest(),
): ValueHarvest {
  for (const body of bodies) {
    let budget: number = HARVEST_LIMITS.nodes;
    const visit = (node: unknown, name: string | undefined, depth: number): void => {
      if (budget-- <= 0 || depth > HARVEST_LIMITS.depth) return;
      if (Array.isArray(node)) {
        for (const item of node.slice(0, 1000)) visit(item, name, depth + 1);
      } else if (isObject(node)) {
        for (const [key, value] of Object.entries(node)) visit(value, key, depth + 1);
      } else if (name !== undefined) {
        into.add(name, node);
      }
    };
    visit(typeof body === 'string' ? parsedJson(body) : body, undefined, 0);
  }
  return into;
}

/** A response body as text: its JSON value, or nothing where it is not JSON. */
function parsedJson(text: string): unknown {
  if (text.length > 5_000_000) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The values of several harvests together, the first's before the second's for each name. */
export function mergeKnownValues(...harvests: (KnownValues | undefined)[]): KnownValues {
  const merged = new ValueHarvest();
  for (const harvest of harvests) {
    if (!harvest) continue;
    for (const [name, values] of harvest) for (const value of values) merged.add(name, value);
  }
  return merged.known;
}
