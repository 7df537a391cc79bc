// Exploration of an API that takes parameters only (GET, path and query), known by its OpenAPI description alone:
// the rounds after the generated run mutate every parameter, send back values earlier responses held, follow the
// mutations that changed a status, and the console, the reports and results.json say the same rounds.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatSourceError, loadConfig, loadUserCases, RunSummary } from '../../src/cases/index.ts';
import type { ApiStep, ApiTestCase, RunResult } from '../../src/cases/index.ts';
import { followUps } from '../../src/explore/index.ts';
import { ParameterFeedback } from '../../src/explore/feedback.ts';
import { mutantsOf, parameterMutations, parameterSlots } from '../../src/explore/parameters.ts';
import { ResponseValues } from '../../src/explore/response-values.ts';
import { generateTestCases } from '../../src/generate/index.ts';
import { explorationSentence, roundPhrases } from '../../src/report/exploration.ts';
import type { ApiDescription } from '../../src/generate/openapi/description.ts';
import { cli, type CliOutput } from '../support/cli.ts';
import { useLoopbackServer } from '../support/loopback.ts';
import { parameterService } from './parameter-service.ts';

const faultyUrl = useLoopbackServer(parameterService({ faulty: true }));
const correctUrl = useLoopbackServer(parameterService({ faulty: false }));

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

interface Explored {
  output: CliOutput;
  summary: RunSummary;
  markdown: string;
  html: string;
}

/** `gauntlet explore` of the service by its description alone, as a new user would run it. */
async function exploreService(target: URL): Promise<Explored> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-parameters-'));
  dirs.push(dir);
  const out = path.join(dir, 'reports');
  const base = target.href.replace(/\/$/, '');
  const output = await cli(
    'explore',
    '--target',
    base,
    '--rules-only',
    '--no-cases',
    '--openapi',
    `${base}/openapi.json`,
    '--retries',
    '0',
    '--out',
    out,
  );
  const read = (file: string) => readFile(path.join(out, file), 'utf8');
  return {
    output,
    summary: RunSummary.parse(JSON.parse(await read('results.json'))),
    markdown: await read('report.md'),
    html: await read('report.html'),
  };
}

const TIMEOUT = 300_000;

