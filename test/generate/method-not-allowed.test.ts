// rules/method-not-allowed: a method the API description does not offer on a step's path must be refused. Drafted
// from the description, run against the sample target and the third-party Petstore (which refuse), and against a
// service with a handler its description does not mention (which serves it, and fails).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatSourceError, GauntletConfig, loadUserCases } from '../../src/cases/index.ts';
import type { LoadedUserCase, TestCase } from '../../src/cases/index.ts';
import { createRulesProvider, generateTestCases } from '../../src/generate/index.ts';
import { journeysFromDescription, loadApiDescription } from '../../src/generate/openapi/index.ts';
import type { ApiDescription } from '../../src/generate/openapi/index.ts';
import { methodNotAllowed } from '../../src/generate/rules/method-not-allowed.ts';
import { runTestCases } from '../../src/run/index.ts';
import { startAidawg, type RunningAidawg } from '../../examples/aidawg/server.ts';
import { loadProjectInputs } from '../support/project.ts';
import { startThirdPartyService, THIRD_PARTY_DESCRIPTION } from '../support/third-party/index.ts';

const DESCRIPTION = `openapi: 3.1.0
info: { title: Items, version: '1' }
paths:
  /items:
    get: { operationId: listItems, responses: { '200': { description: the items } } }
    post: { operationId: addItem, responses: { '201': { description: added } } }
  /items/{itemId}:
    parameters: [{ name: itemId, in: path, required: true, schema: { type: string } }]
    get: { operationId: getItem, responses: { '200': { description: the item } } }
    put: { operationId: putItem, responses: { '200': { description: replaced } } }
    patch: { operationId: patchItem, responses: { '200': { description: changed } } }
    post: { operationId: copyItem, responses: { '201': { description: copied } } }
    delete: { operationId: deleteItem, responses: { '204': { description: deleted } } }
`;

const JOURNEY = `role: Clerk
journey: Keeps the list
steps:
  - step: List
    api: GET /items
  - step: Add
    api: POST /items
    example: { name: pen }
    capture: { id: body.id }
  - step: Read
    api: GET /items/{id}
  - step: Remove
    api: DELETE /items/{id}
`;

let dir: string;
let items: ApiDescription;
let journey: LoadedUserCase[];
let undocumented: Server;
let undocumentedUrl: string;
let aidawg: RunningAidawg;

const config = GauntletConfig.parse({});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-methods-'));
  await writeFile(path.join(dir, 'items.yaml'), DESCRIPTION);
  items = await loadApiDescription(path.join(dir, 'items.yaml'));
  const loaded = loadUserCases([{ path: 'user-cases/items.yml', text: JOURNEY }]);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatSourceError).join('\n'));
  journey = loaded.value;
  // Serves what its description says, and a PUT /items it does not.
  undocumented = createServer((req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/items' && req.method === 'GET') return json(200, []);
    if (req.url === '/items' && req.method === 'PUT') return json(200, { replaced: 'every item' });
    return json(404, { error: 'no such route' });
  });
  await new Promise<void>((resolve) => undocumented.listen(0, '127.0.0.1', resolve));
  undocumentedUrl = `http://127.0.0.1:${(undocumented.address() as AddressInfo).port}`;
  aidawg = await startAidawg();
});
afterAll(async () => {
  undocumented.closeAllConnections();
  await Promise.all([
    new Promise((resolve) => undocumented.close(resolve)),
    aidawg.close(),
    rm(dir, { recursive: true, force: true }),
  ]);
});

function generated(
  sources: readonly LoadedUserCase[],
  description?: ApiDescription,
  from = config,
): TestCase[] {
  const result = generateTestCases(sources, from, {
    rules: [methodNotAllowed],
    ...(description && { description }),
  });
  if (!result.ok) throw new Error(result.errors.map(formatSourceError).join('\n'));
  return result.cases;
}

const lastRequest = (c: TestCase) => {
  const step = c.steps.at(-1)!;
  if (!('request' in step)) throw new Error(`${c.title} does not end in a request`);
  return `${step.request.method} ${step.request.path}`;
};

