// Shrinking, follow-ups and mutations, against the real sample target with its faults switched on.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { failureSignature } from '../../src/analyze/signature.ts';
import { contentId } from '../../src/cases/index.ts';
import type { ApiStep, ApiTestCase, TestCase } from '../../src/cases/index.ts';
import {
  allPairs,
  concurrencyVariant,
  followUps,
  pairwiseMutations,
  shrink,
  wellFormed,
} from '../../src/explore/index.ts';
import { randomAt } from '../../src/generate/openapi/values/random.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import { journeys, runner, type Journeys } from './journeys.ts';

let correct: RunningAidawg;
let faulty: RunningAidawg;
let music: Journeys;

beforeAll(async () => {
  [correct, faulty, music] = await Promise.all([
    startAidawg(),
    startAidawg({ faults: 'all' }),
    journeys('aidawg-music-producer.yml'),
  ]);
});
afterAll(() => Promise.all([correct.close(), faulty.close()]));

const titled = (title: string) => music.cases.find((c) => c.title === title) as ApiTestCase;

/** "Create project with empty name" with an unneeded request before it and fields the failure does not need. */
function emptyNameWithExtras(): ApiTestCase {
  const base = titled('Create project with empty name');
  const signIn = base.steps.filter((s) => s.name.startsWith('sign in as '));
  const [empty] = base.steps.filter((s) => !s.name.startsWith('sign in as '));
  const browse: ApiStep = {
    name: 'GET /api/templates',
    request: { method: 'GET', path: '/api/templates', query: { q: 'lofi' } },
    expect: { status: 200 },
  };
  const crowded: ApiStep = {
    ...empty!,
    request: {
      ...empty!.request,
      query: { draft: 'yes' },
      headers: { ...empty!.request.headers, 'x-client': 'studio' },
      json: {
        name: '',
        template: 'lofi-study',
        notes: { mood: 'calm', key: 'A minor' },
        bars: 64,
        tags: ['a', 'b'],
      },
    },
  };
  const steps = [...signIn, browse, crowded];
  return { ...base, id: contentId('tc', { kind: 'api', steps }), steps };
}

describe('shrink', () => {
  it('cuts a failing case down to the request and the fields the failure needs', async () => {
    const run = runner(faulty.url);
    const original = emptyNameWithExtras();
    const [result] = await run([original]);
    expect(failureSignature(result!)?.key).toBe(
      'status | POST /api/projects | 201 | expected status N, got N',
    );

    const shrunk = await shrink(original, result!, run);
    expect(shrunk.reduced).toBe(true);
    expect(shrunk.reruns).toBeLessThanOrEqual(40);
    const minimal = shrunk.testCase as ApiTestCase;
    expect(minimal.steps.map((s) => s.name)).toEqual([
      'sign in as user: POST /api/auth/signup',
      'POST /api/projects',
    ]);
    expect(minimal.steps[1]!.request.json).toEqual({ name: '' });
    expect(minimal.steps[1]!.request.query).toBeUndefined();
    expect(minimal.steps[1]!.request.headers).toEqual({ authorization: 'Bearer {{user.token}}' });
    expect(minimal.id).not.toBe(original.id);
    expect(minimal.id).toBe(contentId('tc', { kind: 'api', steps: minimal.steps }));
    expect(minimal.origin).toMatchObject({ parent: original.id, generator: 'explore/shrink' });

    // Run again alone, the minimal case fails the same way.
    const [again] = await run([minimal]);
    expect(failureSignature(again!)?.key).toBe(failureSignature(result!)?.key);
  });

  it('keeps a case that does not fail the same way when run again', async () => {
    const original = emptyNameWithExtras();
    const [result] = await runner(faulty.url)([original]);
    // On the correct target the empty name is refused: the failure does not come back.
    const shrunk = await shrink(original, result!, runner(correct.url));
    expect(shrunk).toMatchObject({ testCase: original, result, reduced: false, reruns: 1 });
    expect(shrunk.note).toMatch(/did not fail the same way/);
  });

  it('returns passing, UI and load cases as they are, without a re-run', async () => {
    const original = emptyNameWithExtras();
    const [passed] = await runner(correct.url)([titled('Create project with valid name')]);
    const rerun = jest.fn(runner(correct.url));
    expect(await shrink(titled('Create project with valid name'), passed!, rerun)).toMatchObject({
      reduced: false,
      reruns: 0,
      note: expect.stringMatching(/did not fail/),
    });
    const ui = { ...original, kind: 'ui', steps: [] } as unknown as TestCase;
    expect((await shrink(ui, { ...passed!, status: 'failed' }, rerun)).note).toBe(
      'UI cases are not shrunk: they are returned as they are',
    );
    expect(rerun).not.toHaveBeenCalled();
  });

  it('keeps the steps whose captures and sign-ins later steps use', () => {
    const edit = titled('Fade in/out');
    const names = edit.steps.map((s) => s.name);
    expect(names).toEqual([
      'sign in as user: POST /api/auth/signup',
      'POST /api/projects',
      'POST /api/projects/{projectId}/tracks',
      'POST /api/projects/{projectId}/tracks/{trackId}/clips',
      'POST /api/projects/{projectId}/clips/{clipId}/edits',
    ]);
    expect(wellFormed(edit.steps, edit.steps)).toBe(true);
    for (let i = 0; i < edit.steps.length - 1; i++) {
      expect(
        wellFormed(
          edit.steps.filter((_, j) => j !== i),
          edit.steps,
        ),
      ).toBe(false);
    }
  });
});

