// Exploration: testing that adapts. Round 0 is the generated run. Each round shrinks the failures whose signature
// is new to a minimal reproduction, proposes follow-ups around them and mutations of the passing cases (pairwise
// body values, a create sent twice at once), runs what was never tried, and goes on while rounds find new
// signatures and the budgets last. The same seed and target give the same rounds.
import { failureSignature, type FailureSignature } from '../analyze/signature.ts';
import type { GauntletConfig, LoadedUserCase, RunResult, TestCase } from '../cases/index.ts';
import { CaseSet } from '../generate/case-set.ts';
import { mapWithConcurrency } from '../run/pool.ts';
import { addTokenUsage, type Provider, type TokenUsage } from '../generate/provider.ts';
import type { ApiDescription } from '../generate/openapi/description.ts';
import type { CoverageProbe } from '../run/coverage.ts';
import { concurrencyVariant } from './concurrency.ts';
import { newCodeFirst, runMeasuringCoverage } from './coverage-guidance.ts';
import { ParameterFeedback } from './feedback.ts';
import { isApiCase, isPlainObject } from './derive.ts';
import { FOLLOW_UP_GENERATOR, followUps } from './follow-ups.ts';
import { exploreJourneyWithLlm, resultsOfJourney } from './llm-explore.ts';
import { pairwiseMutations } from './pairwise.ts';
import { shrink, type RunCases } from './shrink.ts';

export interface ExploreBudget {
  /** At most this many explored cases in all rounds (default 500); shrinking re-runs are counted apart. */
  maxCases?: number;
  /** At most this many rounds after round 0 (default 5). */
  maxRounds?: number;
  /** Start no new round or shrink after this many ms (default: no limit). */
  timeMs?: number;
  /** At most this many LLM tokens, prompt and completion (default: no limit). */
  maxTokens?: number;
  /** At most this many re-runs to shrink one failure (default 40). */
  maxRerunsPerShrink?: number;
}

export interface ExploreOptions {
  /** The user cases the round-0 cases came from: follow-ups are built from their steps. */
  sources: readonly LoadedUserCase[];
  config: GauntletConfig;
  /** Round 0: the generated cases and their results, in the same order. */
  cases: readonly TestCase[];
  results: readonly RunResult[];
  /** Runs cases against the target, each on its own, results in case order (runTestCases with its options). */
  run: RunCases;
  seed?: number;
  budget?: ExploreBudget;
  /** Follow-ups per failure (default 5). */
  perFailure?: number;
  /**
   * An LLM provider for follow-ups of failures, and for edge cases of each journey that its results so far have not
   * tried; its failures are reported in `notes`, never fail exploration.
   */
  llm?: Provider;
  /** Edge cases asked of the LLM for each journey, once (default 3). */
  llmPerJourney?: number;
  /** Operations the service offers ("METHOD /path"), for the LLM. */
  operations?: readonly string[];
  /** The API description: parameter mutations follow its schemas where a step names one of its operations. */
  description?: ApiDescription;
  /** Names never mutated, whatever their spelling: the description's API-key names. */
  secretNames?: readonly string[];
  /**
   * The coverage of the service Gauntlet started: each case then runs alone, and those that reach new code are
   * mutated first (and further, though explorers made them).
   */
  coverage?: CoverageProbe;
  /** Failures shrunk at the same time (default 4). */
  concurrency?: number;
  now?: () => number;
  /** Plain progress lines. */
  log?: (line: string) => void;
}

export interface ExploreRound {
  round: number;
  /** Cases run in the round (shrinking re-runs apart). */
  cases: number;
  /** Of them, failed or errored. */
  failures: number;
  /** Signature keys first seen in the round. */
  newSignatures: string[];
  /** Re-runs spent shrinking the round's new failures. */
  reruns: number;
  durationMs: number;
  /** Ids of the round's cases that reached service code no earlier case had (with coverage only). */
  reachedNewCode?: string[];
  /** The round's cases by what made them ("explore/parameter": 30); unset for round 0, the generated run. */
  made?: Record<string, number>;
  /** Parameter mutations whose status changed from their parent's, kept as parents of the next round. */
  statusChanges?: number;
}

