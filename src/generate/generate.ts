// The whole generation of a run: committed regression cases first, then the rules, then the LLM providers of the
// configuration in a fallback chain. An LLM goes further than the rules; when it fails, times out, talks nonsense
// or runs out of budget, the run goes on with what the rules and the regression suite give, and says so.
import type {
  GauntletConfig,
  GenerationSummary,
  LoadedUserCase,
  SourceError,
  TestCase,
} from '../cases/index.ts';
import { assembleCase, GenerationError } from './assemble.ts';
import { cacheKey, readCached, writeCached, type CacheStore } from './cache.ts';
import { CaseSet } from './case-set.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { generateTestCases, type GenerateOptions, type Untested } from './index.ts';
import {
  addTokenUsage,
  ProviderError,
  type Provider,
  type ProviderReply,
  type StepDraft,
  type TokenUsage,
} from './provider.ts';

export interface Budget {
  /** At most this many cases from LLM providers in the run. */
  maxCases?: number;
  /** At most this many tokens (prompt and completion) in the run. */
  maxTokens?: number;
  /** At most this estimated cost in US dollars, from `prices`. */
  maxCostUsd?: number;
}

/** US dollars per million tokens, by provider name ("openai/gpt-4.1-mini") or model ("gpt-4.1-mini"). */
export type PriceTable = Record<string, { input: number; output: number }>;

export interface LlmOptions {
  /** Tried in order for each journey; the first that answers gives the journey's LLM cases. */
  providers: readonly Provider[];
  cache?: CacheStore;
  /** How long a cached proposal is kept (default: until deleted). */
  cacheTtlSeconds?: number;
  budget?: Budget;
  prices?: PriceTable;
  /** After this many failures in a row a provider is skipped for `coolDownMs` (default 3 and 60 s). */
  breaker?: { failures?: number; coolDownMs?: number };
  now?: () => number;
}

export interface FullGenerateOptions extends GenerateOptions {
  seed?: number;
  /** Operations the service offers ("METHOD /path"), to keep LLM proposals to what exists. */
  operations?: readonly string[];
  /** Committed cases (`gauntlet generate --save`): they run first and new generation skips their duplicates. */
  regression?: readonly TestCase[];
  llm?: LlmOptions;
}

/** What generation did, as the run result records it. */
export type GenerationReport = GenerationSummary;
export type ProviderReport = GenerationSummary['providers'][number];

export type FullGenerated =
  | { ok: true; cases: TestCase[]; untested: Untested[]; report: GenerationReport }
  | { ok: false; errors: SourceError[] };

export async function generate(
  sources: readonly LoadedUserCase[],
  config: GauntletConfig,
  options: FullGenerateOptions = {},
): Promise<FullGenerated> {
  const seed = options.seed ?? 0;
  const set = new CaseSet();
  for (const testCase of options.regression ?? []) set.add(testCase);
  const regression = set.size;
  const ruled = generateTestCases(sources, config, options, set);
  if (!ruled.ok) return ruled;
  const rulesCases = set.size - regression;
  const report: GenerationReport = {
    seed,
    providers: [
      {
        name: 'rules',
        cases: rulesCases,
        journeys: sources.length,
        cached: 0,
        failed: 0,
        skipped: 0,
        dropped: 0,
        errors: [],
      },
    ],
    usage: { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 },
    degraded: false,
    regression,
    notes: [],
  };
  if (options.llm && options.llm.providers.length > 0) {
    await generateWithLlm(sources, config, { ...options, seed, llm: options.llm }, set, report);
  }
  return { ok: true, cases: set.values(), untested: ruled.untested, report };
}

