// The load runner: autocannon against the real sample target, thresholds judged on every response it measured.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApiStep, LoadProfile, LoadTestCase, TestCase } from '../../src/cases/index.ts';
import { runTestCases } from '../../src/run/index.ts';
import { stagesOf } from '../../src/run/load/autocannon.ts';
import { judgeThresholds, percentile } from '../../src/run/load/measure.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import { originOf } from '../support/cases.ts';

let correct: RunningAidawg;
let slow: RunningAidawg;

beforeAll(async () => {
  [correct, slow] = await Promise.all([startAidawg(), startAidawg({ faults: ['F8'] })]);
});
afterAll(() => Promise.all([correct.close(), slow.close()]));

const SIGN_IN_AS_OPERATOR: ApiStep = {
  name: 'sign in as operator',
  request: {
    method: 'POST',
    path: '/api/auth/login',
    json: { email: 'operator@aidawg.test', password: 'aidawg-operator' },
  },
  capture: { token: 'body.token' },
  expect: { status: 200 },
};

const DASHBOARD: ApiStep = {
  name: 'GET /api/jarvis/dashboard',
  request: { method: 'GET', path: '/api/jarvis/dashboard', headers: { authorization: 'Bearer {{token}}' } },
  expect: { status: 200 },
};

const loadCase = (steps: ApiStep[], load: LoadProfile, id = 'tc_0000000010ad'): LoadTestCase => ({
  id,
  title: `load ${id}`,
  kind: 'load',
  priority: 'high',
  tags: [],
  origin: originOf(`load ${id}`),
  steps,
  load,
});

const run = async (testCase: LoadTestCase, target = correct, retries = 0) =>
  (
    await runTestCases([testCase], { target: new URL(target.url), concurrency: 1, timeoutMs: 5000, retries })
  )[0]!;

describe('the load runner', () => {
  it('runs load cases after every other case, keeping the order of the results', async () => {
    const apiCase = (id: string): TestCase => ({
      id,
      title: `api ${id}`,
      kind: 'api',
      priority: 'high',
      tags: [],
      origin: originOf(`api ${id}`),
      steps: [SIGN_IN_AS_OPERATOR, DASHBOARD],
    });
    const profile: LoadProfile = { vus: 2, requests: 20, thresholds: { maxErrorRate: 0 } };
    const cases = [
      loadCase([SIGN_IN_AS_OPERATOR, DASHBOARD], profile, 'tc_00000000load1'),
      apiCase('tc_000000000api1'),
      loadCase([SIGN_IN_AS_OPERATOR, DASHBOARD], profile, 'tc_00000000load2'),
      apiCase('tc_000000000api2'),
    ];
    const finished: string[] = [];
    const results = await runTestCases(cases, {
      target: new URL(correct.url),
      concurrency: 4,
      timeoutMs: 5000,
      onResult: (result) => finished.push(result.caseId),
    });
    expect(results.map((r) => [r.caseId, r.status])).toEqual(cases.map((c) => [c.id, 'passed']));
    // The functional cases all finish before any load case starts.
    expect(finished.slice(0, 2).sort()).toEqual(['tc_000000000api1', 'tc_000000000api2']);
    expect(finished.slice(2)).toEqual(['tc_00000000load1', 'tc_00000000load2']);
  });

  it('puts the last request under load after the set-up steps, and passes within the thresholds', async () => {
    const result = await run(
      loadCase([SIGN_IN_AS_OPERATOR, DASHBOARD], {
        vus: 4,
        requests: 200,
        thresholds: { p95Ms: 200, maxErrorRate: 0 },
      }),
    );
    expect(result.status).toBe('passed');
    expect(result.load).toMatchObject({ engine: 'autocannon', requests: 200, errors: 0, errorRate: 0 });
    const { p50, p95, p99, max } = result.load!.latencyMs;
    expect(0 < p50 && p50 <= p95 && p95 <= p99 && p99 <= max).toBe(true);
    expect(result.load!.rps).toBeGreaterThan(0);
    expect(result.load!.thresholds.map((t) => [t.name, t.limit, t.passed])).toEqual([
      ['p95Ms', 200, true],
      ['maxErrorRate', 0, true],
    ]);
  });

  it('fails on the latency threshold when the dashboard slows down under concurrency (F8)', async () => {
    const result = await run(
      loadCase([SIGN_IN_AS_OPERATOR, DASHBOARD], { vus: 4, requests: 16, thresholds: { p95Ms: 200 } }),
      slow,
    );
    expect(result.status).toBe('failed');
    expect(result.failures).toEqual([
      {
        check: 'load.p95Ms',
        message: expect.stringMatching(
          /^95% of requests took up to \d+(\.\d)? ms; the budget is under 200 ms$/,
        ),
        step: 1,
      },
    ]);
    expect(result.load!.latencyMs.p95).toBeGreaterThanOrEqual(200);
    expect(result.attempts).toBeUndefined(); // a load verdict is statistical already: it is not re-run
  });

  it('counts error responses, and fails on the error rate', async () => {
    // Without credentials every request of the load is refused: all of them are errors.
    const refused = await run(
      loadCase(
        [
          {
            ...DASHBOARD,
            request: { method: 'GET', path: '/api/jarvis/dashboard' },
            expect: { status: 401 },
          },
        ],
        {
          vus: 2,
          requests: 50,
          thresholds: { maxErrorRate: 0.5 },
        },
      ),
    );
    expect(refused).toMatchObject({
      status: 'failed',
      load: { requests: 50, errors: 50, errorRate: 1 },
      failures: [
        { check: 'load.maxErrorRate', message: '100% of requests failed; at most 50% may', step: 0 },
      ],
    });
  });

  it('does not load a request that fails on its own first', async () => {
    const result = await run(
      loadCase([{ ...DASHBOARD, request: { method: 'GET', path: '/api/jarvis/dashboard' } }], {
        vus: 2,
        requests: 50,
        thresholds: {},
      }),
    );
    expect(result).toMatchObject({ status: 'failed', failures: [{ check: 'status', step: 0 }] });
    expect(result.load).toBeUndefined();
  });

  it('carries the cookies the set-up received into the load', async () => {
    const result = await run(
      loadCase(
        [
          {
            name: 'sign up through the form',
            as: 'producer',
            request: {
              method: 'POST',
              path: '/signup',
              form: { email: 'load-{{$uid}}@example.test', password: 'load-pass-123' },
            },
            expect: { status: 303 },
          },
          {
            name: 'who am I',
            as: 'producer',
            request: { method: 'GET', path: '/api/me' },
            expect: { status: 200 },
          },
        ],
        { vus: 2, requests: 30, thresholds: { maxErrorRate: 0 } },
      ),
    );
    expect(result).toMatchObject({ status: 'passed', load: { requests: 30, errors: 0 } });
  });

  it('ramps up in rising stages before the steady load, and runs a duration', async () => {
    expect(stagesOf({ vus: 10, durationS: 2, rampUpS: 5, thresholds: {} })).toEqual([
      { connections: 2, durationS: 1 },
      { connections: 3, durationS: 1 },
      { connections: 5, durationS: 1 },
      { connections: 7, durationS: 1 },
      { connections: 8, durationS: 1 },
      { connections: 10, durationS: 2 },
    ]);
    expect(stagesOf({ vus: 2, requests: 9, rampUpS: 1, thresholds: {} })).toEqual([
      { connections: 1, durationS: 0.5 },
      { connections: 1, durationS: 0.5 },
      { connections: 2, amount: 9 },
    ]);
    const result = await run(
      loadCase([SIGN_IN_AS_OPERATOR, DASHBOARD], {
        vus: 2,
        durationS: 1,
        rampUpS: 1,
        thresholds: { maxErrorRate: 0 },
      }),
    );
    expect(result.status).toBe('passed');
    expect(result.load!.requests).toBeGreaterThan(0);
    expect(result.load!.durationS).toBeGreaterThanOrEqual(1.9);
  });
});

