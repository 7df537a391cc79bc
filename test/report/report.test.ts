import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { convert } from 'xmlbuilder2';
import { RunSummary } from '../../src/cases/index.ts';
import type { RunResult } from '../../src/cases/index.ts';
import {
  exitCodeOf,
  mergeSummaries,
  renderJunit,
  renderMarkdown,
  RENDERERS,
  reportOf,
  summarize,
} from '../../src/report/index.ts';

const origin = (title: string, generator = 'user-case') => ({
  file: 'user-cases/music.yml',
  line: 12,
  column: 9,
  product: 'AI DAWG',
  role: 'Music Producer',
  journey: 'Create New Song',
  step: 'Create Project',
  title,
  generator,
});

const result = (title: string, status: RunResult['status'], extra: Partial<RunResult> = {}): RunResult => ({
  caseId: `tc_${createHash('sha256').update(title).digest('hex').slice(0, 12)}`,
  title,
  kind: 'api',
  priority: 'medium',
  origin: origin(title),
  status,
  durationMs: 12,
  failures: [],
  evidence: [],
  reproduction: {},
  ...extra,
});

const RESULTS: RunResult[] = [
  result('Create project with valid name', 'passed'),
  result('Create project with empty name', 'failed', {
    priority: 'critical',
    failures: [{ check: 'status', message: 'expected status 400, got 201', step: 1 }],
    evidence: [
      {
        step: 1,
        request: {
          method: 'POST',
          url: 'http://127.0.0.1:4100/api/projects',
          headers: {},
          body: '{"name":""}',
        },
        response: { status: 201, headers: {}, body: '{"id":"p1","name":""}' },
        durationMs: 4,
      },
    ],
    reproduction: {
      curl: 'curl -sS -i -X POST \'http://127.0.0.1:4100/api/projects\' --data-raw \'{"name":""}\'',
    },
  }),
  result('Create Project: copes with edge values of "name"', 'error', {
    origin: origin('Create Project: copes with edge values of "name"', 'rules/boundary-values'),
    error: 'no answer within 100 ms',
  }),
  result('Create project while offline', 'skipped', { error: 'Offline mode lives in the browser.' }),
];

const summary = (results = RESULTS) =>
  summarize({
    version: '0.1.0',
    target: 'http://127.0.0.1:4100/',
    startedAt: new Date('2026-11-25T10:00:00Z'),
    durationMs: 2345,
    results,
    untested: [{ ...origin('Create project with duplicate name'), line: 20 }].map(
      ({ generator: _, ...u }) => u,
    ),
  });

describe('the report model', () => {
  it('counts each status and follows the results.json schema', () => {
    const s = summary();
    expect(s.totals).toEqual({ passed: 1, failed: 1, error: 1, flaky: 0, skipped: 1 });
    expect(RunSummary.safeParse(s).success).toBe(true);
    expect(exitCodeOf(s)).toBe(1);
    expect(exitCodeOf(summary(RESULTS.filter((r) => r.status === 'passed' || r.status === 'skipped')))).toBe(
      0,
    );
  });
});

describe('the markdown report', () => {
  const markdown = renderMarkdown(reportOf(summary()));

  it('opens with the verdict in words', () => {
    expect(markdown).toContain('**2 problems found** in 3 tests against http://127.0.0.1:4100/ (2.3 s).');
    const clean = renderMarkdown(reportOf(summary([RESULTS[0]!])));
    expect(clean).toContain(
      '**No problems found.** 1 tests ran against http://127.0.0.1:4100/ and all passed',
    );
  });

  it('says what went wrong, where it was written, and how to see it again, most important first', () => {
    const failed = markdown.indexOf('**Failed: Create project with empty name**');
    const errored = markdown.indexOf('**Could not test: Create Project: copes with edge values of "name"**');
    expect(failed).toBeGreaterThan(0);
    expect(errored).toBeGreaterThan(failed);
    expect(markdown).toContain('- Expected status 400, got 201 (status).');
    expect(markdown).toContain('written at `user-cases/music.yml:12:9`');
    expect(markdown).toContain("curl -sS -i -X POST 'http://127.0.0.1:4100/api/projects'");
    expect(markdown).toContain('- No answer within 100 ms.');
    expect(markdown).toContain('{"id":"p1","name":""}');
  });

  it('shows the coverage of the user cases: tested, not testable here, and without data', () => {
    expect(markdown).toContain(
      '2 of 4 test-case titles written in user cases were tested; 1 cannot be tested',
    );
    expect(markdown).toContain(
      '- Create New Song › Create Project › Create project while offline: Offline mode lives in the browser.',
    );
    expect(markdown).toContain(
      '- Create New Song › Create Project › Create project with duplicate name (`user-cases/music.yml:20`)',
    );
  });

  it('sums up each journey', () => {
    expect(markdown).toContain('| AI DAWG: Create New Song | 4 | 1 | 2 | 1 |');
  });
});

