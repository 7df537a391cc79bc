import { describe, expect, it } from '@jest/globals';
import { formatSourceError, loadConfig, loadUserCases, TestCase } from '../../src/cases/index.ts';
import type { ApiStep, ApiTestCase, LoadTestCase, RunResult } from '../../src/cases/index.ts';
import { createRulesProvider, generateTestCases } from '../../src/generate/index.ts';
import { loadFromText } from '../../src/generate/rules/load-from-acceptance.ts';
import { loadApiDescription } from '../../src/generate/openapi/index.ts';
import { MALFORMED_JSON } from '../../src/generate/rules/malformed-json.ts';
import { HEADER_INJECTION_PROBE, MARKUP_PROBE } from '../../src/cases/index.ts';
import { loadProjectInputs } from '../support/project.ts';

const CONFIG = `
identities:
  user:
    fresh: true
    steps:
      - api: POST /api/auth/signup
        example: { email: 'u-{{$uid}}@example.test', password: 'pass-1234' }
        capture: { token: body.token }
    headers: { authorization: 'Bearer {{token}}' }
  operator:
    steps:
      - api: POST /api/auth/login
        example: { email: op@example.test, password: secret-1 }
        capture: { token: body.token }
    headers: { authorization: 'Bearer {{token}}' }
`;

const JOURNEY = `
product: AI DAWG
role: Music Producer
journey: Create New Song
steps:
  - step: Create Project
    api: POST /api/projects
    auth: user
    example: { name: 'Song {{$uid}}', private: true }
    capture: { projectId: body.id }
    expect: { status: 201 }
    cases:
      - Create project while offline
      - title: Create project with empty name
        example: { name: '' }
        expect: { status: 400 }
      - title: Record with microphone
        skip: Needs a microphone.
  - step: Add Tracks
    api: POST /api/projects/{projectId}/tracks
    auth: user
    example: { type: audio, volume: 1 }
    capture: { trackId: body.id }
    cases:
      - title: Add maximum tracks (100)
        steps:
          - { repeat: 100, concurrency: 10, expect: { status: 201 } }
          - { expect: { status: 409 } }
      - title: Import a sample
        api: POST /api/projects/{projectId}/tracks/{trackId}/samples
        form: { start: 2 }
        files: { sample: { path: fixtures/loop.wav }, cover: { path: /srv/art.png } }
  - step: Edit clip
    api: PATCH /api/projects/{projectId}/tracks/{trackId}
    auth: user
    example: { volume: 0.5 }
    cases:
      - title: Many producers mixing at once
        load: { vus: 8, durationS: 5, rampUpS: 2, thresholds: { p95Ms: 150 } }
  - step: Restart service
    api: POST /api/services/{service}/restart
    auth: operator
    params: { service: audio engine }
  - step: Browse templates
    page: /templates?q=lofi&sort=name
    skipChecks: [json_content_type]
    cases:
      - title: Search in the browser
        ui:
          - { action: goto, target: '/templates?q=lofi' }
          - { action: expectText, target: '#count', value: '1 templates' }
      - title: Search for nothing
        api: GET /templates
        skipChecks: [no_stack_trace]
`;

function generate(journey = JOURNEY, config = CONFIG) {
  const loadedConfig = loadConfig({ path: 'gauntlet.yml', text: config });
  const loaded = loadUserCases([{ path: 'user-cases/music.yml', text: journey }]);
  if (!loadedConfig.ok || !loaded.ok) throw new Error('fixture does not load');
  return generateTestCases(loaded.value, loadedConfig.value);
}

function cases(): ApiTestCase[] {
  const result = generate();
  if (!result.ok) throw new Error(result.errors.map(formatSourceError).join('\n'));
  return result.cases as ApiTestCase[];
}

const byTitle = (title: string): ApiTestCase => {
  const found = cases().find((c) => c.title === title);
  if (!found)
    throw new Error(
      `no case titled ${title}: ${cases()
        .map((c) => c.title)
        .join(', ')}`,
    );
  return found;
};
const requestLines = (steps: ApiStep[]) => steps.map((s) => `${s.request.method} ${s.request.path}`);