describe('follow-ups', () => {
  it('proposes up to five new cases around a failure, each naming the failing case as its parent', async () => {
    const run = runner(faulty.url);
    const failing = titled('Create project with empty name');
    const [result] = await run([failing]);
    const tried = new Set(music.cases.map((c) => c.id));
    const { cases, errors } = await followUps(failing, result!, failing, {
      sources: music.sources,
      config: music.config,
      seed: 1,
      isNew: (c) => !tried.has(c.id),
    });
    expect(errors).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(3);
    expect(cases.length).toBeLessThanOrEqual(5);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) {
      expect(c.origin.parent).toBe(failing.id);
      expect(c.origin.generator).toMatch(/^explore\/follow-up/);
      expect(tried.has(c.id)).toBe(false);
    }
    // The empty name sent to the rename of the same resource, which must refuse it as well.
    const rename = cases.find(
      (c) => c.kind === 'api' && c.steps.at(-1)!.name === 'PATCH /api/projects/{projectId}',
    );
    expect(rename).toMatchObject({ kind: 'api' });
    expect((rename as ApiTestCase).steps.at(-1)).toMatchObject({
      request: { json: { name: '' } },
      expect: { status: 400 },
    });
    expect(cases.map((c) => c.title)).toContain(
      'POST /api/projects: the same request without credentials is refused',
    );
    // The follow-ups run, and the rename refuses what the create let through.
    const results = await run(cases);
    expect(results[cases.indexOf(rename!)]!.status).toBe('passed');
  });

  it('asks an LLM provider too, and goes on without it when it fails', async () => {
    const failing = titled('Create project with empty name');
    const [result] = await runner(faulty.url)([failing]);
    const broken = {
      name: 'llm/broken',
      version: '1',
      plan: () => Promise.reject(new Error('unused')),
      explore: () => Promise.reject(new Error('unused')),
      followUp: () => Promise.reject(new Error('the model is unavailable')),
    };
    const { cases, errors } = await followUps(failing, result!, failing, {
      sources: music.sources,
      config: music.config,
      seed: 1,
      llm: { provider: broken, maxTokens: 1000 },
    });
    expect(errors).toEqual(['llm/broken: the model is unavailable']);
    expect(cases.length).toBe(5);
  });
});

describe('mutations of passing cases', () => {
  it('covers every pair of value classes in few rows, the same rows for the same seed', () => {
    const rows = allPairs([3, 4, 4], randomAt(7, 'x'));
    expect(rows).toEqual(allPairs([3, 4, 4], randomAt(7, 'x')));
    expect(rows.length).toBeLessThanOrEqual(20);
    for (const [i, j] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      const levels = [3, 4, 4];
      for (let a = 0; a < levels[i]!; a++) {
        for (let b = 0; b < levels[j]!; b++) expect(rows.some((r) => r[i] === a && r[j] === b)).toBe(true);
      }
    }
  });

  it('varies the body of a passing request pairwise, deterministically for a seed', () => {
    const fade = titled('Fade in/out');
    const mutations = pairwiseMutations(fade, 1);
    expect(pairwiseMutations(fade, 1)).toEqual(mutations);
    expect(
      pairwiseMutations(fade, 2)
        .map((m) => m.id)
        .sort(),
    ).not.toEqual(mutations.map((m) => m.id).sort());
    expect(mutations.length).toBeGreaterThanOrEqual(15);
    const bodies = mutations.map((m) => m.steps.at(-1)!.request.json);
    expect(bodies).toContainEqual({ op: 'fade', fadeIn: 0, fadeOut: 0 });
    expect(bodies).not.toContainEqual({ op: 'fade', fadeIn: 1, fadeOut: 2 });
    for (const m of mutations) {
      expect(m.origin).toMatchObject({ parent: fade.id, generator: 'explore/pairwise' });
      expect(m.steps.at(-1)!.expect).toEqual({ status: ['2xx', '3xx', '4xx'] });
    }
  });

  it('sends a create twice at once, expecting it done once or refused (any 4xx: 409, 400, 422)', async () => {
    const create = titled('Create project with valid name');
    const variant = concurrencyVariant(create)!;
    expect(variant.origin).toMatchObject({ parent: create.id, generator: 'explore/concurrency' });
    expect(variant.steps.at(-1)).toMatchObject({
      repeat: { count: 2, concurrency: 2 },
      expect: { status: [201, '4xx'] },
    });
    expect(concurrencyVariant(titled('Fade in/out'))).toBeUndefined();
    const [onCorrect] = await runner(correct.url)([variant]);
    const [onFaulty] = await runner(faulty.url)([variant]);
    expect(onCorrect!.status).toBe('passed');
    expect(onFaulty!.failures[0]!.message).toBe('expected status 201 or 4xx, got 500 (in 1 of 2 requests)');
  });
});
