// Values of an operation's parameters in relation to each other, where one parameter alone is fine and the pair is
// not: a range whose ends are equal or reversed, a divisor of zero, a negative count beside a positive one, a sum or
// product that overflows. Numbers (path, query, header, cookie, form alike) are varied over a few classes in an
// all-pairs covering, so every two of them meet in every pair of classes (equal, ascending, descending, one zero,
// one negative) in few cases; then all of them at once at a size whose sum overflows. Free texts meet equal, one
// containing the other, and one empty. The service may refuse any of it, but must not fail with a 5xx.
import type { Expectation } from '../../cases/index.ts';
import { allPairs } from '../../explore/pairwise.ts';
import { randomAt } from '../openapi/values/random.ts';
import {
  mergeHint,
  request,
  stepAt,
  stepLabel,
  type CaseDraft,
  type Rule,
  type StepContext,
} from '../draft.ts';
import { interleave } from './parameter-values.ts';
import {
  declaredParameters,
  sendable,
  withParameters,
  type DeclaredParameter,
} from './declared-parameters.ts';

const TOLERATED: Expectation = { status: ['2xx', '3xx', '4xx'] };

/**
 * Cases per operation at most: two numbers take 18 (two overflows and a 16-row covering of four classes, which
 * grows slowly with more numbers), two texts 9; past the cap, numbers and texts share it.
 */
export const RELATED_CASES_PER_OPERATION = 24;

const LARGEST_INT32 = 2 ** 31 - 1;

interface NumberClass {
  label: string;
  value: (parameter: DeclaredParameter) => number;
}

/** Low and high sit inside the parameter's bounds where it has any, so two numbers can be equal or in order. */
const NUMBER_CLASSES: readonly NumberClass[] = [
  { label: 'low', value: (p) => within(p, 1) },
  { label: 'high', value: (p) => high(p) },
  { label: 'zero', value: () => 0 },
  { label: 'negative', value: () => -1 },
];

/** All numbers at once at a size where adding or multiplying two of them overflows. */
const OVERFLOWS: readonly { label: string; value: number }[] = [
  { label: 'the largest 32-bit integer', value: LARGEST_INT32 },
  { label: 'the largest safe integer', value: Number.MAX_SAFE_INTEGER },
];

/** Texts: equal, one inside the other, one empty. */
const TEXT_CLASSES = ['gauntlet', 'a gauntlet thrown', ''] as const;

type Row = { parameter: DeclaredParameter; text: string }[];

export const relatedParameters: Rule = {
  name: 'rules/related-parameters',
  draft(context) {
    const parameters = declaredParameters(context);
    const numbers = parameters.filter((p) => p.type === 'integer' || p.type === 'number');
    const texts = parameters.filter(isFreeText);
    const seed = context.config.generation.seed;
    const numberRows: { what: string; row: Row }[] = [];
    const textRows: { what: string; row: Row }[] = [];
    if (numbers.length >= 2) {
      for (const { label, value } of OVERFLOWS) {
        numberRows.push({
          what: `all at ${label} (${value})`,
          row: numbers.map((p) => ({ parameter: p, text: String(value) })),
        });
      }
      const random = randomAt(seed, `related:${context.step.api}:${numbers.map((p) => p.name).join(',')}`);
      for (const levels of allPairs(
        numbers.map(() => NUMBER_CLASSES.length),
        random,
      )) {
        const values = levels.map((level, i) => NUMBER_CLASSES[level]!.value(numbers[i]!));
        numberRows.push({
          what: relationOf(numbers, values),
          row: numbers.map((p, i) => ({ parameter: p, text: String(values[i]) })),
        });
      }
    }
    if (texts.length >= 2) {
      const random = randomAt(seed, `related:${context.step.api}:${texts.map((p) => p.name).join(',')}`);
      for (const levels of allPairs(
        texts.map(() => TEXT_CLASSES.length),
        random,
      )) {
        const values = levels.map((level) => TEXT_CLASSES[level]!);
        textRows.push({
          what: relationOf(texts, values),
          row: texts.map((p, i) => ({ parameter: p, text: values[i]! })),
        });
      }
    }
    // A row is sent once (low and high meet where a parameter's bounds allow one value), and only if it can be.
    const seen = new Set<string>();
    const fits = ({ row }: { row: Row }) => {
      const key = JSON.stringify(row.map(({ parameter, text }) => [parameter.place, parameter.name, text]));
      if (seen.has(key)) return false;
      seen.add(key);
      return row.every(({ parameter, text }) => sendable(parameter, text));
    };
    // Numbers and texts take turns, so a capped operation still has some of each.
    return interleave([numberRows.filter(fits), textRows.filter(fits)], RELATED_CASES_PER_OPERATION, 0).map(
      ({ what, row }) => draftOf(context, this.name, what, row),
    );
  },
};

function draftOf(context: StepContext, rule: string, what: string, row: Row): CaseDraft {
  return {
    title: `${stepLabel(context)}: copes with related values: ${what}`,
    rule,
    at: stepAt(context),
    tags: ['edge-case'],
    requests: [
      request(
        mergeHint(context.step, {
          ...withParameters(
            context,
            row.map(({ parameter, text }) => [parameter, text] as const),
          ),
          capture: {},
          expect: TOLERATED,
          repeat: undefined,
        }),
      ),
    ],
  };
}

/** Text a person types freely: no list of options, format or pattern, and room for the values tried. */
function isFreeText(parameter: DeclaredParameter): boolean {
  const { schema } = parameter;
  if (parameter.type !== 'string' || parameter.list) return false;
  if (schema.enum !== undefined || schema.const !== undefined || schema.format !== undefined) return false;
  if (schema.pattern !== undefined) return false;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  return max >= TEXT_CLASSES[1].length;
}

/** "from 1 and to 1 equal", or, past two parameters, each value by name. */
export function relationOf(
  parameters: readonly DeclaredParameter[],
  values: readonly (string | number)[],
): string {
  const named = parameters.map((p, i) => `${p.name} ${JSON.stringify(values[i])}`).join(', ');
  if (parameters.length !== 2) return named;
  const [a, b] = values as [string | number, string | number];
  let relation: string;
  if (a === b) relation = 'equal';
  else if (typeof a === 'number' && typeof b === 'number') relation = a < b ? 'ascending' : 'descending';
  else if (a === '' || b === '') relation = 'one empty';
  else
    relation =
      String(a).includes(String(b)) || String(b).includes(String(a))
        ? 'one containing the other'
        : 'different';
  return `${named} (${relation})`;
}

/** `wanted`, moved inside the parameter's bounds. */
function within(parameter: DeclaredParameter, wanted: number): number {
  const { schema } = parameter;
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  let value = wanted;
  if (min !== undefined && value < min) value = parameter.type === 'integer' ? Math.ceil(min) : min;
  if (max !== undefined && value > max) value = parameter.type === 'integer' ? Math.floor(max) : max;
  return value;
}

/** A value above low: 100, or the maximum where it is lower, or one more than low where the bounds are close. */
function high(parameter: DeclaredParameter): number {
  const low = within(parameter, 1);
  const value = within(parameter, Math.max(100, low + 1));
  return value > low ? value : low;
}