describe('generating test cases from user cases', () => {
  it('produces only valid test cases, in a stable order with stable ids', () => {
    const first = cases();
    expect(first.length).toBeGreaterThan(15);
    for (const testCase of first) expect(TestCase.safeParse(testCase).success).toBe(true);
    expect(cases().map((c) => c.id)).toEqual(first.map((c) => c.id));
    expect(new Set(first.map((c) => c.id)).size).toBe(first.length);
  });

  it('turns a titled case into a test that signs in, then sends its own data', () => {
    const testCase = byTitle('Create project with empty name');
    expect(requestLines(testCase.steps)).toEqual(['POST /api/auth/signup', 'POST /api/projects']);
    expect(testCase.steps[0]!.capture).toEqual({ 'user.token': 'body.token' });
    expect(testCase.steps[1]!.request).toMatchObject({
      json: { name: '' },
      headers: { authorization: 'Bearer {{user.token}}' },
    });
    expect(testCase.steps[1]!.expect).toEqual({ status: 400 });
    expect(testCase.origin).toMatchObject({ file: 'user-cases/music.yml', line: 14, generator: 'user-case' });
  });

  it('sends form fields and files in place of the JSON example, with upload paths taken from the user-case file', () => {
    const upload = byTitle('Import a sample').steps.at(-1)!.request;
    expect(upload).toMatchObject({
      form: { start: 2 },
      files: { sample: { path: 'user-cases/fixtures/loop.wav' }, cover: { path: '/srv/art.png' } },
    });
    expect(upload.json).toBeUndefined();
  });

  it('turns a titled case with a load into a load case: set-up first, its own request last', () => {
    const testCase = cases().find((c) => c.title === 'Many producers mixing at once') as unknown as TestCase;
    expect(testCase).toMatchObject({
      kind: 'load',
      load: { vus: 8, durationS: 5, rampUpS: 2, thresholds: { p95Ms: 150 } },
    });
    expect(testCase.steps.map((s) => (s as ApiStep).name)).toEqual([
      'sign in as user: POST /api/auth/signup',
      'POST /api/projects',
      'POST /api/projects/{projectId}/tracks',
      'PATCH /api/projects/{projectId}/tracks/{trackId}',
    ]);
    // The step's happy path stays a test of its own.
    expect(cases().some((c) => c.title === 'Edit clip: works with the example data')).toBe(true);
  });

  it('turns a titled case with browser steps into a UI case', () => {
    const testCase = cases().find((c) => c.title === 'Search in the browser') as unknown as TestCase;
    expect(testCase).toMatchObject({
      kind: 'ui',
      steps: [{ action: 'goto', target: '/templates?q=lofi' }, { action: 'expectText' }],
    });
    expect(testCase.id).toMatch(/^tc_[0-9a-f]{12}$/);
  });

  it('keeps untestable titles as skipped cases with the reason, and data-less titles as coverage gaps', () => {
    const skipped = byTitle('Record with microphone');
    expect(skipped).toMatchObject({ skip: 'Needs a microphone.', steps: [] });
    const result = generate();
    expect(result.ok && result.untested.map((u) => [u.title, u.line])).toEqual([
      ['Create project while offline', 13],
    ]);
  });

  it('first creates what a step needs, using the earlier step that captures it', () => {
    const testCase = byTitle('Edit clip: works with the example data');
    expect(requestLines(testCase.steps)).toEqual([
      'POST /api/auth/signup',
      'POST /api/projects',
      'POST /api/projects/{{projectId}}/tracks',
      'PATCH /api/projects/{{projectId}}/tracks/{{trackId}}',
    ]);
  });

  it('repeats a request as asked, and lets later requests of the case follow', () => {
    const testCase = byTitle('Add maximum tracks (100)');
    expect(testCase.steps.map((s) => s.repeat)).toEqual([
      undefined,
      undefined,
      { count: 100, concurrency: 10 },
      undefined,
    ]);
    expect(testCase.steps.at(-1)!.expect).toEqual({ status: 409 });
  });

  it('sends a malformed body and expects a 4xx', () => {
    const testCase = byTitle('Create Project: refuses a body that is not valid JSON');
    const last = testCase.steps.at(-1)!;
    expect(last.request.body).toBe(MALFORMED_JSON);
    expect(last.request.json).toBeUndefined();
    expect(last.request.headers?.['content-type']).toBe('application/json');
    expect(last.expect.status).toBe('4xx');
    expect(last.capture).toBeUndefined();
  });

  it('sends each field with a wrong type, a field holding a placeholder too', () => {
    const titles = cases()
      .map((c) => c.title)
      .filter((t) => t.startsWith('Create Project: refuses "'));
    expect(titles).toEqual([
      'Create Project: refuses "name" of the wrong type',
      'Create Project: refuses "private" of the wrong type',
    ]);
    expect(byTitle(titles[0]!).steps.at(-1)!.request.json).toEqual({ name: true, private: true });
    expect(byTitle(titles[1]!).steps.at(-1)!.request.json).toEqual({ name: 'Song {{$uid}}', private: 'yes' });
    expect(byTitle('Add Tracks: refuses "type" of the wrong type').steps.at(-1)!.request.json).toEqual({
      type: true,
      volume: 1,
    });
  });

  it('tries each edge value of each field in a case of its own, and only asks that the service does not fail', () => {
    const edges = cases().filter(
      (c) =>
        c.origin.generator === 'rules/boundary-values' &&
        c.title.endsWith('in "volume"') &&
        c.origin.step === 'Add Tracks',
    ) as ApiTestCase[];
    expect(edges.map((c) => [c.title, (c.steps.at(-1)!.request.json as { volume: number }).volume])).toEqual([
      ['Add Tracks: copes with zero in "volume"', 0],
      ['Add Tracks: copes with a negative number in "volume"', -1],
      ['Add Tracks: copes with the largest safe integer in "volume"', Number.MAX_SAFE_INTEGER],
      ['Add Tracks: copes with a huge negative number in "volume"', -1e308],
      ['Add Tracks: copes with a fraction in "volume"', 1.5],
    ]);
    for (const edge of edges) {
      expect(requestLines(edge.steps)).toEqual([
        'POST /api/auth/signup',
        'POST /api/projects',
        'POST /api/projects/{{projectId}}/tracks',
      ]);
      expect(edge.steps.at(-1)!.expect.status).toEqual(['2xx', '3xx', '4xx']);
    }
    expect(
      byTitle('Add Tracks: copes with a 10,000-character text in "type"').steps.at(-1)!.request.json,
    ).toEqual({
      type: 'x'.repeat(10_000),
      volume: 1,
    });
  });

  it('sends SQL, NoSQL and path-traversal payloads in each string field and query value, tagged security', () => {
    const sent = (title: string) => byTitle(title).steps.at(-1)!.request;
    expect(sent('Add Tracks: resists SQL injection in "type"').json).toEqual({
      type: "' OR '1'='1' --",
      volume: 1,
    });
    expect(sent('Add Tracks: resists NoSQL operator injection in "type"').json).toEqual({
      type: { $ne: null },
      volume: 1,
    });
    expect(sent('Add Tracks: resists path traversal in "type"').json).toEqual({
      type: '../../../../etc/passwd',
      volume: 1,
    });
    // A field holding a placeholder gets them too: its value is the happy path, the payload replaces it whole.
    expect(sent('Create Project: resists SQL injection in "name"').json).toEqual({
      name: "' OR '1'='1' --",
      private: true,
    });
    expect(byTitle('Add Tracks: resists SQL injection in "type"')).toMatchObject({
      tags: ['security'],
      priority: 'high',
    });
  });

  it('sends a path parameter that climbs out of its folder, encoded, and expects no file and no crash', () => {
    const testCase = byTitle('Edit clip: serves no file for a path-traversal "trackId"');
    expect(requestLines(testCase.steps)).toEqual([
      'POST /api/auth/signup',
      'POST /api/projects',
      'PATCH /api/projects/{{projectId}}/tracks/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
    ]);
    expect(testCase.steps.at(-1)!.expect).toEqual({
      status: ['2xx', '3xx', '4xx'],
      bodyNotContains: ['root:x:0:0:'],
    });
    expect(
      byTitle('Restart service: serves no file for a path-traversal "service"').steps.at(-1)!.request.path,
    ).toBe('/api/services/..%2F..%2F..%2F..%2Fetc%2Fpasswd/restart');
  });

  it("sends made-up credentials in the identity's own header and lets requires_auth judge the answer", () => {
    const testCase = byTitle('Add Tracks: refuses a request with made-up credentials');
    expect(testCase.steps.at(-1)).toMatchObject({
      request: { headers: { authorization: 'Bearer gauntlet-invalid-credential' } },
      probe: 'wrong-credentials',
      expect: {},
    });
    expect(testCase.steps.at(-1)!.as).toBeUndefined();
  });

  it('checks that a protected step refuses a request without credentials', () => {
    const testCase = byTitle('Add Tracks: refuses a request without credentials');
    expect(requestLines(testCase.steps)).toEqual([
      'POST /api/auth/signup',
      'POST /api/projects',
      'POST /api/projects/{{projectId}}/tracks',
    ]);
    expect(testCase.steps.at(-1)!.request.headers).toBeUndefined();
    expect(testCase.steps.at(-1)).toMatchObject({ expect: {}, probe: 'no-credentials' });
  });

  it('checks that a second, different user cannot reach what the first created', () => {
    const testCase = byTitle('Add Tracks: another user cannot reach what this user created');
    expect(testCase.steps.map((s) => s.name)).toEqual([
      'sign in as user: POST /api/auth/signup',
      'sign in as user2: POST /api/auth/signup',
      'POST /api/projects',
      'POST /api/projects/{projectId}/tracks',
    ]);
    expect(testCase.steps[1]!.request.json).toEqual({
      email: 'u-{{$uid-2}}@example.test',
      password: 'pass-1234',
    });
    expect(testCase.steps[2]!.request.headers).toEqual({ authorization: 'Bearer {{user.token}}' });
    expect(testCase.steps[3]!.request.headers).toEqual({ authorization: 'Bearer {{user2.token}}' });
    expect(testCase.steps[3]).toMatchObject({ expect: {}, probe: 'other-user' });
  });

  it('makes no cross-user case for identities that are one shared account, or literal parameters', () => {
    const titles = cases().map((c) => c.title);
    expect(titles).not.toContain('Restart service: another user cannot reach what this user created');
    expect(byTitle('Restart service: works with the example data').steps.at(-1)!.request.path).toBe(
      '/api/services/audio%20engine/restart',
    );
  });

  it('probes each query value of a page for reflected markup', () => {
    const testCase = byTitle('Browse templates: the page escapes "q" it shows back');
    expect(testCase.steps).toHaveLength(1);
    expect(testCase.steps[0]!.request).toEqual({
      method: 'GET',
      path: '/templates',
      query: { q: MARKUP_PROBE, sort: 'name' },
    });
    expect(testCase.steps[0]!.expect).toEqual({ status: ['2xx', '4xx'] }); // no_reflected_markup judges the page
    expect(
      cases()
        .filter((c) => c.origin.step === 'Browse templates')
        .map((c) => c.origin.generator),
    ).toEqual([
      'user-case',
      'user-case',
      'rules/reflected-markup',
      'rules/reflected-markup',
      'rules/header-injection',
      'rules/header-injection',
      'rules/page-opens',
    ]);
    expect(
      byTitle('Browse templates: "q" cannot add a header to the answer of GET /templates').steps[0],
    ).toMatchObject({
      request: { query: { q: HEADER_INJECTION_PROBE, sort: 'name' } },
      probe: 'header-injection',
    });
    expect(byTitle('Browse templates: the page /templates?q=lofi&sort=name opens').steps).toEqual([
      { action: 'goto', target: '/templates?q=lofi&sort=name' },
      { action: 'expectVisible', target: 'css=h1' },
    ]);
    expect(testCase.skipChecks).toEqual(['json_content_type']);
    expect(byTitle('Search for nothing').skipChecks).toEqual(['no_stack_trace']);
  });

  it('keeps one test where a titled case and a rule give the same requests, under the title people wrote', () => {
    const journey = JOURNEY.replace(
      '      - Create project while offline',
      '      - title: Create project with valid name\n        expect: { status: 201 }',
    );
    const result = generate(journey);
    const titles = result.ok ? result.cases.map((c) => c.title) : [];
    expect(titles).toContain('Create project with valid name');
    expect(titles).not.toContain('Create Project: works with the example data');
  });

  it('reports a value no earlier step captures, at the step that needs it', () => {
    const result = generate(JOURNEY.replace('capture: { projectId: body.id }', 'capture: { id: body.id }'));
    const errors = result.ok ? [] : result.errors.map(formatSourceError);
    expect(errors).toContain(
      'user-cases/music.yml:19:5: Add Tracks: {{projectId}} is used but no earlier step of "Create New Song" captures it; ' +
        'capture it where it is created (capture: { projectId: body.id }) or give params: { projectId: ... }',
    );
  });

  it('reports an identity that gauntlet.yml does not define', () => {
    const result = generate(JOURNEY, 'identities: {}');
    const errors = result.ok ? [] : result.errors.map(formatSourceError);
    expect(errors).toContain(
      'user-cases/music.yml:6:5: Create Project: auth "user" is not an identity of gauntlet.yml (it defines none)',
    );
  });

  it('reports a titled case that has data but nothing to send it to', () => {
    const result = generate(
      'role: R\njourney: J\nsteps:\n  - step: S\n    cases:\n      - title: T\n        example: {}\n',
    );
    expect(result.ok ? [] : result.errors.map(formatSourceError)).toEqual([
      'user-cases/music.yml:6:9: S: no api hint',
    ]);
  });
});

