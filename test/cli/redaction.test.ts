// `gauntlet run` keeps secrets to itself: the password in --target's user info, a token of the environment that the
// service leaks back, a description's API-key header and every credential a user case sends never reach the
// command's output, the report files or the run store.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunSummary } from '../../src/cases/index.ts';
import { cliWith } from '../support/cli.ts';

const USERINFO_PASSWORD = 'ui-Pa55w0rd-7q';
const ENV_TOKEN = 'ghp_envToken1234567890abcd';
const ENV_URL_PASSWORD = 'redis-Pa55-0f-the-store';
const SCHEME_KEY = 'cust-K3y-0f-the-scheme';
const CASE_SECRETS = ['tok-Bearer-55aa77', 'pw-Secret-0002x', 'qk-Query-9988zz', 'srv-handed-out-1234'];
/** What the service hands out: a token, and the environment's token it should never have known. */
const handedOut = { token: CASE_SECRETS[3], leaked: ENV_TOKEN, store: ENV_URL_PASSWORD };

let server: Server;
let port: number;
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'set-cookie': `sid=${CASE_SECRETS[3]}x; Path=/`,
      });
      res.end(JSON.stringify({ ...handedOut, echo: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-redaction-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function files(folder: string): Promise<[string, string][]> {
  const found: [string, string][] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    found.push([file, await readFile(file, 'utf8')]);
  }
  return found;
}

describe('gauntlet run with credentials in its target, environment, description and cases', () => {
  it('prints and writes none of them, and says where the user info was', async () => {
    const cases = path.join(dir, 'cases.yml');
    await writeFile(
      cases,
      [
        'role: R',
        'journey: J',
        'steps:',
        '  - step: Sign in',
        '    api: POST /login',
        `    headers: { authorization: 'Bearer ${CASE_SECRETS[0]}', X-Customer: '${SCHEME_KEY}' }`,
        `    query: { api_key: '${CASE_SECRETS[2]}' }`,
        `    example: { email: a@b.c, password: '${CASE_SECRETS[1]}' }`,
        // A wrong token expected: the failure message quotes the one the service handed out.
        "    expect: { status: 200, body: { token: 'not-this-one', leaked: 'nothing' } }",
        '',
      ].join('\n'),
    );
    const openapi = path.join(dir, 'openapi.json');
    await writeFile(
      openapi,
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 't', version: '1' },
        paths: { '/login': { post: { responses: { '200': { description: 'ok' } } } } },
        components: { securitySchemes: { customer: { type: 'apiKey', in: 'header', name: 'X-Customer' } } },
      }),
    );
    const config = path.join(dir, 'gauntlet.yml');
    await writeFile(config, `openapi: ${openapi}\nretries: 0\n`);
    const out = path.join(dir, 'reports');
    const store = path.join(dir, 'store');
    const { code, stdout, stderr } = await cliWith(
      {
        GAUNTLET_STORE_DIR: store,
        CI_DEPLOY_TOKEN: ENV_TOKEN,
        CACHE_URL: `redis://:${ENV_URL_PASSWORD}@127.0.0.1:1/`,
      },
      'run',
      '--target',
      `http://someone:${USERINFO_PASSWORD}@127.0.0.1:${port}/`,
      '--cases',
      cases,
      '--config',
      config,
      '--rules-only',
      '--branch',
      'feature',
      '--out',
      out,
    );
    expect(code).toBe(1);
    expect(stderr).toContain(`against http://[redacted]@127.0.0.1:${port}/`);
    const written = [...(await files(out)), ...(await files(store)), ['output', `${stdout}\n${stderr}`]];
    expect(written.length).toBeGreaterThan(5);
    const secrets = [USERINFO_PASSWORD, ENV_TOKEN, ENV_URL_PASSWORD, SCHEME_KEY, ...CASE_SECRETS];
    for (const [file, text] of written) {
      for (const value of secrets) expect([file, value, text!.includes(value)]).toEqual([file, value, false]);
    }
    const summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
    expect(summary.target).toBe(`http://[redacted]@127.0.0.1:${port}/`);
    const messages = summary.results.flatMap((r) => r.failures.map((f) => f.message));
    expect(messages).toContain('expected body.token to be "not-this-one", got "[redacted]"');
    // The environment's token is no secret by name where the service puts it: it is hunted by value.
    const bodies = summary.results.flatMap((r) => r.evidence.map((e) => e.response?.body ?? ''));
    expect(bodies.some((body) => body.includes('"leaked":"[redacted]"'))).toBe(true);
  });
});
