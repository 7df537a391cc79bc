// Findings as annotations on the user-case line each came from: what a check run and the root action show on a
// pull request's files, in GitHub's limits, with a count of what was left out.
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { RunSummary, type ResultFinding, type RunResult } from '../../src/cases/index.ts';
import { annotationsFor, repositoryPath } from '../../src/github/index.ts';
import { reportOf } from '../../src/report/index.ts';
import { renderResultsJson } from '../../src/report/results-json.ts';
import { result, summaryOf } from '../support/results.ts';

const target = 'http://127.0.0.1:4100';

/** A wrong status: a broken contract, medium risk for a case of high priority. */
const wrong = (i: number): RunResult =>
  result(
    `Create item ${i} with an empty name`,
    'failed',
    { message: 'expected status 400, got 201', url: `${target}/api/items-${i}`, status: 201 },
    { priority: 'high' },
  );

/** Reachable without credentials: high risk whatever the priority. */
const open = result('Admin list needs a token', 'failed', {
  check: 'requires_auth',
  method: 'GET',
  message: 'answered 200 without credentials',
  url: `${target}/api/admin/users`,
  status: 200,
});

/** Slower than the case allows: low risk. */
const slow = result('Search answers fast', 'failed', {
  check: 'duration',
  method: 'GET',
  message: 'took 900 ms, more than the 200 ms allowed',
  url: `${target}/api/search`,
  status: 200,
});

/** The results file as the action downloads it: written by the JSON renderer, parsed by the schema. */
const resultsFile = (summary: RunSummary, base?: RunSummary): RunSummary =>
  RunSummary.parse(JSON.parse(renderResultsJson(reportOf(summary, base ? { base } : {}))));

/** A results file whose one finding is changed as given (a path or a message no real run has made yet). */
function withFinding(change: (f: ResultFinding) => ResultFinding): RunSummary {
  const file = resultsFile(summaryOf([wrong(0)]));
  return { ...file, findings: file.findings!.map(change) };
}

const at =
  (file: string, line = 10) =>
  (f: ResultFinding) => ({
    ...f,
    reproduction: { ...f.reproduction, file, line },
  });

