// rules/parameter-values: every parameter of an operation (path, query, header, cookie) and every form field gets
// the schema-driven values body fields get, with probes only where they make sense. Drafted from a small
// description; run through the CLI against a correct loopback service (no finding), a faulty one (caught), and the
// third-party Petstore.
import { describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GauntletConfig, RunSummary, formatSourceError } from '../../src/cases/index.ts';
import type { ApiTestCase, GauntletConfig as Config } from '../../src/cases/index.ts';
import { generateTestCases } from '../../src/generate/index.ts';
import { journeysFromDescription, loadApiDescription } from '../../src/generate/openapi/index.ts';
import type { ApiDescription } from '../../src/generate/openapi/index.ts';
import type { Rule, StepContext } from '../../src/generate/draft.ts';
import { injection } from '../../src/generate/rules/injection.ts';
import {
  interleave,
  PARAMETER_CASES_PER_OPERATION,
  parameterValues,
  parameterValuesFor,
} from '../../src/generate/rules/parameter-values.ts';
import { declaredParameters, withParameters } from '../../src/generate/rules/declared-parameters.ts';
import { pathTraversal } from '../../src/generate/rules/path-traversal.ts';
import { cli } from '../support/cli.ts';
import { useLoopbackServer } from '../support/loopback.ts';
import { rangesService, useRangesProject } from '../support/ranges-service.ts';
import { startThirdPartyService } from '../support/third-party/index.ts';

const SQL = "' OR '1'='1' --";
const TOLERATED = ['2xx', '3xx', '4xx'];

const project = useRangesProject('parameter-values');

function casesOf(
  rules: Rule[],
  description: ApiDescription = project.ranges,
  config: Config = GauntletConfig.parse({}),
): ApiTestCase[] {
  const generated = generateTestCases(journeysFromDescription(description, { seed: 1 }), config, {
    rules,
    description,
  });
  if (!generated.ok) throw new Error(generated.errors.map(formatSourceError).join('\n'));
  return generated.cases.filter((c): c is ApiTestCase => c.kind === 'api');
}

const lastRequest = (c: ApiTestCase) => c.steps.at(-1)!;

