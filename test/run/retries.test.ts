// Re-runs: a failure that a re-run does not show again is flaky, except a security or data-loss failure, which a
// service that misbehaved once has shown already. Against a real server that misbehaves only on its first answer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { analyze } from '../../src/analyze/analyze.ts';
import type { ApiStep, ApiTestCase, RunResult, RunSummary } from '../../src/cases/index.ts';
import { reportOf } from '../../src/report/build.ts';
import { renderMarkdown } from '../../src/report/index.ts';
import { runTestCases } from '../../src/run/index.ts';
import { apiCase, originOf } from '../support/cases.ts';

let base: URL;
const calls = new Map<string, number>();

// Each key answers wrongly on its first request only: data to an anonymous caller, a 503, a lost write.
const server = createServer((req, res) => {
  const url = new URL(req.url!, 'http://x');
  const key = url.searchParams.get('key') ?? '';
  const call = (calls.get(key) ?? 0) + 1;
  calls.set(key, call);
  const json = (status: number, value: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  if (url.pathname === '/account') return call === 1 ? json(200, { email: 'a@b.c' }) : json(403, {});
  if (url.pathname === '/busy') return json(call === 1 ? 503 : 200, {});
  if (url.pathname === '/notes') return json(200, { state: call === 1 ? 'not saved' : 'saved' });
  return json(404, {});
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const caseOf = (id: string, step: ApiStep, generator = 'test'): ApiTestCase =>
  apiCase([step], step.name, { id, origin: { ...originOf(step.name), generator } });

const anonymous = (key: string): ApiStep => ({
  name: 'GET /account without credentials',
  request: { method: 'GET', path: '/account', query: { key } },
  expect: { status: [401, 403] },
  probe: 'no-credentials',
});

const run = (cases: ApiTestCase[]) =>
  runTestCases(cases, { target: base, concurrency: 1, timeoutMs: 5000, retries: 2 });

const summaryOf = (results: RunResult[]): RunSummary => ({
  tool: 'gauntlet',
  version: '0',
  target: base.href,
  startedAt: new Date(0).toISOString(),
  durationMs: 1,
  totals: { passed: 0, failed: 1, error: 0, flaky: 0, skipped: 0 },
  results,
  untested: [],
});

describe('re-running failed cases', () => {
  it('keeps a security probe failed when only a re-run refuses the anonymous request', async () => {
    const [result] = await run([caseOf('tc_0000000000a1', anonymous('probe'), 'rules/no-credentials')]);
    expect(result).toMatchObject({ status: 'failed', attempts: 2, passedOnAttempt: 2 });
    expect(result!.failures.map((f) => f.check)).toContain('requires_auth');
  });

  it('keeps a failure of a security generator failed whatever check saw it', async () => {
    const step: ApiStep = {
      name: 'GET /account as another user',
      request: { method: 'GET', path: '/account', query: { key: 'cross' } },
      expect: { status: [403, 404] },
    };
    const [result] = await run([caseOf('tc_0000000000a2', step, 'rules/cross-user')]);
    expect(result).toMatchObject({ status: 'failed', passedOnAttempt: 2 });
  });

  it('keeps a lost write failed though the next attempt saved it', async () => {
    const step: ApiStep = {
      name: 'GET /notes',
      request: { method: 'GET', path: '/notes', query: { key: 'lost' } },
      expect: { status: 200, body: { state: 'saved' } },
    };
    const [result] = await run([caseOf('tc_0000000000a3', step)]);
    expect(result!.failures[0]!.message).toBe('expected body.state to be "saved", got "not saved"');
    expect(result).toMatchObject({ status: 'failed', passedOnAttempt: 2 });
  });

  it('still calls an ordinary failure that a re-run does not show flaky', async () => {
    const step: ApiStep = {
      name: 'GET /busy',
      request: { method: 'GET', path: '/busy', query: { key: 'busy' } },
      expect: { status: 200 },
    };
    const [result] = await run([caseOf('tc_0000000000a4', step)]);
    expect(result).toMatchObject({ status: 'flaky', attempts: 2 });
    expect(result).not.toHaveProperty('passedOnAttempt');
  });

  it('turns a security failure seen once into a finding that fails the run', async () => {
    const [result] = await run([caseOf('tc_0000000000a5', anonymous('verdict'), 'rules/no-credentials')]);
    const analysis = analyze(summaryOf([result!]));
    expect(analysis.verdict).toBe('fail');
    expect(analysis.flaky).toHaveLength(0);
    expect(analysis.findings).toHaveLength(1);
    expect(analysis.findings[0]).toMatchObject({ kind: 'security', risk: 'high' });
  });
});

describe('the report of a security failure that a re-run did not show', () => {
  it('says which attempt passed, and why the failure stands', async () => {
    const [result] = await run([caseOf('tc_0000000000a6', anonymous('report'), 'rules/no-credentials')]);
    const summary = summaryOf([result!]);
    const markdown = renderMarkdown(reportOf(summary));
    expect(markdown).toContain(
      '- Attempt 2 passed, but a security or data-loss failure seen once is a finding: the service did it.',
    );
  });
});