describe('UI results', () => {
  it('list the browser steps and the files kept for a failure', () => {
    const ui = result('Sign up through the web form', 'failed', {
      kind: 'ui',
      failures: [{ check: 'ui', message: 'click text=Go: Timeout 5000ms exceeded.', step: 1 }],
      reproduction: { steps: ['goto /signup', 'click text=Go'] },
      artifacts: ['reports/artifacts/tc_1.png', 'reports/artifacts/tc_1.trace.zip'],
    });
    const markdown = renderMarkdown(reportOf(summary([ui])));
    expect(markdown).toContain('The browser steps:\n\n1. goto /signup\n2. click text=Go\n');
    expect(markdown).toContain(
      'Kept for a look: `reports/artifacts/tc_1.png`, `reports/artifacts/tc_1.trace.zip`.',
    );
  });
});

describe('load results', () => {
  const load = (p95: number, passed: boolean): NonNullable<RunResult['load']> => ({
    engine: 'autocannon',
    requests: 2400,
    errors: 12,
    errorRate: 0.005,
    rps: 1199.6,
    latencyMs: { p50: 2.54, p95, p99: 12.9, max: 30 },
    durationS: 2.0006,
    thresholds: [{ name: 'p95Ms', limit: 200, actual: p95, passed }],
  });

  it('give their figures in a section of their own, and with the failure they caused', () => {
    const markdown = renderMarkdown(
      reportOf(
        summary([
          result('Dashboard under load', 'passed', { kind: 'load', load: load(8.15, true) }),
          result('Export under load', 'failed', {
            kind: 'load',
            load: load(260, false),
            failures: [
              {
                check: 'load.p95Ms',
                message: '95% of requests took up to 260 ms; the budget is under 200 ms',
                step: 1,
              },
            ],
          }),
        ]),
      ),
    );
    expect(markdown).toContain(
      '## Under load\n\n' +
        '- Export under load, over its thresholds: 2400 requests in 2.0 s (1200/s, autocannon), 0.5% errors; ' +
        'latency p50 2.5 ms, p95 260 ms, p99 12.9 ms.\n' +
        '- Dashboard under load, within its thresholds: 2400 requests in 2.0 s (1200/s, autocannon), 0.5% errors; ' +
        'latency p50 2.5 ms, p95 8.2 ms, p99 12.9 ms.\n',
    );
    expect(markdown).toContain(
      '- 95% of requests took up to 260 ms; the budget is under 200 ms (load.p95Ms).\n\nUnder load: 2400 requests',
    );
    expect(RunSummary.safeParse(JSON.parse(JSON.stringify(summary()))).success).toBe(true);
  });
});

describe('flaky results', () => {
  const flaky = result('Restart single service', 'flaky', {
    attempts: 2,
    failures: [{ check: 'status', message: 'expected status 202, got 503', step: 1 }],
  });

  it('are listed apart and not counted as problems', () => {
    const s = summary([RESULTS[0]!, flaky]);
    expect(exitCodeOf(s)).toBe(0);
    const markdown = renderMarkdown(reportOf(s));
    expect(markdown).toContain('**No problems found.**');
    expect(markdown).toContain(
      '- Restart single service (`user-cases/music.yml:12`): passed on attempt 2; first: expected status 202, got 503',
    );
    expect(renderJunit(s)).toContain('<system-out>flaky: passed on attempt 2');
  });
});

