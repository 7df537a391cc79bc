// The runner against a small real HTTP server whose answers each test controls: the sample target cannot time out
// or drop a connection on demand, this one can.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiStep, ApiTestCase } from '../../src/cases/index.ts';
import { originOf } from '../support/cases.ts';
import {
  runTestCases,
  targetUrl,
  OutsideTargetError,
  BUILT_IN_CHECKS,
  outsideReason,
} from '../../src/run/index.ts';
import { runTestCase } from '../../src/run/run-case.ts';

let base: URL;
const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];
let inFlight = 0;
const flakyCalls = new Map<string, number>();
let maxInFlight = 0;
const servedOn = new WeakMap<object, number>();
let resets = 0;

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    const url = new URL(req.url!, 'http://x');
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    switch (url.pathname) {
      case '/login':
        return json(200, { token: 'secret-token-0123456789', user: { id: 7 } });
      case '/me':
        return req.headers.authorization === 'Bearer secret-token-0123456789'
          ? json(200, { id: 7, echo: JSON.parse(body || '{}') })
          : json(401, { error: 'no' });
      case '/slow':
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return setTimeout(
          () => {
            inFlight--;
            json(200, {});
          },
          Number(url.searchParams.get('ms') ?? 50),
        );
      case '/flaky': {
        const key = url.searchParams.get('key')!;
        const calls = (flakyCalls.get(key) ?? 0) + 1;
        flakyCalls.set(key, calls);
        return json(calls <= Number(url.searchParams.get('fails') ?? 1) ? 503 : 200, { calls });
      }
      case '/redirect':
        res.writeHead(302, { location: url.searchParams.get('to')! }).end();
        return;
      case '/drop':
        return req.socket.destroy();
      case '/hang': // never answers: the test's own time, not a race with a timer, decides
        return;
      case '/reset-reused': {
        // A kept-alive connection closed as it is reused: every request after a connection's first is reset.
        const served = (servedOn.get(req.socket) ?? 0) + 1;
        servedOn.set(req.socket, served);
        if (served > 1) {
          resets++;
          return req.socket.destroy();
        }
        return json(200, { served });
      }
      case '/crash':
        return json(500, { error: 'boom' });
      default:
        return json(404, { error: 'not found' });
    }
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const step = (path: string, extra: Partial<ApiStep> = {}): ApiStep => ({
  name: `GET ${path}`,
  request: { method: 'GET', path },
  expect: { status: '2xx' },
  ...extra,
});
const caseOf = (steps: ApiStep[], extra: Partial<ApiTestCase> = {}): ApiTestCase => ({
  id: 'tc_000000000000',
  title: 'a case',
  kind: 'api',
  priority: 'medium',
  tags: [],
  origin: originOf('a case'),
  steps,
  ...extra,
});
const run = (testCase: ApiTestCase, timeoutMs = 2000) =>
  runTestCase(testCase, { target: base, timeoutMs, checks: BUILT_IN_CHECKS });

