// Exploration over the project's own journey against the sample target: round 0 is the generated run; the rounds
// after it find the faults only combinations reach (F17, a race; F18, two values together), and stop by themselves.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { failureSignature } from '../../src/analyze/signature.ts';
import type { RunResult } from '../../src/cases/index.ts';
import type { Exploration, ExploreOptions } from '../../src/explore/index.ts';
import type { Provider } from '../../src/generate/provider.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import { exploreFrom, journeys, runner, type Journeys } from './journeys.ts';
import { failedOnSpeedOnly, isSpeedCheck } from '../support/results.ts';

/** F17: two identical creates at once, one of them a 500. F18: both fades 0 at once, a 500. */
const F17 = 'status | POST /api/projects | 500 | expected status N or Nxx, got N (in N of N requests)';
const F18 =
  'status | POST /api/projects/{projectId}/clips/{clipId}/edits | 500 | expected status Nxx or Nxx or Nxx, got N';

let correct: RunningAidawg;
let faulty: RunningAidawg;
let music: Journeys;
let round0: RunResult[];
let explored: Exploration;

beforeAll(async () => {
  [correct, faulty, music] = await Promise.all([
    startAidawg(),
    startAidawg({ faults: 'all' }),
    journeys('aidawg-music-producer.yml'),
  ]);
  round0 = await runner(faulty.url)(music.cases);
  explored = await exploreFaulty({ run: recording(runner(faulty.url)) });
});
afterAll(() => Promise.all([correct.close(), faulty.close()]));

/** Exploration of the music producer's journey against the faulty target, from the generated run, seed 1. */
const exploreFaulty = (extra: Partial<ExploreOptions> = {}) =>
  exploreFrom(music, round0, runner(faulty.url), extra);

/**
 * The answers the first exploration saw, by case id, in the order seen. Exploration is deterministic given the
 * target's answers; a busy machine can change an answer (a race, a time limit), so the determinism test replays them.
 */
const seen = new Map<string, RunResult[]>();
const recording =
  (run: ExploreOptions['run']): ExploreOptions['run'] =>
  async (cases) => {
    const results = await run(cases);
    cases.forEach((c, i) => seen.set(c.id, [...(seen.get(c.id) ?? []), results[i]!]));
    return results;
  };
/** Answers each case as the first exploration saw it; runs only cases it never ran. */
const replaying =
  (run: ExploreOptions['run']): ExploreOptions['run'] =>
  async (cases) => {
    const answers = cases.map((c) => seen.get(c.id)?.shift());
    const live = await run(cases.filter((_, i) => answers[i] === undefined));
    return answers.map((answer) => answer ?? live.shift()!);
  };

const keysOf = (results: readonly RunResult[]) =>
  new Set(results.flatMap((r) => failureSignature(r)?.key ?? []));