export interface ExploredFinding {
  signature: FailureSignature;
  /** The smallest case that fails this way, and its result when run alone. */
  minimal: TestCase;
  result: RunResult;
  /** Whether shrinking found a smaller case; `note` says why not, when it says anything. */
  reduced: boolean;
  note?: string;
  reruns: number;
  firstSeenRound: number;
  /** Case ids from the round-0 case down to the one that first failed this way. */
  chain: string[];
}

export type StopReason =
  'no-new-signature' | 'nothing-to-try' | 'max-cases' | 'max-rounds' | 'time' | 'max-tokens';

export interface Exploration {
  rounds: ExploreRound[];
  /** The cases exploration ran (round 1 on) and their results, in the same order. */
  cases: TestCase[];
  results: RunResult[];
  /** Every signature seen, round 0 included, in the order first seen. */
  findings: ExploredFinding[];
  stopped: StopReason;
  usage: TokenUsage;
  notes: string[];
}

export async function explore(options: ExploreOptions): Promise<Exploration> {
  const now = options.now ?? Date.now;
  const started = now();
  const seed = options.seed ?? 0;
  const budget = options.budget ?? {};
  const maxCases = budget.maxCases ?? 500;
  const maxRounds = budget.maxRounds ?? 5;
  const deadline = budget.timeMs === undefined ? Infinity : started + budget.timeMs;
  const log = options.log ?? (() => undefined);

  const tried = new CaseSet();
  const triedIds = new Set<string>();
  for (const testCase of options.cases) {
    tried.add(testCase);
    triedIds.add(testCase.id);
  }
  const parentOf = new Map<string, string>();
  const findings = new Map<string, ExploredFinding>();
  const pairwiseDone = new Set<string>();
  const feedback = new ParameterFeedback({
    seed,
    ...(options.description && { description: options.description }),
    ...(options.secretNames && { secretNames: options.secretNames }),
  });
  const usage: TokenUsage = { requests: 0, promptTokens: 0, completionTokens: 0 };
  const notes: string[] = [];
  const explored: TestCase[] = [];
  const exploredResults: RunResult[] = [];
  const rounds: ExploreRound[] = [];
  const tokens = () => usage.promptTokens + usage.completionTokens;
  let llmFailures = 0;
  /** Journeys (file and journey) whose results the LLM has explored. */
  const llmExplored = new Set<string>();
  /**
   * The LLM, and the tokens it may spend on one request: asked while time and tokens are left and until it has
   * failed three times in a row (a dead server would otherwise cost a timeout for every request of the round).
   */
  const llmNow = (): { provider: Provider; maxTokens?: number } | undefined => {
    const left = budget.maxTokens === undefined ? undefined : Math.max(0, budget.maxTokens - tokens());
    if (!options.llm || left === 0 || now() >= deadline || llmFailures >= 3) return undefined;
    return { provider: options.llm, ...(left !== undefined && { maxTokens: left }) };
  };
  /** Counts what an LLM request spent, notes its failure, and keeps the count of failures in a row. */
  const spent = (more: TokenUsage, errors: readonly string[]) => {
    addTokenUsage(usage, more);
    notes.push(...errors);
    llmFailures = errors.length > 0 ? llmFailures + 1 : 0;
  };

  const chainOf = (id: string): string[] => {
    const chain = [id];
    for (
      let parent = parentOf.get(id);
      parent !== undefined && !chain.includes(parent);
      parent = parentOf.get(parent)
    ) {
      chain.unshift(parent);
    }
    return chain;
  };

  /** Records the round's results; shrinks the first failure of each new signature. */
  const record = async (
    round: number,
    cases: readonly TestCase[],
    results: readonly RunResult[],
    since: number,
  ) => {
    const changed = feedback.observe(cases, results);
    const fresh: { testCase: TestCase; result: RunResult; signature: FailureSignature }[] = [];
    let failures = 0;
    results.forEach((result, i) => {
      const signature = failureSignature(result);
      if (!signature) return;
      failures++;
      if (findings.has(signature.key) || fresh.some((f) => f.signature.key === signature.key)) return;
      fresh.push({ testCase: cases[i]!, result, signature });
    });
    let reruns = 0;
    await mapWithConcurrency(fresh.length, options.concurrency ?? 4, async (index) => {
      const { testCase, result, signature } = fresh[index]!;
      const shrunk = await shrink(testCase, result, options.run, {
        ...(budget.maxRerunsPerShrink !== undefined && { maxReruns: budget.maxRerunsPerShrink }),
        deadline,
        now,
      });
      reruns += shrunk.reruns;
      return { testCase, signature, shrunk };
    }).then((done) => {
      for (const { testCase, signature, shrunk } of done) {
        findings.set(signature.key, {
          signature,
          minimal: shrunk.testCase,
          result: shrunk.result,
          reduced: shrunk.reduced,
          ...(shrunk.note !== undefined && { note: shrunk.note }),
          reruns: shrunk.reruns,
          firstSeenRound: round,
          chain: chainOf(testCase.id),
        });
      }
    });
    const entry: ExploreRound = {
      round,
      cases: cases.length,
      failures,
      newSignatures: fresh.map((f) => f.signature.key),
      reruns,
      durationMs: now() - since,
      ...(round > 0 && { made: madeBy(cases), statusChanges: changed.length }),
    };
    rounds.push(entry);
    log(
      `Exploration round ${round}: ${entry.cases} cases, ${entry.failures} failed, ` +
        `${entry.newSignatures.length} new failure signatures, ${entry.reruns} re-runs to shrink them` +
        (round > 0 ? `, ${changed.length} status changes to follow` : ''),
    );
    return { fresh, changed: changed.length };
  };

  let { fresh } = await record(0, options.cases, options.results, started);
  let passing = options.results.flatMap((r, i) => (r.status === 'passed' ? [options.cases[i]!] : []));
  /** Cases that reached new code: kept as parents, whoever made them. */
  const newCode = new Set<string>();
  // Round 0 is where coverage starts from: the rounds after it are measured against what it reached.
  await options.coverage?.take();
  let stopped: StopReason | undefined;

  for (let round = 1; stopped === undefined; round++) {
    if (round > maxRounds) stopped = 'max-rounds';
    else if (now() >= deadline) stopped = 'time';
    else if (budget.maxTokens !== undefined && tokens() >= budget.maxTokens) stopped = 'max-tokens';
    else if (explored.length >= maxCases) stopped = 'max-cases';
    if (stopped) break;
    const since = now();

    const next: TestCase[] = [];
    /** A case for the round unless it was tried; `parent` is the case it grew from, when it grew from one. */
    const propose = (testCase: TestCase, parent?: string) => {
      triedIds.add(testCase.id);
      if (!tried.add(testCase)) return;
      if (parent !== undefined) parentOf.set(testCase.id, parent);
      next.push(testCase);
    };
    // Around each new failure first: they are what the round learnt.
    for (const { testCase, result, signature } of fresh) {
      const finding = findings.get(signature.key)!;
      const llm = llmNow();
      const proposed = await followUps(testCase, result, finding.minimal, {
        sources: options.sources,
        config: options.config,
        seed,
        ...(options.perFailure !== undefined && { perFailure: options.perFailure }),
        isNew: (c) => !triedIds.has(c.id),
        ...(llm && { llm }),
        ...(options.operations && { operations: options.operations }),
      });
      if (proposed.asked) spent(proposed.usage, proposed.errors);
      for (const followUp of proposed.cases) propose(followUp, testCase.id);
    }
    // Then what an LLM makes of each journey's results so far: edge cases none of them tried.
    const soFar = [...options.results, ...exploredResults];
    for (const source of options.sources) {
      const key = `${source.file}\n${source.userCase.journey}`;
      const results = resultsOfJourney(source, soFar);
      const llm = llmNow();
      if (!llm || llmExplored.has(key) || results.length === 0) continue;
      llmExplored.add(key);
      const proposed = await exploreJourneyWithLlm(source, results, {
        ...llm,
        config: options.config,
        operations: options.operations ?? [],
        perJourney: options.llmPerJourney ?? 3,
      });
      spent(proposed.usage, proposed.error === undefined ? [] : [proposed.error]);
      for (const testCase of proposed.cases) propose(testCase);
    }
    // Then toward what no passing case tried: the same create twice at once, pairs of body values.
    // Mutations of mutations would multiply without end: the generated cases and the follow-ups are mutated.
    const mutable = passing
      .filter(isApiCase)
      .filter(
        (c) =>
          newCode.has(c.id) ||
          !c.origin.generator.startsWith('explore/') ||
          c.origin.generator.startsWith(FOLLOW_UP_GENERATOR),
      );
    for (const testCase of mutable) {
      const variant = concurrencyVariant(testCase);
      if (variant) propose(variant, testCase.id);
    }
    for (const testCase of mutable) {
      const last = testCase.steps.at(-1);
      const json = last?.request.json;
      if (!last || !isPlainObject(json)) continue;
      // One set of pairs per operation and field names: another case with the same body shape adds little.
      const shape = `${last.name} ${Object.keys(json).sort().join(',')}`;
      if (pairwiseDone.has(shape)) continue;
      const mutations = pairwiseMutations(testCase, seed);
      if (mutations.length > 0) pairwiseDone.add(shape);
      for (const mutation of mutations) propose(mutation, testCase.id);
    }
    // Then every parameter of the request, one at a time, with values the responses so far held first; the
    // mutations whose status changed last round are mutated further.
    // Those that reached new code of the service go first, besides the usual picks of each operation.
    // They take a fifth of what the case budget has left, so the rounds after this one have some too (a fixed part,
    // not one by the rounds left: a round proposes the same cases whatever the number of rounds).
    let share = Math.max(0, Math.floor((maxCases - explored.length - next.length) / 5));
    for (const group of [
      mutable.filter((c) => newCode.has(c.id)),
      mutable.filter((c) => !newCode.has(c.id)),
    ]) {
      const mutations = feedback.mutations(group, share);
      share -= mutations.length;
      for (const { testCase, parent } of mutations) propose(testCase, parent);
    }

    const room = maxCases - explored.length;
    const cases = next.slice(0, room);
    if (next.length > room)
      notes.push(
        `${next.length - room} proposed cases were left out: the case budget (${maxCases}) ran out.`,
      );
    if (cases.length === 0) {
      stopped = 'nothing-to-try';
      break;
    }
    const { results, reachedNewCode } = await runMeasuringCoverage(cases, options.run, options.coverage);
    for (const id of reachedNewCode ?? []) newCode.add(id);
    explored.push(...cases);
    exploredResults.push(...results);
    const recorded = await record(round, cases, results, since);
    fresh = recorded.fresh;
    if (reachedNewCode) rounds.at(-1)!.reachedNewCode = reachedNewCode;
    passing = newCodeFirst(
      results.flatMap((r, i) => (r.status === 'passed' ? [cases[i]!] : [])),
      newCode,
    );
    // A round cut short by the budget did not try all it had: the budget, not the target, ended it. A round that
    // changed a status, or reached new code, has a new branch of the service to go on from, though it found no
    // new failure.
    if (next.length > room) stopped = 'max-cases';
    else if (fresh.length === 0 && recorded.changed === 0 && !reachedNewCode?.length)
      stopped = 'no-new-signature';
  }

  return {
    rounds,
    cases: explored,
    results: exploredResults,
    findings: [...findings.values()],
    stopped: stopped!,
    usage,
    notes,
  };
}

/** How many of the cases each explorer made ("explore/follow-up", "explore/parameter", an LLM's name), first met first. */
function madeBy(cases: readonly TestCase[]): Record<string, number> {
  const made = new Map<string, number>();
  for (const testCase of cases) {
    const { generator } = testCase.origin;
    // A follow-up names the rule it came from after its own name; the round counts it as a follow-up.
    const maker = generator.startsWith('explore/') ? generator.split('/').slice(0, 2).join('/') : generator;
    made.set(maker, (made.get(maker) ?? 0) + 1);
  }
  return Object.fromEntries(made);
}
