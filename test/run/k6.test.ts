// k6 as a load engine. k6 itself cannot be installed here, so each part is proven on its own: the generated script
// type-checks against @types/k6 (k6's published API), its options are read back from its text, its own logic runs
// against a stand-in for k6's modules, summaries in k6's export format are parsed, and runK6 spawns a fake `k6`
// that writes such a summary and exits as k6 does.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import ts from 'typescript';
import type { ApiStep, LoadProfile, LoadTestCase } from '../../src/cases/index.ts';
import { findK6, K6Error, K6ExportError, parseK6Summary, runK6, toK6Script } from '../../src/run/load/k6.ts';
import { originOf } from '../support/cases.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/fixtures/k6');
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

const PROFILE: LoadProfile = {
  vus: 10,
  durationS: 30,
  thresholds: { p95Ms: 200, p99Ms: 400, maxErrorRate: 0.01, minRps: 50 },
};

const signIn: ApiStep = {
  name: 'sign in',
  request: { method: 'POST', path: '/login', json: { user: 'u{{$uid}}', password: 'pw' } },
  capture: { token: 'body.token', userId: 'body.user.id' },
  expect: { status: 200 },
};
const listSongs: ApiStep = {
  name: 'list songs',
  request: {
    method: 'GET',
    path: '/users/{{userId}}/songs',
    query: { page: 2, q: 'a b&c' },
    headers: { Authorization: 'Bearer {{token}}' },
  },
  expect: { status: [200, '3xx'] },
};

function loadCase(
  steps: ApiStep[],
  load: Partial<LoadProfile> = {},
  title = 'List songs under load',
): LoadTestCase {
  return {
    id: 'tc_0123456789ab',
    title,
    priority: 'high',
    tags: [],
    origin: { ...originOf(title), file: 'user-cases/music.yml', line: 14, column: 7 },
    kind: 'load',
    steps,
    load: { ...PROFILE, ...load },
  };
}

// ---- (a) The script type-checks against @types/k6 ----

