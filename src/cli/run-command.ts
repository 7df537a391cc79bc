// A run against the target, as `run`, `explore` and `merge` do it: generate, run (and explore), compare with the
// base, keep the trend, write every report; the command line only parses its options into these.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { GauntletConfig, OperationCoverage, RunResult, RunSummary, TestCase } from '../cases/index.ts';
import { explore, type ExploreBudget, type Exploration } from '../explore/index.ts';
import { addSpending } from '../generate/generate.ts';
import type { ApiDescription } from '../generate/openapi/index.ts';
import { saveRegressionCases } from '../generate/regression.ts';
import { summarize } from '../report/index.ts';
import { explorationSentence } from '../report/exploration.ts';
import { notRunGroups, notRunSentence } from '../report/not-run.ts';
import { operationCoverage } from '../report/operations.ts';
import {
  describeTransportError,
  OpenApiDescription,
  OpenApiVersionError,
  Redactor,
  runTestCases,
  securitySchemeNames,
  selectShard,
} from '../run/index.ts';
import type { Shard } from '../run/index.ts';
import { logTo, type CliIo } from './io.ts';
import { activeProviders, llmFromEnv, narrativeWriter, nonEmpty, openRunStore } from './llm.ts';
import { nothingToRun } from './no-cases.ts';
import { prepare, type PrepareOptions } from './prepare.ts';
import { createPreparationProgress, createProgress } from './progress.ts';
import { latestResults, readSummary, writeReports } from './reports.ts';
import type { StartedService } from './start-service.ts';
import { UsageError } from './usage-error.ts';

export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface CommonOptions {
  /** A path, false for --no-cases, or unset for the default folder. */
  cases?: string | false;
  config?: string;
  openapi?: string;
  seed?: number;
}

export interface GeneratingOptions extends CommonOptions {
  rulesOnly?: boolean;
  model?: string;
  llmMaxCases?: number;
  llmMaxTokens?: number;
  llmMaxCost?: number;
}

export interface RunCommandOptions extends GeneratingOptions {
  target: URL;
  out: string;
  concurrency?: number;
  timeout?: number;
  retries?: number;
  failFast?: boolean;
  shard?: Shard;
  base?: string;
  reportUrl?: string;
  branch?: string;
  baseBranch?: string;
  /** A run with no test case to run passes instead of failing (exit 0, not 2). */
  passWithNoTests?: boolean;
  /** The command that starts the service, its ready URL and the seconds to wait for it (start-service.ts). */
  start?: string;
  ready?: URL;
  readyTimeout?: number;
}

/** Generation with the LLM providers the configuration and the environment switch on, unless --rules-only. */
export function generating<T extends GeneratingOptions>(
  options: T,
  io: CliIo,
): Omit<T, 'rulesOnly' | 'model' | 'llmMaxCases' | 'llmMaxTokens' | 'llmMaxCost'> & PrepareOptions {
  const { rulesOnly, model, llmMaxCases, llmMaxTokens, llmMaxCost, ...rest } = options;
  const budget = {
    ...(llmMaxCases !== undefined && { maxCases: llmMaxCases }),
    ...(llmMaxTokens !== undefined && { maxTokens: llmMaxTokens }),
    ...(llmMaxCost !== undefined && { maxCostUsd: llmMaxCost }),
  };
  return {
    ...rest,
    generation: { ...(model !== undefined && { model }), budget },
    log: logTo(io),
    progress: createPreparationProgress(io.stderr),
    ...(!rulesOnly && { llm: llmFromEnv(io.env ?? process.env, logTo(io)) }),
  };
}

/**
 * Generates, runs (and, given an exploration budget, explores), and writes the reports; returns the exit code.
 */