describe('annotationsFor', () => {
  it('puts each finding at the file:line of its user case, failure for high and medium risk, warning for low', () => {
    const { annotations, omitted } = annotationsFor(resultsFile(summaryOf([slow, wrong(1), open])));
    expect(omitted).toBe(0);
    expect(annotations.map((a) => [a.path, a.start_line, a.end_line, a.annotation_level])).toEqual([
      ['user-cases/music.yml', 10, 10, 'failure'],
      ['user-cases/music.yml', 10, 10, 'failure'],
      ['user-cases/music.yml', 10, 10, 'warning'],
    ]);
    const [high, medium, low] = annotations;
    expect(high!.title).toBe('High risk: a missing credential check on GET /api/admin/users');
    expect(medium!.title).toMatch(/^Medium risk: .+ on POST \/api\/items-1$/);
    expect(low!.title).toMatch(/^Low risk: .+ on GET \/api\/search$/);
    expect(medium!.message.split('\n')).toEqual([
      'Expected status 400, got 201.',
      `One test of "Make a song" failed this way; the smallest is "Create item 1 with an empty name" (${wrong(1).caseId}).`,
      expect.stringMatching(/^Finding F-[0-9a-f]{8}\.$/),
    ]);
    expect(medium!.raw_details).toBe(
      'To see it again:\ncurl -X POST http://127.0.0.1:4100/api/projects # Create item 1 with an empty name',
    );
  });

  it('names the other operations one root cause fails on, and numbers the steps of a UI reproduction', () => {
    const leak = (name: string) =>
      result(`${name} refuses broken JSON`, 'failed', {
        check: 'no_stack_trace',
        message: 'the response leaks a stack trace',
        url: `${target}/api/${name}`,
        status: 400,
      });
    const { annotations } = annotationsFor(resultsFile(summaryOf([leak('beats'), leak('alerts')])));
    expect(annotations[0]!.message).toMatch(/Its root cause also fails 1 other operation: POST \/api\/\w+\./);

    const ui = withFinding((f) => ({
      ...f,
      reproduction: { ...f.reproduction, curl: undefined, steps: ['Open /cart', 'Click "Pay"'] },
    }));
    expect(annotationsFor(ui).annotations[0]!.raw_details).toBe(
      'To see it again:\n1. Open /cart\n2. Click "Pay"',
    );
    const none = withFinding((f) => ({ ...f, reproduction: { ...f.reproduction, curl: undefined } }));
    expect(annotationsFor(none).annotations[0]).not.toHaveProperty('raw_details');
  });

  it('with onlyNew, annotates the findings new against the base run, never the fixed ones', () => {
    const fixedHere = { ...wrong(1), status: 'passed' as const, failures: [], evidence: [] };
    const base = summaryOf([wrong(0), wrong(1)]);
    const file = resultsFile(summaryOf([wrong(0), fixedHere, wrong(2)]), base);
    expect(annotationsFor(file, { onlyNew: true }).annotations.map((a) => a.title)).toEqual([
      expect.stringMatching(/^Medium risk, new against the base run: .+ on POST \/api\/items-2$/),
    ]);
    // Without onlyNew the finding the base had too is annotated; the fixed one never is (it is no problem).
    const all = annotationsFor(file).annotations.map((a) => a.title);
    expect(all).toHaveLength(2);
    expect(all.join()).not.toContain('items-1');
  });

  it('compares with a base run itself when the results file, read back, has no findings', () => {
    const base = summaryOf([wrong(0)]);
    const { findings: _, ...readBack } = resultsFile(summaryOf([wrong(0), wrong(3)]));
    expect(annotationsFor(readBack, { onlyNew: true, base }).annotations.map((a) => a.title)).toEqual([
      expect.stringContaining('POST /api/items-3'),
    ]);
    // No base: a run compared with nothing has every finding new.
    expect(annotationsFor(readBack, { onlyNew: true }).annotations).toHaveLength(2);
  });

  it('keeps the most serious within max, in all or per level, and counts the rest as omitted', () => {
    const file = resultsFile(summaryOf([slow, open, ...Array.from({ length: 12 }, (_, i) => wrong(i))]));
    const capped = annotationsFor(file, { max: 5 });
    expect(capped.omitted).toBe(9);
    expect(capped.annotations.map((a) => a.title)[0]).toMatch(/^High risk/);
    expect(capped.annotations).toHaveLength(5);

    // GitHub Actions shows 10 errors and 10 warnings per step.
    const perLevel = annotationsFor(file, { max: { failure: 10, warning: 10 } });
    expect(perLevel.annotations.filter((a) => a.annotation_level === 'failure')).toHaveLength(10);
    expect(perLevel.annotations.filter((a) => a.annotation_level === 'warning')).toHaveLength(1);
    expect(perLevel.omitted).toBe(3);
  });

  it('skips, and counts, findings with no file of the repository to point at', () => {
    for (const file of ['', 'https://shop.example/openapi.json', '/elsewhere/cases.yml', '../outside.yml']) {
      expect(annotationsFor(withFinding(at(file)), { root: '/work/repo' })).toEqual({
        annotations: [],
        omitted: 1,
      });
    }
  });

  it('gives paths relative to the repository with forward slashes', () => {
    const root = path.resolve('/work/repo');
    const cases = [
      [path.join(root, 'user-cases', 'shop.yml'), 'user-cases/shop.yml'],
      ['./user-cases/shop.yml', 'user-cases/shop.yml'],
      ['user-cases\\nested\\shop.yml', 'user-cases/nested/shop.yml'],
      ['user-cases/../cases/shop.yml', 'cases/shop.yml'],
    ];
    for (const [file, expected] of cases) {
      const [annotation] = annotationsFor(withFinding(at(file!, 14)), { root }).annotations;
      expect([annotation!.path, annotation!.start_line]).toEqual([expected, 14]);
    }
    expect(repositoryPath('.', root)).toBeUndefined();
    expect(repositoryPath(root, root)).toBeUndefined();
  });

  it('cuts a title to 255 characters and a message to 64 KB without splitting a character', () => {
    const huge = withFinding((f) => ({
      ...f,
      operation: `POST /api/${'x'.repeat(400)}`,
      message: '🙂'.repeat(20_000),
      reproduction: { ...f.reproduction, curl: `curl ${'é'.repeat(40_000)}` },
    }));
    const [a] = annotationsFor(huge).annotations;
    expect(a!.title).toHaveLength(255);
    expect(a!.title.endsWith('…')).toBe(true);
    const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
    expect(bytes(a!.message)).toBeLessThanOrEqual(64 * 1024);
    expect(bytes(a!.raw_details!)).toBeLessThanOrEqual(64 * 1024);
    expect(a!.message).toMatch(/^(?:🙂)+…$/u);
    expect(a!.raw_details!.endsWith('é…')).toBe(true);
  });
});