/** Diagnostics of a script compiled as JavaScript with checkJs, as if it sat in the repository next to @types/k6. */
function k6Diagnostics(script: string): string[] {
  const file = path.join(ROOT, 'generated.k6.js');
  const options: ts.CompilerOptions = {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: ['k6'],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) =>
    name === file
      ? ts.createSourceFile(name, script, version, true, ts.ScriptKind.JS)
      : getSourceFile.call(host, name, version, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? script : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('the k6 script', () => {
  const profiles: [string, Partial<LoadProfile>][] = [
    ['a duration', {}],
    ['a ramp and a duration', { rampUpS: 5 }],
    ['a request count', { durationS: undefined, requests: 500 }],
    ['a ramp and a request count', { durationS: undefined, requests: 500, rampUpS: 5 }],
  ];

  it.each(profiles)('type-checks against @types/k6 for %s', (_, load) => {
    expect(k6Diagnostics(toK6Script(loadCase([signIn, listSongs], load)))).toEqual([]);
  });

  it('type-checks with forms, files, raw bodies and identities', () => {
    const upload: ApiStep = {
      name: 'upload',
      as: 'admin',
      request: {
        method: 'POST',
        path: '/songs',
        form: { title: 'x' },
        files: { audio: { base64: 'AAEC', contentType: 'audio/wav' }, notes: { text: 'la la' } },
      },
      expect: { status: 201 },
    };
    const raw: ApiStep = {
      name: 'raw',
      request: { method: 'PUT', path: '/raw', body: '{"a":1}', followRedirects: true },
      expect: {},
    };
    expect(k6Diagnostics(toK6Script(loadCase([upload, raw])))).toEqual([]);
  });

  it('is checked for real: a script that misuses k6/http fails the check', () => {
    const broken = toK6Script(loadCase([signIn, listSongs])).replace(
      'let res = http.request(method, url, body, params);',
      'let res = http.requets(method, url, body, params);',
    );
    expect(broken).toContain('http.requets(');
    const diagnostics = k6Diagnostics(broken);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatch(/Property 'requets' does not exist/);
  });

  it('names the case, its id and where it was written in its first lines', () => {
    const script = toK6Script(loadCase([signIn, listSongs]));
    expect(script.split('\n').slice(0, 2)).toEqual([
      '// Gauntlet load case "List songs under load" (tc_0123456789ab), from "user-cases/music.yml:14:7".',
      '// Set-up steps run once in setup(); the last step, "list songs", is the request under load.',
    ]);
  });

  it('embeds text from the case as data, never as code', () => {
    const hostile = 'x"; }); throw new Error("pwned"); // \u2028 */ ${1}';
    const step: ApiStep = {
      ...listSongs,
      name: hostile,
      request: { ...listSongs.request, path: `/${hostile}` },
    };
    const script = toK6Script(loadCase([signIn, step], {}, `title\n${hostile}`));
    expect(script).not.toContain('\u2028');
    expect(script.split('\n')[0]).toBe(
      `// Gauntlet load case ${JSON.stringify(`title\n${hostile}`).replace('\u2028', '\\u2028')} (tc_0123456789ab), from "user-cases/music.yml:14:7".`,
    );
    expect(k6Diagnostics(script)).toEqual([]);
    const load = script.match(/^const LOAD_STEP = \/\*\* @type \{Step\} \*\/ \(([\s\S]*?)\);$/m)?.[1];
    expect(JSON.parse(load!).name).toBe(hostile);
  });

  it('refuses a file to upload named by path, which k6 could not read where it runs', () => {
    const upload: ApiStep = {
      name: 'upload',
      request: { method: 'POST', path: '/songs', files: { audio: { path: 'song.wav' } } },
      expect: {},
    };
    expect(() => toK6Script(loadCase([upload, listSongs]))).toThrow(K6ExportError);
    expect(() => toK6Script(loadCase([upload, listSongs]))).toThrow(
      'tc_0123456789ab steps[0].request.files.audio: a k6 script cannot read song.wav where it runs',
    );
  });
});

// ---- (b) The options express the profile ----

function optionsOf(script: string): Record<string, unknown> {
  const text = script.match(/^export const options = (\{[\s\S]*?\n\});$/m)?.[1];
  if (text === undefined) throw new Error('no options in the script');
  return JSON.parse(text) as Record<string, unknown>;
}
const optionsFor = (load: Partial<LoadProfile>) => optionsOf(toK6Script(loadCase([signIn, listSongs], load)));

describe('the k6 options', () => {
  it('hold a duration with constant VUs', () => {
    expect(optionsFor({}).scenarios).toEqual({
      load: { executor: 'constant-vus', vus: 10, duration: '30s' },
    });
  });

  it('ramp from one VU to all of them, then hold them for the duration', () => {
    expect(optionsFor({ rampUpS: 7.5, durationS: 60 }).scenarios).toEqual({
      load: {
        executor: 'ramping-vus',
        startVUs: 1,
        stages: [
          { duration: '7500ms', target: 10 },
          { duration: '60s', target: 10 },
        ],
      },
    });
  });

  it('send a request count as shared iterations, never with more VUs than requests', () => {
    expect(optionsFor({ durationS: undefined, requests: 5000 }).scenarios).toEqual({
      load: { executor: 'shared-iterations', vus: 10, iterations: 5000, maxDuration: '1h' },
    });
    expect(optionsFor({ durationS: undefined, requests: 4 }).scenarios).toEqual({
      load: { executor: 'shared-iterations', vus: 4, iterations: 4, maxDuration: '1h' },
    });
  });

  it('ramp before a request count in a scenario of its own, the requests starting when it ends', () => {
    const script = toK6Script(
      loadCase([signIn, listSongs], { durationS: undefined, requests: 5000, rampUpS: 20 }),
    );
    expect(optionsOf(script).scenarios).toEqual({
      ramp: { executor: 'ramping-vus', startVUs: 1, stages: [{ duration: '20s', target: 10 }] },
      load: { executor: 'shared-iterations', vus: 10, iterations: 5000, maxDuration: '1h', startTime: '20s' },
    });
    expect(script).toContain('const RAMP_OFFSET = 5000;');
  });

  it('scope every threshold to the load request, leaving the set-up requests out', () => {
    const options = optionsFor({});
    expect(options.thresholds).toEqual({
      'http_req_duration{gauntlet:load}': ['p(95)<200', 'p(99)<400'],
      'http_req_failed{gauntlet:load}': ['rate<=0.01'],
      'http_reqs{gauntlet:load}': ['rate>=50'],
    });
    expect(options.summaryTrendStats).toEqual(expect.arrayContaining(['med', 'p(95)', 'p(99)', 'max']));
  });

  it('keep the load-only sub-metrics with thresholds that always pass when the profile sets none', () => {
    expect(optionsFor({ thresholds: {} }).thresholds).toEqual({
      'http_req_duration{gauntlet:load}': ['max>=0'],
      'http_req_failed{gauntlet:load}': ['rate>=0'],
      'http_reqs{gauntlet:load}': ['count>=0'],
    });
  });
});

// ---- The script's own logic, run against a stand-in for k6's modules ----

interface SentRequest {
  method: string;
  url: string;
  body: unknown;
  params: Record<string, unknown>;
}
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Evaluates a generated script as an ES module whose k6 imports are small stand-ins: http.request asks `answer`,
 * cookie jars keep what Set-Cookie said. This proves the script's placeholders, captures, status checks and
 * cookies, not k6 itself.
 */
async function evaluate(
  script: string,
  answer: (request: SentRequest) => Answer,
  env = { GAUNTLET_TARGET: 'http://api.test/base/' },
) {
  const context = vm.createContext({ __ENV: env });
  const sent: SentRequest[] = [];
  const checks: { name: string; passed: boolean; tags: unknown }[] = [];
  const scenario = { name: 'load', iterationInTest: 0 };
  class CookieJar {
    cookies: Record<string, string[]> = {};
    cookiesForURL() {
      return this.cookies;
    }
  }
  const http = {
    CookieJar,
    file: (data: unknown, filename: string, contentType: string) => ({
      data,
      filename,
      content_type: contentType,
    }),
    request(method: string, url: string, body: unknown, params: Record<string, unknown>) {
      sent.push({ method, url, body, params });
      const response = answer({ method, url, body, params });
      const cookie = response.headers?.['Set-Cookie']?.split(';')[0]?.split('=');
      if (cookie && params.jar instanceof CookieJar) params.jar.cookies[cookie[0]!] = [cookie[1]!];
      return { error: '', headers: {}, body: '', ...response };
    },
  };
  const k6 = {
    check(value: unknown, sets: Record<string, (v: unknown) => boolean>, tags: unknown) {
      for (const [name, test] of Object.entries(sets)) checks.push({ name, passed: test(value), tags });
      return true;
    },
  };
  const encoding = { b64decode: (text: string) => Buffer.from(text, 'base64').toString('hex') };
  const stand = (value: object) =>
    new vm.SyntheticModule(
      ['default', ...Object.keys(value)],
      function (this: vm.SyntheticModule) {
        this.setExport('default', value);
        for (const [key, item] of Object.entries(value)) this.setExport(key, item);
      },
      { context },
    );
  const modules: Record<string, vm.Module> = {
    'k6/http': stand(http),
    k6: stand(k6),
    'k6/encoding': stand(encoding),
    'k6/execution': stand({ scenario }),
  };
  const module = new vm.SourceTextModule(script, { context, identifier: 'generated.k6.js' });
  await module.link((specifier) => modules[specifier]!);
  await module.evaluate();
  const exports = module.namespace as {
    setup: () => { vars: Record<string, unknown>; cookies: Record<string, string> };
    default: (data: unknown) => void;
  };
  /** JSON round trips bring values out of the script's realm, so they compare as plain data. */
  const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  return { exports, sent, checks, scenario, plain };
}

const api = (request: SentRequest): Answer => {
  if (request.url.endsWith('/login')) {
    return {
      status: 200,
      body: JSON.stringify({ token: 'tok-1', user: { id: 7 } }),
      headers: { 'Set-Cookie': 'session=s1; Path=/' },
    };
  }
  return { status: 200 };
};

describe('the script, run', () => {
  it('signs in once in setup, then sends the load request with the captured values', async () => {
    const { exports, sent, checks, plain } = await evaluate(toK6Script(loadCase([signIn, listSongs])), api);
    const data = exports.setup();
    expect(plain(data.vars)).toEqual({
      $uid: expect.stringMatching(/^[0-9a-f]{12}$/),
      token: 'tok-1',
      userId: 7,
    });
    expect(plain(sent[0]!)).toEqual({
      method: 'POST',
      url: 'http://api.test/base/login',
      body: JSON.stringify({ user: `u${String(data.vars.$uid)}`, password: 'pw' }),
      params: {
        headers: { 'content-type': 'application/json' },
        redirects: 0,
        tags: { gauntlet: 'setup', name: 'sign in' },
        jar: { cookies: { session: ['s1'] } },
      },
    });
    exports.default(data);
    expect(plain(sent[1]!)).toEqual({
      method: 'GET',
      url: 'http://api.test/base/users/7/songs?page=2&q=a%20b%26c',
      body: null,
      params: {
        headers: { authorization: 'Bearer tok-1' },
        redirects: 0,
        tags: { gauntlet: 'load', name: 'list songs' },
        cookies: { session: 's1' },
        responseType: 'none',
      },
    });
    expect(plain(checks)).toEqual([
      { name: 'list songs: status 200 or 3xx', passed: true, tags: { gauntlet: 'load' } },
    ]);
  });

  it('checks the load response against its expected status', async () => {
    const { exports, checks } = await evaluate(toK6Script(loadCase([signIn, listSongs])), (r) =>
      r.url.includes('/songs') ? { status: 503 } : api(r),
    );
    exports.default(exports.setup());
    expect(checks.map((c) => c.passed)).toEqual([false]);
  });

  it('carries the cookies of the identity the load request is made as, and no other', async () => {
    const admin = (step: ApiStep): ApiStep => ({ ...step, as: 'admin' });
    const same = await evaluate(toK6Script(loadCase([admin(signIn), admin(listSongs)])), api);
    same.exports.default(same.exports.setup());
    expect(same.plain(same.sent[1]!.params.cookies)).toEqual({ session: 's1' });
    const other = await evaluate(toK6Script(loadCase([admin(signIn), listSongs])), api);
    other.exports.default(other.exports.setup());
    expect(other.plain(other.sent[1]!.params.cookies)).toEqual({});
  });

  it('numbers the load requests with $i, the ramp-up after the steady ones', async () => {
    const step: ApiStep = { name: 'get', request: { method: 'GET', path: '/n/{{$i}}' }, expect: {} };
    const script = toK6Script(loadCase([step], { durationS: undefined, requests: 100, rampUpS: 2 }));
    const { exports, sent, scenario } = await evaluate(script, api);
    const data = exports.setup();
    Object.assign(scenario, { name: 'load', iterationInTest: 3 });
    exports.default(data);
    Object.assign(scenario, { name: 'ramp', iterationInTest: 3 });
    exports.default(data);
    expect(sent.map((r) => r.url)).toEqual(['http://api.test/base/n/3', 'http://api.test/base/n/103']);
  });

  it('sends forms, files, raw bodies, repeats and second unique values as the API runner does', async () => {
    const steps: ApiStep[] = [
      {
        name: 'form',
        request: { method: 'POST', path: '/form', form: { a: 'x y', n: 1 } },
        repeat: { count: 2, concurrency: 1 },
        capture: { code: 'status', id: 'headers.X-Id' },
        expect: { status: '2xx' },
      },
      {
        name: 'upload',
        request: {
          method: 'POST',
          path: '/up',
          headers: { 'Content-Type': 'text/plain' },
          form: { k: '{{$uid-2}}' },
          files: {
            f: { base64: 'AAE=' },
            g: { text: 'hi {{code}}', name: 'g.txt', contentType: 'text/plain' },
          },
        },
        expect: {},
      },
      {
        name: 'raw',
        request: { method: 'PUT', path: '/raw/{{$i}}', body: '{{id}}', followRedirects: true },
        expect: {},
      },
    ];
    const { exports, sent, plain } = await evaluate(toK6Script(loadCase(steps)), () => ({
      status: 201,
      headers: { 'X-Id': 'id-9' },
    }));
    const { vars } = exports.setup();
    exports.default({ vars, cookies: {} });
    const uid = String(vars.$uid);
    expect(
      plain(sent.map((r) => [r.url, r.body, (r.params.headers as Record<string, string>)['content-type']])),
    ).toEqual([
      ['http://api.test/base/form', 'a=x%20y&n=1', 'application/x-www-form-urlencoded'],
      ['http://api.test/base/form', 'a=x%20y&n=1', 'application/x-www-form-urlencoded'],
      [
        'http://api.test/base/up',
        {
          k: `${uid}-2`,
          f: { data: '0001', filename: 'f', content_type: 'application/octet-stream' },
          g: { data: 'hi 201', filename: 'g.txt', content_type: 'text/plain' },
        },
        null,
      ],
      ['http://api.test/base/raw/0', 'id-9', 'application/json'],
    ]);
    // k6 never follows a redirect itself: the script does, checking each hop (below).
    expect(sent[3]!.params.redirects).toBe(0);
  });

  it('stops in setup when a set-up step answers with another status', async () => {
    const { exports } = await evaluate(toK6Script(loadCase([signIn, listSongs])), () => ({
      status: 500,
      body: 'database down',
    }));
    expect(() => exports.setup()).toThrow(
      'set-up step "sign in" expected status 200, got 500: database down',
    );
  });

  it('says so when a set-up step got no answer at all', async () => {
    const { exports } = await evaluate(
      toK6Script(loadCase([signIn, listSongs])),
      () =>
        ({
          status: 0,
          error: 'dial tcp: connection refused',
        }) as Answer,
    );
    expect(() => exports.setup()).toThrow('got no answer (dial tcp: connection refused)');
  });

  it('stops in setup when a value to capture is missing', async () => {
    const { exports } = await evaluate(toK6Script(loadCase([signIn, listSongs])), () => ({
      status: 200,
      body: 'not json',
    }));
    expect(() => exports.setup()).toThrow(
      'sign in: expected body.token in the response, to use as {{token}}',
    );
  });

  it('stops in setup, before any load, when the load request has a placeholder no step filled', async () => {
    const orphan: ApiStep = { ...listSongs, request: { ...listSongs.request, path: '/songs/{{songId}}' } };
    const { exports, sent } = await evaluate(toK6Script(loadCase([signIn, orphan])), api);
    expect(() => exports.setup()).toThrow(
      'list songs: no value for {{songId}} (was it captured by an earlier step?)',
    );
    expect(sent).toHaveLength(1);
  });

  it('refuses a filled path that would leave the target', async () => {
    const step: ApiStep = { name: 'next', request: { method: 'GET', path: '/{{next}}' }, expect: {} };
    const capture: ApiStep = { ...signIn, capture: { next: 'body.next' } };
    const { exports } = await evaluate(toK6Script(loadCase([capture, step])), () => ({
      status: 200,
      body: JSON.stringify({ next: '/evil.test/x' }),
    }));
    expect(() => exports.setup()).toThrow('next: the path "//evil.test/x" would leave the target');
  });

  const hopping: ApiStep = {
    name: 'hop',
    request: { method: 'POST', path: '/start', json: { a: 1 }, followRedirects: true },
    expect: { status: 200 },
  };
  const ping: ApiStep = { name: 'ping', request: { method: 'GET', path: '/ping' }, expect: {} };
  /** A target whose /start redirects to `location`, and that answers 200 anywhere else. */
  const redirecting =
    (location: string, status = 302) =>
    (request: SentRequest): Answer =>
      request.url.endsWith('/start') ? { status, headers: { Location: location } } : { status: 200 };

  it('follows redirects that stay on the target, hop by hop, as a browser would change the method', async () => {
    for (const [location, url] of [
      ['/base/next', 'http://api.test/base/next'],
      ['next?x=1', 'http://api.test/base/next?x=1'],
      ['http://API.test:80/base/other', 'http://API.test:80/base/other'],
    ]) {
      const { exports, sent } = await evaluate(toK6Script(loadCase([hopping, ping])), redirecting(location!));
      exports.setup();
      expect(sent.slice(0, 2).map((r) => [r.method, r.url, r.body === null])).toEqual([
        ['POST', 'http://api.test/base/start', false],
        ['GET', url, true],
      ]);
    }
    const { exports, sent } = await evaluate(
      toK6Script(loadCase([hopping, ping])),
      redirecting('/base/next', 307),
    );
    exports.setup();
    expect(sent[1]).toMatchObject({ method: 'POST', body: '{"a":1}' });
  });

  it.each([
    'http://evil.test/x',
    '//evil.test/x',
    '\\\\evil.test/x',
    'https://api.test/x',
    'http://api.test:8080/x',
    'http://api.test@evil.test/x',
    'http://evil.test#@api.test/x',
    'http://api.test%2eevil.test/x',
    'http://api.test.evil.test/x',
    'file:///etc/passwd',
    'javascript:alert(1)',
  ])('refuses to follow a redirect to %s, sending nothing there', async (location) => {
    const { exports, sent } = await evaluate(toK6Script(loadCase([hopping, ping])), redirecting(location));
    expect(() => exports.setup()).toThrow(
      /^hop: refused to follow a redirect to .+; only http:\/\/api\.test may be reached$/,
    );
    expect(sent).toHaveLength(1);
  });

  it('refuses the same redirects under load, before sending them', async () => {
    const load: ApiStep = { ...hopping, name: 'load hop' };
    const { exports, sent } = await evaluate(toK6Script(loadCase([signIn, load])), (request) =>
      request.url.endsWith('/start')
        ? { status: 302, headers: { location: 'http://evil.test/' } }
        : api(request),
    );
    // Set-up builds the load request without sending it; the load iteration sends it and stops at the redirect.
    const data = exports.setup();
    expect(() => exports.default(data)).toThrow(
      'load hop: refused to follow a redirect to http://evil.test/',
    );
    expect(sent.map((r) => r.url)).toEqual(['http://api.test/base/login', 'http://api.test/base/start']);
  });

  it('follows a redirect to an origin GAUNTLET_ORIGINS allows, and stops after five hops', async () => {
    const { exports, sent } = await evaluate(
      toK6Script(loadCase([hopping, ping])),
      redirecting('http://auth.test/x'),
      {
        GAUNTLET_TARGET: 'http://api.test/base/',
        GAUNTLET_ORIGINS: 'http://auth.test, https://other.test',
      } as { GAUNTLET_TARGET: string },
    );
    exports.setup();
    expect(sent[1]!.url).toBe('http://auth.test/x');
    const loop = await evaluate(toK6Script(loadCase([hopping, ping])), () => ({
      status: 302,
      headers: { location: '/base/start' },
    }));
    expect(() => loop.exports.setup()).toThrow('set-up step "hop" expected status 200, got 302');
    expect(loop.sent).toHaveLength(6);
  });

  it.each([
    [{}, 'GAUNTLET_TARGET is not set'],
    [{ GAUNTLET_TARGET: 'api.test' }, 'GAUNTLET_TARGET is not an http(s) URL: api.test'],
  ])('fails clearly without a usable GAUNTLET_TARGET (%j)', async (env, message) => {
    await expect(
      evaluate(toK6Script(loadCase([listSongs])), api, env as { GAUNTLET_TARGET: string }),
    ).rejects.toThrow(message);
  });
});

// ---- (c) Summaries in k6's export format ----

describe('parsing a k6 summary export', () => {
  it('reads a passing run', () => {
    expect(parseK6Summary(fixture('passing.json'), PROFILE)).toEqual({
      engine: 'k6',
      requests: 3000,
      errors: 3,
      errorRate: 0.001,
      rps: 99.86684,
      latencyMs: { p50: 41.2, p95: 120.5, p99: 180.3, max: 250.1 },
      durationS: expect.closeTo(30.04, 2),
      thresholds: [
        { name: 'p95Ms', limit: 200, actual: 120.5, passed: true },
        { name: 'p99Ms', limit: 400, actual: 180.3, passed: true },
        { name: 'maxErrorRate', limit: 0.01, actual: 0.001, passed: true },
        { name: 'minRps', limit: 50, actual: 99.86684, passed: true },
      ],
    });
  });

  it('judges each threshold of the profile on a run that failed them', () => {
    const measured = parseK6Summary(fixture('failing-thresholds.json'), PROFILE);
    expect(measured.thresholds).toEqual([
      { name: 'p95Ms', limit: 200, actual: 850.6, passed: false },
      { name: 'p99Ms', limit: 400, actual: 1400.9, passed: false },
      { name: 'maxErrorRate', limit: 0.01, actual: 0.08, passed: false },
      { name: 'minRps', limit: 50, actual: 39.9, passed: false },
    ]);
    expect(measured.errors).toBe(96);
  });

  it('prefers the load-only sub-metrics, which leave the set-up requests out', () => {
    const measured = parseK6Summary(fixture('tagged-submetrics.json'), PROFILE);
    expect(measured).toMatchObject({
      requests: 3000,
      errors: 0,
      errorRate: 0,
      rps: 97.40259,
      latencyMs: { p50: 41.2, p95: 120.5, p99: 180.3, max: 250.1 },
    });
  });

  it('judges only the thresholds the profile sets, at their limits', () => {
    const measured = parseK6Summary(fixture('passing.json'), {
      ...PROFILE,
      thresholds: { maxErrorRate: 0.001, minRps: 99.86684 },
    });
    expect(measured.thresholds.map((t) => [t.name, t.passed])).toEqual([
      ['maxErrorRate', true],
      ['minRps', true],
    ]);
  });

  it('takes p(50) when the summary has no med', () => {
    const summary = fixture('passing.json') as { metrics: Record<string, Record<string, unknown>> };
    const duration = summary.metrics.http_req_duration!;
    duration['p(50)'] = duration.med;
    delete duration.med;
    expect(parseK6Summary(summary, PROFILE).latencyMs.p50).toBe(41.2);
  });

  it('names what a summary without p(99) is missing', () => {
    expect(() => parseK6Summary(fixture('malformed.json'), PROFILE)).toThrow(
      new K6Error('k6 summary: metrics["http_req_duration"] has no number "p(99)"'),
    );
  });

  it.each([
    [null, 'k6 summary: expected an object with "metrics", as --summary-export writes'],
    [{ metrics: [] }, 'k6 summary: expected an object with "metrics", as --summary-export writes'],
    [{ metrics: {} }, 'k6 summary: metrics has no "http_reqs"'],
    [
      { metrics: { http_reqs: { count: 1 }, http_req_duration: {}, http_req_failed: {} } },
      'k6 summary: metrics["http_reqs"] has no number "rate"',
    ],
  ])('rejects %j', (json, message) => {
    expect(() => parseK6Summary(json, PROFILE)).toThrow(message);
  });

  it('gives a run without requests a duration of zero', () => {
    const summary = fixture('passing.json') as { metrics: Record<string, Record<string, unknown>> };
    summary.metrics.http_reqs = { count: 0, rate: 0 };
    expect(parseK6Summary(summary, PROFILE).durationS).toBe(0);
  });
});

// ---- (d) runK6 with a fake k6 ----

describe('running k6', () => {
  let dir: string;
  let counter = 0;
  const savedPath = process.env.PATH;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gauntlet-k6-'));
  });
  afterAll(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A `k6` that records how it was called, writes a summary as k6 does, and exits with k6's code. */
  function fakeK6(behaviour: {
    summary?: string;
    code?: number;
    stderr?: string;
    sleepMs?: number;
    interpreter?: string;
  }) {
    const home = path.join(dir, `fake-${++counter}`);
    mkdirSync(home);
    const executable = path.join(home, 'k6');
    const record = path.join(home, 'called.json');
    const summary = behaviour.summary === undefined ? null : path.join(FIXTURES, behaviour.summary);
    writeFileSync(
      executable,
      `#!${behaviour.interpreter ?? process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
const script = args[args.length - 1];
fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args, target: process.env.GAUNTLET_TARGET, script: fs.readFileSync(script, 'utf8'), pid: process.pid }));
const summary = ${JSON.stringify(summary)};
if (summary) fs.copyFileSync(summary, args[args.indexOf('--summary-export') + 1]);
process.stderr.write(${JSON.stringify(behaviour.stderr ?? '')});
setTimeout(() => process.exit(${behaviour.code ?? 0}), ${behaviour.sleepMs ?? 0});
`,
    );
    chmodSync(executable, 0o755);
    const called = () =>
      JSON.parse(readFileSync(record, 'utf8')) as {
        args: string[];
        target: string;
        script: string;
        pid: number;
      };
    return { home, executable, called };
  }

  const testCase = loadCase([signIn, listSongs]);
  const target = new URL('http://127.0.0.1:4010/api/');

  it('runs the script with the target set and parses the summary k6 exported', async () => {
    const k6 = fakeK6({ summary: 'tagged-submetrics.json' });
    const workDir = path.join(dir, 'work');
    const measured = await runK6(testCase, { target, k6Path: k6.executable, workDir });
    expect(measured).toMatchObject({ engine: 'k6', requests: 3000, latencyMs: { p95: 120.5 } });
    const { args, target: env, script } = k6.called();
    const scriptFile = path.join(workDir, 'tc_0123456789ab.k6.js');
    expect(args).toEqual([
      'run',
      '--quiet',
      '--summary-export',
      path.join(workDir, 'tc_0123456789ab.k6-summary.json'),
      '--env',
      'GAUNTLET_TARGET=http://127.0.0.1:4010/api',
      scriptFile,
    ]);
    expect(env).toBe('http://127.0.0.1:4010/api');
    expect(script).toBe(toK6Script(testCase));
  });

  it('takes exit code 99, failed thresholds, as a result', async () => {
    const k6 = fakeK6({ summary: 'failing-thresholds.json', code: 99 });
    const measured = await runK6(testCase, { target, k6Path: k6.executable, workDir: path.join(dir, 'w99') });
    expect(measured?.thresholds.every((t) => !t.passed)).toBe(true);
  });

  it('finds k6 on PATH', async () => {
    const k6 = fakeK6({ summary: 'passing.json' });
    process.env.PATH = `${k6.home}${path.delimiter}${savedPath}`;
    try {
      expect(findK6()).toBe(k6.executable);
      expect(await runK6(testCase, { target, workDir: path.join(dir, 'wpath') })).toMatchObject({
        requests: 3000,
      });
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('returns undefined when there is no k6 to run', async () => {
    const empty = path.join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    process.env.PATH = empty;
    try {
      expect(await runK6(testCase, { target, workDir: path.join(dir, 'wnone') })).toBeUndefined();
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('passes over files that are not executables when looking on PATH', () => {
    const home = path.join(dir, 'not-executable');
    mkdirSync(path.join(home, 'a', 'k6'), { recursive: true }); // a directory named k6
    mkdirSync(path.join(home, 'b'));
    writeFileSync(path.join(home, 'b', 'k6'), 'not executable');
    expect(
      findK6([path.join(home, 'a'), path.join(home, 'b'), '', path.join(home, 'c')].join(path.delimiter)),
    ).toBeUndefined();
  });

  it('refuses a k6Path with no executable', async () => {
    await expect(
      runK6(testCase, { target, k6Path: path.join(dir, 'nowhere', 'k6'), workDir: path.join(dir, 'wx') }),
    ).rejects.toThrow(`no k6 executable at ${path.join(dir, 'nowhere', 'k6')}`);
  });

  it('reports the exit code and what k6 said when it fails otherwise', async () => {
    const k6 = fakeK6({
      code: 107,
      stderr: 'level=error msg="set-up step \\"sign in\\" expected status 200, got 500"\n',
    });
    await expect(
      runK6(testCase, { target, k6Path: k6.executable, workDir: path.join(dir, 'w107') }),
    ).rejects.toThrow(
      'k6 failed (exit code 107): level=error msg="set-up step \\"sign in\\" expected status 200, got 500"',
    );
    const silent = fakeK6({ code: 1 });
    await expect(
      runK6(testCase, { target, k6Path: silent.executable, workDir: path.join(dir, 'w1') }),
    ).rejects.toThrow(/^k6 failed \(exit code 1\)$/);
  });

  it('reports a k6 that exits as if it ran but wrote no summary', async () => {
    const k6 = fakeK6({});
    await expect(
      runK6(testCase, { target, k6Path: k6.executable, workDir: path.join(dir, 'wnosum') }),
    ).rejects.toThrow('k6 exited with code 0 but wrote no summary');
  });

  it('reports a summary that is not JSON', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{ "metrics": ');
    const k6 = fakeK6({ summary: path.relative(FIXTURES, bad) });
    await expect(
      runK6(testCase, { target, k6Path: k6.executable, workDir: path.join(dir, 'wbad') }),
    ).rejects.toThrow(/k6 summary: .*tc_0123456789ab\.k6-summary\.json is not JSON/);
  });

  it('stops a k6 that runs past its time', async () => {
    const k6 = fakeK6({ summary: 'passing.json', sleepMs: 600_000 });
    // Long enough for the fake k6 to start and say who it is on a busy machine; far shorter than its sleep.
    await expect(
      runK6(testCase, { target, k6Path: k6.executable, workDir: path.join(dir, 'wslow'), timeoutMs: 10_000 }),
    ).rejects.toThrow('k6 did not finish within 10000 ms; it was stopped');
    // Stopped, not waited for: the process is gone.
    expect(() => process.kill(k6.called().pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('reports a k6 that cannot be started', async () => {
    const k6 = fakeK6({ interpreter: path.join(dir, 'no-such-interpreter') });
    await expect(
      runK6(testCase, { target, k6Path: k6.executable, workDir: path.join(dir, 'wstart') }),
    ).rejects.toThrow(/^cannot start k6 \(.*k6\): spawn .* ENOENT$/);
  });

  it('does not run k6 for a case it cannot express', async () => {
    const k6 = fakeK6({ summary: 'passing.json' });
    const upload: ApiStep = {
      name: 'upload',
      request: { method: 'POST', path: '/songs', files: { audio: { path: 'song.wav' } } },
      expect: {},
    };
    await expect(
      runK6(loadCase([upload, listSongs]), {
        target,
        k6Path: k6.executable,
        workDir: path.join(dir, 'wexp'),
      }),
    ).rejects.toThrow(K6ExportError);
  });
});
