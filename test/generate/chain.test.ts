// The generator's fallback chain: providers in order per journey, a circuit breaker, budgets, the cache and the
// regression suite. The providers here are scripted implementations of the provider interface; the OpenAI provider
// against a real local server is tested in openai.test.ts and through the CLI.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, loadUserCases } from '../../src/cases/index.ts';
import type { LoadedUserCase, TestCase } from '../../src/cases/index.ts';
import { request } from '../../src/generate/draft.ts';
import { generate } from '../../src/generate/generate.ts';
import { CircuitBreaker } from '../../src/generate/circuit-breaker.ts';
import { ProviderError } from '../../src/generate/provider.ts';
import type { PlanRequest, Provider, ProviderReply } from '../../src/generate/provider.ts';
import { FileStore } from '../../src/store/index.ts';

const CONFIG = loadConfig({
  path: 'gauntlet.yml',
  text: `identities:
  user:
    steps:
      - { api: POST /login, example: { name: u }, capture: { token: body.token } }
    headers: { authorization: 'Bearer {{token}}' }
`,
});

function journeys(count: number): LoadedUserCase[] {
  const sources = Array.from({ length: count }, (_, i) => ({
    path: `user-cases/j${i}.yml`,
    text: `role: R\njourney: Journey ${i}\nsteps:\n  - step: List\n    api: GET /lists/${i}/items\n    auth: user\n`,
  }));
  const loaded = loadUserCases(sources);
  if (!loaded.ok) throw new Error('fixture does not load');
  return loaded.value;
}

const config = () => {
  if (!CONFIG.ok) throw new Error('config does not load');
  return CONFIG.value;
};

/** A provider that answers from a script: a reply per call, or an error to throw. */
function scripted(
  name: string,
  script: (call: number, request: PlanRequest) => ProviderReply | Error,
): Provider & {
  calls: PlanRequest[];
} {
  const calls: PlanRequest[] = [];
  const answer = async (req: PlanRequest): Promise<ProviderReply> => {
    calls.push(req);
    const result = script(calls.length, req);
    if (result instanceof Error) throw result;
    return result;
  };
  return {
    name,
    version: '1',
    calls,
    plan: answer,
    followUp: () => Promise.reject(new Error('not scripted')),
    explore: () => Promise.reject(new Error('not scripted')),
  };
}

function proposal(req: PlanRequest, titles: string[], tokens = 100): ProviderReply {
  return {
    drafts: titles.map((title) => ({
      stepIndex: 0,
      title,
      rule: 'scripted',
      at: req.journey.steps[0]!.at,
      requests: [
        request({
          api: req.journey.userCase.steps[0]!.api!,
          auth: 'user',
          query: { q: title },
          expect: { status: 200 },
        }),
      ],
    })),
    dropped: 0,
    usage: { requests: 1, promptTokens: tokens, completionTokens: tokens },
  };
}

class MapStore {
  readonly entries = new Map<string, string>();
  get(key: string) {
    return Promise.resolve(this.entries.get(key));
  }
  set(key: string, value: string) {
    this.entries.set(key, value);
    return Promise.resolve();
  }
}

const fromProvider = (cases: TestCase[], name: string) => cases.filter((c) => c.origin.generator === name);