describe('gauntlet explore on a GET-only API', () => {
  it(
    'finds a crash only a value from an earlier response reaches, in a round after the generated run',
    async () => {
      const { output, summary } = await exploreService(faultyUrl());
      expect(output.code).toBe(1);
      const exploration = summary.exploration!;
      // The generated run alone finds nothing: the crash needs item 3 shown in its own view, "exploded".
      const generated = summary.results.filter((r) => !r.origin.generator.startsWith('explore/'));
      expect(generated.every((r) => r.status === 'passed')).toBe(true);
      expect(exploration.rounds.filter((r) => r.round > 0).length).toBeGreaterThanOrEqual(2);
      expect(exploration.findings).toHaveLength(1);
      const [finding] = exploration.findings;
      expect(finding!.firstSeenRound).toBeGreaterThanOrEqual(1);
      const minimal = summary.results.find((r) => r.caseId === finding!.minimalCaseId)!;
      expect(minimal.origin.generator).toBe('explore/parameter');
      expect(minimal.evidence.at(-1)!.request.url).toMatch(/\/items\/3\?view=exploded$/);
      expect(minimal.evidence.at(-1)!.response!.status).toBe(500);
      // It grew from a generated case through a mutation whose status changed (200 → 400 for a view of another item).
      expect(finding!.chain.length).toBeGreaterThanOrEqual(3);
    },
    TIMEOUT,
  );

  it(
    'says the same rounds on the console, in report.md, report.html and results.json',
    async () => {
      const { output, summary, markdown, html } = await exploreService(faultyUrl());
      const { rounds } = summary.exploration!;
      const after = rounds.filter((r) => r.round > 0);
      expect(rounds[0]!.round).toBe(0);
      const sentence = `Exploration ran ${after.length} rounds after the generated run; it stopped because`;
      expect(output.stderr).toContain(sentence);
      expect(markdown).toContain(sentence);
      expect(html).toContain(sentence);
      expect(markdown).not.toContain('ran no round');
      for (const round of rounds) {
        // Each round, as the console logged it and the reports list it, with the cases results.json counts.
        expect(output.stderr).toContain(`Exploration round ${round.round}: ${round.cases} cases,`);
        const listed = round.round === 0 ? 'Round 0, the generated run, ran' : `Round ${round.round} ran`;
        expect(markdown).toContain(`- ${listed} ${round.cases} case`);
        expect(html).toContain(`${listed} ${round.cases} case`);
      }
      // The rounds after the first say what made their cases: parameter mutations, on this API.
      expect(after[0]!.made!['explore/parameter']).toBeGreaterThan(0);
      expect(after[0]!.statusChanges).toBeGreaterThan(0);
      expect(markdown).toMatch(
        /- Round 1 ran \d+ cases \(\d+ parameter mutations\) and found no new kinds of failure; \d+ mutations? changed a status/,
      );
    },
    TIMEOUT,
  );

  it(
    'finds nothing on the correct service, and still runs rounds that mutate every parameter',
    async () => {
      const { output, summary, markdown } = await exploreService(correctUrl());
      expect(output.code).toBe(0);
      expect(summary.results.filter((r) => r.status !== 'passed')).toEqual([]);
      const exploration = summary.exploration!;
      expect(exploration.findings).toEqual([]);
      const after = exploration.rounds.filter((r) => r.round > 0);
      expect(after.length).toBeGreaterThanOrEqual(1);
      expect(after.length).toBeLessThanOrEqual(5);
      expect(exploration.stopped).not.toBe('nothing-to-try');
      // Path, query: each parameter of both operations was varied.
      const titles = summary.results.map((r) => r.title);
      for (const slot of ['path parameter "itemId"', 'query parameter "view"', 'query parameter "limit"']) {
        expect(titles.some((t) => t.includes(slot))).toBe(true);
      }
      expect(markdown).toMatch(/Exploration ran [1-5] rounds? after the generated run/);
    },
    TIMEOUT,
  );
});

/** The description's operation `GET /items/{id}` as Gauntlet reads it. */
const DESCRIBED: ApiDescription = {
  source: 'items.json',
  specVersion: '3.0.3',
  title: 'Items',
  version: '1',
  tags: [],
  operations: [
    {
      method: 'GET',
      path: '/items/{id}',
      template: '/items/{id}',
      operationId: 'showItem',
      operationIdDeclared: true,
      tags: [],
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 99 } },
        {
          name: 'view',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['plain', 'exploded'] },
        },
        { name: 'x-trace', in: 'header', required: false, schema: { type: 'string' } },
        { name: 'theme', in: 'cookie', required: false, schema: { type: 'string' } },
      ],
      responses: {},
      links: [],
      secured: false,
      at: { line: 1, column: 1 },
    },
  ],
};

const SHOW: ApiStep = {
  name: 'GET /items/{itemId}',
  request: {
    method: 'GET',
    path: '/items/7',
    query: { page: 2 },
    headers: {
      authorization: 'Bearer {{token}}',
      'x-api-key': 'k-123',
      'x-client': 'studio',
      cookie: 'session=abc; lang=en',
    },
  },
  expect: { status: 200 },
};

const values = (step: ApiStep, kind: string, name: string, description?: ApiDescription) => {
  const slot = parameterSlots(step, description ? { description } : {}).find(
    (s) => s.kind === kind && s.name === name,
  );
  return slot && mutantsOf(slot).map((m) => m.value);
};

