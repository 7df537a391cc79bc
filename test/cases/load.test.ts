import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { formatSourceError, loadConfig, loadUserCases } from '../../src/cases/index.ts';
import { loadConfigWithPositions } from '../../src/cases/load.ts';

const load = (text: string, path = 'user-cases/music.yml') => loadUserCases([{ path, text }]);
const errorsOf = (text: string): string[] => {
  const result = load(text);
  if (result.ok) throw new Error('expected the load to fail');
  return result.errors.map(formatSourceError);
};

const VALID = `# yaml-language-server: $schema=./schema.json
product: AI DAWG
role: Music Producer
journey: Create New Song
steps:
  - step: Create Project
    api: POST /api/projects
    auth: user
    example: { name: 'Song {{$uid}}' }
    capture: { projectId: body.id }
    cases:
      - Create project while offline
      - title: Create project with empty name
        example: { name: '' }
        expect: { status: 400 }
`;

describe('loading user cases', () => {
  it('loads a valid journey and remembers where each step and case was written', () => {
    const result = load(VALID);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [journey] = result.value;
    expect(journey!.userCase.journey).toBe('Create New Song');
    expect(journey!.steps[0]!.at).toEqual({ line: 6, column: 5 });
    expect(journey!.steps[0]!.cases).toEqual([
      { line: 12, column: 9 },
      { line: 13, column: 9 },
    ]);
  });

  it('loads every journey of a multi-document file', () => {
    const result = load(`${VALID}---\nrole: Beginner\njourney: Onboarding\nsteps:\n  - step: Sign Up\n`);
    expect(result.ok && result.value.map((u) => [u.userCase.journey, u.at.line])).toEqual([
      ['Create New Song', 2],
      ['Onboarding', 17],
    ]);
  });

  it('reports a wrong type at the value, with the field path', () => {
    expect(errorsOf('role: R\njourney: J\nsteps:\n  - step: S\n    repeat: ten\n')).toEqual([
      'user-cases/music.yml:5:13: steps[0].repeat: Invalid input: expected number, received string',
    ]);
  });

  it('reports an unknown key at the key itself', () => {
    expect(errorsOf('role: R\njourney: J\ncolour: red\nsteps:\n  - step: S\n')).toEqual([
      'user-cases/music.yml:3:1: colour: unknown key "colour"',
    ]);
  });

  it('explains a malformed api hint in words', () => {
    expect(errorsOf('role: R\njourney: J\nsteps:\n  - step: S\n    api: POST api/projects\n')).toEqual([
      'user-cases/music.yml:5:10: steps[0].api: expected "METHOD /path", for example "POST /api/projects"',
    ]);
  });

  it('reports a missing required key at the object that lacks it', () => {
    expect(errorsOf('role: R\nsteps:\n  - step: S\n')).toEqual([
      'user-cases/music.yml:1:1: missing required key "journey"',
    ]);
  });

  it('points into a titled case that is wrong, not at the whole list', () => {
    expect(
      errorsOf(
        'role: R\njourney: J\nsteps:\n  - step: S\n    cases:\n      - title: T\n        expect: { status: 999 }\n',
      ),
    ).toEqual([
      'user-cases/music.yml:7:27: steps[0].cases[0].expect.status: Too big: expected number to be <=599',
    ]);
  });

  it('points at a browser step that lacks what its action needs', () => {
    expect(
      errorsOf(
        'role: R\njourney: J\nsteps:\n  - step: S\n    cases:\n      - title: T\n        ui:\n          - { action: fill, target: label=Name }\n',
      ),
    ).toEqual(['user-cases/music.yml:8:13: steps[0].cases[0].ui[0].value: fill needs a value']);
  });

  it('reports every problem of a file at once, in file order', () => {
    const errors = errorsOf('role: 3\njourney: J\nextra: 1\nsteps:\n  - step: S\n    priority: urgent\n');
    expect(errors).toHaveLength(3);
    expect(errors.map((e) => e.split(':').slice(1, 3).join(':'))).toEqual(['1:7', '3:1', '6:15']);
  });

  it('reports YAML syntax errors with their position', () => {
    const errors = errorsOf('role: R\njourney: [unclosed\nsteps: []\n');
    expect(errors[0]).toMatch(/^user-cases\/music\.yml:\d+:\d+: /);
  });

  it('reports duplicate keys', () => {
    expect(errorsOf('role: R\nrole: S\njourney: J\nsteps:\n  - step: S\n')[0]).toMatch(
      /^user-cases\/music\.yml:2:1: .*unique/i,
    );
  });

  it('reports problems in several files together', () => {
    const result = loadUserCases([
      { path: 'a.yml', text: 'role: R\n' },
      { path: 'b.yml', text: 'journey: J\n' },
    ]);
    expect(result.ok ? [] : result.errors.map((e) => e.file)).toEqual(['a.yml', 'a.yml', 'b.yml', 'b.yml']);
  });

  it('refuses an empty file and an empty set of files', () => {
    expect(errorsOf('')).toEqual(['user-cases/music.yml:1:1: the file holds no YAML document']);
    const none = loadUserCases([]);
    expect(none.ok ? '' : formatSourceError(none.errors[0]!)).toBe('(cases):1:1: no user-case files found');
  });

  it('gives a positioned error, never an exception, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const result = load(text);
        if (result.ok) return;
        for (const error of result.errors) {
          expect(error.line).toBeGreaterThanOrEqual(1);
          expect(error.column).toBeGreaterThanOrEqual(1);
          expect(error.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives positioned errors for random structures shaped like user cases', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const step = fc.dictionary(
      fc.constantFrom('step', 'api', 'auth', 'example', 'cases', 'repeat', 'bogus'),
      value,
    );
    const doc = fc.record({ role: value, journey: value, steps: fc.array(step, { maxLength: 3 }) });
    fc.assert(
      fc.property(doc, (candidate) => {
        const result = load(JSON.stringify(candidate));
        if (!result.ok) expect(result.errors.every((e) => e.line >= 1 && /\S/.test(e.message))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('loading gauntlet.yml', () => {
  it('gives the defaults when there is no file', () => {
    expect(loadConfig(undefined)).toEqual({
      ok: true,
      value: {
        identities: {},
        timeoutMs: 10000,
        caseTimeoutMs: 120000,
        origins: [],
        browser: '/usr/bin/chromium',
        loadEngine: 'auto',
        retries: 2,
        limits: {
          maxRepeat: 100,
          maxRequestsPerCase: 500,
          maxResponseBytes: 5_000_000,
          maxRequestBodyBytes: 10_000_000,
          maxUserCaseFileBytes: 5_000_000,
          maxUserCasesBytes: 50_000_000,
        },
        regression: 'gauntlet-cases',
        store: { dir: '.gauntlet/store', redisUrlEnv: 'GAUNTLET_REDIS_URL', namespace: 'gauntlet:' },
        generation: {
          seed: 0,
          providers: [
            {
              kind: 'openai',
              model: 'gpt-4.1-mini',
              apiKeyEnv: 'OPENAI_API_KEY',
              temperature: 0,
              timeoutMs: 60000,
              maxRetries: 3,
              responseFormat: 'json_schema',
            },
          ],
          budget: { maxCases: 500, maxTokens: 2_000_000 },
          prices: {},
          circuitBreaker: { failures: 3, coolDownS: 60 },
          cache: true,
          cacheTtlDays: 30,
        },
      },
    });
  });

  it('reads identities and reports bad ones with positions', () => {
    const good = loadConfig({
      path: 'gauntlet.yml',
      text: 'identities:\n  user:\n    fresh: true\n    steps: [{ api: POST /login }]\n    headers: { a: b }\n',
    });
    expect(good.ok && good.value.identities.user?.fresh).toBe(true);
    const bad = loadConfig({
      path: 'gauntlet.yml',
      text: 'identities:\n  User:\n    steps: []\nconcurrency: 0\n',
    });
    expect(bad.ok ? [] : bad.errors.map(formatSourceError)).toEqual([
      'gauntlet.yml:2:3: identities.User: "User" is not a valid name: use lower-case letters, digits and dashes',
      'gauntlet.yml:4:14: concurrency: Too small: expected number to be >=1',
    ]);
  });

  it('gives positioned errors, never an exception, for random configurations', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.dictionary(fc.string(), fc.string()),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('identities', 'timeoutMs', 'concurrency', 'extra'), value),
        (config) => {
          const result = loadConfig({ path: 'gauntlet.yml', text: JSON.stringify(config) });
          if (!result.ok) expect(result.errors.every((e) => e.line >= 1 && e.column >= 1)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('says where a key is written, for errors about a value that is valid but does not work', () => {
    const loaded = loadConfigWithPositions({
      path: 'gauntlet.yml',
      text: 'timeoutMs: 1000\nopenapi:   ./missing.yaml\n',
    });
    expect(loaded.ok && loaded.value.config.openapi).toBe('./missing.yaml');
    expect(loaded.ok && loaded.value.placeOf(['openapi'])).toBe('gauntlet.yml:2:12');
    const none = loadConfigWithPositions(undefined);
    expect(none.ok && none.value.placeOf(['openapi'])).toBeUndefined();
    expect(loadConfigWithPositions({ path: 'gauntlet.yml', text: 'timeoutMs: x\n' }).ok).toBe(false);
  });

  it('wants exactly one document', () => {
    const result = loadConfig({ path: 'gauntlet.yml', text: 'timeoutMs: 1000\n---\ntimeoutMs: 2000\n' });
    expect(result.ok ? '' : formatSourceError(result.errors[0]!)).toBe(
      'gauntlet.yml:1:1: expected exactly one YAML document',
    );
  });
});
