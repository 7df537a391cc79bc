// Generation grows with the number of a journey's steps, not with its square: a rule or an assembly that looked
// through all the steps for each step made a 40,000-step journey take half a minute and 80,000 never finish. Time
// is no measure on a shared machine, so these tests count the work instead: how many times the journey's steps are
// read. The lookups that replaced the scans must give the very cases the scans gave; the tests of each rule say what
// those are.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { formatSourceError, loadConfig, loadUserCases } from '../../src/cases/index.ts';
import type { LoadedUserCase, TestCase } from '../../src/cases/index.ts';
import { request } from '../../src/generate/draft.ts';
import { generate } from '../../src/generate/generate.ts';
import { generateTestCases } from '../../src/generate/index.ts';
import { loadApiDescription } from '../../src/generate/openapi/index.ts';
import type { ApiDescription } from '../../src/generate/openapi/index.ts';
import type { PlanRequest, Provider, ProviderReply } from '../../src/generate/provider.ts';

const CONFIG = loadConfig({
  path: 'gauntlet.yml',
  text: `identities:
  user:
    fresh: true
    steps:
      - { api: POST /api/auth/signup, example: { email: 'u-{{$uid}}@example.test' }, capture: { token: body.token } }
    headers: { authorization: 'Bearer {{token}}' }
`,
});
const config = () => {
  if (!CONFIG.ok) throw new Error(CONFIG.errors.map(formatSourceError).join('\n'));
  return CONFIG.value;
};

function load(path: string, text: string): LoadedUserCase[] {
  const loaded = loadUserCases([{ path, text }]);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatSourceError).join('\n'));
  return loaded.value;
}

/**
 * A long session on the sample target, built to hit every scan there was: a value captured by the first step and
 * used by every later one (the search for the step that captures it went back to the start), a path visited again
 * in each block (the "first step on this path" search), and a create whose id no step deletes (the search for a
 * delete went through the whole journey).
 */
