// The acceptance fuzz of the security guarantees: user cases, gauntlet.yml, API descriptions and LLM replies are
// written by whoever opens a pull request, so thousands of random and hostile ones go through the same code the
// command runs. None may crash it (an exception instead of a positioned error), hang it, or read what it must not.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { loadConfig, loadUserCases } from '../../src/cases/index.ts';
import type { RunSummary } from '../../src/cases/index.ts';
import { generateTestCases } from '../../src/generate/index.ts';
import { ApiDescriptionError, loadApiDescription } from '../../src/generate/openapi/index.ts';
import { cli, cliWith } from '../support/cli.ts';
import { wireRequest } from '../support/openai/index.ts';
import { useOpenAiServer } from '../support/openai/jest.ts';

/** Strings an attacker would try: markup, injections, template and YAML syntax, paths, control characters. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '{{token}}',
    '{{$uid}}',
    '{{ constructor.constructor }}',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    'file:///proc/self/environ',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '![x](https://evil.test/p.png)',
    '/gauntlet run',
    '::set-output name=x::y',
    '*alias',
    '&anchor',
    '\u0000',
    '\r\nX-Injected: 1',
    'a'.repeat(5000),
    '(a+)+$',
    '^(\\w+\\s?)*$',
    '(?<=a)b',
    'GET //evil.test/x',
    'POST /api/{id}/{id}',
  ),
);

const scalar = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

/** A value shaped like a user-case step: real keys with hostile values, and some unknown keys. */
const step = fc.record(
  {
    step: hostileString,
    api: fc.oneof(
      hostileString,
      fc.constantFrom('GET /x', 'POST /api/items', 'DELETE /a/{id}', 'PUT /{x}/{y}'),
    ),
    page: hostileString,
    auth: fc.oneof(hostileString, fc.constantFrom('user', 'admin')),
    example: fc.oneof(scalar, fc.dictionary(hostileString, scalar, { maxKeys: 4 })),
    headers: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
    capture: fc.dictionary(hostileString, hostileString, { maxKeys: 2 }),
    expect: fc.record(
      {
        status: fc.oneof(fc.integer({ min: -1, max: 1000 }), hostileString),
        body: fc.dictionary(hostileString, fc.oneof(scalar, fc.record({ matches: hostileString })), {
          maxKeys: 3,
        }),
        maxMs: fc.integer(),
      },
      { requiredKeys: [] },
    ),
    cases: fc.array(
      fc.oneof(hostileString, fc.record({ title: hostileString, expect: fc.constant({ status: 400 }) })),
      {
        maxLength: 3,
      },
    ),
    repeat: fc.oneof(fc.integer(), fc.record({ count: fc.integer(), concurrency: fc.integer() })),
    bogus: scalar,
  },
  { requiredKeys: [] },
);

/** A user case valid in shape, so that generation, not only loading, meets the hostile values. */
const plausibleUserCase = fc.record({
  role: fc.string({ minLength: 1, maxLength: 20 }),
  journey: fc.string({ minLength: 1, maxLength: 20 }),
  steps: fc.array(
    fc.record(
      {
        step: fc.string({ minLength: 1, maxLength: 20 }),
        api: fc.constantFrom(
          'GET /x',
          'POST /api/items',
          'DELETE /a/{id}',
          'PUT /{x}/{y}',
          'PATCH /u/{id}/n',
        ),
        auth: fc.constant('user'),
        example: fc.dictionary(hostileString, scalar, { maxKeys: 4 }),
        cases: fc.array(hostileString, { maxLength: 3 }),
      },
      { requiredKeys: ['step', 'api'] },
    ),
    { minLength: 1, maxLength: 4 },
  ),
});

const userCase = fc.record(
  {
    product: hostileString,
    role: hostileString,
    journey: hostileString,
    description: hostileString,
    priority: fc.oneof(hostileString, fc.constantFrom('critical', 'high', 'low')),
    steps: fc.array(step, { maxLength: 4 }),
  },
  { requiredKeys: [] },
);

/** The YAML text of a value, JSON (a subset of YAML) or random text with YAML's own syntax mixed in. */
const asYamlText = (value: fc.Arbitrary<unknown>) =>
  fc.oneof(
    value.map((v) => JSON.stringify(v)),
    fc
      .tuple(value, fc.constantFrom('&a ', '*a ', '!!binary ', '? ', '--- ', '%YAML 1.1\n'), fc.nat())
      .map(([v, insert, at]) => {
        const text = JSON.stringify(v);
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i);
      }),
    fc.string({ unit: 'binary', maxLength: 300 }),
  );