describe('the values each parameter is tried with', () => {
  /** The texts one parameter of listRange is tried with, and what each expects: "-1" → "4xx". */
  const triedOn = (name: string): Record<string, unknown> => {
    const operation = project.ranges.operations.find((o) => o.operationId === 'listRange')!;
    const context = {
      step: { step: 'List', api: 'GET /api/ranges/{from}/{to}' },
      operation,
    } as unknown as StepContext;
    const parameter = declaredParameters(context).find((p) => p.name === name)!;
    return Object.fromEntries(
      parameterValuesFor(parameter, 1).map((v) => [v.text ?? '(left out)', v.valid ? 'tolerated' : '4xx']),
    );
  };

  it('gives an integer query parameter 0, -1, its limits and just past them, a fraction, a huge value and a word', () => {
    const limit = triedOn('limit');
    expect(limit).toMatchObject({
      '0': 'tolerated',
      '-1': '4xx',
      '50': 'tolerated',
      '51': '4xx',
      abc: '4xx',
      '9223372036854775808': '4xx',
    });
    const fraction = Object.keys(limit).find((text) => /^\d+\.5$/.test(text));
    expect(fraction && limit[fraction]).toBe('4xx');
    // A required parameter is also left out, and must then be refused; a path parameter never is.
    expect(triedOn('step')).toMatchObject({
      '(left out)': '4xx',
      '0': '4xx',
      '1': 'tolerated',
      '100': 'tolerated',
    });
    expect(triedOn('from')).not.toHaveProperty(['(left out)']);
    expect(triedOn('from')).not.toHaveProperty(['']);
  });

  it('generates the parameter values as cases that expect a refusal where the schema says invalid', () => {
    const cases = casesOf([parameterValues]);
    const step = cases.filter((c) => c.title.startsWith('List range: ') && c.title.includes(' step '));
    const expected = Object.fromEntries(
      step.map((c) => [
        String(lastRequest(c).request.query?.step ?? '(left out)'),
        lastRequest(c).expect.status,
      ]),
    );
    expect(expected).toMatchObject({ '(left out)': '4xx', abc: '4xx' });
    expect(step.every((c) => c.origin.generator === 'rules/parameter-values')).toBe(true);
  });

  it('tries a text parameter with its edge values, and never a value a header cannot carry', () => {
    const trace = triedOn('X-Trace');
    expect(trace).toMatchObject({ '!': '4xx', [SQL]: '4xx' });
    expect(Object.keys(trace).some((text) => text.length > 32 && trace[text] === '4xx')).toBe(true);
    for (const text of Object.keys(trace)) {
      expect(text).toMatch(/^[\t\x20-\x7e\x80-\xff]*$/);
      expect(text).toBe(text.trim());
    }
    // A header and a cookie get SQL injection too (query and path values get it from rules/injection); where the
    // schema allows no such text, it must be refused.
    expect(triedOn('lang')).toMatchObject({ 'not-one-of-them': '4xx', [SQL]: '4xx' });
    // Optional and sent empty, a value may be taken as not sent.
    expect(triedOn('lang')['']).toBe('tolerated');
  });

  it('puts path, form and cookie values where they go, the rest of the request as the step sends it', () => {
    const cases = casesOf([parameterValues]);
    const from = cases.find((c) => c.title.includes('from not a number'))!;
    expect(lastRequest(from).request.path).toMatch(/^\/api\/ranges\/abc\/\d+$/);
    expect(lastRequest(from).request.query).toHaveProperty('step');
    const priority = cases.find((c) => c.title.includes('priority one above its maximum (6) in the form'))!;
    expect(lastRequest(priority).request.form).toMatchObject({ priority: '6', title: expect.any(String) });
    expect(lastRequest(priority).expect.status).toBe('4xx');
    const withoutTitle = cases.find((c) => c.title.includes('title left out in the form'))!;
    expect(lastRequest(withoutTitle).request.form).not.toHaveProperty('title');
    const lang = cases.find((c) => c.title.includes('lang outside its options'))!;
    expect(lastRequest(lang).request.headers).toEqual({ cookie: 'lang=not-one-of-them' });
    expect(lastRequest(lang).expect.status).toBe('4xx');
  });

  it('encodes a cookie value, so that no value can add a cookie or a header line', () => {
    const operation = project.ranges.operations.find((o) => o.operationId === 'listRange')!;
    const context = {
      step: {
        step: 'List',
        api: 'GET /api/ranges/{from}/{to}',
        headers: { Cookie: 'session=s1; lang=en' },
      },
      operation,
    } as unknown as StepContext;
    const lang = declaredParameters(context).find((p) => p.place === 'cookie')!;
    const attack = 'en; admin=1\r\nX-Injected: 1';
    const { headers } = withParameters(context, [[lang, attack]]);
    expect(headers).toEqual({ cookie: 'session=s1; lang=en%3B%20admin%3D1%0D%0AX-Injected%3A%201' });
    expect(decodeURIComponent(headers!.cookie!.split('lang=')[1]!)).toBe(attack);
    // Left out, the cookie goes and the others stay.
    expect(withParameters(context, [[lang, undefined]]).headers).toEqual({ cookie: 'session=s1' });
  });

  it('sends a cookie parameter beside the cookies of the identity the request is made as', async () => {
    const file = path.join(project.dir, 'signed-in.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3
info: { title: Signed in, version: '1' }
components:
  securitySchemes: { session: { type: apiKey, in: cookie, name: session } }
security: [{ session: [] }]
paths:
  /basket:
    get:
      operationId: readBasket
      parameters: [{ name: lang, in: cookie, schema: { type: string, enum: [en, fr] } }]
      responses: { '200': { description: the basket } }
`,
    );
    const description = await loadApiDescription(file);
    const config = GauntletConfig.parse({
      identities: {
        shopper: {
          steps: [{ api: 'POST /login', capture: { sid: 'body.sid' } }],
          cookies: { session: '{{sid}}' },
        },
      },
    });
    const generated = generateTestCases(
      journeysFromDescription(description, { seed: 1, auth: 'shopper' }),
      config,
      {
        rules: [parameterValues],
        description,
      },
    );
    if (!generated.ok) throw new Error(generated.errors.map(formatSourceError).join('\n'));
    const lang = generated.cases.find((c) => c.title.includes('lang outside its options')) as ApiTestCase;
    expect(lastRequest(lang).request.headers).toEqual({
      cookie: 'session={{shopper.sid}}; lang=not-one-of-them',
    });
  });

  it('reads flags, decimals and lists as text, and leaves alone what OpenAPI or HTTP sets itself', async () => {
    const file = path.join(project.dir, 'kinds.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3
info: { title: Kinds, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - { name: archived, in: query, schema: { type: boolean } }
        - { name: ratio, in: query, schema: { type: number, maximum: 1 } }
        - { name: ids, in: query, schema: { type: array, items: { type: integer, minimum: 1 } } }
        - { name: filter, in: query, schema: { type: object, properties: { a: { type: string } } } }
        - { name: Authorization, in: header, schema: { type: string } }
        - { name: 'bad cookie', in: cookie, schema: { type: string } }
      responses: { '200': { description: the things } }
`,
    );
    const cases = casesOf([parameterValues], await loadApiDescription(file));
    const tried = (name: string) =>
      Object.fromEntries(
        cases
          .filter((c) => lastRequest(c).request.query?.[name] !== undefined)
          .map((c) => [String(lastRequest(c).request.query![name]), lastRequest(c).expect.status]),
      );
    expect(tried('archived')).toEqual({ maybe: '4xx', true: TOLERATED, false: TOLERATED });
    expect(tried('ratio')).toMatchObject({
      '1': TOLERATED,
      '2': '4xx',
      '1e309': '4xx',
      abc: '4xx',
      '-1': TOLERATED,
    });
    expect(tried('ids')).toMatchObject({ '0': '4xx', '1': TOLERATED, abc: '4xx' });
    expect(cases.filter((c) => c.title.includes(', as a one-item list')).length).toBe(
      Object.keys(tried('ids')).length,
    );
    // An object has no one way to be a query value; Authorization is the identity's; a cookie name with a space
    // cannot be sent.
    expect(tried('filter')).toEqual({});
    expect(cases.filter((c) => /Authorization|bad cookie/.test(c.title))).toEqual([]);
  });

  it('sends a path traversal or an injection only into text, and a word into a number instead', () => {
    const traversal = casesOf([pathTraversal]);
    expect(traversal.filter((c) => c.title.includes('/api/ranges'))).toEqual([]);
    const injected = casesOf([injection]);
    // "step" is an integer query value; "q" is text.
    expect(injected.filter((c) => c.title.includes('"step"'))).toEqual([]);
    expect(injected.filter((c) => c.title.includes('"q" query value')).length).toBeGreaterThan(0);
    const words = casesOf([parameterValues]).filter((c) => c.title.includes('not a number ("abc")'));
    expect(words.map((c) => c.title.split(': ')[1]).sort()).toEqual(
      [
        'refuses from not a number ("abc") in the path',
        'refuses limit not a number ("abc") in the query',
        'refuses priority not a number ("abc") in the form',
        'refuses step not a number ("abc") in the query',
        'refuses to not a number ("abc") in the path',
        'refuses weight not a number ("abc") in the form',
      ].sort(),
    );
  });

  it('keeps to a cap per operation, each parameter getting its most telling values first, the same for a seed', async () => {
    const parameters = Array.from(
      { length: 12 },
      (_, i) => `        - { name: n${i}, in: query, schema: { type: integer, minimum: 0, maximum: 9 } }`,
    ).join('\n');
    const file = path.join(project.dir, 'many.yaml');
    await writeFile(
      file,
      `openapi: 3.0.3\ninfo: { title: Many, version: '1' }\npaths:\n  /sum:\n    get:\n      parameters:\n${parameters}\n      responses: { '200': { description: the sum } }\n`,
    );
    const many = await loadApiDescription(file);
    const cases = casesOf([parameterValues], many);
    expect(cases).toHaveLength(PARAMETER_CASES_PER_OPERATION);
    const perParameter = new Map<string, number>();
    for (const c of cases) {
      const [name] = Object.keys(lastRequest(c).request.query ?? {});
      perParameter.set(name!, (perParameter.get(name!) ?? 0) + 1);
    }
    expect(perParameter.size).toBe(12);
    expect(Math.min(...perParameter.values())).toBeGreaterThanOrEqual(2);
    // Each parameter's first values are refusals: the wrong type or past a limit.
    expect(cases.slice(0, 12).every((c) => lastRequest(c).expect.status === '4xx')).toBe(true);
    expect(casesOf([parameterValues], many).map((c) => c.title)).toEqual(cases.map((c) => c.title));
    const otherSeed = casesOf([parameterValues], many, GauntletConfig.parse({ generation: { seed: 7 } }));
    expect(otherSeed).toHaveLength(PARAMETER_CASES_PER_OPERATION);
  });

  it('takes turns between lists until the cap', () => {
    expect(interleave<number | string>([[1, 2, 3], ['a'], [10, 20]], 5, 0)).toEqual([1, 'a', 10, 2, 20]);
    expect(interleave<number | string>([[1, 2, 3], ['a'], [10, 20]], 99, 1)).toEqual(['a', 10, 1, 20, 2, 3]);
    expect(interleave([], 5, 3)).toEqual([]);
  });
});