describe('rules/method-not-allowed', () => {
  it('asks once a path in a journey, with a method the description does not offer there', () => {
    const cases = generated(journey, items);
    // /items/{itemId} offers all five methods the rule tries; /items offers GET and POST.
    expect(cases.map((c) => [c.title, lastRequest(c)])).toEqual([
      ['List: refuses PUT, which the API description does not offer there', 'PUT /items'],
    ]);
    expect(cases[0]).toMatchObject({
      tags: ['security'],
      priority: 'medium',
      origin: { generator: 'rules/method-not-allowed', step: 'List', line: 4, column: 5 },
      steps: [{ expect: { status: '4xx' } }],
    });
  });

  it('asks on the first step on a path however late it comes, and not again on its later steps', () => {
    const reads = Array.from(
      { length: 200 },
      (_, i) => `  - { step: Read ${i}, api: "GET /items/{itemId}", params: { itemId: i${i} } }`,
    );
    const loaded = loadUserCases([
      {
        path: 'user-cases/long.yml',
        text: [
          'role: Clerk',
          'journey: Reads a lot first',
          'steps:',
          ...reads,
          '  - { step: List, api: GET /items }',
          '  - { step: Add, api: POST /items, example: { name: pen } }',
          '  - { step: List again, api: GET /items }',
          '',
        ].join('\n'),
      },
    ]);
    if (!loaded.ok) throw new Error(loaded.errors.map(formatSourceError).join('\n'));
    expect(generated(loaded.value, items).map((c) => [c.origin.step, lastRequest(c)])).toEqual([
      ['List', 'PUT /items'],
    ]);
  });

  it('proposes nothing without a description, which alone says what a path offers', () => {
    expect(generated(journey)).toEqual([]);
  });

  it('comes with the description when exploration asks the rules about steps no result came from', async () => {
    const rules = createRulesProvider(config, [methodNotAllowed], items);
    const explored = await rules.explore({
      journey: journey[0]!,
      results: [],
      identities: [],
      operations: [],
      maxCases: 10,
    });
    expect(explored.drafts.map((d) => d.title)).toEqual([
      'List: refuses PUT, which the API description does not offer there',
    ]);
  });

  it('fails a service that serves a method its description does not mention', async () => {
    const [result] = await runTestCases(generated(journey, items), {
      target: new URL(undocumentedUrl),
      concurrency: 1,
      timeoutMs: 5000,
      retries: 0,
    });
    expect(result).toMatchObject({
      status: 'failed',
      failures: [expect.objectContaining({ check: 'status', message: expect.stringMatching(/got 200/) })],
    });
  });

  it('passes on the sample target, which refuses every method its description leaves out', async () => {
    const project = await loadProjectInputs();
    const cases = generated(
      project.userCases,
      await loadApiDescription('examples/aidawg/openapi.yaml'),
      project.config,
    );
    // Each journey's paths, once: dozens of them, over both products.
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const results = await runTestCases(cases, {
      target: new URL(aidawg.url),
      concurrency: 4,
      timeoutMs: 5000,
    });
    expect(results.filter((r) => r.status !== 'passed').map((r) => `${r.title}: ${r.error ?? ''}`)).toEqual(
      [],
    );
  });

  it("passes on a third party's Petstore, which answers 405 Method Not Allowed", async () => {
    const service = await startThirdPartyService();
    try {
      const petstore = await loadApiDescription(THIRD_PARTY_DESCRIPTION);
      const cases = generated(journeysFromDescription(petstore, { seed: 1 }), petstore);
      expect(cases.length).toBeGreaterThanOrEqual(2);
      const results = await runTestCases(cases, {
        target: new URL(service.url),
        concurrency: 1,
        timeoutMs: 5000,
      });
      expect(results.map((r) => [r.status, r.evidence.at(-1)?.response?.status])).toEqual(
        cases.map(() => ['passed', 405]),
      );
    } finally {
      await service.close();
    }
  });
});