function expectPositioned(result: {
  ok: boolean;
  errors?: { line: number; column: number; message: string }[];
}) {
  if (result.ok) return;
  for (const error of result.errors!) {
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.column).toBeGreaterThanOrEqual(1);
    expect(error.message).toMatch(/\S/);
  }
}

const CONFIG = loadConfig({
  path: 'gauntlet.yml',
  text: 'identities:\n  user:\n    steps: [{ api: POST /login, capture: { token: body.token } }]\n    headers: { authorization: "Bearer {{token}}" }\n',
});

describe('fuzzing what a pull request can write', () => {
  it('loads and generates from any user case with a positioned error or cases, never an exception', () => {
    if (!CONFIG.ok) throw new Error('the fixed configuration is valid');
    const config = CONFIG.value;
    let generatedSome = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          asYamlText(userCase),
          plausibleUserCase.map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const loaded = loadUserCases([{ path: 'user-cases/fuzz.yml', text }]);
          expectPositioned(loaded);
          if (!loaded.ok) return;
          const generated = generateTestCases(loaded.value, config);
          expectPositioned(generated);
          if (!generated.ok) return;
          expect(() => JSON.stringify(generated.cases)).not.toThrow();
          if (generated.cases.length > 0) generatedSome++;
        },
      ),
      { numRuns: 1500 },
    );
    // The fuzz is worth something only if many inputs got past loading into generation (about one in eight do).
    expect(generatedSome).toBeGreaterThan(25);
  }, 300_000);

  it('loads any gauntlet.yml with a positioned error or a configuration, never an exception', () => {
    const config = fc.record(
      {
        identities: fc.dictionary(
          hostileString,
          fc.record(
            { steps: fc.array(step, { maxLength: 2 }), headers: fc.dictionary(hostileString, hostileString) },
            { requiredKeys: [] },
          ),
          { maxKeys: 2 },
        ),
        origins: fc.array(hostileString, { maxLength: 3 }),
        openapi: hostileString,
        timeoutMs: scalar,
        concurrency: scalar,
        retries: scalar,
        generation: fc.dictionary(hostileString, scalar, { maxKeys: 3 }),
        store: fc.dictionary(hostileString, scalar, { maxKeys: 2 }),
        bogus: scalar,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(asYamlText(config), (text) => expectPositioned(loadConfig({ path: 'gauntlet.yml', text }))),
      { numRuns: 1500 },
    );
  }, 300_000);
});

/** A small OpenAPI 3 description with hostile names, patterns, examples and $refs. */
const description = fc.record({
  openapi: fc.constantFrom('3.0.3', '3.1.0', '2.0', 'x'),
  info: fc.constant({ title: 't', version: '1' }),
  paths: fc.dictionary(
    fc.oneof(fc.constantFrom('/a', '/a/{id}', '/{x}/{y}', '//evil.test/x', '/../x'), hostileString),
    fc.dictionary(
      fc.constantFrom('get', 'post', 'put', 'delete', 'bogus'),
      fc.record(
        {
          operationId: hostileString,
          parameters: fc.array(
            fc.record({
              name: hostileString,
              in: fc.constantFrom('path', 'query', 'header', 'cookie', 'body'),
              required: fc.boolean(),
              schema: fc.record(
                {
                  type: fc.constantFrom('string', 'integer', 'number', 'boolean', 'array', 'object'),
                  pattern: hostileString,
                  minimum: fc.integer(),
                  maxLength: fc.integer(),
                  example: scalar,
                  $ref: fc.constantFrom(
                    '#/components/schemas/S',
                    '/etc/passwd',
                    'file:///proc/self/environ',
                    'http://127.0.0.1:1/x',
                    '#/nowhere',
                  ),
                },
                { requiredKeys: ['type'] },
              ),
            }),
            { maxLength: 3 },
          ),
          responses: fc.constant({ '200': { description: 'ok' } }),
        },
        { requiredKeys: ['responses'] },
      ),
      { maxKeys: 2 },
    ),
    { maxKeys: 4 },
  ),
  components: fc.constant({
    schemas: { S: { type: 'object', properties: { s: { $ref: '#/components/schemas/S' } } } },
  }),
});