describe('parameter mutations', () => {
  it('gives an integer parameter the values its schema bounds, and a string its other listed words', () => {
    // The path's "7" goes as text: zero, minus one, the bounds and just past them, the next value, a huge
    // number, a fraction and a word (just below the minimum is zero, tried already).
    expect(values(SHOW, 'path', 'itemId', DESCRIBED)).toEqual([
      '0',
      '-1',
      '1',
      '99',
      '100',
      '8',
      String(2 ** 53 + 2),
      '1.5',
      'abc',
    ]);
    // Declared but not sent: the query's view, the header and the cookie, each tried.
    expect(values(SHOW, 'query', 'view', DESCRIBED)).toEqual(
      expect.arrayContaining(['plain', 'exploded', '', 'x'.repeat(1000)]),
    );
    expect(values(SHOW, 'header', 'x-trace', DESCRIBED)).toContain('');
    expect(values(SHOW, 'cookie', 'theme', DESCRIBED)).toContain('all');
  });

  it('varies by the current value where no description declares the operation, and never the credentials', () => {
    const slots = parameterSlots(SHOW);
    expect(slots.map((s) => `${s.kind} ${s.name}`)).toEqual([
      'path itemId',
      'query page',
      'header x-client',
      'cookie lang',
    ]);
    // "7" in a path reads as an integer; 2 in the query is one.
    expect(values(SHOW, 'path', 'itemId')).toEqual(expect.arrayContaining(['0', '-1', '8', '1.5', 'abc']));
    expect(values(SHOW, 'query', 'page')).toEqual(expect.arrayContaining([0, -1, 3, 1.5, 'abc']));
    expect(values(SHOW, 'header', 'x-client')).toEqual(expect.arrayContaining(['', 'none']));
  });

  it('sends values earlier responses held first, and writes each into its place in the request', () => {
    const seen = new ResponseValues();
    seen.addBody({ items: [{ id: 3, view: 'exploded', note: 'a {{placeholder}}' }], item_id: 4 });
    expect(seen.for('itemId')).toEqual([4, 3]);
    // From a run's evidence: JSON bodies only, and an excerpt cut short teaches nothing.
    const answered = (body: string) =>
      ({
        evidence: [
          {
            step: 0,
            request: { method: 'GET', url: 'http://x/items', headers: {} },
            response: { status: 200, headers: {}, body },
            durationMs: 1,
          },
        ],
      }) as unknown as RunResult;
    seen.addResults([
      answered('{"view": "sideways", "id": 9'),
      answered('plain text'),
      answered('[{"view": "tilted"}]'),
    ]);
    expect(seen.for('view')).toEqual(['exploded', 'tilted']);
    expect(seen.for('note')).toEqual([]);
    const testCase: ApiTestCase = {
      id: 'tc_000000000000',
      kind: 'api',
      title: 'Show item',
      priority: 'medium',
      tags: [],
      origin: {
        file: 'items.json',
        line: 1,
        column: 1,
        role: 'API client',
        journey: 'items',
        step: 'Show item',
        title: 'Show item',
        generator: 'rules/happy-path',
      },
      steps: [SHOW],
    };
    const mutations = parameterMutations(testCase, { seed: 1, seen, description: DESCRIBED, perCase: 100 });
    const sent = (title: RegExp) =>
      mutations.find((m) => title.test(m.testCase.title))?.testCase.steps.at(-1)!.request;
    // Each slot's values take turns; a slot's first value is one a response held, where one did.
    const firstOf = (slot: string) => mutations.find((m) => m.slot === slot)!.testCase.title;
    expect(firstOf('path itemId')).toMatch(/copes with 4, seen in a response/);
    expect(firstOf('query view')).toMatch(/copes with "exploded", seen in a response/);
    expect(sent(/copes with 4, seen in a response in path parameter "itemId"/)!.path).toBe('/items/4');
    expect(sent(/"exploded", seen in a response in query parameter "view"/)!.query).toEqual({
      page: 2,
      view: 'exploded',
    });
    expect(sent(/the word "all" in cookie parameter "theme"/)!.headers!.cookie).toBe(
      'session=abc; lang=en; theme=all',
    );
    for (const { testCase } of mutations) {
      const last = testCase.steps.at(-1)!;
      expect(last.expect).toEqual({ status: ['2xx', '3xx', '4xx'] });
      expect(last.request.headers!.authorization).toBe('Bearer {{token}}');
      expect(last.request.headers!['x-api-key']).toBe('k-123');
      expect(testCase.origin.generator).toBe('explore/parameter');
    }
    // The same seed gives the same mutations.
    const again = parameterMutations(testCase, { seed: 1, seen, description: DESCRIBED, perCase: 100 });
    expect(again.map((m) => m.testCase.id)).toEqual(mutations.map((m) => m.testCase.id));
  });

  it('changes form fields and JSON body fields too', () => {
    const post: ApiStep = {
      name: 'POST /orders',
      request: { method: 'POST', path: '/orders', form: { qty: 2, note: 'hi' } },
      expect: { status: 201 },
    };
    expect(parameterSlots(post).map((s) => `${s.kind} ${s.name}`)).toEqual(['form qty', 'form note']);
    const order: ApiTestCase = {
      id: 'tc_000000000001',
      kind: 'api',
      title: 'Order',
      priority: 'medium',
      tags: [],
      origin: {
        file: 'orders.yml',
        line: 1,
        column: 1,
        role: 'buyer',
        journey: 'order',
        step: 'Order',
        title: 'Order',
        generator: 'rules/happy-path',
      },
      steps: [post],
    };
    const forms = parameterMutations(order, { seed: 3 }).map((m) => m.testCase.steps[0]!.request.form);
    expect(forms).toContainEqual({ qty: 0, note: 'hi' });
    expect(forms).toContainEqual({ qty: 2, note: '' });
    // A request a rule sent elsewhere than its step's template has no path parameters to vary.
    const elsewhere: ApiStep = { ...SHOW, request: { method: 'GET', path: '/other/place/7' } };
    expect(parameterSlots(elsewhere).filter((s) => s.kind === 'path')).toEqual([]);
    const json: ApiStep = {
      ...post,
      request: { method: 'POST', path: '/orders', json: { qty: 2, ok: true } },
    };
    expect(values(json, 'body', 'qty')).toEqual(expect.arrayContaining([0, -1, 3, 1.5, 'abc']));
    expect(values(json, 'body', 'ok')).toEqual([false, 'yes']);
  });
});