describe('generation with LLM providers', () => {
  it('adds each provider case to the rules, says which provider made it, and counts tokens and cost', async () => {
    const llm = scripted('openai/model-a', (_, req) =>
      proposal(req, ['search for a', 'search for b'], 500_000),
    );
    const result = await generate(journeys(2), config(), {
      llm: { providers: [llm], prices: { 'model-a': { input: 1, output: 3 } } },
    });
    if (!result.ok) throw new Error('generation failed');
    const made = fromProvider(result.cases, 'scripted');
    expect(made.map((c) => [c.origin.journey, c.title])).toEqual([
      ['Journey 0', 'search for a'],
      ['Journey 0', 'search for b'],
      ['Journey 1', 'search for a'],
      ['Journey 1', 'search for b'],
    ]);
    // Proposed cases become ordinary test cases: signed in, with the identity's header.
    expect((made[0] as Extract<TestCase, { kind: 'api' }>).steps.map((s) => s.name)).toEqual([
      'sign in as user: POST /login',
      'GET /lists/0/items',
    ]);
    expect(llm.calls[0]!.existing).toContain('List: works with the example data');
    expect(llm.calls[0]!.identities).toEqual(['user']);
    expect(result.report.providers.map((p) => [p.name, p.cases, p.journeys])).toEqual([
      ['rules', result.cases.length - 4, 2],
      ['openai/model-a', 4, 2],
    ]);
    expect(result.report.usage).toEqual({
      requests: 2,
      promptTokens: 1_000_000,
      completionTokens: 1_000_000,
      costUsd: 4,
    });
    expect(result.report.degraded).toBe(false);
  });

  it('falls back to the next provider when one fails, and to the rules alone when all do, saying so', async () => {
    const broken = scripted('openai/broken', () => new ProviderError('timeout', 'no answer within 100 ms'));
    const backup = scripted('local/backup', (call, req) =>
      call === 1
        ? proposal(req, ['from backup'])
        : new ProviderError('unavailable', 'the server answered 500'),
    );
    const result = await generate(journeys(2), config(), { llm: { providers: [broken, backup] } });
    if (!result.ok) throw new Error('generation failed');
    expect(fromProvider(result.cases, 'scripted').map((c) => c.origin.journey)).toEqual(['Journey 0']);
    expect(result.report.degraded).toBe(true);
    expect(result.report.notes).toEqual([
      'openai/broken failed for 2 journeys (Journey 0: no answer within 100 ms).',
      'local/backup failed for 1 journey (Journey 1: the server answered 500).',
      '1 journey got no LLM cases; their tests come from the rules alone.',
    ]);
    expect(fromProvider(result.cases, 'rules/happy-path')).toHaveLength(2);
  });

  it('skips a provider while its circuit is open after failures in a row, then tries it again', async () => {
    let now = 0;
    const flaky = scripted('openai/flaky', () => new ProviderError('unavailable', 'the server answered 503'));
    const result = await generate(journeys(5), config(), {
      llm: { providers: [flaky], breaker: { failures: 2, coolDownMs: 1000 }, now: () => now },
    });
    if (!result.ok) throw new Error('generation failed');
    expect(flaky.calls).toHaveLength(2);
    expect(result.report.providers[1]).toMatchObject({ failed: 2, skipped: 3 });
    expect(result.report.notes[0]).toBe(
      'openai/flaky failed for 2 journeys (Journey 0: the server answered 503) and was skipped for 3 more after repeated failures.',
    );

    const breaker = new CircuitBreaker(2, 1000, () => now);
    breaker.failure();
    expect(breaker.allows()).toBe(true);
    breaker.failure();
    expect(breaker.open).toBe(true);
    now = 1000;
    expect(breaker.allows()).toBe(true);
    breaker.failure(); // half-open: one more failure opens it again
    expect(breaker.open).toBe(true);
    now = 2000;
    breaker.success();
    breaker.failure();
    expect(breaker.open).toBe(false);
  });

  it('stops asking when a budget is reached, and says which', async () => {
    const llm = scripted('openai/model-a', (_, req) => proposal(req, ['a', 'b', 'c'], 600));
    const byTokens = await generate(journeys(4), config(), {
      llm: { providers: [llm], budget: { maxTokens: 2000 } },
    });
    if (!byTokens.ok) throw new Error('generation failed');
    expect(llm.calls).toHaveLength(2);
    expect(llm.calls[1]!.maxTokens).toBe(800);
    expect(byTokens.report.budget).toEqual({ reached: 'tokens', limit: 2000, used: 2400 });
    expect(byTokens.report.notes).toContain(
      'The tokens budget (2,000 tokens) was reached; 2 journeys got no LLM cases.',
    );
    expect(byTokens.report.degraded).toBe(true);

    const byCases = await generate(journeys(4), config(), {
      llm: {
        providers: [scripted('m', (_, req) => proposal(req, ['a', 'b', 'c']))],
        budget: { maxCases: 4 },
      },
    });
    if (!byCases.ok) throw new Error('generation failed');
    expect(fromProvider(byCases.cases, 'scripted')).toHaveLength(4);
    expect(byCases.report.budget).toMatchObject({ reached: 'cases', limit: 4 });

    const byCost = await generate(journeys(4), config(), {
      llm: {
        providers: [scripted('openai/m', (_, req) => proposal(req, ['a'], 1_000_000))],
        prices: { m: { input: 0.5, output: 0.5 } },
        budget: { maxCostUsd: 1 },
      },
    });
    if (!byCost.ok) throw new Error('generation failed');
    expect(byCost.report.budget).toEqual({ reached: 'cost', limit: 1, used: 1 });
    expect(byCost.report.notes[0]).toBe('The cost budget ($1.00) was reached; 3 journeys got no LLM cases.');

    const unpriced = await generate(journeys(2), config(), {
      llm: {
        providers: [scripted('openai/other', (_, req) => proposal(req, ['a']))],
        budget: { maxCostUsd: 1 },
      },
    });
    if (!unpriced.ok) throw new Error('generation failed');
    expect(unpriced.report.notes).toContain(
      'generation.prices has no price for openai/other, so its cost is not counted against the cost budget.',
    );
  });

  it('serves unchanged journeys from the cache, and asks again when the seed changes', async () => {
    const store = new MapStore();
    const llm = scripted('openai/model-a', (_, req) => proposal(req, ['cached case']));
    const first = await generate(journeys(3), config(), { llm: { providers: [llm], cache: store } });
    expect(llm.calls).toHaveLength(3);
    const second = await generate(journeys(3), config(), { llm: { providers: [llm], cache: store } });
    expect(llm.calls).toHaveLength(3);
    if (!first.ok || !second.ok) throw new Error('generation failed');
    expect(second.cases.map((c) => c.id)).toEqual(first.cases.map((c) => c.id));
    expect(second.report.providers[1]).toMatchObject({ journeys: 3, cached: 3, cases: 3 });
    expect(second.report.usage.requests).toBe(0);
    await generate(journeys(3), config(), { seed: 7, llm: { providers: [llm], cache: store } });
    expect(llm.calls).toHaveLength(6);
    // A damaged entry is generated anew rather than trusted.
    for (const key of store.entries.keys())
      store.entries.set(key, '{"drafts": [{"stepIndex": "x"}], "dropped": 0}');
    await generate(journeys(3), config(), { seed: 7, llm: { providers: [llm], cache: store } });
    expect(llm.calls).toHaveLength(9);
  });

  it('goes on without the cache when the store fails, asking anew, and says so once', async () => {
    // A real file store that can neither read nor write: its folder would have to be inside a file.
    const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-chain-'));
    try {
      await writeFile(path.join(dir, 'a-file'), '');
      const store = new FileStore(path.join(dir, 'a-file', 'store'));
      const llm = scripted('openai/model-a', (_, req) => proposal(req, ['uncached case']));
      const generated = await generate(journeys(2), config(), { llm: { providers: [llm], cache: store } });
      if (!generated.ok) throw new Error('generation failed');
      expect(llm.calls).toHaveLength(2);
      expect(fromProvider(generated.cases, 'scripted')).toHaveLength(2);
      expect(generated.report.degraded).toBe(false);
      expect(generated.report.notes.filter((n) => n.startsWith('The generation cache failed'))).toEqual([
        expect.stringMatching(/^The generation cache failed \(.*ENOTDIR.*\); proposals were asked for anew/),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs committed regression cases first and leaves out generated duplicates of them', async () => {
    const plain = await generate(journeys(1), config());
    if (!plain.ok) throw new Error('generation failed');
    const committed = plain.cases.slice(0, 2).map((c) => ({ ...c, title: `committed: ${c.title}` }));
    const withSuite = await generate(journeys(1), config(), { regression: committed });
    if (!withSuite.ok) throw new Error('generation failed');
    expect(withSuite.cases.slice(0, 2).map((c) => c.title)).toEqual(committed.map((c) => c.title));
    expect(withSuite.cases).toHaveLength(plain.cases.length);
    expect(withSuite.report.regression).toBe(2);
    expect(withSuite.report.providers[0]!.cases).toBe(plain.cases.length - 2);
  });

  it('drops a proposal that cannot become a test, and counts it', async () => {
    const llm = scripted('openai/model-a', (_, req) => ({
      ...proposal(req, ['fine']),
      drafts: [
        ...proposal(req, ['fine']).drafts,
        { ...proposal(req, ['bad'])!.drafts[0]!, requests: [request({ api: 'GET /items/{unknownId}' })] },
        { ...proposal(req, ['no step'])!.drafts[0]!, stepIndex: 9 },
      ],
      dropped: 1,
    }));
    const result = await generate(journeys(1), config(), { llm: { providers: [llm] } });
    if (!result.ok) throw new Error('generation failed');
    expect(fromProvider(result.cases, 'scripted').map((c) => c.title)).toEqual(['fine']);
    expect(result.report.providers[1]!.dropped).toBe(3);
    expect(result.report.notes).toContain(
      '3 cases proposed by openai/model-a were not valid and were left out.',
    );
  });
});
