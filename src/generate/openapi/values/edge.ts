// Edge values of one field: the values at and just past each declared limit, and the inputs careless clients send
// (wrong type, null, a bad date, a value off the list). Each says whether the schema accepts it, as ajv judges.
import type { JsonSchema } from '../description.ts';
import { isObject } from '../json-schema.ts';
import { matchDictionary, type DictionaryEntry } from './dictionary.ts';
import { exampleFor } from './example.ts';
import { FORMATS } from './formats.ts';
import type { KnownValues } from './harvest.ts';
import { matchesPattern } from './regex-sample.ts';
import { schemaAccepts } from './schema-check.ts';
import { sizeKeyword } from './sizes.ts';
import { fitted, textOfLength } from './text-length.ts';
import { viewOf, type SchemaView } from './schema-view.ts';

/** Stands for a field left out of its object. */
export const MISSING: unique symbol = Symbol('missing');

export interface EdgeValue {
  /** Short and human: "bpm at its maximum (200)", "name one character too long (121)". */
  label: string;
  /** The value, or MISSING for the field left out. */
  value: unknown;
  /** Whether the schema accepts it. */
  valid: boolean;
  /** "boundary": at or next to a declared limit, or unusual but plausible; "invalid": of the wrong kind altogether. */
  kind: 'boundary' | 'invalid';
  /** The value as JSON text, where JSON.stringify cannot write it (numbers beyond a double's range). */
  json?: string;
}

export interface EdgeOptions {
  /** The field is required by its object: adds "missing". */
  required?: boolean;
  seed?: number;
  /** The field's or parameter's description, where its schema has none: its words choose dictionary entries. */
  description?: string;
  /** Values known by name (harvested): the valid value to start from prefers them. */
  known?: KnownValues;
  /** Dictionary entries an LLM proposed, for names the table does not know. */
  proposed?: readonly DictionaryEntry[];
}

interface Candidate {
  phrase: string;
  value: unknown;
  kind: EdgeValue['kind'];
  /** What the probe means to be, used where ajv cannot judge. */
  intended: boolean;
  json?: string;
}

interface EdgeContext {
  view: SchemaView;
  /** A valid value to start from. */
  base: unknown;
  seed: number;
  required: boolean;
  field: string;
  description: string | undefined;
  proposed: readonly DictionaryEntry[] | undefined;
}

type EdgeSource = (context: EdgeContext) => Candidate[];

const LONG = 10_000;
const UNICODE = 'Déjà vu — 日本語 🎵';

export function edgeValuesFor(schema: JsonSchema, field: string, options: EdgeOptions = {}): EdgeValue[] {
  const seed = options.seed ?? 1;
  const view = viewOf(schema);
  const context: EdgeContext = {
    view,
    base: exampleFor(schema, {
      mode: 'all-fields',
      seed,
      name: field,
      ...(options.description !== undefined && { description: options.description }),
      ...(options.known !== undefined && { known: options.known }),
      ...(options.proposed !== undefined && { proposed: options.proposed }),
    }),
    seed,
    required: options.required ?? false,
    field,
    description: options.description,
    proposed: options.proposed,
  };
  const sources = [...(SOURCES_BY_TYPE[view.type] ?? []), ...COMMON];
  const seen = new Set<string>();
  const out: EdgeValue[] = [];
  for (const candidate of sources.flatMap((source) => source(context))) {
    const key = candidate.value === MISSING ? 'MISSING' : (candidate.json ?? JSON.stringify(candidate.value));
    if (seen.has(key)) continue;
    seen.add(key);
    const judged =
      candidate.value === MISSING || (candidate.json !== undefined && !Number.isFinite(candidate.value))
        ? undefined
        : schemaAccepts(schema, candidate.value);
    out.push({
      label: `${field || 'value'} ${candidate.phrase}`,
      value: candidate.value,
      valid: candidate.value === MISSING ? !context.required : (judged ?? candidate.intended),
      kind: candidate.kind,
      ...(candidate.json !== undefined && { json: candidate.json }),
    });
  }
  return out;
}

const num = (schema: JsonSchema, key: string) =>
  typeof schema[key] === 'number' ? (schema[key] as number) : undefined;
