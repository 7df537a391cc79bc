// What a report leads with, as first seen on the faulty sample target: one stack trace leaked by one error handler
// on sixteen operations took the summary's "most serious" slot and four of five recommendations, ahead of broken
// access control and an unauthenticated admin restart. The summary, the findings and the recommendations of every
// renderer now follow one risk order, with one entry per root cause.
import { describe, expect, it } from '@jest/globals';
import type { RunResult, RunSummary } from '../../src/cases/index.ts';
import { analyze } from '../../src/analyze/analyze.ts';
import { rootCausesOf } from '../../src/analyze/root-cause.ts';
import { renderHtml, renderMarkdown, reportOf } from '../../src/report/index.ts';
import { result, summaryOf } from '../support/results.ts';

const STACK = 'the response leaks a stack trace (internal file paths and line numbers)';
const ID = '3f0c2b9e-1d7a-4c1e-9b2a-6f1e0d9c8b7a';
const target = 'http://127.0.0.1:4100';

/** The sixteen operations of the sample target whose malformed JSON body got the parser's stack trace. */
const LEAKING = [
  'POST /api/projects/{}/tracks',
  'POST /api/auth/signup',
  'POST /api/jarvis/deployments',
  'POST /api/auth/login',
  'POST /api/vocal-coach/score',
  'POST /api/projects/{}/tracks/{}/clips',
  'POST /api/projects/{}/clips/{}/edits',
  'POST /api/projects/{}/collaborators',
  'POST /api/beats',
  'PATCH /api/projects/{}',
  'POST /api/jarvis/alerts',
  'POST /api/projects',
  'PATCH /api/projects/{}/tracks/{}',
  'POST /api/projects/{}/versions',
  'POST /api/projects/{}/comments',
  'POST /api/tutorial/progress',
];

const origin = (title: string, generator: string, journey = 'Create New Song') => ({
  ...result(title, 'failed').origin,
  title,
  generator,
  journey,
});

const leak = (operation: string): RunResult => {
  const [method, path] = operation.split(' ') as [string, string];
  const title = `${operation}: refuses a body that is not valid JSON`;
  return result(
    title,
    'failed',
    {
      check: 'no_stack_trace',
      message: STACK,
      method,
      url: `${target}${path.replaceAll('{}', ID)}`,
      status: 400,
    },
    { priority: 'critical', origin: origin(title, 'rules/malformed-json') },
  );
};

const CROSS_USER = result(
  'Save & Export: another user cannot reach what this user created',
  'failed',
  {
    check: 'owner_only',
    message: 'another user reached what this user created (200); it must get 403 or 404',
    method: 'GET',
    url: `${target}/api/projects/${ID}`,
    status: 200,
  },
  { priority: 'high', origin: origin('another user', 'rules/cross-user') },
);

const RESTART = result(
  'Manually Restart Service: refuses a request without credentials',
  'failed',
  {
    check: 'requires_auth',
    message: 'a request without credentials succeeded (202); it must be refused with 401 or 403',
    method: 'POST',
    url: `${target}/api/jarvis/services/audio-engine/restart`,
    status: 202,
  },
  { priority: 'high', origin: origin('no credentials', 'rules/no-credentials', 'Monitor AI DAWG Health') },
);

/** A wrong answer on a critical case: high risk, yet after crashes and leaks. */
const EMPTY_NAME = result(
  'Create project with empty name',
  'failed',
  { message: 'expected status 400, got 201', url: `${target}/api/projects`, status: 201 },
  { priority: 'critical' },
);

const RESULTS = [...LEAKING.map(leak), EMPTY_NAME, CROSS_USER, RESTART];