const CONFIG = `
identities:
  shopper:
    steps:
      - api: POST /signup
        capture: { token: body.token }
        expect: { status: 201 }
    headers: { authorization: 'Bearer {{token}}' }
`;

const JOURNEY = `
role: Shopper
journey: Browse
steps:
  - step: Read my basket
    api: GET /basket
    auth: shopper
  - step: Browse the catalogue
    api: GET /catalogue
    auth: shopper
    authOptional: true
`;

describe('follow-ups of a public endpoint a signed-in user calls (authOptional)', () => {
  it('do not probe it for missing credentials, as they do a step that needs them', async () => {
    const config = loadConfig({ path: 'gauntlet.yml', text: CONFIG });
    const loaded = loadUserCases([{ path: 'user-cases/browse.yml', text: JOURNEY }]);
    if (!config.ok) throw new Error(config.errors.map(formatSourceError).join('\n'));
    if (!loaded.ok) throw new Error(loaded.errors.map(formatSourceError).join('\n'));
    const generated = generateTestCases(loaded.value, config.value);
    if (!generated.ok) throw new Error(generated.errors.map(formatSourceError).join('\n'));
    const happy = (api: string) =>
      generated.cases.find(
        (c): c is ApiTestCase =>
          c.kind === 'api' && c.origin.generator === 'rules/happy-path' && c.steps.at(-1)!.name === api,
      )!;
    const catalogue = happy('GET /catalogue');
    const basket = happy('GET /basket');
    // The flag travels with the step it was written on, and only that one.
    expect(catalogue.steps.at(-1)!.authOptional).toBe(true);
    expect(basket.steps.at(-1)!.authOptional).toBeUndefined();
    /** The case failed at its last step with a 500: follow-ups are proposed around it. */
    const failed = (testCase: ApiTestCase): RunResult => ({
      caseId: testCase.id,
      title: testCase.title,
      kind: 'api',
      priority: testCase.priority,
      origin: testCase.origin,
      status: 'failed',
      durationMs: 1,
      failures: [
        { check: 'status', message: 'expected status 2xx, got 500', step: testCase.steps.length - 1 },
      ],
      evidence: [],
      reproduction: {},
    });
    const titlesOf = async (testCase: ApiTestCase) =>
      (
        await followUps(testCase, failed(testCase), testCase, {
          sources: loaded.value,
          config: config.value,
          seed: 1,
        })
      ).cases.map((c) => c.title);
    expect(await titlesOf(basket)).toContain('GET /basket: the same request without credentials is refused');
    expect((await titlesOf(catalogue)).filter((t) => t.includes('without credentials'))).toEqual([]);
  });
});

