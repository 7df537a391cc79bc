// No secret leaves a run, end to end: random secrets are planted in every place a request carries one (credential
// headers in any spelling, a description's API-key header, secret query parameters, JSON, form and raw form bodies)
// and every place a service hands one out (body fields, nested objects, Set-Cookie, headers), and made to fail a
// case so they reach failure messages; the cases run for real against a loopback service, every report is written
// the way the command line writes them, and no secret is found in any file or line printed, in any form.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApiTestCase } from '../../src/cases/index.ts';
import { RunSummary } from '../../src/cases/index.ts';
import { writeReports } from '../../src/cli/reports.ts';
import { summarize } from '../../src/report/index.ts';
import { Redactor, runTestCases } from '../../src/run/index.ts';
import { originOf } from '../support/cases.ts';

let server: Server;
let target: URL;
let dir: string;

/**
 * The service: hands out secrets made from a seed it is sent (a token in the body and nested in a session object,
 * a cookie, a header), echoes everything it was sent, and answers 500 so every case fails with its evidence kept.
 */
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const seed = String(req.headers['x-seed']);
      res.writeHead(500, {
        'content-type': 'application/json',
        'set-cookie': `sid=ck-${seed}; Path=/; HttpOnly`,
        'x-session-token': `hd-${seed}`,
      });
      res.end(
        JSON.stringify({
          token: `tok-${seed}`,
          session: { id: `ss-${seed}`, roles: [`rl-${seed}`] },
          echo: { url: req.url, headers: req.headers, body },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-redact-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const SAFE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~';
const secret = fc
  .array(fc.constantFrom(...SAFE), { minLength: 12, maxLength: 40 })
  .map((chars) => `Z9${chars.join('')}`);
/** Each place gets its own secret: one found in one place must not hide a leak from another. */
const PLACES = [
  'bearer',
  'authToken',
  'apiKeyHeader',
  'schemeHeader',
  'cookie',
  'basicPassword',
  'apiKeyQuery',
  'accessTokenQuery',
  'jsonPassword',
  'jsonNested',
  'rawForm',
  'formField',
  'seed',
] as const;
type Planted = Record<(typeof PLACES)[number], string>;
const planted = fc.record(
  Object.fromEntries(PLACES.map((p) => [p, secret])) as Record<keyof Planted, typeof secret>,
);

/** What the service hands out, from the seed (which the evidence may show: it is not itself a secret). */
const handedOut = (seed: string) => [`tok-${seed}`, `ss-${seed}`, `rl-${seed}`, `ck-${seed}`, `hd-${seed}`];

function casesFor(s: Planted): ApiTestCase[] {
  const caseOf = (id: string, request: ApiTestCase['steps'][number]['request']): ApiTestCase => ({
    id: `tc_00000000000${id}`,
    title: `a case that leaks ${id}`,
    kind: 'api',
    priority: 'high',
    tags: [],
    origin: originOf(`a case that leaks ${id}`),
    // A wrong token expected: the failure message quotes the one the service handed out.
    steps: [
      {
        name: 'sign in',
        request,
        expect: { status: 200, body: { token: 'not-this-one', 'session.id': 'nor-this' } },
      },
    ],
  });
  const basic = Buffer.from(`someone:${s.basicPassword}`).toString('base64');
  return [
    caseOf('1', {
      method: 'POST',
      path: '/login',
      headers: {
        authorization: `Bearer ${s.bearer}`,
        'X-Auth-Token': s.authToken,
        'Api-Key': s.apiKeyHeader,
        'X-Customer': s.schemeHeader,
        Cookie: `theme=dark; sid=${s.cookie}`,
        'x-seed': s.seed,
      },
      query: { api_key: s.apiKeyQuery, access_token: s.accessTokenQuery, page: 2 },
      json: { email: 'a@b.c', password: s.jsonPassword, credentials: { otp: s.jsonNested } },
    }),
    caseOf('2', {
      method: 'POST',
      path: '/form',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'proxy-authorization': `Basic ${basic}`,
        'x-seed': s.seed,
      },
      body: `user=someone&password=${s.rawForm}&remember=on`,
    }),
    caseOf('3', {
      method: 'POST',
      path: '/form',
      headers: { 'x-seed': s.seed },
      form: { client_secret: s.formField },
    }),
  ];
}

/** A secret as it might be written: as is, JSON- or URL-escaped, or in base64. */
const formsOf = (value: string) => [
  value,
  JSON.stringify(value).slice(1, -1),
  encodeURIComponent(value),
  Buffer.from(value).toString('base64').replace(/=+$/, ''),
];

describe('a run with secrets planted everywhere', () => {
  it('writes none of them to any report or stream, and its results file stays valid', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(planted, async (s) => {
        const redactor = new Redactor({ names: ['X-Customer'] });
        const results = await runTestCases(casesFor(s), {
          target,
          concurrency: 3,
          timeoutMs: 5000,
          retries: 0,
          redactor,
        });
        // The cases did fail, with messages quoting the service's answers and the evidence of what was sent.
        expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
        let printed = '';
        const sink = { write: (text: string) => void (printed += text) };
        const out = path.join(dir, `run-${run++}`);
        const summary = summarize({
          version: '0',
          target: target.href,
          startedAt: new Date(0),
          durationMs: 1,
          results,
          untested: [],
        });
        await writeReports(summary, out, { stdout: sink, stderr: sink, redactor });
        const files = await readdir(out);
        expect(files).toEqual(
          expect.arrayContaining(['report.md', 'report.html', 'junit.xml', 'results.json', 'gauntlet.sarif']),
        );
        const written = await Promise.all(
          files.map(async (f) => [f, await readFile(path.join(out, f), 'utf8')]),
        );
        const secrets = [...PLACES.filter((p) => p !== 'seed').map((p) => s[p]), ...handedOut(s.seed)];
        for (const [file, text] of [...written, ['output', printed]]) {
          for (const value of secrets) {
            for (const form of formsOf(value)) expect([file, text!.includes(form)]).toEqual([file, false]);
          }
        }
        const json = JSON.parse(written.find(([f]) => f === 'results.json')![1]!) as unknown;
        const valid = RunSummary.parse(json);
        // Redacted, not dropped: the evidence and the failures are still there to act on.
        expect(valid.results.every((r) => r.evidence.length > 0 && r.failures.length > 0)).toBe(true);
        expect(valid.results[0]!.failures.map((f) => f.message).join(' ')).toContain('[redacted]');
      }),
      { numRuns: 100 },
    );
  });
});