describe('the report of a leak on sixteen operations beside broken access control', () => {
  const report = reportOf(summaryOf(RESULTS));
  const { findings } = report.analysis;

  it('orders the findings by risk, the unauthenticated restart and the other user’s data first', () => {
    expect(findings.map((f) => f.check)).toEqual([
      'requires_auth',
      'owner_only',
      ...LEAKING.map(() => 'no_stack_trace'),
      'status',
    ]);
    expect(findings.map((f) => f.risk)).toEqual(findings.map(() => 'high'));
    // The leak's findings stay together, one per operation, under one root cause.
    const causes = rootCausesOf(findings);
    expect(causes.map((c) => c.operations.length)).toEqual([1, 1, 16, 1]);
    expect(new Set(causes[2]!.operations)).toEqual(new Set(LEAKING));
  });

  it('calls the unauthenticated admin restart the most serious, and counts the leak as one problem', () => {
    const [restart] = findings;
    expect(report.narrative.summary).toBe(
      `19 of 19 tests against http://127.0.0.1:4100/ failed, for 4 distinct problems. The most serious is a missing ` +
        `credential check on POST /api/jarvis/services/audio-engine/restart (${restart!.id}, high risk): a request ` +
        `without credentials succeeded (202); it must be refused with 401 or 403.`,
    );
  });

  it('makes one recommendation per root cause, most serious first, naming the operations of the leak', () => {
    const texts = report.narrative.recommendations.map((r) => r.text);
    expect(texts).toHaveLength(4);
    expect(texts[0]).toMatch(
      /^Fix a missing credential check on POST \/api\/jarvis\/services\/audio-engine\/restart: /,
    );
    expect(texts[1]).toMatch(
      /^Fix broken access control between users on GET \/api\/projects\/\{\}: another user reached/,
    );
    const [first, second, third] = causes().find((c) => c.operations.length === 16)!.operations;
    expect(texts[2]).toMatch(
      new RegExp(
        `^Fix a leaked stack trace on 16 operations: ${escape(first!)}, ${escape(second!)}, ${escape(third!)} and 13 more\\. ` +
          `The response leaks a stack trace \\(internal file paths and line numbers\\) on every one of them, one cause ` +
          `\\(F-[0-9a-f]{8} and 15 more findings; reproduce with ".*"\\)\\.$`,
      ),
    );
    expect(texts[3]).toMatch(/^Fix a wrong status on POST \/api\/projects: expected status 400, got 201 /);
    expect(texts.filter((t) => t.includes('stack trace'))).toHaveLength(1);
    expect(report.narrative.recommendations[2]!.findings).toEqual(
      findings.filter((f) => f.check === 'no_stack_trace').map((f) => f.id),
    );
  });

  it('shows one row per root cause in the key findings, and groups the leak’s details under one heading', () => {
    const markdown = renderMarkdown(report);
    const rows = markdown.split('\n').filter((line) => line.startsWith('| F-'));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('A request without credentials succeeded (202)');
    expect(rows[1]).toContain('Another user reached what this user created (200)');
    expect(rows[2]).toMatch(
      /^\| F-[0-9a-f]{8} and 15 more \| high \| The response leaks a stack trace .* \| 16 operations: `[^`]+`, `[^`]+`, `[^`]+` and 13 more \| 16 \|$/,
    );
    expect(rows[3]).toContain('Expected status 400, got 201');
    expect(markdown).toContain(
      '- **High**: 4 problems (1 no credential check, 1 cross-user access, 1 stack trace, 1 wrong status).',
    );
    const headings = markdown.split('\n').filter((line) => line.startsWith('### F-'));
    expect(headings).toHaveLength(4);
    expect(headings[2]).toMatch(/^### F-[0-9a-f]{8} and 15 more findings: The response leaks a stack trace/);
    expect(markdown).toContain(
      'High risk (stack trace) on 16 operations: one root cause, the same check (`no_stack_trace`) failing ' +
        'the same way on each, most likely in code they share. 16 tests in Create New Song fail this way.',
    );
    for (const f of findings.filter((f) => f.check === 'no_stack_trace'))
      expect(markdown).toContain(`- ${f.id} on \`${f.operation}\`: high risk, 1 test.`);
    // The recommendations, in the same order.
    const recommended = markdown.slice(
      markdown.indexOf('## Recommendations'),
      markdown.indexOf('## What needs'),
    );
    expect(recommended.match(/^\d+\. Fix [a-z ]+/gm)).toEqual([
      '1. Fix a missing credential check on ',
      '2. Fix broken access control between users on ',
      '3. Fix a leaked stack trace on ',
      '4. Fix a wrong status on ',
    ]);
  });

  it('lists the same order in the HTML report, the leak’s rows under one root-cause row', () => {
    const page = renderHtml(report);
    const ids = [...page.matchAll(/<tr id="(F-[0-9a-f]{8})">/g)].map((m) => m[1]);
    expect(ids).toEqual(findings.map((f) => f.id));
    expect(page.match(/<tr class="cause">/g)).toHaveLength(1);
    expect(page).toMatch(
      /One root cause\s+on 16 operations,\s+seen by <code>no_stack_trace<\/code>\s+\(16 tests\)/,
    );
    const before = page.indexOf('<tr class="cause">');
    expect(page.indexOf(`<tr id="${findings[1]!.id}">`)).toBeLessThan(before);
    expect(page.indexOf(`<tr id="${findings[2]!.id}">`)).toBeGreaterThan(before);
  });

  it('is the same whatever order the results come in: ties are broken by id', () => {
    // Up to the tables of journeys, which list results in the order they come (a run sorts them by user case).
    const led = (summary: RunSummary) => {
      const markdown = renderMarkdown(reportOf(summary));
      return markdown.slice(0, markdown.indexOf('## Journeys'));
    };
    const summary = summaryOf(RESULTS);
    for (const seed of [1, 2, 3, 4, 5]) {
      const shuffled: RunSummary = { ...summary, results: shuffle(summary.results, seed) };
      expect(shuffled.results).not.toEqual(summary.results);
      expect(led(shuffled)).toBe(led(summary));
    }
  });

  function causes() {
    return rootCausesOf(findings);
  }
});