const ALERTS = `
role: Operator
journey: Alert rules
steps:
  - step: Create alert
    api: POST /api/alerts
    auth: operator
    example: { metric: cpu, above: 90 }
    capture: { alertId: body.id }
    expect: { status: 201 }
  - step: Read alert
    api: GET /api/alerts/{alertId}
    auth: operator
    acceptance:
      - Answers with p95 < 100 ms for 1,500 concurrent users
      - Shows the rule as it was saved
  - step: Change alert
    api: PATCH /api/alerts/{alertId}
    auth: operator
    example: { above: 80 }
  - step: Delete alert
    api: DELETE /api/alerts/{alertId}
    auth: operator
    expect: { status: 204 }
  - step: List alerts
    api: GET /api/alerts
    auth: operator
    acceptance: [Handles 20 simultaneous users]
`;

describe('stateful and load cases derived from a journey', () => {
  const generated = generate(ALERTS);
  const all = (generated.ok ? generated.cases : []) as TestCase[];
  const titled = (title: string) => all.find((c) => c.title === title);

  it('creates, reads, changes and deletes what a step creates, then expects it gone', () => {
    const testCase = titled(
      'Create alert: what is created can be read, changed and deleted, and is then gone (alertId)',
    );
    expect(testCase?.kind).toBe('api');
    const steps = (testCase as ApiTestCase).steps;
    expect(requestLines(steps)).toEqual([
      'POST /api/auth/login',
      'POST /api/alerts',
      'GET /api/alerts/{{alertId}}',
      'PATCH /api/alerts/{{alertId}}',
      'GET /api/alerts/{{alertId}}',
      'DELETE /api/alerts/{{alertId}}',
      'GET /api/alerts/{{alertId}}',
    ]);
    expect(steps[1]!.capture).toEqual({ alertId: 'body.id' });
    expect(steps.at(-2)!.expect).toEqual({ status: 204 });
    expect(steps.at(-1)!.expect).toEqual({ status: [404, 410] });
  });

  it('turns acceptance criteria that name concurrent users or a percentile into load cases on reads', () => {
    const loads = all.filter((c) => c.kind === 'load');
    expect(loads.map((c) => [c.title, c.kind === 'load' && c.load])).toEqual([
      [
        'Read alert: under load, answers with p95 < 100 ms for 1,500 concurrent users',
        { vus: 1000, durationS: 5, rampUpS: 1, thresholds: { maxErrorRate: 0.01, p95Ms: 100 } },
      ],
      [
        'List alerts: under load, handles 20 simultaneous users',
        { vus: 20, durationS: 5, rampUpS: 1, thresholds: { maxErrorRate: 0.01 } },
      ],
    ]);
    expect(requestLines((loads[0] as LoadTestCase).steps)).toEqual([
      'POST /api/auth/login',
      'POST /api/alerts',
      'GET /api/alerts/{{alertId}}',
    ]);
    expect(loadFromText('p99 under 250ms')).toEqual({
      vus: 10,
      durationS: 5,
      rampUpS: 1,
      thresholds: { maxErrorRate: 0.01, p99Ms: 250 },
    });
    expect(loadFromText('Shows the rule as it was saved')).toBeUndefined();
  });

  it('offers the rules through the provider interface: a plan, follow-ups around a failed step, untried steps', async () => {
    const loaded = loadUserCases([{ path: 'user-cases/alerts.yml', text: ALERTS }]);
    const config = loadConfig({ path: 'gauntlet.yml', text: CONFIG });
    if (!loaded.ok || !config.ok) throw new Error('fixture does not load');
    const journey = loaded.value[0]!;
    const rules = createRulesProvider(config.value);
    const context = { identities: ['operator'], operations: [], maxCases: 100 };
    const plan = await rules.plan({ ...context, journey, existing: [] });
    expect(plan.drafts.length).toBe(all.length);
    expect(plan.usage).toEqual({ requests: 0, promptTokens: 0, completionTokens: 0 });
    const failure = { origin: { step: 'Change alert' } } as RunResult;
    const followUps = await rules.followUp({ ...context, journey, failure });
    expect(new Set(followUps.drafts.map((d) => d.stepIndex))).toEqual(new Set([2]));
    const tried = ['Create alert', 'Read alert', 'Change alert'].map(
      (step) => ({ origin: { step } }) as RunResult,
    );
    const explored = await rules.explore({ ...context, journey, results: tried });
    expect(new Set(explored.drafts.map((d) => d.stepIndex))).toEqual(new Set([3, 4]));
  });
});