describe('running a test case', () => {
  it('stops a case that runs out of its own time, between requests', async () => {
    const slow = { ...step('/slow'), request: { method: 'GET' as const, path: '/slow', query: { ms: 150 } } };
    const before = seen.length;
    const result = await runTestCase(caseOf([slow, slow, slow]), {
      target: base,
      timeoutMs: 2000,
      caseTimeoutMs: 250,
      checks: BUILT_IN_CHECKS,
    });
    expect(result).toMatchObject({ status: 'error' });
    expect(result.error).toBe('the case ran out of its 250 ms');
    expect(seen.length - before).toBeLessThan(3); // the third request was never sent
  });

  it('carries captured values into later requests and passes when all expectations hold', async () => {
    const result = await run(
      caseOf([
        {
          ...step('/login'),
          request: { method: 'POST', path: '/login' },
          capture: { token: 'body.token', id: 'body.user.id' },
        },
        {
          ...step('/me'),
          request: {
            method: 'POST',
            path: '/me',
            headers: { authorization: 'Bearer {{token}}' },
            json: { id: '{{id}}', who: 'u{{id}}-{{$uid}}' },
          },
          expect: { status: 200, body: { 'echo.id': 7 } },
        },
      ]),
    );
    expect(result.status).toBe('passed');
    expect(result.failures).toEqual([]);
    const echoed = JSON.parse(seen.at(-1)!.body) as { id: number; who: string };
    expect(echoed.id).toBe(7);
    expect(echoed.who).toMatch(/^u7-[0-9a-f]{12}$/);
  });

  it('fails with the broken expectation, stops there, and gives a curl without the secret', async () => {
    const before = seen.length;
    const result = await run(
      caseOf([
        { ...step('/login'), capture: { token: 'body.token' } },
        {
          ...step('/crash'),
          request: { method: 'GET', path: '/crash', headers: { authorization: 'Bearer {{token}}' } },
        },
        step('/never'),
      ]),
    );
    expect(seen.length - before).toBe(2);
    expect(result.status).toBe('failed');
    expect(result.failures).toEqual([
      { check: 'status', message: 'expected status 2xx, got 500', step: 1 },
      { check: 'not_a_server_error', message: 'the service failed with 500 (a server error)', step: 1 },
    ]);
    expect(result.reproduction.curl).toBe(
      `curl -sS -i '${base.origin}/crash' -H 'authorization: [redacted]'`,
    );
    const text = JSON.stringify(result);
    expect(text).not.toContain('secret-token-0123456789');
    expect(result.evidence.map((e) => e.response?.status)).toEqual([200, 500]);
  });

  it('repeats a request with the asked concurrency and counts how many failed', async () => {
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10)); // requests other tests abandoned
    maxInFlight = 0;
    const result = await run(
      caseOf([
        {
          ...step('/slow?ms=30'),
          request: { method: 'GET', path: '/slow', query: { ms: 30 } },
          repeat: { count: 12, concurrency: 4 },
          expect: { status: 200, maxMs: 1 },
        },
      ]),
    );
    expect(maxInFlight).toBe(4);
    expect(result.status).toBe('failed');
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.message).toMatch(
      /^expected an answer within 1 ms, took \d+ ms \(in 12 of 12 requests\)$/,
    );
    expect(result.evidence).toHaveLength(3);
  });

  it('reports an error, not a failure, when the service does not answer in time', async () => {
    const result = await run(caseOf([step('/hang')]), 100);
    expect(result).toMatchObject({ status: 'error', error: 'no answer within 100 ms', failures: [] });
  });

  it('names in its evidence the operation each step calls, as the step names it, when the request fits it', async () => {
    const result = await run(
      caseOf([
        { ...step('/crash'), name: 'GET /{what}', request: { method: 'GET', path: '/..%2Fcrash' } },
        { ...step('/crash'), name: 'Crash it', request: { method: 'GET', path: '/crash' } },
      ]),
    );
    expect(result.evidence[0]!.operation).toBe('GET /{what}');
    expect(result.evidence).toHaveLength(1); // the first step failed (404): the second never ran
    const named = await run(caseOf([{ ...step('/crash'), name: 'Crash it' }]));
    expect(named.evidence[0]).not.toHaveProperty('operation');
  });

  it('sends a request again, once, on a new connection when a kept-alive one was reset as it was reused', async () => {
    const before = resets;
    const result = await run(caseOf([step('/reset-reused'), step('/reset-reused'), step('/reset-reused')]));
    expect(result.status).toBe('passed');
    expect(resets).toBeGreaterThan(before); // the connections were reset, and the case did not see it
  });

  it('skips, not fails, a case whose step was refused as it accepts, with nothing to capture for the next', async () => {
    const result = await run(
      caseOf([
        {
          ...step('/me'),
          request: { method: 'POST', path: '/me' },
          expect: { status: [200, 401] },
          capture: { id: 'body.id' },
        },
        step('/crash'),
      ]),
    );
    expect(result).toMatchObject({
      status: 'skipped',
      error: 'step 1 was refused (401), which it accepts; without body.id the case cannot go on',
      failures: [],
    });
    // A success without the value is still the service's failure.
    const missing = await run(
      caseOf([
        { ...step('/login'), request: { method: 'POST', path: '/login' }, capture: { id: 'body.nothing' } },
      ]),
    );
    expect(missing.status).toBe('failed');
  });

  it('reports an error when the connection drops', async () => {
    const result = await run(caseOf([step('/drop')]));
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/socket|closed|terminated/i);
    expect(result.failures).toEqual([]);
  });

  it('fails when a value to capture is missing from the response', async () => {
    const result = await run(caseOf([{ ...step('/login'), capture: { projectId: 'body.project.id' } }]));
    expect(result.failures).toEqual([
      {
        check: 'capture',
        message: 'expected body.project.id in the response, to use as {{projectId}}',
        step: 0,
      },
    ]);
  });

  it('captures headers and the status too', async () => {
    const result = await run(
      caseOf([
        { ...step('/login'), capture: { type: 'headers.Content-Type', code: 'status' } },
        {
          ...step('/me'),
          request: { method: 'POST', path: '/me', json: { t: '{{type}}', c: '{{code}}' } },
          expect: { status: 401 },
        },
      ]),
    );
    expect(result.status).toBe('passed');
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ t: 'application/json', c: 200 });
  });

  it('leaves out the built-in checks a case turns off', async () => {
    const crash = { ...step('/crash'), expect: { status: 500 } };
    expect((await run(caseOf([crash]))).failures.map((f) => f.check)).toEqual(['not_a_server_error']);
    expect((await run(caseOf([crash], { skipChecks: ['not_a_server_error'] }))).status).toBe('passed');
  });

  it('reports an error for a placeholder nothing captured', async () => {
    const result = await run(caseOf([step('/me/{{nothing}}')]));
    expect(result).toMatchObject({
      status: 'error',
      error: 'no value for {{nothing}} (was it captured by an earlier step?)',
    });
  });

  it.each([
    ['another host', '//evil.example/steal', 'another host'],
    ['the cloud metadata service', '//169.254.169.254/latest/meta-data/', 'a cloud metadata address'],
    ['a private network', '//10.1.2.3/admin', 'a private network address'],
    ['another port of the same host', '//127.0.0.1:1/', 'another port or scheme of the target host'],
  ])('refuses a request to %s before connecting', async (_, path, reason) => {
    const before = seen.length;
    const result = await run(caseOf([step(path)]));
    expect(result.status).toBe('error');
    expect(result.error).toContain(`(${reason}); only ${base.origin} may be reached`);
    expect(seen.length).toBe(before);
  });

  it('refuses a path that a captured value turns into another origin', async () => {
    const result = await run(
      caseOf([{ ...step('/login'), capture: { next: 'body.user.id' } }, step('//{{next}}.0.0.1/')]),
    );
    expect(result.error).toMatch(/^refused to send a request to http:\/\/7\.0\.0\.1\/ /);
  });

  it('follows redirects on the target when asked, and refuses one that leaves it', async () => {
    const follow = (to: string) =>
      run(
        caseOf([
          {
            ...step('/redirect'),
            request: { method: 'GET', path: '/redirect', query: { to }, followRedirects: true },
          },
        ]),
      );
    const inside = await follow('/login');
    expect(inside.status).toBe('passed');
    expect(seen.at(-1)!.url).toBe('/login');
    const outside = await follow('http://169.254.169.254/latest/meta-data/');
    expect(outside.error).toBe(
      `refused to follow a redirect to http://169.254.169.254/latest/meta-data/ (a cloud metadata address); only ${base.origin} may be reached`,
    );
    const answer = await run(
      caseOf([
        {
          ...step('/redirect?to=/login'),
          request: { method: 'GET', path: '/redirect', query: { to: '/x' } },
          expect: { status: 302 },
        },
      ]),
    );
    expect(answer.status).toBe('passed');
  });

  it('names why an address is outside the target', () => {
    const target = [new URL('http://127.0.0.1:4100')];
    expect(outsideReason(new URL('http://127.0.0.1:4100/a'), target)).toBeUndefined();
    expect(outsideReason(new URL('file:///etc/passwd'), target)).toBe('a file: URL');
    expect(outsideReason(new URL('http://localhost:4100/'), target)).toBe(
      'a loopback address that is not the target',
    );
    expect(outsideReason(new URL('http://[fd12::1]/'), target)).toBe('a private network address');
    expect(outsideReason(new URL('http://192.168.1.1/'), target)).toBe('a private network address');
    expect(outsideReason(new URL('https://127.0.0.1:4100/'), target)).toBe(
      'another port or scheme of the target host',
    );
    expect(() => targetUrl(base, 'http://evil.example/')).toThrow(OutsideTargetError);
    expect(targetUrl(new URL('http://127.0.0.1:1/app/'), '/api/x', { q: 'a b' }).href).toBe(
      'http://127.0.0.1:1/app/api/x?q=a+b',
    );
  });

  it('skips a case that says why it cannot run', async () => {
    const result = await run(caseOf([], { skip: 'Needs a microphone.' }));
    expect(result).toMatchObject({ status: 'skipped', error: 'Needs a microphone.', durationMs: 0 });
  });

  it('runs a failed case again and calls it flaky when a re-run passes', async () => {
    const flaky = caseOf([
      { ...step('/flaky'), request: { method: 'GET', path: '/flaky', query: { key: 'a', fails: 1 } } },
    ]);
    const [result] = await runTestCases([flaky], {
      target: base,
      concurrency: 1,
      timeoutMs: 2000,
      retries: 2,
    });
    expect(result).toMatchObject({ status: 'flaky', attempts: 2 });
    expect(result!.failures[0]).toMatchObject({ check: 'status', message: 'expected status 2xx, got 503' });
  });

  it('calls a case failed when every attempt fails, and does not re-run with no retries', async () => {
    const broken = caseOf([
      { ...step('/flaky'), request: { method: 'GET', path: '/flaky', query: { key: 'b', fails: 5 } } },
    ]);
    const [result] = await runTestCases([broken], {
      target: base,
      concurrency: 1,
      timeoutMs: 2000,
      retries: 2,
    });
    expect(result).toMatchObject({ status: 'failed', attempts: 3 });
    const once = caseOf([
      { ...step('/flaky'), request: { method: 'GET', path: '/flaky', query: { key: 'c', fails: 1 } } },
    ]);
    const [single] = await runTestCases([once], {
      target: base,
      concurrency: 1,
      timeoutMs: 2000,
      retries: 0,
    });
    expect(single).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('starts no new case after the first failure when failing fast', async () => {
    const cases = [
      caseOf([step('/crash')], { id: 'tc_00000000000a' }),
      caseOf([step('/login')], { id: 'tc_00000000000b' }),
    ];
    const results = await runTestCases(cases, {
      target: base,
      concurrency: 1,
      timeoutMs: 2000,
      retries: 0,
      failFast: true,
    });
    expect(results.map((r) => r.status)).toEqual(['failed', 'skipped']);
    expect(results[1]!.error).toBe('not run: the run stopped at the first failure (fail fast)');
  });

  it('runs many cases with bounded concurrency and reports progress for each', async () => {
    const progress: number[] = [];
    const results = await runTestCases(
      Array.from({ length: 5 }, (_, i) => caseOf([step('/login')], { id: `tc_00000000000${i}` })),
      { target: base, concurrency: 2, timeoutMs: 2000, onResult: (_, done) => progress.push(done) },
    );
    expect(results.map((r) => r.caseId)).toEqual([
      'tc_000000000000',
      'tc_000000000001',
      'tc_000000000002',
      'tc_000000000003',
      'tc_000000000004',
    ]);
    expect(progress).toEqual([1, 2, 3, 4, 5]);
  });
});