export async function runAndReport(
  options: RunCommandOptions,
  io: CliIo,
  exploring?: ExploreBudget,
  service?: StartedService,
): Promise<number> {
  const env = io.env ?? process.env;
  const seed = options.seed;
  const prepared = await prepare({
    ...generating(options, io),
    allowNoUserCases: options.passWithNoTests === true,
  });
  const { config, untested, generation, description } = prepared;
  const redactor = io.redactor ?? new Redactor();
  redactor.addNames(securitySchemeNames(description?.document));
  for (const provider of config.generation.providers) redactor.remember(env[provider.apiKeyEnv]);
  const cases = options.shard ? selectShard(prepared.cases, options.shard) : prepared.cases;
  const nothing = nothingToRun(prepared, cases, options.shard);
  if (nothing?.advice !== undefined && !options.passWithNoTests) {
    throw new UsageError(`no test cases to run: ${nothing.reason}`, [
      `${nothing.advice}; or pass --pass-with-no-tests to accept a run with none`,
    ]);
  }
  if (nothing) io.stderr.write(`No test cases to run: ${nothing.reason}.\n`);
  const checking = description && responseChecks(description);
  const openapi = checking?.openapi;
  if (checking && !checking.responses.checked) {
    io.stderr.write(`Responses are not checked against the API description: ${checking.responses.note}.\n`);
  }
  // Read before the run, so a wrong path costs nothing.
  const baseFile = options.base === undefined ? undefined : await readSummary(options.base);
  await assertReachable(options.target, config.timeoutMs);
  const startedAt = new Date();
  const part = options.shard ? ` (shard ${options.shard.index} of ${options.shard.total})` : '';
  io.stderr.write(`Running ${cases.length} test cases${part} against ${options.target.href}\n`);
  const runOptions = {
    target: options.target,
    concurrency: options.concurrency ?? config.concurrency ?? Math.min(64, availableParallelism() * 2),
    timeoutMs: options.timeout ?? config.timeoutMs,
    caseTimeoutMs: config.caseTimeoutMs,
    origins: config.origins.map((origin) => new URL(origin)),
    // The command's environment first (a test's, say), then the process's: the machine's browser is the machine's.
    browserPath: env.CHROMIUM_PATH ?? process.env.CHROMIUM_PATH ?? config.browser,
    loadEngine: config.loadEngine,
    ...(openapi && { openapi }),
    artifactsDir: path.join(options.out, 'artifacts'),
    retries: options.retries ?? config.retries,
    limits: config.limits,
    redactor,
  };
  const progress = createProgress(io.stderr);
  let results = await runTestCases(cases, {
    ...runOptions,
    failFast: options.failFast ?? false,
    onResult: progress.onResult,
  });
  progress.finish();
  // What the machine lacks, once per missing thing, with the fix: these cases are not findings about the service.
  for (const group of notRunGroups(results)) io.stderr.write(`${notRunSentence(group)} ${group.fix}\n`);
  let exploration: RunSummary['exploration'];
  let ran = cases;
  if (exploring) {
    const [llm] = options.rulesOnly ? [] : activeProviders(config, seed ?? config.generation.seed, env);
    const explored = await explore({
      sources: prepared.sources,
      config,
      cases,
      results,
      run: (more) => runTestCases(more, runOptions),
      seed: seed ?? config.generation.seed,
      budget: {
        ...exploring,
        // What generation left of the run's token budget.
        ...(config.generation.budget.maxTokens !== undefined && {
          maxTokens: Math.max(
            0,
            config.generation.budget.maxTokens -
              generation.usage.promptTokens -
              generation.usage.completionTokens,
          ),
        }),
      },
      ...(llm && { llm }),
      ...(description && {
        operations: description.operations.map((o) => `${o.method} ${o.path}`),
        description,
        secretNames: securitySchemeNames(description.document),
      }),
      ...(service?.probe && { coverage: service.probe }),
      log: logTo(io),
    });
    ({ results, ran, exploration } = withExploration(cases, results, explored));
    // The same sentence the reports open their exploration with, from the same rounds results.json holds.
    io.stderr.write(`${explorationSentence(exploration)}\n`);
    // The LLM's follow-ups and edge cases are part of the run's spending.
    if (llm) addSpending(generation.usage, explored.usage, llm.name, config.generation.prices);
    // The minimal reproductions as regression cases: copy them into the regression folder to keep them.
    await saveRegressionCases(
      path.join(options.out, 'reproductions'),
      explored.findings.map((f) => f.minimal),
    );
  }
  const serviceCoverage = await service?.coverage();
  const summary = summarize({
    version: VERSION,
    target: options.target.href,
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    results,
    untested,
    latencyBudget: config.latencyBudget,
    generation,
    ...(description && {
      operations: {
        ...operationCoverage(description.source, description.operations, ran, results),
        ...(checking && { responses: checking.responses }),
      },
    }),
    ...(exploration && { exploration }),
    ...(serviceCoverage && { serviceCoverage }),
  });
  return reportRun(summary, options, { ...io, redactor }, config, {
    ...(baseFile && { baseFile }),
    keep: !options.shard,
  });
}