describe("generating from the project's own user cases", () => {
  it('loads and generates without problems', async () => {
    const { userCases, config } = await loadProjectInputs();
    const result = generateTestCases(userCases, config);
    if (!result.ok) throw new Error(result.errors.map(formatSourceError).join('\n'));
    const journeys = new Set(userCases.map((u) => `${u.userCase.role}: ${u.userCase.journey}`));
    expect(journeys.size).toBe(10);
    expect(result.cases.length).toBeGreaterThan(100);
  });

  it('gives 1000+ distinct cases with the API description, 200+ of them edge or security cases, the same every time', async () => {
    const { userCases, config } = await loadProjectInputs();
    const description = await loadApiDescription('examples/aidawg/openapi.yaml');
    const run = () => generateTestCases(userCases, config, { description });
    const first = run();
    const second = run();
    if (!first.ok || !second.ok) throw new Error('generation failed');
    const ids = first.cases.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(1000);
    expect(second.cases.map((c) => c.id)).toEqual(ids);
    const edgeOrSecurity = first.cases.filter((c) =>
      c.tags.some((t) => t === 'edge-case' || t === 'security' || t === 'negative'),
    );
    expect(edgeOrSecurity.length).toBeGreaterThanOrEqual(200);
    expect(first.cases.filter((c) => c.tags.includes('security')).length).toBeGreaterThanOrEqual(200);

    // The schema of the operation a step calls gives its boundaries, and what it calls invalid must be refused.
    const titled = (title: string) => first.cases.find((c) => c.title === title) as ApiTestCase;
    expect(titled('Generate First Beat: refuses bpm one below its minimum (39)').steps.at(-1)).toMatchObject({
      request: { json: { bpm: 39 } },
      expect: { status: '4xx' },
    });
    expect(titled('Generate First Beat: copes with bpm at its minimum (40)').steps.at(-1)!.expect).toEqual({
      status: ['2xx', '3xx', '4xx'],
    });
    const required = titled('Sign Up: refuses a body without the required "password"').steps.at(-1)!.request
      .json;
    expect(required).not.toHaveProperty('password');
    expect(required).toHaveProperty('email');
    // A field whose example holds a placeholder (a unique e-mail address) gets the schema's values too.
    expect(first.cases.some((c) => c.title.startsWith('Sign Up: refuses email'))).toBe(true);
    const seeded = generateTestCases(
      userCases,
      { ...config, generation: { ...config.generation, seed: 99 } },
      { description },
    );
    if (!seeded.ok) throw new Error('generation failed');
    expect(seeded.cases.length).toBe(ids.length);
  });
});
