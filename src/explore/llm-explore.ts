// Edge cases from an LLM: once per journey, the model sees how the journey's cases ended so far and proposes what
// none of them tried (other value classes, orders, identities, sequences). Its cases are checked and assembled like
// every generated case; what it costs is counted; its failures never fail exploration.
import type { GauntletConfig, LoadedUserCase, RunResult, TestCase } from '../cases/index.ts';
import { NO_USAGE, ProviderError, type Provider, type TokenUsage } from '../generate/provider.ts';
import { assembled } from './follow-ups.ts';

export const LLM_EXPLORE_GENERATOR = 'explore/llm';

export interface LlmExploreContext {
  provider: Provider;
  config: GauntletConfig;
  /** Operations the service offers ("METHOD /path"). */
  operations: readonly string[];
  /** At most this many cases from one journey's request. */
  perJourney: number;
  /** Tokens left for this request, when the exploration has a token budget. */
  maxTokens?: number;
}

export interface LlmExploration {
  cases: TestCase[];
  usage: TokenUsage;
  /** What went wrong; exploration goes on without the proposals. */
  error?: string;
}

/** The results of the journey's own cases, in the order they ran. */
export function resultsOfJourney(source: LoadedUserCase, results: readonly RunResult[]): RunResult[] {
  return results.filter((r) => r.origin.file === source.file && r.origin.journey === source.userCase.journey);
}

/** Asks the provider for edge cases the journey's results have not tried. */
export async function exploreJourneyWithLlm(
  source: LoadedUserCase,
  results: readonly RunResult[],
  context: LlmExploreContext,
): Promise<LlmExploration> {
  try {
    const reply = await context.provider.explore({
      journey: source,
      results: [...results],
      identities: Object.keys(context.config.identities),
      operations: [...context.operations],
      maxCases: context.perJourney,
      ...(context.maxTokens !== undefined && { maxTokens: context.maxTokens }),
    });
    const generator = `${LLM_EXPLORE_GENERATOR}/${context.provider.name}`;
    const cases = reply.drafts
      .flatMap((d) => assembled(source, d.stepIndex, d, context.config))
      .slice(0, context.perJourney)
      .map((c) => ({ ...c, origin: { ...c.origin, generator } }));
    return { cases, usage: reply.usage };
  } catch (error) {
    const usage = error instanceof ProviderError && error.usage ? error.usage : NO_USAGE;
    return { cases: [], usage, error: `${context.provider.name}: ${(error as Error).message}` };
  }
}