const boundary = (phrase: string, value: unknown, intended: boolean): Candidate => ({
  phrase,
  value,
  kind: 'boundary',
  intended,
});
const invalid = (phrase: string, value: unknown, extra: Partial<Candidate> = {}): Candidate => ({
  phrase,
  value,
  kind: 'invalid',
  intended: false,
  ...extra,
});

const strings: EdgeSource[] = [
  () => [boundary('empty', '', false), boundary('only whitespace', '   ', false)],
  ({ view, base }) => {
    const { schema } = view;
    const [min, max] = [sizeKeyword(schema, 'minLength'), sizeKeyword(schema, 'maxLength')];
    const out: Candidate[] = [];
    if (min !== undefined && min > 0) {
      out.push(boundary(`at its minimum length (${min})`, textOfLength(view, base, min), true));
      out.push(boundary(`one character too short (${min - 1})`, textOfLength(view, base, min - 1), false));
    }
    if (max !== undefined) {
      out.push(boundary(`at its maximum length (${max})`, textOfLength(view, base, max), true));
      out.push(boundary(`one character too long (${max + 1})`, textOfLength(view, base, max + 1), false));
    }
    return out;
  },
  ({ view, base }) => [
    boundary('of 10 000 characters', textOfLength(view, base, LONG), true),
    boundary('in unicode and emoji', fitted(UNICODE, view.schema), true),
  ],
  ({ view }) => {
    const format = typeof view.schema.format === 'string' ? FORMATS[view.schema.format]?.invalid : undefined;
    return format ? [invalid(format.label, format.value)] : [];
  },
  ({ view }) => {
    if (view.patterns.length === 0) return [];
    const miss = ['!', ' ', '~~~', '0', 'a', 'A', '-'].find((s) =>
      view.patterns.some((p) => !matchesPattern(p, s)),
    );
    return miss === undefined ? [] : [invalid(`not matching its pattern (${JSON.stringify(miss)})`, miss)];
  },
  dictionaryMisses,
];

/** How many of a dictionary entry's unusual and invalid forms a field is tried with. */
const DICTIONARY_OTHER_FORMS = 2;
const DICTIONARY_MISSES = 3;

/**
 * Other forms of the word the field means ("jan" for a month) and near misses ("Smarch") ("Smarch" for a month, "sideways" for a sort order). Whether one is
 * refused is the schema's to say (its enum, pattern or format, judged by ajv like every edge value); where the
 * schema allows it, it is a value the service must cope with, not one it must refuse.
 */
function dictionaryMisses({ view, field, description, proposed }: EdgeContext): Candidate[] {
  const { schema } = view;
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  const match = matchDictionary(
    {
      name: field,
      description: typeof schema.description === 'string' ? schema.description : (description ?? ''),
      ...(format !== undefined && { format }),
      patterns: view.patterns,
    },
    undefined,
    proposed,
  );
  if (!match) return [];
  const quoted = (value: string) => JSON.stringify(short(value));
  return [
    ...match.unusual
      .slice(0, DICTIONARY_OTHER_FORMS)
      .map((value) => boundary(`as another form of ${match.entry.topic} (${quoted(value)})`, value, true)),
    ...match.invalid
      .slice(0, DICTIONARY_MISSES)
      .map((value) => boundary(`not a real ${match.entry.topic} (${quoted(value)})`, value, true)),
  ];
}

/** A value as a label shows it: long ones cut. */
const short = (value: string) => (value.length > 24 ? `${value.slice(0, 21)}...` : value);