describe('fuzzing API descriptions', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gauntlet-fuzz-description-'));

  it('reads any description into operations or an ApiDescriptionError, never reading outside its folder', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(description, async (document) => {
        const file = path.join(dir, `d${n++}.json`);
        writeFileSync(file, JSON.stringify(document));
        try {
          const loaded = await loadApiDescription(file);
          const text = JSON.stringify(loaded);
          expect(text).not.toMatch(/root:x:0:0|PATH=|HOME=/);
        } catch (error) {
          expect(error).toBeInstanceOf(ApiDescriptionError);
        }
      }),
      { numRuns: 300 },
    );
  }, 300_000);

  it('validates user cases against a hostile description through the command, exiting 0 or 2 and never crashing', async () => {
    mkdirSync(path.join(dir, 'cli'), { recursive: true });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(description, async (document) => {
        const file = path.join(dir, 'cli', `d${n++}.json`);
        writeFileSync(file, JSON.stringify(document));
        const { code, stderr } = await cli('validate', '--no-cases', '--openapi', file);
        expect([0, 2]).toContain(code);
        expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      }),
      { numRuns: 150 },
    );
  }, 300_000);
});

// ---- A whole run, end to end, with secrets planted everywhere and an LLM that answers anything ----

/** A hostile reply of a model asked for test cases: cases that try to leave the target, stall the run or echo. */
const hostileRequest = fc.record({
  api: fc.oneof(
    fc.constantFrom(
      'GET /items',
      'POST /items',
      'GET //evil.test/x',
      'GET /../../etc/passwd',
      'GET /items?x={{token}}',
    ),
    hostileString,
  ),
  headers: fc.oneof(fc.constant(null), fc.constant('{"x-forwarded-host": "evil.test"}'), hostileString),
  example: fc.oneof(fc.constant(null), fc.constant('{"a": "{{secret:1}}"}'), hostileString),
  expect: fc.record({
    status: fc.oneof(fc.constant(200), fc.constant(null), fc.integer()),
    body: fc.oneof(
      fc.constant(null),
      fc.constant('{"token": {"matches": "(a+)+$"}}'),
      fc.constant('{"token": {"matches": "(?<=a)b"}}'),
      hostileString,
    ),
  }),
  followRedirects: fc.oneof(fc.constant(null), fc.boolean()),
  repeat: fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 100_000 })),
});
const hostileReply = fc.oneof(
  hostileString,
  fc.record({
    cases: fc.array(
      fc.record({
        step: fc.integer({ min: -1, max: 2 }),
        title: hostileString,
        category: fc.constantFrom('error', 'security', 'edge'),
        priority: fc.constantFrom('high', 'low'),
        tags: fc.constant([]),
        requests: fc.array(
          hostileRequest.map((r) => wireRequest(r)),
          { maxLength: 2 },
        ),
      }),
      { maxLength: 3 },
    ),
  }),
  fc.record({
    summary: fc.constantFrom(
      '![x](https://evil.test/p.png) @octocat /gauntlet approve',
      '::set-output name=x::y <!-- gauntlet -->',
    ),
    recommendations: fc.constant([{ text: '[click](https://evil.test)', findings: [] }]),
  }),
);

/** A secret: random enough that it appears in an output only if Gauntlet wrote it there. */
const secret = fc.stringMatching(/^[A-Za-z0-9]{18,28}$/).map((s) => `Sx${s}`);