async function generateWithLlm(
  sources: readonly LoadedUserCase[],
  config: GauntletConfig,
  options: FullGenerateOptions & { seed: number; llm: LlmOptions },
  set: CaseSet,
  report: GenerationReport,
): Promise<void> {
  const { llm } = options;
  const now = llm.now ?? Date.now;
  const budget = llm.budget ?? {};
  const entries = llm.providers.map((provider) => {
    const entry: ProviderReport = {
      name: provider.name,
      cases: 0,
      journeys: 0,
      cached: 0,
      failed: 0,
      skipped: 0,
      dropped: 0,
      errors: [],
    };
    report.providers.push(entry);
    return {
      provider,
      entry,
      breaker: new CircuitBreaker(llm.breaker?.failures ?? 3, llm.breaker?.coolDownMs ?? 60_000, now),
    };
  });
  const cache = tolerantCache(llm.cache, llm.cacheTtlSeconds, report);
  let llmCases = 0;
  let journeysWithout = 0;
  const identities = Object.keys(config.identities);
  const operations = [...(options.operations ?? [])];
  // The titles of each journey's cases so far, kept as cases are added: listing the whole set for each journey
  // made the LLM's part quadratic in the number of journeys.
  const titles = new Map<string, string[]>();
  const addTitle = (testCase: TestCase) => {
    const list = titles.get(testCase.origin.journey);
    if (list) list.push(testCase.title);
    else titles.set(testCase.origin.journey, [testCase.title]);
  };
  for (const testCase of set.values()) addTitle(testCase);

  for (const [position, source] of sources.entries()) {
    const reached = budgetReached(budget, llmCases, report.usage);
    if (reached) {
      report.budget = reached;
      report.notes.push(
        `The ${reached.reached} budget (${formatLimit(reached.reached, reached.limit)}) was reached; ` +
          `${sources.length - position} journeys got no LLM cases.`,
      );
      break;
    }
    const existing = [...(titles.get(source.userCase.journey) ?? [])];
    let answered = false;
    for (const { provider, entry, breaker } of entries) {
      if (!breaker.allows()) {
        entry.skipped++;
        continue;
      }
      const key = cacheKey({
        userCase: source.userCase,
        positions: source.steps,
        provider: provider.name,
        ...(provider.model !== undefined && { model: provider.model }),
        ...(provider.endpoint !== undefined && { endpoint: provider.endpoint }),
        version: provider.version,
        seed: options.seed,
        identities,
        operations,
      });
      let reply = await cache.read(key);
      const fromCache = reply !== undefined;
      if (!reply) {
        try {
          reply = await provider.plan({
            journey: source,
            existing,
            identities,
            operations,
            maxCases: budget.maxCases === undefined ? 50 : Math.max(1, budget.maxCases - llmCases),
            ...(budget.maxTokens !== undefined && {
              maxTokens: Math.max(
                1,
                budget.maxTokens - report.usage.promptTokens - report.usage.completionTokens,
              ),
            }),
          });
        } catch (error) {
          breaker.failure();
          entry.failed++;
          entry.errors.push(`${source.userCase.journey}: ${(error as Error).message}`);
          if (error instanceof ProviderError && error.usage) {
            addSpending(report.usage, error.usage, provider.name, llm.prices);
          }
          continue;
        }
        breaker.success();
        addSpending(report.usage, reply.usage, provider.name, llm.prices);
        await cache.write(key, reply);
      }
      answered = true;
      entry.journeys++;
      if (fromCache) entry.cached++;
      entry.dropped += reply.dropped;
      for (const draft of reply.drafts) {
        if (budget.maxCases !== undefined && llmCases >= budget.maxCases) break;
        const testCase = assembleDraft(source, config, draft);
        if (!testCase) {
          entry.dropped++;
        } else if (set.add(testCase)) {
          addTitle(testCase);
          entry.cases++;
          llmCases++;
        }
      }
      break;
    }
    if (!answered) journeysWithout++;
  }

  for (const { entry } of entries) {
    if (
      budget.maxCostUsd !== undefined &&
      entry.journeys > entry.cached &&
      !priceOf(llm.prices, entry.name)
    ) {
      report.notes.push(
        `generation.prices has no price for ${entry.name}, so its cost is not counted against the cost budget.`,
      );
    }
    if (entry.failed > 0) {
      report.notes.push(
        `${entry.name} failed for ${entry.failed} journey${entry.failed === 1 ? '' : 's'} (${entry.errors[0]})` +
          (entry.skipped > 0 ? ` and was skipped for ${entry.skipped} more after repeated failures.` : '.'),
      );
    }
    if (entry.dropped > 0) {
      report.notes.push(`${entry.dropped} cases proposed by ${entry.name} were not valid and were left out.`);
    }
  }
  if (journeysWithout > 0) {
    report.notes.push(
      `${journeysWithout} journey${journeysWithout === 1 ? '' : 's'} got no LLM cases; their tests come from the rules` +
        `${report.regression > 0 ? ' and the regression suite' : ''} alone.`,
    );
  }
  report.degraded = journeysWithout > 0 || report.budget !== undefined;
}

