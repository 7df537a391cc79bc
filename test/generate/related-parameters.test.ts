// rules/related-parameters: several numbers of one operation get values in relation (equal, ascending, descending,
// one zero, one negative, an overflowing pair), several texts equal, one inside the other, one empty; all-pairs,
// bounded and the same for a seed. Run through the CLI against a service that fails only when two values are equal.
import { describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GauntletConfig, RunSummary, formatSourceError } from '../../src/cases/index.ts';
import type { ApiTestCase, GauntletConfig as Config } from '../../src/cases/index.ts';
import { generateTestCases } from '../../src/generate/index.ts';
import { journeysFromDescription, loadApiDescription } from '../../src/generate/openapi/index.ts';
import type { ApiDescription } from '../../src/generate/openapi/index.ts';
import {
  RELATED_CASES_PER_OPERATION,
  relatedParameters,
} from '../../src/generate/rules/related-parameters.ts';
import { cli } from '../support/cli.ts';
import { useLoopbackServer } from '../support/loopback.ts';
import { rangesService, useRangesProject } from '../support/ranges-service.ts';

const project = useRangesProject('related-parameters');

function casesOf(description: ApiDescription, config: Config = GauntletConfig.parse({})): ApiTestCase[] {
  const generated = generateTestCases(journeysFromDescription(description, { seed: 1 }), config, {
    rules: [relatedParameters],
    description,
  });
  if (!generated.ok) throw new Error(generated.errors.map(formatSourceError).join('\n'));
  return generated.cases.filter((c): c is ApiTestCase => c.kind === 'api');
}

const sent = (c: ApiTestCase) => c.steps.at(-1)!.request;