/** Every form a secret could be written in: as it is, URL-encoded, JSON-escaped, base64 (alone or as user:secret). */
function formsOf(value: string): string[] {
  return [
    value,
    encodeURIComponent(value),
    Buffer.from(value).toString('base64'),
    Buffer.from(`user:${value}`).toString('base64'),
  ];
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('fuzzing a whole run', () => {
  const openai = useOpenAiServer();
  let service: Server;
  let port = 0;
  let planted = { login: '', cookie: '' };

  beforeAll(async () => {
    // A service that signs in, sets a cookie, and echoes back every request it gets, secrets and all.
    service = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
          res
            .writeHead(status, { 'content-type': 'application/json', ...headers })
            .end(JSON.stringify(value));
        if (req.url === '/login') {
          return json(
            200,
            { token: planted.login },
            { 'set-cookie': `sid=${planted.cookie}; Path=/; HttpOnly` },
          );
        }
        return json(200, { echo: { url: req.url, headers: req.headers, body }, token: planted.login });
      });
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    port = (service.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => service.close(() => resolve())));

  it('crashes on nothing, hangs on nothing and writes no secret anywhere', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'gauntlet-fuzz-run-'));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          password: secret,
          apiKey: secret,
          header: secret,
          login: secret,
          cookie: secret,
          userinfo: secret,
          llmKey: secret,
          replies: fc.array(hostileReply, { minLength: 1, maxLength: 3 }),
        }),
        async (secrets) => {
          planted = { login: secrets.login, cookie: secrets.cookie };
          const dir = path.join(root, `r${n++}`);
          mkdirSync(path.join(dir, 'cases'), { recursive: true });
          writeFileSync(
            path.join(dir, 'gauntlet.yml'),
            [
              'identities:',
              '  user:',
              '    steps:',
              `      - { api: POST /login, example: { email: a@example.test, password: ${secrets.password} }, capture: { token: body.token } }`,
              '    headers:',
              "      authorization: 'Bearer {{token}}'",
              `      x-api-key: ${secrets.apiKey}`,
              'retries: 0',
              'generation:',
              '  budget: { maxCases: 20 }',
              '',
            ].join('\n'),
          );
          writeFileSync(
            path.join(dir, 'cases', 'journey.yml'),
            [
              'role: R',
              'journey: J',
              'steps:',
              '  - step: List',
              '    api: GET /items',
              '    auth: user',
              `    headers: { x-auth-token: ${secrets.header} }`,
              "    expect: { status: 200, body: { token: 'not the token' } }",
              '',
            ].join('\n'),
          );
          openai().setDefaultReply(() => secrets.replies[0]!);
          openai().reply(...secrets.replies);
          const out = path.join(dir, 'out');
          const run = cliWith(
            {
              GAUNTLET_STORE_DIR: path.join(dir, 'store'),
              OPENAI_BASE_URL: openai().url,
              OPENAI_API_KEY: secrets.llmKey,
            },
            'run',
            '--target',
            `http://user:${secrets.userinfo}@127.0.0.1:${port}/`,
            '--cases',
            path.join(dir, 'cases'),
            '--config',
            path.join(dir, 'gauntlet.yml'),
            '--out',
            out,
            '--concurrency',
            '2',
          );
          const { code, stdout, stderr } = await withinSeconds(60, run);
          expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
          expect([0, 1]).toContain(code);
          const outputs = [
            ['stdout', stdout],
            ['stderr', stderr],
            ...filesUnder(out).map((file) => [file, readFileSync(file, 'latin1')]),
          ];
          // The run happened: it signed in, sent the journey's requests with the secrets, failed on the token, and
          // asked the LLM; so every secret had its chance to leak.
          const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as RunSummary;
          expect(results.results.some((r) => r.status === 'failed')).toBe(true);
          expect(openai().requests.length).toBeGreaterThan(0);
          const prompts = openai().requests.map((r) => JSON.stringify(r.body));
          for (const [name, value] of Object.entries(secrets)) {
            if (typeof value !== 'string') continue;
            for (const form of formsOf(value)) {
              for (const [where, text] of outputs) {
                if (text!.includes(form)) throw new Error(`the ${name} secret is written in ${where}`);
              }
              // What reached the LLM: never a credential of the user cases, the configuration or the service.
              if (name !== 'llmKey') {
                for (const prompt of prompts) {
                  if (prompt.includes(form)) throw new Error(`the ${name} secret was sent to the LLM`);
                }
              }
            }
          }
          openai().reset();
        },
      ),
      { numRuns: 12 },
    );
  }, 900_000);
});

/** The promise, or a failure saying it hung: a run that does not end in `seconds` is a hang. */
function withinSeconds<T>(seconds: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${seconds} s: a hang`)), seconds * 1000);
  });
  return Promise.race([promise, hung]).finally(() => clearTimeout(timer));
}

describe('descriptions the fuzz found crashing the command', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gauntlet-fuzz-found-'));
  const write = (name: string, document: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify(document));
    return file;
  };
  const info = { title: 't', version: '1' };

  it('makes up an operationId for an empty one, as for none', async () => {
    const file = write('empty-id.json', {
      openapi: '3.0.3',
      info,
      paths: { '/a': { get: { operationId: '', responses: { '200': { description: 'ok' } } } } },
    });
    const { code, stdout } = await cli('validate', '--no-cases', '--openapi', file);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1 journeys give \d+ test cases/);
  });

  it('names the place of a tag no journey can be named after, with exit 2', async () => {
    const file = write('blank-tag.json', {
      openapi: '3.0.3',
      info: { title: '', version: '1' },
      paths: { '/a': { get: { tags: [''], responses: { '200': { description: 'ok' } } } } },
    });
    const { code, stderr } = await cli('validate', '--no-cases', '--openapi', file);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      new RegExp(`${file.replaceAll('.', '\\.')}:1:\\d+: the operations tagged "" cannot be a journey`),
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reads a path with a stray percent sign', async () => {
    const file = write('percent.json', {
      openapi: '3.0.3',
      info,
      paths: { '/a%': { get: { responses: { '200': { description: 'ok' } } } } },
    });
    const { code } = await cli('validate', '--no-cases', '--openapi', file);
    expect([0, 2]).toContain(code);
  });
});