/**
 * The cache, where a store that fails (Redis gone away, a full disk) costs LLM requests, never the run: a read that
 * fails is a miss, a write that fails is skipped, and the report says so once.
 */
function tolerantCache(
  store: CacheStore | undefined,
  ttlSeconds: number | undefined,
  report: GenerationReport,
) {
  let noted = false;
  const note = (error: unknown) => {
    if (noted) return;
    noted = true;
    report.notes.push(
      `The generation cache failed (${(error as Error).message}); proposals were asked for anew and may not be kept.`,
    );
  };
  return {
    read: async (key: string) => {
      try {
        return store ? await readCached(store, key) : undefined;
      } catch (error) {
        note(error);
        return undefined;
      }
    },
    write: async (key: string, reply: ProviderReply) => {
      try {
        if (store) await writeCached(store, key, reply, ttlSeconds);
      } catch (error) {
        note(error);
      }
    },
  };
}

/** A proposal as a test case, or none when it cannot be one (it uses a value no step captures, say). */
function assembleDraft(
  source: LoadedUserCase,
  config: GauntletConfig,
  draft: StepDraft,
): TestCase | undefined {
  const step = source.userCase.steps[draft.stepIndex];
  if (!step) return undefined;
  try {
    return assembleCase({ source, stepIndex: draft.stepIndex, step, config }, draft);
  } catch (error) {
    if (error instanceof GenerationError) return undefined;
    throw error;
  }
}

/**
 * Adds what a provider's requests spent to a run's figures: requests, tokens and, when the price table names the
 * provider or its model, the estimated cost.
 */
export function addSpending(
  into: GenerationReport['usage'],
  usage: TokenUsage,
  provider: string,
  prices?: PriceTable,
): void {
  addTokenUsage(into, usage);
  const price = priceOf(prices, provider);
  if (price) {
    into.costUsd += (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
  }
}

/** The price of a provider, by its name ("openai/gpt-4.1-mini") or its model ("gpt-4.1-mini"). */
function priceOf(prices: PriceTable | undefined, provider: string) {
  return prices?.[provider] ?? prices?.[provider.slice(provider.indexOf('/') + 1)];
}

function budgetReached(
  budget: Budget,
  cases: number,
  usage: GenerationReport['usage'],
): GenerationReport['budget'] | undefined {
  const tokens = usage.promptTokens + usage.completionTokens;
  if (budget.maxCases !== undefined && cases >= budget.maxCases)
    return { reached: 'cases', limit: budget.maxCases, used: cases };
  if (budget.maxTokens !== undefined && tokens >= budget.maxTokens)
    return { reached: 'tokens', limit: budget.maxTokens, used: tokens };
  if (budget.maxCostUsd !== undefined && usage.costUsd >= budget.maxCostUsd)
    return { reached: 'cost', limit: budget.maxCostUsd, used: usage.costUsd };
  return undefined;
}

function formatLimit(kind: 'cases' | 'tokens' | 'cost', limit: number): string {
  if (kind === 'cost') return `$${limit.toFixed(2)}`;
  return `${limit.toLocaleString('en')} ${kind}`;
}
