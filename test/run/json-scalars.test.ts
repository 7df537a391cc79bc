// JSON bodies that are not objects or arrays: a correct service may answer 0, "", true or null as application/json
// (RFC 8259: any JSON value is a JSON text). Judged on real exchanges with a server on loopback, sent and checked the
// way a run sends and checks every request.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApiStep, Expectation } from '../../src/cases/index.ts';
import { BUILT_IN_CHECKS, OpenApiDescription, runTestCases } from '../../src/run/index.ts';
import { apiCase } from '../support/cases.ts';
import { useLoopbackServer } from '../support/loopback.ts';

/** Answers `body` (raw text) with the `type` and `status` the query asks for. */
const server = createServer((req, res) => {
  const url = new URL(req.url!, 'http://x');
  const type = url.searchParams.get('type') ?? 'application/json';
  res
    .writeHead(Number(url.searchParams.get('status') ?? 200), { 'content-type': type })
    .end(req.method === 'HEAD' ? undefined : (url.searchParams.get('body') ?? ''));
});
const targetUrl = useLoopbackServer(server);

const answering = (
  body: string,
  { type = 'application/json', status = 200, method = 'GET' as ApiStep['request']['method'] } = {},
  expect: Expectation = { status },
): ApiStep => ({
  name: `${method} ${JSON.stringify(body)} as ${type}`,
  request: { method, path: '/answer', query: { body, type, status } },
  expect,
});

/** Each step run as a case of its own, with every built-in check: the failures of each. */
async function failuresOf(steps: ApiStep[], openapi?: OpenApiDescription): Promise<string[][]> {
  const results = await runTestCases(
    steps.map((step, i) => ({ ...apiCase([step], step.name), id: `tc_${String(i).padStart(12, '0')}` })),
    {
      target: targetUrl(),
      concurrency: 2,
      timeoutMs: 10_000,
      checks: BUILT_IN_CHECKS,
      ...(openapi && { openapi }),
    },
  );
  return results.map((result) => {
    expect(result.error).toBeUndefined();
    return result.failures.map((failure) => `${failure.check}: ${failure.message}`);
  });
}

describe('a JSON body that is a scalar', () => {
  it('is valid JSON: a correct service answering scalars as application/json fails no check', async () => {
    const scalars = ['"0"', '-1', '0', '""', '"unordered"', 'true', 'false', 'null', ' 1.5e3\n', '"a\\"b"'];
    const failures = await failuresOf([
      ...scalars.map((body) => answering(body)),
      answering('"problem"', { type: 'application/problem+json; charset=utf-8', status: 422 }),
    ]);
    expect(failures).toEqual(failures.map(() => []));
  });

  it('is judged by body paths: "" names the whole body, a path into a scalar finds nothing', async () => {
    const failures = await failuresOf([
      answering('0', {}, { status: 200, body: { '': 0 } }),
      answering('null', {}, { status: 200, body: { '': null } }),
      answering('"unordered"', {}, { status: 200, body: { '': { type: 'string', oneOf: ['unordered'] } } }),
      answering('-1', {}, { status: 200, body: { '': { lt: 0 }, id: { exists: false } } }),
      answering('-1', {}, { status: 200, body: { '': 1 } }),
      answering('true', {}, { status: 200, body: { id: { exists: true } } }),
    ]);
    expect(failures).toEqual([
      [],
      [],
      [],
      [],
      ['body: expected body to be 1, got -1'],
      ['body: expected body.id to exist'],
    ]);
  });

  it('is held to the schema the OpenAPI description declares for it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-scalars-'));
    const file = path.join(dir, 'openapi.yaml');
    await writeFile(
      file,
      [
        'openapi: 3.0.3',
        'info: { title: Scalars, version: "1" }',
        'paths:',
        '  /answer:',
        '    get:',
        '      responses:',
        "        '200':",
        '          description: a count',
        '          content: { application/json: { schema: { type: integer, minimum: 0 } } }',
      ].join('\n'),
    );
    const failures = await failuresOf(
      [answering('0'), answering('-1'), answering('"0"')],
      await OpenApiDescription.load(file),
    );
    expect(failures).toEqual([
      [],
      [
        'openapi_body: GET /answer answered 200 with a body the OpenAPI description does not allow: the body must be >= 0',
      ],
      [
        'openapi_body: GET /answer answered 200 with a body the OpenAPI description does not allow: the body must be integer',
      ],
    ]);
  });

  it('sent as text stays text: "42", "true" and words as text/plain fail no check', async () => {
    const failures = await failuresOf(
      ['42', 'true', 'null', 'unordered', ''].map((body) => answering(body, { type: 'text/plain' })),
    );
    expect(failures).toEqual(failures.map(() => []));
  });
});

describe('a body declared JSON that is not', () => {
  it('fails json_content_type when it does not parse', async () => {
    const failures = await failuresOf(
      ['{oops', '<html></html>', 'unordered', "'single'", 'True', '1 2', '{"a":1}x'].map((body) =>
        answering(body),
      ),
    );
    expect(failures).toEqual(
      failures.map(() => [
        'json_content_type: the body is declared "application/json" but is not valid JSON',
      ]),
    );
  });

  it('lets an empty body pass whatever its status and method: no body is no JSON to judge', async () => {
    const failures = await failuresOf([
      answering(''),
      answering('  \n'),
      answering('', { status: 201 }),
      answering('', { status: 404 }),
      answering('', { status: 204 }),
      answering('', { status: 304 }),
      answering('', { status: 302 }),
      answering('', { method: 'HEAD' }),
    ]);
    expect(failures).toEqual(failures.map(() => []));
  });
});
