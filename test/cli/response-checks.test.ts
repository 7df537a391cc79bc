// Answers checked against the API description whatever its version: a Swagger 2.0 description is converted to
// OpenAPI 3.0 (its external files bundled first), and a description whose server has a path is matched below it.
// A correct service gives no finding; an answer off the description is one, on the operation's path template.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunSummary } from '../../src/cases/index.ts';
import { responseChecks } from '../../src/cli/run-command.ts';
import type { ApiDescription } from '../../src/generate/openapi/index.ts';
import { cli } from '../support/cli.ts';
import { useLoopbackServer } from '../support/loopback.ts';

/** A small shelf service under /v1: things are right; /broken answers an id that is not a number. */
const answers: Record<string, unknown> = {
  '/v1/things': [
    { id: 1, name: 'a' },
    { id: 2, name: null },
  ],
  '/v1/broken': { id: 'seven', name: 'b' },
};
const url = useLoopbackServer(
  createServer((req, res) => {
    const pathname = new URL(req.url!, 'http://x').pathname;
    const answer = Object.hasOwn(answers, pathname) ? answers[pathname] : undefined;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    if (answer === undefined) return json(404, { error: 'not found' });
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return json(405, { error: 'GET only' }, { allow: 'GET' });
    return json(200, answer);
  }),
);

const THING = `Thing:
  type: object
  required: [id]
  properties:
    id: { type: integer }
    name: { type: string, x-nullable: true }
`;
const SWAGGER = `swagger: '2.0'
info: { title: Shelf, version: '1' }
basePath: /v1
produces: [application/json]
paths:
  /things:
    get:
      responses:
        '200': { description: ok, schema: { type: array, items: { $ref: 'thing.yaml#/Thing' } } }
        '404': { description: none }
  /broken:
    get:
      responses:
        '200': { description: ok, schema: { $ref: '#/definitions/Broken' } }
        '404': { description: none }
definitions:
  Broken: { type: object, required: [id], properties: { id: { type: integer }, name: { type: string } } }
`;
const OPENAPI = `openapi: 3.0.3
info: { title: Shelf, version: '1' }
servers: [{ url: /v1 }]
paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: { type: object, properties: { id: { type: integer }, name: { type: string, nullable: true } } }
        '404': { description: none }
  /broken:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { type: object, properties: { id: { type: integer }, name: { type: string } } }
        '404': { description: none }
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-responses-'));
  await writeFile(path.join(dir, 'swagger.yaml'), SWAGGER);
  await writeFile(path.join(dir, 'thing.yaml'), THING);
  await writeFile(path.join(dir, 'openapi.yaml'), OPENAPI);
  await writeFile(path.join(dir, 'gauntlet.yml'), 'retries: 0\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function runAgainst(description: string, out: string) {
  const result = await cli(
    'run',
    ...['--rules-only', '--no-cases', '--openapi', path.join(dir, description)],
    ...['--config', path.join(dir, 'gauntlet.yml'), '--target', url().href, '--out', path.join(dir, out)],
  );
  const summary = RunSummary.parse(JSON.parse(await readFile(path.join(dir, out, 'results.json'), 'utf8')));
  const report = await readFile(path.join(dir, out, 'report.md'), 'utf8');
  return { ...result, summary, report };
}

describe.each([
  ['swagger.yaml', 'Swagger 2.0', ' (converted from Swagger 2.0 to OpenAPI 3.0)'],
  ['openapi.yaml', 'OpenAPI 3.0 with a server path', ''],
])('answers checked against %s (%s)', (description, _, converted) => {
  let run: Awaited<ReturnType<typeof runAgainst>>;
  beforeAll(async () => {
    run = await runAgainst(description, `out-${description}`);
  });

  it('finds the one answer off the description, on its path template, and nothing on the right answers', () => {
    expect(run.code).toBe(1);
    const findings = run.summary.findings!.filter((f) => f.state !== 'fixed');
    expect(findings.map((f) => [f.check, f.operation])).toEqual([['openapi_body', 'GET /v1/broken']]);
    expect(findings[0]!.message).toContain('body.id must be integer');
  });

  it('says in results.json and in the report that answers were checked, and against what', () => {
    expect(run.summary.operations!.responses).toEqual({
      checked: true,
      note: `against the description${converted}`,
    });
    expect(run.report).toContain(`Their answers were checked against the description${converted}.`);
    expect(run.stderr).not.toContain('Responses are not checked');
  });
});

describe('answers that cannot be checked', () => {
  const description = (extra: Partial<ApiDescription>): ApiDescription => ({
    source: 'shelf.yaml',
    specVersion: '2.0',
    title: 'Shelf',
    version: '1',
    tags: [],
    operations: [],
    ...extra,
  });

  it('are said, with the reason, when a Swagger 2.0 description could not be converted', () => {
    const problem = 'the Swagger 2.0 description could not be converted to OpenAPI 3.0: boom';
    const checking = responseChecks(description({ document: { swagger: '2.0' }, responseProblem: problem }));
    expect(checking).toEqual({ responses: { checked: false, note: problem } });
  });

  it('are said when only a Swagger 2.0 document is at hand, or none', () => {
    expect(responseChecks(description({ document: { swagger: '2.0', paths: {} } }))).toEqual({
      responses: {
        checked: false,
        note: 'shelf.yaml: responses are checked against OpenAPI 3.x descriptions only',
      },
    });
    expect(responseChecks(description({}))).toEqual({
      responses: { checked: false, note: 'the description could not be read whole' },
    });
  });

  it('a description read in memory is checked against its own OpenAPI 3 document', () => {
    const checking = responseChecks(
      description({ specVersion: '3.0.3', document: { openapi: '3.0.3', paths: {} } }),
    );
    expect(checking.responses).toEqual({ checked: true, note: 'against the description' });
    expect(checking.openapi).toBeDefined();
  });
});