describe('merging shards', () => {
  it('joins results in the order of the user cases and counts them again', () => {
    const late = { ...RESULTS[1]!, origin: { ...RESULTS[1]!.origin, line: 40 } };
    const one = summary([late]);
    const two = { ...summary([RESULTS[0]!]), target: 'http://127.0.0.1:4200/', durationMs: 9999 };
    const merged = mergeSummaries([one, two]);
    expect(merged.results.map((r) => r.title)).toEqual([
      'Create project with valid name',
      'Create project with empty name',
    ]);
    expect(merged.totals).toMatchObject({ passed: 1, failed: 1 });
    expect(merged.untested).toHaveLength(1);
    expect(merged.target).toBe('http://127.0.0.1:4100/, http://127.0.0.1:4200/');
    expect(merged.durationMs).toBe(9999);
    expect(() => mergeSummaries([])).toThrow('nothing to merge');
  });

  it("adds up what every shard's LLM spent, and carries over an exploration", () => {
    const generation = (requests: number) => ({
      seed: 0,
      providers: [],
      usage: {
        requests,
        promptTokens: requests * 100,
        completionTokens: requests * 10,
        costUsd: requests / 100,
      },
      degraded: false,
      regression: 0,
      notes: [],
    });
    const exploration = { rounds: [], stopped: 'no-new-signature' as const, findings: [], notes: [] };
    const one = { ...summary([RESULTS[0]!]), generation: generation(3), exploration };
    const two = { ...summary([RESULTS[1]!]), generation: generation(0) };
    const merged = mergeSummaries([one, two]);
    expect(merged.generation!.usage).toEqual({
      requests: 3,
      promptTokens: 300,
      completionTokens: 30,
      costUsd: 0.03,
    });
    expect(merged.exploration).toEqual(exploration);
    expect(RunSummary.safeParse(merged).success).toBe(true);
  });
});

describe('the JUnit report', () => {
  it('has one suite per journey and marks failures, errors and skips', () => {
    const xml = renderJunit(summary());
    const parsed = convert(xml, { format: 'object' }) as {
      testsuites: {
        '@tests': string;
        '@failures': string;
        testsuite: { '@name': string; testcase: Record<string, unknown>[] };
      };
    };
    expect(parsed.testsuites['@tests']).toBe('4');
    expect(parsed.testsuites['@failures']).toBe('1');
    const suite = parsed.testsuites.testsuite;
    expect(suite['@name']).toBe('Music Producer — Create New Song');
    const named = (title: string) => suite.testcase.find((t) => String(t['@name']).startsWith(title))!;
    const passed = named('Create project with valid name');
    const failed = named('Create project with empty name');
    const errored = named('Create Project: copes with edge values of');
    const skipped = named('Create project while offline');
    expect(passed).not.toHaveProperty('failure');
    expect(failed!.failure).toMatchObject({ '@message': 'expected status 400, got 201', '@type': 'status' });
    expect(errored!.error).toMatchObject({ '@message': 'no answer within 100 ms' });
    expect(skipped!.skipped).toMatchObject({ '@message': 'Offline mode lives in the browser.' });
  });

  it('escapes markup in titles and messages', () => {
    const xml = renderJunit(
      summary([
        result('Name <script>&"', 'failed', { failures: [{ check: 'body', message: '<b>', step: 0 }] }),
      ]),
    );
    expect(xml).toContain('name="Name &lt;script&gt;&amp;&quot;"');
    expect(xml).not.toContain('<script>');
  });
});

describe('renderers', () => {
  it('write every format, and results.json reads back as the same summary', () => {
    expect(RENDERERS.map((r) => [r.name, r.file])).toEqual([
      ['md', 'report.md'],
      ['json', 'results.json'],
      ['html', 'report.html'],
      ['junit', 'junit.xml'],
      ['sarif', 'gauntlet.sarif'],
    ]);
    const json = RENDERERS.find((r) => r.name === 'json')!.render(reportOf(summary()));
    // The findings come with it, and reading it back keeps everything else as it was.
    const { findings, ...rest } = RunSummary.parse(JSON.parse(json));
    expect(rest).toEqual(summary());
    expect(findings?.map((f) => f.id)).toEqual(reportOf(summary()).analysis.findings.map((f) => f.id));
  });
});