describe('the words for the rounds', () => {
  it('say "no round" only when none ran after the generated run, and list round 0 as the generated run', () => {
    const round0 = { round: 0, cases: 22, failures: 1, newSignatures: ['k'], reruns: 1, durationMs: 5 };
    const none = { rounds: [round0], stopped: 'nothing-to-try' as const, findings: [], notes: [] };
    expect(explorationSentence(none)).toBe(
      'Exploration ran no round after the generated run; it stopped because there was nothing left to try.',
    );
    expect(roundPhrases(none)).toEqual(['round 0, the generated run, ran 22 cases (1 failed)']);
    const round1 = {
      round: 1,
      cases: 3,
      failures: 0,
      newSignatures: [],
      reruns: 0,
      durationMs: 5,
      made: { 'explore/parameter': 2, 'explore/follow-up': 1 },
      statusChanges: 1,
    };
    const one = { ...none, rounds: [round0, round1], stopped: 'max-rounds' as const };
    expect(explorationSentence(one)).toBe(
      'Exploration ran 1 round after the generated run; it stopped because it reached its number of rounds.',
    );
    expect(roundPhrases(one)[1]).toBe(
      'round 1 ran 3 cases (2 parameter mutations, 1 follow-up) and found no new kinds of failure; ' +
        '1 mutation changed a status and was mutated further',
    );
  });
});

describe('feedback between rounds', () => {
  const caseOf = (id: string, step: ApiStep): ApiTestCase => ({
    id,
    kind: 'api',
    title: step.name,
    priority: 'medium',
    tags: [],
    origin: {
      file: 'items.json',
      line: 1,
      column: 1,
      role: 'API client',
      journey: 'items',
      step: step.name,
      title: step.name,
      generator: 'rules/happy-path',
    },
    steps: [step],
  });
  const answered = (testCase: ApiTestCase, status: number, passed = true): RunResult => ({
    caseId: testCase.id,
    title: testCase.title,
    kind: 'api',
    priority: 'medium',
    origin: testCase.origin,
    status: passed ? 'passed' : 'failed',
    durationMs: 1,
    failures: [],
    evidence: [
      {
        step: 0,
        request: { method: 'GET', url: 'http://x/', headers: {} },
        response: { status, headers: {}, body: '' },
        durationMs: 1,
      },
    ],
    reproduction: {},
  });

  it('keeps within the round limit, mutates the parents it left next round, and follows each new status change once', () => {
    const show = caseOf('tc_00000000000a', SHOW);
    const list = caseOf('tc_00000000000b', {
      name: 'GET /items',
      request: { method: 'GET', path: '/items', query: { limit: 10 } },
      expect: { status: 200 },
    });
    const feedback = new ParameterFeedback({ seed: 1 });
    feedback.observe([show, list], [answered(show, 200), answered(list, 200)]);
    const first = feedback.mutations([show, list], 8);
    expect(first).toHaveLength(8);
    expect(new Set(first.map((m) => m.parent))).toEqual(new Set([show.id]));
    // The list the limit did not reach comes next round; the show is not mutated twice.
    const second = feedback.mutations([show, list], 100);
    expect(new Set(second.map((m) => m.parent))).toEqual(new Set([list.id]));
    // Two mutations of one slot that both turn 200 into 400: the first is followed, the second adds nothing.
    const [a, b] = second.map((m) => m.testCase).filter((c) => /query parameter "limit"/.test(c.title));
    const changed = feedback.observe([a!, b!], [answered(a!, 400), answered(b!, 400)]);
    expect(changed.map((c) => c.id)).toEqual([a!.id]);
    expect(new Set(feedback.mutations([], 100).map((m) => m.parent))).toEqual(new Set([a!.id]));
    // A change that failed is a failure to follow up, not a parent.
    expect(feedback.observe([b!], [answered(b!, 500, false)])).toEqual([]);
  });
});