describe('related values', () => {
  it('gives two numbers of a form every relation: equal, in order, reversed, one zero, one negative, overflowing', () => {
    const notes = casesOf(project.ranges).filter((c) => c.title.startsWith('Add note: '));
    const pairs = notes.map((c) => [Number(sent(c).form!.priority), Number(sent(c).form!.weight)] as const);
    expect(pairs.some(([a, b]) => a === b && a > 0)).toBe(true);
    expect(pairs.some(([a, b]) => a > 0 && a < b)).toBe(true);
    expect(pairs.some(([a, b]) => b > 0 && a > b)).toBe(true);
    expect(pairs.some(([a, b]) => a === 0 && b > 0)).toBe(true);
    expect(pairs.some(([a, b]) => b === -1 && a > 0)).toBe(true);
    expect(pairs).toContainEqual([Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]);
    expect(pairs).toContainEqual([2 ** 31 - 1, 2 ** 31 - 1]);
    // Low and high stay inside each one's bounds (weight is 1 to 9), so the pairs mean what they say.
    expect(pairs.map(([, b]) => b)).toEqual(expect.arrayContaining([1, 9]));
    expect(pairs.map(([, b]) => b)).not.toContain(100);
    // Each pair once, the rest of the form as the step sends it, and any answer but a server error accepted.
    expect(new Set(pairs.map((p) => p.join())).size).toBe(pairs.length);
    expect(notes.every((c) => typeof sent(c).form!.title === 'string')).toBe(true);
    expect(
      notes.every((c) => JSON.stringify(c.steps.at(-1)!.expect) === '{"status":["2xx","3xx","4xx"]}'),
    ).toBe(true);
    expect(notes.map((c) => c.title)).toContain(
      'Add note: copes with related values: priority 1, weight 1 (equal)',
    );
  });

  it('gives two texts equal values, one inside the other, and one empty', () => {
    const search = casesOf(project.ranges).filter((c) => c.title.startsWith('Search: '));
    const pairs = search.map((c) => [String(sent(c).query!.q), String(sent(c).query!.near)] as const);
    expect(pairs.some(([q, near]) => q === near && q !== '')).toBe(true);
    expect(pairs.some(([q, near]) => q !== near && q !== '' && near.includes(q))).toBe(true);
    expect(pairs.some(([q, near]) => (q === '') !== (near === ''))).toBe(true);
    expect(search.map((c) => c.title)).toEqual(
      expect.arrayContaining([
        'Search: copes with related values: q "gauntlet", near "gauntlet" (equal)',
        'Search: copes with related values: q "gauntlet", near "a gauntlet thrown" (one containing the other)',
        'Search: copes with related values: q "gauntlet", near "" (one empty)',
      ]),
    );
  });

  it('covers every two numbers of one operation in few cases, path and query alike, the same for a seed', () => {
    const list = casesOf(project.ranges).filter((c) => c.title.startsWith('List range: '));
    expect(list.length).toBeLessThanOrEqual(RELATED_CASES_PER_OPERATION);
    const rows = list.map((c) => {
      const [, , , from, to] = sent(c).path.split('/');
      return [Number(from), Number(to), Number(sent(c).query!.step), Number(sent(c).query!.limit)];
    });
    // Every two of the four numbers meet equal, and with one of them zero and the other negative.
    for (let i = 0; i < 4; i++) {
      for (let j = i + 1; j < 4; j++) {
        expect(rows.some((r) => r[i] === r[j] && r[i]! > 0)).toBe(true);
        expect(rows.some((r) => r[i] === 0 && r[j] === -1)).toBe(true);
      }
    }
    expect(casesOf(project.ranges).map((c) => c.title)).toEqual(casesOf(project.ranges).map((c) => c.title));
  });

  it('stays within its cap on an operation with many numbers and texts, and has numbers and texts both', async () => {
    const parameters = [
      ...Array.from(
        { length: 10 },
        (_, i) => `        - { name: n${i}, in: query, schema: { type: integer } }`,
      ),
      ...Array.from(
        { length: 6 },
        (_, i) => `        - { name: t${i}, in: query, schema: { type: string } }`,
      ),
    ].join('\n');
    const file = path.join(project.dir, 'many.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3\ninfo: { title: Many, version: '1' }\npaths:\n  /find:\n    get:\n      parameters:\n${parameters}\n      responses: { '200': { description: found } }\n`,
    );
    const many = casesOf(await loadApiDescription(file));
    expect(many).toHaveLength(RELATED_CASES_PER_OPERATION);
    expect(many.filter((c) => 'n0' in sent(c).query!).length).toBeGreaterThan(
      RELATED_CASES_PER_OPERATION / 3,
    );
    expect(many.filter((c) => 't0' in sent(c).query!).length).toBeGreaterThan(
      RELATED_CASES_PER_OPERATION / 3,
    );
  });

  it('makes nothing for an operation with one number and one free text', async () => {
    const file = path.join(project.dir, 'single.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3
info: { title: Single, version: '1' }
paths:
  /items/{id}:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
        - { name: q, in: query, schema: { type: string } }
        - { name: kind, in: query, schema: { type: string, enum: [a, b] } }
      responses: { '200': { description: the item } }
`,
    );
    expect(casesOf(await loadApiDescription(file))).toEqual([]);
  });
});

describe('against running services', () => {
  const correct = rangesService();
  const correctUrl = useLoopbackServer(correct.server);
  const faulty = rangesService({ equalEnds: true });
  const faultyUrl = useLoopbackServer(faulty.server);

  const run = async (target: string, name: string) => {
    const out = path.join(project.dir, name);
    const result = await cli(
      'run',
      ...['--rules-only', '--no-cases', '--openapi', project.description, '--config', project.config],
      ...['--target', target, '--out', out, '--concurrency', '1'],
    );
    const summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
    return { ...result, summary };
  };

  it('passes a service that checks its values', async () => {
    const { code, summary } = await run(correctUrl().href, 'correct');
    const related = summary.results.filter((r) => r.origin.generator === 'rules/related-parameters');
    expect(related.length).toBeGreaterThan(30);
    expect(related.filter((r) => r.status !== 'passed').map((r) => r.title)).toEqual([]);
    expect(code).toBe(0);
  });

  it('catches a service that fails when the two ends of a range are equal, which no one value shows', async () => {
    const { code, summary } = await run(faultyUrl().href, 'faulty');
    expect(code).toBe(1);
    const failed = summary.results.filter((r) => r.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    // Only related values find it: each case of one value keeps the other end as the step sends it.
    expect(new Set(failed.map((r) => r.origin.generator))).toEqual(new Set(['rules/related-parameters']));
    for (const result of failed) {
      expect(result.title).toMatch(/from (-?\d+), to \1,/);
      expect(result.failures.map((f) => f.check)).toContain('not_a_server_error');
    }
  });
});
