// Mutations of a passing case toward combinations nothing tried: every pair of (field, value class) of its last
// request's body, in few cases (an all-pairs covering), the same for the same seed. The rules change one field at a
// time; a fault that needs two fields at once (both fades 0) is found here.
import { placeholdersIn } from '../cases/index.ts';
import type { ApiTestCase } from '../cases/index.ts';
import { randomAt, type Random } from '../generate/openapi/values/random.ts';
import { deriveCase, isPlainObject, NOT_A_SERVER_ERROR } from './derive.ts';

export const PAIRWISE_GENERATOR = 'explore/pairwise';

export interface ValueClass {
  label: string;
  value: unknown;
}

/** The classes a value is varied over; the first is the value itself. */
export function valueClasses(value: unknown): ValueClass[] {
  const self = { label: 'as it was', value };
  if (typeof value === 'string') {
    return [self, { label: 'empty', value: '' }, { label: 'long', value: 'x'.repeat(1000) }];
  }
  if (typeof value === 'number') {
    return [
      self,
      { label: 'zero', value: 0 },
      { label: 'negative', value: -1 },
      { label: 'huge', value: 1e9 },
    ];
  }
  if (typeof value === 'boolean') return [self, { label: 'flipped', value: !value }];
  if (Array.isArray(value)) return [self, { label: 'empty', value: [] }];
  if (isPlainObject(value)) return [self, { label: 'empty', value: {} }];
  return [self];
}

/**
 * Rows of levels (one per factor, `levels[i]` levels each) in which every pair of levels of two factors occurs:
 * greedy, each new row covering as many uncovered pairs as it can; ties are broken by the seeded random stream.
 */
export function allPairs(levels: readonly number[], random: Random): number[][] {
  const uncovered = new Set<string>();
  const pair = (i: number, a: number, j: number, b: number) => `${i}:${a}|${j}:${b}`;
  for (let i = 0; i < levels.length; i++) {
    for (let j = i + 1; j < levels.length; j++) {
      for (let a = 0; a < levels[i]!; a++)
        for (let b = 0; b < levels[j]!; b++) uncovered.add(pair(i, a, j, b));
    }
  }
  const rows: number[][] = [];
  while (uncovered.size > 0) {
    // Start from the first uncovered pair, then fill the other factors, in a seeded order, greedily.
    const [first] = uncovered;
    const [[i, a], [j, b]] = first!.split('|').map((p) => p.split(':').map(Number)) as [number[], number[]];
    const row: (number | undefined)[] = levels.map(() => undefined);
    row[i!] = a!;
    row[j!] = b!;
    const order = levels.map((_, f) => f).filter((f) => row[f] === undefined);
    shuffle(order, random);
    for (const f of order) {
      let best = 0;
      let bestGain = -1;
      const start = Math.floor(random() * levels[f]!);
      for (let k = 0; k < levels[f]!; k++) {
        const level = (start + k) % levels[f]!;
        let gain = 0;
        row.forEach((other, g) => {
          if (other === undefined || g === f) return;
          if (uncovered.has(g < f ? pair(g, other, f, level) : pair(f, level, g, other))) gain++;
        });
        if (gain > bestGain) {
          best = level;
          bestGain = gain;
        }
      }
      row[f] = best;
    }
    const full = row as number[];
    for (let x = 0; x < full.length; x++) {
      for (let y = x + 1; y < full.length; y++) uncovered.delete(pair(x, full[x]!, y, full[y]!));
    }
    rows.push(full);
  }
  return rows;
}

/**
 * Pairwise mutations of the body of a passing case's last request: one case per row of the covering but the row
 * that changes nothing. The service may accept or refuse each, never fail with a 5xx. None for a request without
 * at least two fields of literal values.
 */
export function pairwiseMutations(testCase: ApiTestCase, seed: number): ApiTestCase[] {
  const last = testCase.steps.at(-1);
  const json = last?.request.json;
  if (!last || last.repeat || !isPlainObject(json)) return [];
  const fields = Object.entries(json).filter(([, value]) => placeholdersIn(value).length === 0);
  if (fields.length < 2) return [];
  const classes = fields.map(([, value]) => valueClasses(value));
  const rows = allPairs(
    classes.map((c) => c.length),
    randomAt(seed, `pairwise:${last.name}:${fields.map(([name]) => name).join(',')}`),
  );
  return rows
    .filter((row) => row.some((level) => level > 0))
    .map((row) => {
      const changed = row.flatMap((level, f) =>
        level > 0 ? [[fields[f]![0], classes[f]![level]!] as const] : [],
      );
      const body = { ...json };
      for (const [name, cls] of changed) body[name] = cls.value;
      const { capture: _capture, ...rest } = last;
      const steps = [
        ...testCase.steps.slice(0, -1),
        { ...rest, request: { ...last.request, json: body }, expect: NOT_A_SERVER_ERROR },
      ];
      const what = changed.map(([name, cls]) => `${cls.label} "${name}"`).join(', ');
      return deriveCase(testCase, steps, {
        generator: PAIRWISE_GENERATOR,
        title: `${last.name}: copes with ${what}`,
        tags: ['edge-case', 'pairwise'],
      });
    });
}

/** Fisher–Yates with the seeded stream. */
export function shuffle<T>(items: T[], random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