describe('the faults only exploration reaches', () => {
  it('F17: two identical creates sent at once give a 500; one after the other, the second gets 409', async () => {
    const signUp = await fetch(`${faulty.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'race@example.test', password: 'race-pass-1' }),
    });
    const { token } = (await signUp.json()) as { token: string };
    const create = (name: string) =>
      fetch(`${faulty.url}/api/projects`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ name }),
      }).then((r) => r.status);
    expect((await Promise.all([create('Race'), create('Race')])).sort()).toEqual([201, 500]);
    expect(await create('One by one')).toBe(201);
    expect(await create('One by one')).toBe(409);
  });
});

describe('explore', () => {
  it('finds F17 and F18, which round 0 did not, and goes on while rounds find new signatures or status changes', () => {
    const before = keysOf(round0);
    expect(before.has(F17)).toBe(false);
    expect(before.has(F18)).toBe(false);
    const later = explored.rounds.slice(1).flatMap((r) => r.newSignatures);
    expect(later).toEqual(expect.arrayContaining([F17, F18]));
    expect(later.filter((key) => before.has(key))).toEqual([]);

    // Parameter mutations that changed a status are followed further: rounds end when one finds neither a new
    // signature nor a status change, or at the number of rounds.
    const last = explored.rounds.at(-1)!;
    if (explored.stopped === 'no-new-signature') {
      expect([last.newSignatures, last.statusChanges]).toEqual([[], 0]);
    } else {
      expect(explored.stopped).toBe('max-rounds');
      expect(explored.rounds).toHaveLength(6);
    }
    expect(explored.rounds[0]).toMatchObject({ round: 0, cases: music.cases.length });
    expect(explored.rounds.slice(1).reduce((n, r) => n + r.cases, 0)).toBe(explored.cases.length);
    expect(explored.results.map((r) => r.caseId)).toEqual(explored.cases.map((c) => c.id));
    expect(new Set(explored.cases.map((c) => c.id)).size).toBe(explored.cases.length);
    expect(explored.cases.filter((c) => music.cases.some((g) => g.id === c.id))).toEqual([]);
  });

  it('traces each new finding back to the generated case it grew from', () => {
    const f17 = explored.findings.find((f) => f.signature.key === F17)!;
    const f18 = explored.findings.find((f) => f.signature.key === F18)!;
    expect(f17.firstSeenRound).toBeGreaterThan(0);
    expect(f17.minimal.origin.generator).toBe('explore/concurrency');
    expect(f18.minimal.origin.generator).toBe('explore/pairwise');
    expect(f18.minimal.kind === 'api' && f18.minimal.steps.at(-1)!.request.json).toEqual({
      op: 'fade',
      fadeIn: 0,
      fadeOut: 0,
    });
    for (const finding of [f17, f18]) {
      const [root] = finding.chain;
      expect(music.cases.some((c) => c.id === root)).toBe(true);
      expect(finding.chain.at(-1)).toBe(finding.reduced ? finding.minimal.origin.parent : finding.minimal.id);
    }
  });

  it('shrinks every finding to a case that fails the same way when run again alone', async () => {
    const run = runner(faulty.url);
    for (const finding of explored.findings) {
      expect(finding.reruns).toBeLessThanOrEqual(40);
      const [again] = await run([finding.minimal]);
      expect([finding.minimal.title, failureSignature(again!)?.key]).toEqual([
        finding.minimal.title,
        finding.signature.key,
      ]);
    }
  });

  it('proposes the same cases for the same seed, and stops after maxRounds', async () => {
    const once = await exploreFaulty({
      budget: { maxRounds: 1 },
      run: replaying(runner(faulty.url)),
    });
    expect(once.stopped).toBe('max-rounds');
    expect(once.rounds.map((r) => r.round)).toEqual([0, 1]);
    expect(once.cases.map((c) => c.id)).toEqual(
      explored.cases.slice(0, explored.rounds[1]!.cases).map((c) => c.id),
    );
  });

  it('runs no more cases than maxCases, and no more LLM tokens than maxTokens', async () => {
    const capped = await exploreFaulty({
      budget: { maxCases: 12, maxRerunsPerShrink: 5 },
    });
    expect(capped.cases.length).toBe(12);
    expect(capped.stopped).toBe('max-cases');
    expect(capped.notes.join(' ')).toMatch(/left out: the case budget \(12\) ran out/);

    const calls: number[] = [];
    const talkative: Provider = {
      name: 'llm/talkative',
      version: '1',
      plan: () => Promise.reject(new Error('unused')),
      explore: () => Promise.reject(new Error('unused')),
      followUp: ({ maxTokens }) => {
        calls.push(maxTokens ?? -1);
        return Promise.resolve({
          drafts: [],
          dropped: 0,
          usage: { requests: 1, promptTokens: 700, completionTokens: 400 },
        });
      },
    };
    // The first journey step's cases are enough to ask the LLM once.
    const first = music.cases.filter((c) => c.origin.step === 'Create Project');
    const spent = await exploreFaulty({
      cases: first,
      results: first.map((c) => round0[music.cases.indexOf(c)]!),
      llm: talkative,
      budget: { maxTokens: 1000, maxRerunsPerShrink: 5 },
    });
    expect(calls).toEqual([1000]);
    expect(spent.usage).toEqual({ requests: 1, promptTokens: 700, completionTokens: 400 });
    expect(spent.stopped).toBe('max-tokens');
  });

  it('stops asking an LLM that failed three times in a row, and says why in its notes', async () => {
    let calls = 0;
    const broken: Provider = {
      name: 'llm/broken',
      version: '1',
      plan: () => Promise.reject(new Error('unused')),
      explore: () => Promise.reject(new Error('unused')),
      followUp: () => {
        calls++;
        return Promise.reject(new Error('no answer within 60000 ms'));
      },
    };
    const degraded = await exploreFaulty({ llm: broken, budget: { maxRounds: 1, maxRerunsPerShrink: 3 } });
    // Round 0 has more than three new failures; only the first three ask the LLM.
    expect(degraded.rounds[0]!.newSignatures.length).toBeGreaterThan(3);
    expect(calls).toBe(3);
    expect(degraded.notes.filter((n) => n.startsWith('llm/broken: no answer'))).toHaveLength(3);
    expect(degraded.findings.length).toBeGreaterThan(3);
  });

  it('finds nothing where the target is correct', async () => {
    const run = runner(correct.url);
    const results = await run(music.cases);
    const clean = await exploreFaulty({ results, run });
    // Time limits and load thresholds of the user cases measure the machine too: a busy one may fail them.
    expect(clean.findings.filter((f) => !isSpeedCheck(f.signature.check))).toEqual([]);
    expect(
      clean.results.filter((r) => r.status !== 'passed' && !failedOnSpeedOnly(r)).map((r) => r.title),
    ).toEqual([]);
    // Rounds go on while mutations change statuses, within the number of rounds, though nothing fails.
    expect(clean.rounds.length).toBeGreaterThanOrEqual(2);
    expect(clean.rounds.length).toBeLessThanOrEqual(6);
    expect(clean.rounds.slice(1).every((r) => r.cases > 0 && r.newSignatures.length === 0)).toBe(true);
    const last = clean.rounds.at(-1)!;
    expect(
      clean.stopped === 'max-rounds' || (clean.stopped === 'no-new-signature' && last.statusChanges === 0),
    ).toBe(true);
  });
});