export interface ReportOptions {
  out: string;
  base?: string;
  baseBranch?: string;
  branch?: string;
  reportUrl?: string;
  rulesOnly?: boolean;
  seed?: number;
}

/**
 * The reports of a run (or of merged shards): compared with the base (a file, or the base branch's latest results in
 * the run store), the trend from the store, the narrative by the LLM when one is on; returns the exit code.
 */
export async function reportRun(
  summary: RunSummary,
  options: ReportOptions,
  io: CliIo,
  config: GauntletConfig,
  { baseFile, keep }: { baseFile?: RunSummary; keep: boolean },
): Promise<number> {
  const env = io.env ?? process.env;
  const store = await openRunStore(config, env, logTo(io));
  try {
    const branch = options.branch ?? nonEmpty(env.GITHUB_HEAD_REF) ?? nonEmpty(env.GITHUB_REF_NAME);
    const baseBranch = options.baseBranch ?? nonEmpty(env.GITHUB_BASE_REF);
    const base =
      baseFile ?? (baseBranch !== undefined ? await latestResults(store, baseBranch, logTo(io)) : undefined);
    const writer = options.rulesOnly
      ? undefined
      : narrativeWriter(config, options.seed ?? config.generation.seed, env);
    return await writeReports(summary, options.out, io, {
      store,
      ...(branch !== undefined && { branch }),
      keep,
      ...(base && { base }),
      ...(options.reportUrl !== undefined && { fullReportUrl: options.reportUrl }),
      ...(writer && { writer, prices: config.generation.prices }),
    });
  } finally {
    await store.close();
  }
}

/** The generated run, the rounds after it and each minimal reproduction, as one run's cases and results. */
function withExploration(
  cases: readonly TestCase[],
  results: readonly RunResult[],
  explored: Exploration,
): { results: RunResult[]; ran: TestCase[]; exploration: NonNullable<RunSummary['exploration']> } {
  const ran = [...cases, ...explored.cases];
  const all = [...results, ...explored.results];
  const seen = new Set(all.map((r) => r.caseId));
  for (const finding of explored.findings) {
    if (seen.has(finding.result.caseId)) continue;
    seen.add(finding.result.caseId);
    ran.push(finding.minimal);
    all.push(finding.result);
  }
  return {
    results: all,
    ran,
    exploration: {
      rounds: explored.rounds.map((round) => ({ ...round, durationMs: Math.round(round.durationMs) })),
      stopped: explored.stopped,
      findings: explored.findings.map((f) => ({
        signature: f.signature.key,
        minimalCaseId: f.result.caseId,
        reduced: f.reduced,
        firstSeenRound: f.firstSeenRound,
        chain: f.chain,
        ...(f.note !== undefined && { note: f.note }),
      })),
      notes: explored.notes,
    },
  };
}

/**
 * The description to check responses against (OpenAPI 3.x, or a Swagger 2.0 one converted to 3.0), and what the
 * report says of it: against what responses were checked, or why they were not.
 */
export function responseChecks(description: ApiDescription): {
  openapi?: OpenApiDescription;
  responses: NonNullable<OperationCoverage['responses']>;
} {
  const { responseProblem, specVersion } = description;
  // A description made in memory has no responseDocument: its document serves when it is OpenAPI 3.
  const responseDocument =
    description.responseDocument ?? (responseProblem === undefined ? description.document : undefined);
  if (!responseDocument) {
    return {
      responses: { checked: false, note: responseProblem ?? 'the description could not be read whole' },
    };
  }
  try {
    const openapi = OpenApiDescription.fromDocument(description.source, responseDocument);
    const converted = specVersion === '2.0' ? ' (converted from Swagger 2.0 to OpenAPI 3.0)' : '';
    return { openapi, responses: { checked: true, note: `against the description${converted}` } };
  } catch (error) {
    if (!(error instanceof OpenApiVersionError)) throw error;
    return { responses: { checked: false, note: error.message } };
  }
}

/** A target that cannot be reached is a configuration problem, not a finding about the target. */
async function assertReachable(target: URL, timeoutMs: number): Promise<void> {
  try {
    // fetch refuses a URL with user info; the cases' requests go to the origin, without it, too.
    const probe = new URL(target.href);
    probe.username = '';
    probe.password = '';
    await fetch(probe, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) }).then((r) =>
      r.body?.cancel(),
    );
  } catch (error) {
    throw new UsageError(
      `cannot reach the target at ${target.href} (${describeTransportError(error, timeoutMs)}); is it running?`,
    );
  }
}