describe('the details of a root cause', () => {
  it('list its findings, with what each says when they differ, and count those past thirty', () => {
    const asUser = result(
      'Restart as a normal user',
      'failed',
      {
        message: 'expected status 403, got 202',
        url: `${target}/api/jarvis/services/audio-engine/restart`,
        status: 202,
      },
      { priority: 'critical' },
    );
    const many = Array.from({ length: 35 }, (_, i) => leak(`POST /api/resource-${i}`));
    const markdown = renderMarkdown(reportOf(summaryOf([RESTART, asUser, ...many])));
    expect(markdown).toMatch(
      /^High risk \(access control\) on `POST \/api\/jarvis\/services\/audio-engine\/restart`: one root cause, seen by `status` and `requires_auth`\. 2 tests in /m,
    );
    expect(markdown).toMatch(
      /^- F-[0-9a-f]{8} on `POST \/api\/jarvis\/services\/audio-engine\/restart`: a request without credentials succeeded \(202\); it must be refused with 401 or 403; high risk, 1 test\.$/m,
    );
    expect(markdown).toMatch(/^### F-[0-9a-f]{8} and 34 more findings: The response leaks a stack trace/m);
    expect(
      markdown.match(/^- F-[0-9a-f]{8} on `POST \/api\/resource-\d+`: high risk, 1 test\.$/gm),
    ).toHaveLength(30);
    expect(markdown).toContain('- …and 5 more findings.');
  });
});

describe('recommendations', () => {
  it('name at most five root causes and count the rest, highest risk first', () => {
    const wrong = Array.from({ length: 7 }, (_, i) =>
      result(
        `case ${i}`,
        'failed',
        { url: `${target}/api/resource-${i}` },
        { priority: i < 3 ? 'high' : 'low' },
      ),
    );
    const { recommendations } = reportOf(summaryOf([...wrong, ...LEAKING.map(leak)])).narrative;
    expect(recommendations.map((r) => r.text.slice(0, 40))).toEqual([
      'Fix a leaked stack trace on 16 operation',
      'Fix a wrong status on POST /api/resource',
      'Fix a wrong status on POST /api/resource',
      'Fix a wrong status on POST /api/resource',
      'Fix a wrong status on POST /api/resource',
      'Then the 3 other problems, highest risk ',
    ]);
    // The three high-priority wrong answers (medium risk) come before the low-priority ones.
    expect(recommendations.slice(1, 4).every((r) => /resource-[012]:/.test(r.text))).toBe(true);
    expect(recommendations[5]!.findings).toHaveLength(3);
  });

  it('against the base branch, fix what the change added and plan the rest, telling apart a leak new on some operations', () => {
    const base = summaryOf(LEAKING.slice(0, 10).map(leak));
    const report = reportOf(summaryOf([...LEAKING.map(leak), RESTART]), { base });
    const texts = report.narrative.recommendations.map((r) => r.text);
    expect(texts[0]).toMatch(
      /^Fix a missing credential check on POST \/api\/jarvis\/services\/audio-engine\/restart/,
    );
    expect(texts[1]).toMatch(/^Fix a leaked stack trace on 6 operations: .* and 3 more\. /);
    expect(texts[2]).toBe(
      'Plan a fix for the 1 problem the base branch has too; this change did not cause them.',
    );
    expect(report.narrative.recommendations[2]!.findings).toHaveLength(10);
    expect(report.narrative.summary).toMatch(
      / failed, for 2 distinct problems, 2 of them new in this change\. /,
    );
    const markdown = renderMarkdown(report);
    expect(markdown).toMatch(
      /^\| F-[0-9a-f]{8} and 15 more \| high \| new on 6 of 16 \| The response leaks/m,
    );
    expect(markdown).toContain('- **High**: 2 problems, 2 new (1 no credential check, 1 stack trace).');
    const analysis = analyze(summaryOf(LEAKING.slice(0, 10).map(leak)), { base });
    expect(renderMarkdown(reportOf(summaryOf(LEAKING.slice(0, 10).map(leak)), { base }))).toMatch(
      /\| also on base \| The response leaks/,
    );
    expect(analysis.findings.every((f) => f.state === 'still-failing')).toBe(true);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A deterministic shuffle (a small linear congruential generator), so a failure can be replayed. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