describe('the load engine', () => {
  const dashboardLoad = loadCase([SIGN_IN_AS_OPERATOR, DASHBOARD], {
    vus: 2,
    requests: 20,
    thresholds: { p95Ms: 200 },
  });

  it('is k6 when asked for and given, which reads its summary into the same result', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-fake-k6-'));
    try {
      // Stands in for k6, which cannot be installed here: it writes a summary in k6's export format.
      const k6 = path.join(dir, 'fake-k6');
      const summary = path.resolve('test/fixtures/k6/tagged-submetrics.json');
      await writeFile(
        k6,
        `#!${process.execPath}\nconst a = process.argv.slice(2);\n` +
          `require('node:fs').copyFileSync(${JSON.stringify(summary)}, a[a.indexOf('--summary-export') + 1]);\n`,
      );
      await chmod(k6, 0o755);
      const [result] = await runTestCases([dashboardLoad], {
        target: new URL(correct.url),
        concurrency: 1,
        timeoutMs: 5000,
        loadEngine: 'k6',
        k6Path: k6,
        artifactsDir: dir,
      });
      expect(result!.error).toBeUndefined();
      expect(result!.load).toMatchObject({ engine: 'k6', thresholds: [{ name: 'p95Ms', limit: 200 }] });
      expect(await readdir(path.join(dir, 'k6'))).toContain(`${dashboardLoad.id}.k6.js`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not run a load case asking for k6 where none is on PATH (the machine lacks it); autocannon otherwise', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const options = { target: new URL(correct.url), concurrency: 1, timeoutMs: 5000 };
      const [k6] = await runTestCases([dashboardLoad], { ...options, loadEngine: 'k6' });
      expect(k6).toMatchObject({
        status: 'skipped',
        error: 'the load engine is k6, but no k6 executable is on PATH',
        notRun: { reason: 'environment', need: 'k6', fix: expect.stringContaining('Install k6') },
      });
      expect(k6!.load).toBeUndefined();
      const [auto] = await runTestCases([dashboardLoad], options);
      expect(auto!.load!.engine).toBe('autocannon');
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('load thresholds', () => {
  const measured = {
    engine: 'autocannon' as const,
    requests: 100,
    errors: 2,
    errorRate: 0.02,
    rps: 50,
    latencyMs: { p50: 10, p95: 120, p99: 300, max: 400 },
    durationS: 2,
  };

  it('holds latencies below, the error rate at most, and the throughput at least their limits', () => {
    const judged = judgeThresholds(measured, { p95Ms: 120, p99Ms: 301, maxErrorRate: 0.02, minRps: 50 });
    expect(judged.thresholds.map((t) => [t.name, t.actual, t.passed])).toEqual([
      ['p95Ms', 120, false],
      ['p99Ms', 300, true],
      ['maxErrorRate', 0.02, true],
      ['minRps', 50, true],
    ]);
    expect(judgeThresholds(measured, { minRps: 50.5 }).thresholds[0]!.passed).toBe(false);
  });

  it('takes percentiles by nearest rank', () => {
    const samples = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(samples, 50), percentile(samples, 95), percentile(samples, 100)]).toEqual([
      50, 95, 100,
    ]);
    expect(percentile(new Float64Array(), 95)).toBe(0);
  });
});
