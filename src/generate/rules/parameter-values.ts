// The schema-driven values body fields get, for every parameter of an operation (path, query, header, cookie) and
// every form field: each edge value of its schema, 0 and -1 and a non-number for numbers, a required one left out,
// and SQL injection into text. One value per case; what the schema calls invalid must be refused with a 4xx, what
// it allows must not crash the service. Probes go only where they make sense: a number parameter gets a word (its
// wrong-type probe), never a path traversal or an injection.
import type { Expectation } from '../../cases/index.ts';
import { edgeValuesFor, MISSING } from '../openapi/index.ts';
import type { DictionaryEntry } from '../openapi/values/dictionary.ts';
import { mergeHint, request, stepAt, stepLabel, type CaseDraft, type Rule } from '../draft.ts';
import {
  acceptsText,
  declaredParameters,
  placeOf,
  sendable,
  withParameters,
  type DeclaredParameter,
} from './declared-parameters.ts';
import { INJECTION_PAYLOADS } from './injection.ts';

const REFUSED: Expectation = { status: '4xx' };
const TOLERATED: Expectation = { status: ['2xx', '3xx', '4xx'] };

/**
 * Cases per operation at most. An integer parameter has about 10 values and a string 6 to 8, so 30 gives every
 * value to three or four parameters, and to more the values that tell most (each parameter's first before any
 * one's fifth); a description of 200 operations then makes 6 000 cases at worst, a few seconds each minute.
 */
export const PARAMETER_CASES_PER_OPERATION = 30;

export interface ParameterValue {
  /** "age one below its minimum (-1)". */
  label: string;
  /** The text sent; undefined for the parameter left out. */
  text: string | undefined;
  valid: boolean;
  kind: 'boundary' | 'invalid' | 'probe';
}

const SQL_INJECTION = INJECTION_PAYLOADS.find((p) => p.label === 'SQL injection')!;

/** The values one parameter is tried with, those that tell most first: refusals, then limits, then the rest. */
export function parameterValuesFor(
  parameter: DeclaredParameter,
  seed: number,
  proposed?: readonly DictionaryEntry[],
): ParameterValue[] {
  const { name, type } = parameter;
  const numeric = type === 'integer' || type === 'number';
  const candidates: ParameterValue[] = [];
  const add = (label: string, text: string | undefined, kind: ParameterValue['kind']) => {
    const valid = text === undefined ? !parameter.required : acceptsText(parameter, text);
    candidates.push({ label, text, valid, kind });
  };
  // A path parameter cannot be left out: without it the request goes to another path.
  const required = parameter.required && parameter.place !== 'path';
  for (const edge of edgeValuesFor(parameter.schema, name, {
    seed,
    required,
    ...(parameter.description !== undefined && { description: parameter.description }),
    ...(proposed && { proposed }),
  })) {
    if (edge.value === MISSING) {
      add(`${name} left out`, undefined, 'invalid');
      continue;
    }
    // On the wire every value is text: a number's wrong type is a word (added below), a text's a number is text.
    if (typeof edge.value === 'string' && type !== 'string') continue;
    if (typeof edge.value === 'number' && type === 'string') continue;
    const text = textOf(edge.value, edge.json);
    if (text !== undefined) add(edge.label, text, edge.kind);
  }
  if (numeric) {
    add(`${name} zero (0)`, '0', 'boundary');
    add(`${name} negative (-1)`, '-1', 'boundary');
    add(`${name} not a number ("abc")`, 'abc', 'invalid');
  } else if (type === 'boolean') {
    add(`${name} not true or false ("maybe")`, 'maybe', 'invalid');
    add(`${name} true`, 'true', 'boundary');
    add(`${name} false`, 'false', 'boundary');
  } else if (type === 'string' && parameter.place !== 'query' && parameter.place !== 'path') {
    // Query values and path parameters get injection and traversal from their own rules.
    add(`${name} holding ${SQL_INJECTION.label}`, SQL_INJECTION.value as string, 'probe');
  }
  const seen = new Set<string>();
  const values = candidates.filter(({ text }) => {
    const key = text ?? '\u0000missing';
    if (seen.has(key) || (text !== undefined && !sendable(parameter, text))) return false;
    seen.add(key);
    return true;
  });
  return values.sort((a, b) => rank(a) - rank(b));
}

function rank(value: ParameterValue): number {
  if (!value.valid) return value.kind === 'invalid' ? 0 : 1;
  return value.kind === 'boundary' ? 2 : 3;
}

function textOf(value: unknown, json?: string): string | undefined {
  if (json !== undefined) return json;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  // null, lists and objects have no one way to be written as a parameter.
  return undefined;
}

/**
 * Each parameter's values in turn, the first of each before the second of any, up to `cap`; the parameter that
 * starts turns with the seed, so a capped operation's other seeds reach its other values.
 */
export function interleave<T>(lists: readonly T[][], cap: number, seed: number): T[] {
  const out: T[] = [];
  const start = lists.length === 0 ? 0 : Math.abs(Math.trunc(seed)) % lists.length;
  for (let turn = 0; out.length < cap; turn++) {
    let added = false;
    for (let i = 0; i < lists.length && out.length < cap; i++) {
      const item = lists[(start + i) % lists.length]![turn];
      if (item === undefined) continue;
      out.push(item);
      added = true;
    }
    if (!added) break;
  }
  return out;
}

export const parameterValues: Rule = {
  name: 'rules/parameter-values',
  draft(context) {
    const parameters = declaredParameters(context);
    if (parameters.length === 0) return [];
    const seed = context.config.generation.seed;
    const tried = parameters.map((parameter) =>
      parameterValuesFor(parameter, seed, context.proposed).map((value) => ({ parameter, value })),
    );
    return interleave(tried, PARAMETER_CASES_PER_OPERATION, seed).map(({ parameter, value }): CaseDraft => {
      const verb = value.kind === 'probe' ? 'resists' : value.valid ? 'copes with' : 'refuses';
      return {
        title: `${stepLabel(context)}: ${verb} ${value.label} ${placeOf(parameter)}`,
        rule: this.name,
        at: stepAt(context),
        tags: [value.kind === 'probe' ? 'security' : value.valid ? 'edge-case' : 'negative'],
        ...(value.kind === 'probe' && { priority: 'high' as const }),
        requests: [
          request(
            mergeHint(context.step, {
              ...withParameters(context, [[parameter, value.text]]),
              capture: {},
              expect: value.valid ? TOLERATED : REFUSED,
              repeat: undefined,
            }),
          ),
        ],
      };
    });
  },
};