function longSession(blocks: number): string {
  const lines = [
    'role: Music Producer',
    'journey: A long session',
    'steps:',
    '  - step: Sign In',
    '    api: POST /api/auth/login',
    "    example: { email: producer@example.test, password: 'pass-1234' }",
    '    capture: { session: body.token }',
  ];
  const signedIn = "headers: { authorization: 'Bearer {{session}}' }";
  for (let n = 0; n < blocks; n++) {
    lines.push(
      `  - step: Create Project ${n}`,
      '    api: POST /api/projects',
      `    ${signedIn}`,
      `    example: { name: 'Song ${n}' }`,
      '    capture: { projectId: body.id }',
      `  - step: Add Track ${n}`,
      '    api: POST /api/projects/{projectId}/tracks',
      `    ${signedIn}`,
      '    example: { type: audio }',
      '    capture: { trackId: body.id }',
      `  - step: Open Project ${n}`,
      '    api: GET /api/projects/{projectId}',
      `    ${signedIn}`,
      `  - step: Search ${n}`,
      '    api: GET /api/jarvis/logs',
      `    query: { q: 'error ${n}' }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The journey with its steps behind a proxy that counts every read of a step by its index. */
function counted(source: LoadedUserCase): { source: LoadedUserCase; reads: () => number } {
  let reads = 0;
  const steps = new Proxy(source.userCase.steps, {
    get(target, property, receiver) {
      if (typeof property === 'string' && /^\d+$/.test(property)) reads++;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  return { source: { ...source, userCase: { ...source.userCase, steps } }, reads: () => reads };
}

let description: ApiDescription;
beforeAll(async () => {
  description = await loadApiDescription('examples/aidawg/openapi.yaml');
});

describe('generation as journeys grow long', () => {
  it('reads the steps of a journey twice as often when it has twice the steps, not four times', () => {
    const work = (blocks: number) => {
      const { source, reads } = counted(load('user-cases/long.yml', longSession(blocks))[0]!);
      const generated = generateTestCases([source], config(), { description });
      if (!generated.ok) throw new Error(generated.errors.map(formatSourceError).join('\n'));
      return { reads: reads(), steps: source.userCase.steps.length, cases: generated.cases.length };
    };
    const small = work(50);
    const large = work(100);
    expect(large.cases / small.cases).toBeCloseTo(2, 1);
    // A scan of the earlier steps for each step would make this about 4.
    expect(large.reads / small.reads).toBeLessThan(2.1);
    // A few reads a case (its step, the steps it needs first), not hundreds.
    expect(large.reads / large.cases).toBeLessThan(10);
  });

  it('gives a generated case the value from the nearest earlier step that captures it, however far back', () => {
    const filler = Array.from(
      { length: 300 },
      (_, i) => `  - { step: Browse ${i}, api: GET /api/templates, query: { page: ${i} } }`,
    );
    const [source] = load(
      'user-cases/far.yml',
      [
        'role: Producer',
        'journey: Far apart',
        'steps:',
        '  - { step: First Project, api: POST /api/projects, example: { name: a }, capture: { projectId: body.id } }',
        '  - { step: Second Project, api: POST /api/projects, example: { name: b }, capture: { projectId: body.id } }',
        ...filler,
        '  - { step: Open, api: "GET /api/projects/{projectId}" }',
        '  - { step: Third Project, api: POST /api/projects, example: { name: c }, capture: { projectId: body.id } }',
        '',
      ].join('\n'),
    );
    const generated = generateTestCases([source!], config());
    if (!generated.ok) throw new Error(generated.errors.map(formatSourceError).join('\n'));
    const open = generated.cases.find((c) => c.title === 'Open: works with the example data');
    const steps = (open as Extract<TestCase, { kind: 'api' }>).steps;
    expect(steps.map((s) => [s.name, s.request.json])).toEqual([
      ['POST /api/projects', { name: 'b' }],
      ['GET /api/projects/{projectId}', undefined],
    ]);
  });

  it('builds the life of a created thing from the first read, change and delete of its id in the journey', () => {
    const [source] = load(
      'user-cases/life.yml',
      [
        'role: Producer',
        'journey: Life',
        'steps:',
        '  - { step: Create, api: POST /api/projects, example: { name: a }, capture: { projectId: body.id } }',
        '  - { step: Open, api: "GET /api/projects/{projectId}", expect: { status: 200 } }',
        '  - { step: Rename, api: "PATCH /api/projects/{projectId}", example: { name: b } }',
        '  - { step: Open renamed, api: "GET /api/projects/{projectId}", expect: { body: { name: b } } }',
        '  - { step: Remove, api: "DELETE /api/projects/{projectId}" }',
        '  - { step: Remove again, api: "DELETE /api/projects/{projectId}", expect: { status: 404 } }',
        // Its last parameter is another id: it reads a track, not the project.
        '  - { step: Track, api: "GET /api/projects/{projectId}/tracks/{trackId}", params: { trackId: t } }',
        '',
      ].join('\n'),
    );
    const generated = generateTestCases([source!], config());
    if (!generated.ok) throw new Error(generated.errors.map(formatSourceError).join('\n'));
    const life = generated.cases.filter((c) => c.origin.generator === 'rules/lifecycle');
    expect(life.map((c) => c.title)).toEqual([
      'Create: what is created can be read, changed and deleted, and is then gone (projectId)',
    ]);
    const steps = (life[0] as Extract<TestCase, { kind: 'api' }>).steps;
    expect(steps.map((s) => [`${s.request.method} ${s.request.path}`, s.expect])).toEqual([
      ['POST /api/projects', { status: '2xx' }],
      ['GET /api/projects/{{projectId}}', { status: 200 }],
      ['PATCH /api/projects/{{projectId}}', { status: '2xx' }],
      ['GET /api/projects/{{projectId}}', { status: 200 }],
      ['DELETE /api/projects/{{projectId}}', { status: '2xx' }],
      ['GET /api/projects/{{projectId}}', { status: [404, 410] }],
    ]);
  });
});

describe('what LLM providers are told a journey already has', () => {
  it("lists the titles of the journey's cases so far: the rules', and those proposed for journeys of its name", async () => {
    const sources = [0, 1, 2].map((i) => ({
      path: `user-cases/j${i}.yml`,
      // The first and the last are two files of one journey.
      text: `role: R\njourney: Journey ${i % 2}\nsteps:\n  - step: List ${i}\n    api: GET /lists/${i}/items\n`,
    }));
    const loaded = loadUserCases(sources);
    if (!loaded.ok) throw new Error(loaded.errors.map(formatSourceError).join('\n'));
    const calls: PlanRequest[] = [];
    const llm: Provider = {
      name: 'scripted/model',
      version: '1',
      plan: (req) => {
        calls.push(req);
        const reply: ProviderReply = {
          drafts: [
            {
              stepIndex: 0,
              title: `proposed for ${req.journey.file}`,
              rule: 'scripted',
              at: req.journey.steps[0]!.at,
              requests: [
                request({ api: req.journey.userCase.steps[0]!.api!, query: { q: req.journey.file } }),
              ],
            },
          ],
          dropped: 0,
          usage: { requests: 1, promptTokens: 1, completionTokens: 1 },
        };
        return Promise.resolve(reply);
      },
      followUp: () => Promise.reject(new Error('not asked')),
      explore: () => Promise.reject(new Error('not asked')),
    };
    const result = await generate(loaded.value, config(), { llm: { providers: [llm] } });
    if (!result.ok) throw new Error('generation failed');
    const titles = (journey: string, leaveOut?: string) =>
      result.cases.filter((c) => c.origin.journey === journey && c.title !== leaveOut).map((c) => c.title);
    expect(calls.map((c) => c.existing)).toEqual([
      titles('Journey 0', 'proposed for user-cases/j0.yml').filter((t) => !t.startsWith('proposed')),
      titles('Journey 1', 'proposed for user-cases/j1.yml'),
      titles('Journey 0', 'proposed for user-cases/j2.yml'),
    ]);
    expect(calls[2]!.existing).toContain('proposed for user-cases/j0.yml');
    expect(calls[2]!.existing).toContain('List 2: works with the example data');
  });
});
