// What one case may ask of Gauntlet (gauntlet.yml `limits`), and that answers are timed by their arrival: against a
// loopback server that sends large and slow bodies, since the sample target never does.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { ApiStep } from '../../src/cases/index.ts';
import { formatSourceError, loadConfig } from '../../src/cases/index.ts';
import { BUILT_IN_CHECKS, runTestCases } from '../../src/run/index.ts';
import { DEFAULT_LIMITS } from '../../src/run/limits.ts';
import { runTestCase } from '../../src/run/run-case.ts';
import { apiCase } from '../support/cases.ts';

const MB = 1 << 20;
let base: URL;
let requests = 0;
const closedEarly: number[] = [];

/** `mb` MiB of a JSON array of small numbers, without its brackets: costly to parse, as a real listing would be. */
function numbers(mb: number): Buffer[] {
  const chunk = Buffer.from('0,'.repeat(MB / 2));
  return Array.from({ length: mb }, () => chunk);
}

const server = createServer((req, res) => {
  requests++;
  const url = new URL(req.url!, 'http://x');
  // Uploads are drained, so a refused one would still be seen here.
  req.resume();
  if (url.pathname === '/big') {
    // {"digits":"…"} of 10 MiB, one MiB every 40 ms: the whole body is sent in well under the timeout.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"digits":"');
    const chunk = Buffer.from('0'.repeat(MB));
    const chunks = Array.from({ length: Number(url.searchParams.get('mb') ?? 10) }, () => chunk);
    const next = () => {
      if (!chunks.shift()) return res.end('"}');
      res.write(chunk);
      setTimeout(next, 40);
    };
    return next();
  }
  if (url.pathname === '/huge') {
    // 50 MiB of JSON, as fast as the connection takes it.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    const chunks = numbers(50);
    let written = 0;
    res.on('close', () => {
      if (chunks.length > 0) closedEarly.push(written);
    });
    const pump = () => {
      for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
        written += chunk.length;
        if (!res.write(chunk)) return res.once('drain', pump);
      }
      res.end('0]');
    };
    return pump();
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const step = (pathname: string, extra: Partial<ApiStep> = {}): ApiStep => ({
  name: `GET ${pathname}`,
  request: { method: 'GET', path: pathname },
  expect: { status: 200 },
  ...extra,
});
const caseOf = apiCase;

describe('timing answers by their arrival', () => {
  it('never says "no answer" for 40 large answers that all came in time while Gauntlet was busy with them', async () => {
    const cases = Array.from({ length: 40 }, (_, i) => caseOf([step('/big')], `big ${i}`));
    const results = await runTestCases(cases, {
      target: base,
      concurrency: 40,
      // Each body takes about half a second to send; reading and checking 40 of them takes Gauntlet far longer.
      timeoutMs: 3000,
      retries: 0,
    });
    expect(results.filter((r) => r.error?.includes('no answer'))).toEqual([]);
    // Each is cut at the default limit, said so, and not taken for broken JSON.
    for (const result of results) {
      expect(result.status).toBe('passed');
      expect(result.evidence[0]!.response!.body).toContain(
        `[cut at ${DEFAULT_LIMITS.maxResponseBytes} bytes`,
      );
    }
  });

  it('still gives up on a target that does not answer', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const target = new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
      const result = await runTestCase(caseOf([step('/')]), {
        target,
        timeoutMs: 200,
        checks: BUILT_IN_CHECKS,
      });
      expect(result).toMatchObject({ status: 'error', error: 'no answer within 200 ms', failures: [] });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('limits on what a case may ask for', () => {
  it('refuses a case over limits.maxRepeat before it sends anything, naming the key to raise', async () => {
    const before = requests;
    const result = await runTestCase(
      caseOf([step('/ok'), step('/ok', { repeat: { count: 100_000, concurrency: 100 } })]),
      { target: base, timeoutMs: 2000, checks: BUILT_IN_CHECKS },
    );
    expect(requests).toBe(before);
    expect(result).toMatchObject({ status: 'error', failures: [], evidence: [] });
    expect(result.error).toBe(
      'step 2 repeats its request 100000 times, more than limits.maxRepeat (100) allows; the case was not run ' +
        '(raise limits.maxRepeat in gauntlet.yml to run it)',
    );
  });

  it('refuses any case whose requests add up past limits.maxRequestsPerCase, and runs one within the limits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 12 }),
        async (counts) => {
          const limits = { ...DEFAULT_LIMITS, maxRepeat: 50, maxRequestsPerCase: 120 };
          const steps = counts.map((count) => step('/ok', { repeat: { count, concurrency: 20 } }));
          const before = requests;
          const result = await runTestCase(caseOf(steps), {
            target: base,
            timeoutMs: 2000,
            checks: BUILT_IN_CHECKS,
            limits,
          });
          const total = counts.reduce((a, b) => a + b, 0);
          if (counts.some((count) => count > 50)) {
            expect(result.error).toMatch(/more than limits\.maxRepeat \(50\) allows; the case was not run/);
          } else if (total > 120) {
            expect(result.error).toBe(
              `the case sends ${total} requests, more than limits.maxRequestsPerCase (120) allows; the case ` +
                'was not run (raise limits.maxRequestsPerCase in gauntlet.yml to run it)',
            );
          } else {
            expect(result.status).toBe('passed');
            expect(requests - before).toBe(total);
            return;
          }
          expect(requests).toBe(before);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('refuses to send a request body or an upload over limits.maxRequestBodyBytes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-limits-'));
    try {
      const file = path.join(dir, 'big.bin');
      await writeFile(file, Buffer.alloc(3000));
      const limits = { ...DEFAULT_LIMITS, maxRequestBodyBytes: 2048 };
      const before = requests;
      const asJson = step('/ok', { request: { method: 'POST', path: '/ok', json: { a: 'x'.repeat(3000) } } });
      const asFile = step('/ok', { request: { method: 'POST', path: '/ok', files: { f: { path: file } } } });
      for (const [big, size] of [
        [asJson, 3008],
        [asFile, 3000],
      ] as const) {
        const result = await runTestCase(caseOf([big]), {
          target: base,
          timeoutMs: 2000,
          checks: BUILT_IN_CHECKS,
          limits,
        });
        expect(result).toMatchObject({ status: 'error', failures: [] });
        expect(result.error).toBe(
          `the request body is ${size} bytes, more than limits.maxRequestBodyBytes (2048) allows; raise it in ` +
            'gauntlet.yml to send it',
        );
      }
      expect(requests).toBe(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a response over limits.maxResponseBytes', () => {
  it('is read up to the limit, the rest dropped, and the body is not called invalid JSON', async () => {
    const result = await runTestCase(caseOf([step('/huge')]), {
      target: base,
      timeoutMs: 10_000,
      checks: BUILT_IN_CHECKS,
    });
    expect(result.status).toBe('passed');
    expect(result.failures).toEqual([]);
    expect(result.evidence[0]!.response!.body).toMatch(
      /\[cut at 5000000 bytes: the rest was not read \(limits\.maxResponseBytes\)\]$/,
    );
    // The connection was closed rather than read to its end.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closedEarly.length).toBeGreaterThan(0);
    expect(closedEarly.at(-1)!).toBeLessThan(50 * MB);
  });

  it('makes a case that needs the whole body an error that says so, never a finding', async () => {
    const needs: [Partial<ApiStep>, string][] = [
      [{ expect: { status: 200, body: { '0': 0 } } }, 'body.0 cannot be judged'],
      [
        { expect: { status: 200, bodyContains: ['no such text'] } },
        'whether the body contains "no such text"',
      ],
      [
        { expect: { status: 200, bodyNotContains: ['no such text'] } },
        'whether the body contains "no such text"',
      ],
      [{ capture: { id: 'body.0' } }, 'the capture body.0 cannot be judged'],
    ];
    for (const [extra, what] of needs) {
      const result = await runTestCase(caseOf([step('/huge', extra), step('/ok')]), {
        target: base,
        timeoutMs: 10_000,
        checks: BUILT_IN_CHECKS,
      });
      expect(result.status).toBe('error');
      expect(result.failures).toEqual([]);
      expect(result.error).toContain(what);
      expect(result.error).toContain(
        'the response body was cut at 5000000 bytes (limits.maxResponseBytes); raise it in gauntlet.yml',
      );
    }
    // What the part read does settle is judged: a text it holds is there, whatever was dropped.
    const found = await runTestCase(
      caseOf([step('/huge', { expect: { status: 200, bodyContains: ['0,0'] } })]),
      {
        target: base,
        timeoutMs: 10_000,
        checks: BUILT_IN_CHECKS,
      },
    );
    expect(found).toMatchObject({ status: 'passed', failures: [] });
  });

  it('is read whole when the limit is raised', async () => {
    const result = await runTestCase(
      caseOf([
        step('/big?mb=2', {
          expect: { status: 200, body: { digits: { type: 'string', minLength: 2 * MB } } },
        }),
      ]),
      {
        target: base,
        timeoutMs: 10_000,
        checks: BUILT_IN_CHECKS,
        limits: { ...DEFAULT_LIMITS, maxResponseBytes: 3 * MB },
      },
    );
    expect(result.status).toBe('passed');
    expect(result.evidence[0]!.response!.body).not.toContain('[cut at');
  });
});

describe('limits in gauntlet.yml', () => {
  it('reads them, with defaults for those not given', () => {
    const loaded = loadConfig({ path: 'gauntlet.yml', text: 'limits:\n  maxRepeat: 20\n' });
    expect(loaded.ok && loaded.value.limits).toEqual({ ...DEFAULT_LIMITS, maxRepeat: 20 });
  });

  it('reports a bad value at its line and column', () => {
    const errorsOf = (text: string) => {
      const loaded = loadConfig({ path: 'gauntlet.yml', text });
      return loaded.ok ? [] : loaded.errors.map(formatSourceError);
    };
    expect(errorsOf('retries: 1\nlimits:\n  maxRepeat: 0\n')).toEqual([
      'gauntlet.yml:3:14: limits.maxRepeat: Too small: expected number to be >=1',
    ]);
    expect(errorsOf('limits:\n  maxResponseBytes: lots\n')).toEqual([
      'gauntlet.yml:2:21: limits.maxResponseBytes: Invalid input: expected number, received string',
    ]);
    expect(errorsOf('limits:\n  maxRequestsPerCase: 1.5\n')).toEqual([
      'gauntlet.yml:2:23: limits.maxRequestsPerCase: Invalid input: expected int, received number',
    ]);
    expect(errorsOf('limits: { maxRepeats: 5 }\n')).toEqual([
      'gauntlet.yml:1:11: limits.maxRepeats: unknown key "maxRepeats"',
    ]);
  });

  it('refuses any out-of-range or mistyped limit with a position, never a crash', () => {
    const keys = ['maxRepeat', 'maxRequestsPerCase', 'maxResponseBytes', 'maxRequestBodyBytes'];
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.oneof(
          fc.integer({ max: 0 }),
          fc.integer({ min: 1_000_000_001 }),
          fc.double({ noInteger: true }),
          fc.string(),
          fc.constant(null),
        ),
        (key, value) => {
          const text = `limits:\n  ${key}: ${JSON.stringify(value)}\n`;
          const loaded = loadConfig({ path: 'gauntlet.yml', text });
          expect(loaded.ok).toBe(false);
          if (!loaded.ok) {
            expect(loaded.errors[0]).toMatchObject({ file: 'gauntlet.yml', line: 2 });
            expect(formatSourceError(loaded.errors[0]!)).toContain(`limits.${key}`);
          }
        },
      ),
    );
  });
});
