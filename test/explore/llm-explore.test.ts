// Exploration with an LLM, against the local OpenAI-compatible server and the faulty sample target: once per
// journey the model is shown how the journey's cases ended and proposes edge cases none of them tried; what it
// proposes is checked like every generated case (a request to another host is dropped), runs in the next round, and
// what it cost is counted. A broken server costs its proposals, never the exploration.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunResult } from '../../src/cases/index.ts';
import { LLM_EXPLORE_GENERATOR } from '../../src/explore/index.ts';
import { createOpenAiProvider } from '../../src/generate/openai/index.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import { messageText, wireRequest } from '../support/openai/index.ts';
import type { ChatRequest } from '../support/openai/index.ts';
import { useOpenAiServer } from '../support/openai/jest.ts';
import { exploreFrom, journeys, runner, type Journeys } from './journeys.ts';

const openai = useOpenAiServer();
const GENERATOR = `${LLM_EXPLORE_GENERATOR}/openai/gpt-4.1-mini`;
const EDIT_AUDIO = 4;

let faulty: RunningAidawg;
let music: Journeys;
let round0: RunResult[];

beforeAll(async () => {
  [faulty, music] = await Promise.all([
    startAidawg({ faults: 'all' }),
    journeys('aidawg-music-producer.yml'),
  ]);
  round0 = await runner(faulty.url)(music.cases);
});
afterAll(() => faulty.close());

const promptOf = (request: ChatRequest) => request.messages.map(messageText).join('\n');
const asksToExplore = (request: ChatRequest) => promptOf(request).includes('Task: the "results" block');

/** A model that, asked to explore "Create New Song", proposes both fades at 0 and a request to another host. */
function model(request: ChatRequest) {
  if (!asksToExplore(request) || !promptOf(request).includes('Create New Song')) return { cases: [] };
  const edit = (title: string, api: string) => ({
    step: EDIT_AUDIO,
    title,
    category: 'edge-case',
    priority: 'high',
    tags: ['fade'],
    requests: [
      wireRequest({
        api,
        auth: 'user',
        example: '{"op": "fade", "fadeIn": 0, "fadeOut": 0}',
        expect: { status: 200 },
      }),
    ],
  });
  return {
    cases: [
      edit(
        'Edit Audio: a fade with no fade-in and no fade-out',
        'POST /api/projects/{projectId}/clips/{clipId}/edits',
      ),
      edit('Edit Audio: the same fade sent elsewhere', 'POST http://elsewhere.test/api/edits'),
    ],
  };
}

const exploreWithLlm = () =>
  exploreFrom(music, round0, runner(faulty.url), {
    budget: { maxRounds: 1, maxRerunsPerShrink: 5 },
    llm: createOpenAiProvider({
      model: 'gpt-4.1-mini',
      baseURL: openai().url,
      apiKey: openai().apiKey,
      maxRetries: 0,
      backoffMs: 0,
    }),
  });

describe('exploration with an LLM', () => {
  it("asks once per journey, from the journey's results, and runs the edge cases it proposes", async () => {
    openai().setDefaultReply(model);
    const explored = await exploreWithLlm();

    const asked = openai()
      .requests.flatMap((r) => (r.chat ? [r.chat] : []))
      .filter(asksToExplore);
    expect(asked).toHaveLength(music.sources.length);
    // The results go in as data: the journey's own cases and how each ended.
    const song = asked.find((r) => promptOf(r).includes('Create New Song'))!;
    const someResult = round0.find((r) => r.origin.journey === 'Create New Song')!;
    expect(promptOf(song)).toMatch(/<data-[a-z0-9]+ name="results">/);
    expect(promptOf(song)).toContain(someResult.title);
    const ofSong = round0.filter((r) => r.origin.journey === 'Create New Song');
    const shown = Math.min(ofSong.length, 200);
    const block = /name="results">([\s\S]*?)<\/data-/.exec(promptOf(song))![1]!;
    expect(block.match(/^- title: /gm)).toHaveLength(shown);

    const fromLlm = explored.cases.filter((c) => c.origin.generator === GENERATOR);
    expect(fromLlm.map((c) => c.title)).toEqual(['Edit Audio: a fade with no fade-in and no fade-out']);
    const [testCase] = fromLlm;
    expect(testCase!.origin).toMatchObject({ journey: 'Create New Song', step: 'Edit Audio' });
    expect(testCase!.origin.parent).toBeUndefined();
    // It found F18: both fades at 0 crash the edit.
    const result = explored.results[explored.cases.indexOf(testCase!)]!;
    expect(result.status).toBe('failed');
    expect(result.evidence.at(-1)!.response!.status).toBe(500);
    // Nothing it wrote reached another host.
    expect(JSON.stringify(explored.cases)).not.toContain('elsewhere.test');

    // What it cost is the exploration's usage.
    expect(explored.usage).toEqual(openai().stats);
  });

  it('goes on without the LLM when its server fails, stops asking after three failures in a row, and says so', async () => {
    openai().fault({ kind: 'server-error', times: 1000 });
    const explored = await exploreWithLlm();
    expect(openai().stats.requests).toBe(3);
    expect(explored.notes.filter((n) => n.startsWith('openai/gpt-4.1-mini: '))).toHaveLength(3);
    expect(explored.cases.some((c) => c.origin.generator.startsWith(LLM_EXPLORE_GENERATOR))).toBe(false);
    expect(explored.cases.length).toBeGreaterThan(0);
    expect(explored.usage.requests).toBe(3);
  });
});