describe('against running services', () => {
  const correct = rangesService();
  const correctUrl = useLoopbackServer(correct.server);
  const faulty = rangesService({ negativeLimit: true });
  const faultyUrl = useLoopbackServer(faulty.server);

  const run = async (target: string, name: string, description = project.description) => {
    const out = path.join(project.dir, name);
    const result = await cli(
      'run',
      ...['--rules-only', '--no-cases', '--openapi', description, '--config', project.config],
      ...['--target', target, '--out', out, '--concurrency', '1'],
    );
    const summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
    return { ...result, summary };
  };

  it('finds nothing wrong with a service that checks its parameters, and no value adds a cookie', async () => {
    const { code, stdout, summary } = await run(correctUrl().href, 'correct');
    const failed = summary.results.filter((r) => r.status !== 'passed');
    expect(failed.map((r) => `${r.title}: ${r.error ?? JSON.stringify(r.failures)}`)).toEqual([]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No problems found/);
    const mine = summary.results.filter((r) => r.origin.generator === 'rules/parameter-values');
    expect(mine.length).toBeGreaterThan(40);
    // Every Cookie header the service got holds the one cookie the description declares.
    expect(correct.cookies.length).toBeGreaterThan(3);
    for (const header of correct.cookies) {
      expect(header.split(';').map((pair) => pair.split('=')[0]!.trim())).toEqual(['lang']);
    }
  });

  it('catches a service that fails on a negative query integer', async () => {
    const { code, summary } = await run(faultyUrl().href, 'faulty');
    expect(code).toBe(1);
    const failed = summary.results.filter((r) => r.status === 'failed');
    const negative = failed.find(
      (r) => r.title === 'List range: refuses limit one below its minimum (-1) in the query',
    );
    expect(negative?.failures.map((f) => f.check)).toEqual(
      expect.arrayContaining(['status', 'not_a_server_error']),
    );
  });

  it('finds nothing wrong with the third-party Petstore but the impossible date it takes', async () => {
    const service = await startThirdPartyService();
    try {
      const { summary } = await run(service.url, 'petstore', service.description);
      const mine = summary.results.filter((r) => r.origin.generator === 'rules/parameter-values');
      expect(mine.length).toBeGreaterThan(50);
      expect(mine.filter((r) => r.status === 'error')).toEqual([]);
      // The checks this rule's expectations drive: the status it expects, and no server error. (What the responses
      // say of themselves is the response checks' to judge.)
      const wrong = mine.filter((r) =>
        r.failures.some((f) => f.check === 'status' || f.check === 'not_a_server_error'),
      );
      // The Petstore takes 2024-02-30 as a date of birth to filter by, as it takes it in a body (a real finding).
      expect(wrong.map((r) => r.title).sort()).toEqual([
        'Delete pets: refuses dob not a real date (2024-02-30) in the query',
        'Find pets: refuses dob not a real date (2024-02-30) in the query',
      ]);
    } finally {
      await service.close();
    }
  });
});