const numbers: EdgeSource[] = [
  ({ view }) => {
    const { schema } = view;
    const integer = view.type === 'integer';
    const out: Candidate[] = [];
    const [min, max, exMin, exMax] = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].map((k) =>
      num(schema, k),
    );
    if (min !== undefined) {
      out.push(
        boundary(`at its minimum (${min})`, min, true),
        boundary(`one below its minimum (${min - 1})`, min - 1, false),
      );
    }
    if (max !== undefined) {
      out.push(
        boundary(`at its maximum (${max})`, max, true),
        boundary(`one above its maximum (${max + 1})`, max + 1, false),
      );
    }
    if (exMin !== undefined) {
      const above = integer ? Math.floor(exMin) + 1 : exMin + 1;
      out.push(boundary(`at its exclusive minimum (${exMin})`, exMin, false));
      out.push(boundary(`just above its exclusive minimum (${above})`, above, true));
    }
    if (exMax !== undefined) {
      const below = integer ? Math.ceil(exMax) - 1 : exMax - 1;
      out.push(boundary(`at its exclusive maximum (${exMax})`, exMax, false));
      out.push(boundary(`just below its exclusive maximum (${below})`, below, true));
    }
    return out;
  },
  ({ view, base }) => {
    if (view.type !== 'integer') return [];
    const start = typeof base === 'number' ? base : 1;
    const max = num(view.schema, 'maximum');
    const fraction = max !== undefined && start + 0.5 > max ? start - 0.5 : start + 0.5;
    const out = [invalid(`not a whole number (${fraction})`, fraction)];
    if (view.schema.format === 'int32') out.push(invalid('beyond 32-bit integers (2147483648)', 2 ** 31));
    out.push(
      invalid('beyond 64-bit integers (9223372036854775808)', 2 ** 63, { json: '9223372036854775808' }),
    );
    return out;
  },
  ({ view }) =>
    view.type === 'number' ? [invalid('beyond double precision (1e309)', Infinity, { json: '1e309' })] : [],
];

const arrays: EdgeSource[] = [
  ({ view, seed }) => {
    const { schema } = view;
    const [min, max] = [sizeKeyword(schema, 'minItems'), sizeKeyword(schema, 'maxItems')];
    const out: Candidate[] = [boundary('empty', [], false)];
    // Only a list of exactly n items says what the label says (a short enum may not give n different items).
    const withItems = (phrase: string, n: number, intended: boolean) => {
      const items = exampleFor({ ...schema, minItems: n, maxItems: n }, { mode: 'required-only', seed });
      if (Array.isArray(items) && items.length === n) out.push(boundary(`${phrase} (${n})`, items, intended));
    };
    if (min !== undefined && min > 0) {
      withItems('with its fewest items', min, true);
      withItems('one item short', min - 1, false);
    }
    if (max !== undefined) {
      withItems('with its most items', max, true);
      withItems('one item too many', max + 1, false);
    }
    return out;
  },
  ({ view, base }) => {
    if (view.schema.uniqueItems !== true || !Array.isArray(base)) return [];
    const item = base[0] ?? exampleFor(isObject(view.schema.items) ? view.schema.items : {}, {});
    return [invalid('with a repeated item', [item, item])];
  },
];

const objects: EdgeSource[] = [
  ({ base }) => [
    boundary('empty', {}, false),
    invalid('with an extra field', { ...(isObject(base) ? base : {}), unexpectedField: 'surprise' }),
  ],
  ({ view, base }) => {
    const required = Array.isArray(view.schema.required) ? view.schema.required.map(String) : [];
    return required.map((name) => {
      const { [name]: _left, ...rest } = isObject(base) ? base : {};
      return invalid(`without ${name}`, rest);
    });
  },
];

const enums: EdgeSource = ({ view }) => {
  const options = view.schema.enum;
  if (!Array.isArray(options)) return [];
  const numeric = options.filter((v): v is number => typeof v === 'number');
  const outside = numeric.length ? Math.max(...numeric) + 1 : 'not-one-of-them';
  return [invalid(`outside its options (${JSON.stringify(outside)})`, outside)];
};

const COMMON: EdgeSource[] = [
  enums,
  ({ view, base }) => [invalid(...wrongType(view, base))],
  () => [invalid('null', null)],
  ({ required }) => (required ? [invalid('missing', MISSING)] : []),
];

const SOURCES_BY_TYPE: Partial<Record<SchemaView['type'], EdgeSource[]>> = {
  string: strings,
  integer: numbers,
  number: numbers,
  array: arrays,
  object: objects,
};

function wrongType(view: SchemaView, base: unknown): [string, unknown] {
  switch (view.type) {
    case 'string':
      return ['as a number (12345)', 12345];
    case 'integer':
    case 'number':
      return [`as text (${JSON.stringify(String(base))})`, String(base)];
    case 'boolean':
      return ['as text ("true")', 'true'];
    case 'array':
      return ['as a single value', Array.isArray(base) && base.length ? base[0] : 'value'];
    default:
      return ['as text ("value")', 'value'];
  }
}
