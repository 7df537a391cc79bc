// Exploration: after a run, shrink each failure to a minimal reproduction, follow it up, mutate what passed toward
// untried combinations, and run again while new failures turn up. An entry point calls it after the first run:
//
//   const run = (cases) => runTestCases(cases, { target, concurrency, timeoutMs, openapi });
//   const results = await run(prepared.cases);
//   const exploration = await explore({ sources, config, cases: prepared.cases, results, run, seed,
//     budget: { maxCases, maxRounds, timeMs, maxTokens }, llm, log });
export { explore } from './explore.ts';
export type {
  ExploreBudget,
  ExploreOptions,
  ExploreRound,
  ExploredFinding,
  Exploration,
  StopReason,
} from './explore.ts';
export { shrink, SHRINK_GENERATOR, wellFormed } from './shrink.ts';
export type { RunCases, ShrinkOptions, Shrunk } from './shrink.ts';
export { followUps, FOLLOW_UP_GENERATOR } from './follow-ups.ts';
export { exploreJourneyWithLlm, LLM_EXPLORE_GENERATOR } from './llm-explore.ts';
export type { LlmExploration, LlmExploreContext } from './llm-explore.ts';
export type { FollowUpContext, FollowUps } from './follow-ups.ts';
export { allPairs, pairwiseMutations, valueClasses, PAIRWISE_GENERATOR } from './pairwise.ts';
export { concurrencyVariant, CONCURRENCY_GENERATOR } from './concurrency.ts';
export { parameterMutations, parameterSlots, mutantsOf, PARAMETER_GENERATOR } from './parameters.ts';
export type { ParameterMutation, ParameterSlot, SlotKind } from './parameters.ts';
export { ParameterFeedback } from './feedback.ts';
export { ResponseValues } from './response-values.ts';
