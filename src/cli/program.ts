// The `gauntlet` command: parses arguments, reads the user's files, calls the engine, writes reports.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { GauntletConfig, LoadTestCase, RunResult, RunSummary, TestCase } from '../cases/index.ts';
import { saveRegressionCases } from '../generate/regression.ts';
import { operationCoverage } from '../report/operations.ts';
import type { ApiDescription } from '../generate/openapi/index.ts';
import { explore, type ExploreBudget, type Exploration } from '../explore/index.ts';
import { activeProviders, llmFromEnv, narrativeWriter, openRunStore, type Env } from './llm.ts';
import { latestResults, readSummary, renderReport, writeReports } from './reports.ts';
import { loadCliConfig, prepare } from './prepare.ts';
import { mergeSummaries, RENDERERS, summarize } from '../report/index.ts';
import {
  describeTransportError,
  K6ExportError,
  OpenApiDescription,
  OpenApiVersionError,
  parseShard,
  runTestCases,
  selectShard,
  toK6Script,
} from '../run/index.ts';
import type { Shard } from '../run/index.ts';
import { createProgress } from './progress.ts';
import type { ProgressSink } from './progress.ts';
import { UsageError } from './usage-error.ts';

export interface CliIo {
  stdout: ProgressSink;
  stderr: ProgressSink;
  /** The environment (API keys, OPENAI_BASE_URL, the Redis URL); process.env when not given. */
  env?: Env;
}

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const EXIT = { passed: 0, findings: 1, usage: 2 } as const;

interface CommonOptions {
  /** A path, false for --no-cases, or unset for the default folder. */
  cases?: string | false;
  config?: string;
  openapi?: string;
  seed?: number;
}

interface GeneratingOptions extends CommonOptions {
  rulesOnly?: boolean;
}

/** Runs the command line and returns the exit code; never throws for anything the user did. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.passed;
  const program = new Command('gauntlet')
    .description(
      'Turns user journeys into tests, runs them against a service, and reports in plain language.',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run gauntlet --help for usage)');

  const common = (command: Command): Command =>
    command
      .option('--cases <path>', 'user-case file or folder (default: user-cases)')
      .option('--no-cases', 'no user cases: generate for every operation of the OpenAPI description')
      .option('--config <file>', 'configuration (default: gauntlet.yml when present)')
      .option('--openapi <file-or-url>', 'the OpenAPI description (overrides openapi of the configuration)')
      .addOption(
        new Option('--seed <n>', 'seed of generation (overrides generation.seed)').argParser(count(2 ** 31)),
      );

  common(
    program
      .command('validate')
      .description('check user cases and configuration, and count the tests they give'),
  ).action(async (options: CommonOptions) => {
    const { cases, untested, journeys } = await prepare(options);
    io.stdout.write(
      `${journeys} journeys give ${cases.length} test cases; ${untested.length} titles have no test data yet.\n`,
    );
  });

  /** Generation with the LLM providers the configuration and the environment switch on, unless --rules-only. */
  const generating = (options: GeneratingOptions) => {
    const { rulesOnly, ...rest } = options;
    return {
      ...rest,
      log: logTo(io),
      ...(!rulesOnly && { llm: llmFromEnv(io.env ?? process.env, logTo(io)) }),
    };
  };
  const rulesOnlyOption = (command: Command): Command =>
    command.option('--rules-only', 'generate with the rules alone, asking no LLM provider');

  rulesOnlyOption(common(program.command('generate').description('write the generated test cases as JSON')))
    .option('--out <file>', 'where to write them', 'reports/test-cases.json')
    .option(
      '--save <folder>',
      'also write them as regression cases to commit (see regression in the configuration)',
    )
    .option('--all', "with --save: save the rules' cases too, not only those the rules cannot make again")
    .action(async (options: GeneratingOptions & { out: string; save?: string; all?: boolean }) => {
      const { cases, generation } = await prepare(generating(options));
      await mkdir(path.dirname(options.out), { recursive: true });
      await writeFile(options.out, `${JSON.stringify(cases, null, 2)}\n`);
      io.stdout.write(`Wrote ${cases.length} test cases to ${options.out}\n`);
      for (const note of generation.notes) io.stderr.write(`${note}\n`);
      if (options.save) {
        const kept = options.all ? cases : cases.filter((c) => !isReproducible(c.origin.generator));
        const files = await saveRegressionCases(options.save, kept);
        io.stdout.write(
          `Saved ${kept.length} regression cases in ${files.length} files under ${options.save}\n`,
        );
      }
    });

  /** The options of a run against a target, shared by `run` and `explore`. */
  const targetCommand = (name: string, description: string): Command =>
    rulesOnlyOption(common(program.command(name).description(description)))
      .requiredOption('--target <url>', 'base URL of the service under test', parseTarget)
      .option('--out <folder>', 'where reports are written', 'reports')
      .addOption(new Option('--concurrency <n>', 'test cases in flight at once').argParser(positiveInt(64)))
      .addOption(
        new Option('--timeout <ms>', 'time allowed for each response').argParser(positiveInt(600000)),
      )
      .addOption(
        new Option('--retries <n>', 're-runs of a failed case before it counts as failed').argParser(
          count(10),
        ),
      )
      .option(
        '--base <results.json>',
        "the base branch's results: label findings new, still failing or fixed",
      )
      .option(
        '--base-branch <name>',
        "compare with that branch's latest results in the store (default: from GitHub)",
      )
      .option(
        '--branch <name>',
        "keep this run's results in the store as the branch's latest (default: from GitHub)",
      )
      .option(
        '--report-url <url>',
        'where the full report will be (the job artifacts): a shortened report links to it',
      );

  targetCommand('run', 'generate tests from user cases, run them, and write reports')
    .option('--fail-fast', 'start no new case after the first failure')
    .addOption(
      new Option('--shard <i/n>', 'run only the i-th of n equal parts of the cases').argParser(shardOption),
    )
    .action(async (options: RunCommandOptions) => {
      exitCode = await runAndReport(options, io);
    });

  targetCommand(
    'explore',
    'run the generated tests, then explore in rounds: shrink each failure, follow it up, mutate what passed',
  )
    .addOption(
      new Option('--max-cases <n>', 'explored cases in all rounds (default 500)').argParser(
        positiveInt(100_000),
      ),
    )
    .addOption(
      new Option('--max-rounds <n>', 'rounds after the generated run (default 5)').argParser(positiveInt(50)),
    )
    .addOption(
      new Option('--time-limit <s>', 'start no new round after this many seconds').argParser(
        positiveInt(86_400),
      ),
    )
    .action(async (options: ExploreCommandOptions) => {
      exitCode = await runAndReport(options, io, {
        ...(options.maxCases !== undefined && { maxCases: options.maxCases }),
        ...(options.maxRounds !== undefined && { maxRounds: options.maxRounds }),
        ...(options.timeLimit !== undefined && { timeMs: options.timeLimit * 1000 }),
      });
    });

  common(
    program
      .command('export')
      .description('write every load case as a script for another tool')
      .argument('<format>', 'the format: k6'),
  )
    .option('--out <folder>', 'where the scripts are written', 'reports/k6')
    .action(async (format: string, options: CommonOptions & { out: string }) => {
      if (format !== 'k6') throw new UsageError(`cannot export to "${format}"; the formats are: k6`);
      const { cases } = await prepare(options);
      const loadCases = cases.filter((c) => c.kind === 'load' && c.skip === undefined);
      await mkdir(options.out, { recursive: true });
      for (const testCase of loadCases) {
        const { file, line, column } = testCase.origin;
        let script: string;
        try {
          script = toK6Script(testCase as LoadTestCase);
        } catch (error) {
          if (!(error instanceof K6ExportError)) throw error;
          throw new UsageError(`${file}:${line}:${column}: ${testCase.title}: ${error.message}`);
        }
        await writeFile(path.join(options.out, `${testCase.id}.k6.js`), script);
      }
      io.stdout.write(
        `Wrote ${loadCases.length} k6 script${loadCases.length === 1 ? '' : 's'} to ${options.out}; ` +
          `run one with: k6 run -e GAUNTLET_TARGET=<url> ${path.join(options.out, '<id>.k6.js')}\n`,
      );
    });

  program
    .command('merge')
    .description('join the results.json files of shards into one set of reports')
    .argument('<results...>', 'results.json files written by `gauntlet run --shard`')
    .option('--out <folder>', 'where reports are written', 'reports')
    .option('--config <file>', 'configuration (default: gauntlet.yml when present): the run store')
    .option('--rules-only', 'write the summary with the template, asking no LLM')
    .option('--base <results.json>', "the base branch's results: label findings new, still failing or fixed")
    .option(
      '--base-branch <name>',
      "compare with that branch's latest results in the store (default: from GitHub)",
    )
    .option('--branch <name>', "keep the merged results as the branch's latest (default: from GitHub)")
    .option('--report-url <url>', 'where the full report will be: a shortened report links to it')
    .action(async (files: string[], options: ReportOptions & { config?: string }) => {
      const summaries = await Promise.all(files.map(readSummary));
      const baseFile = options.base === undefined ? undefined : await readSummary(options.base);
      const config = await loadCliConfig(options.config);
      exitCode = await reportRun(mergeSummaries(summaries), options, io, config, {
        ...(baseFile && { baseFile }),
        keep: true,
      });
    });

  program
    .command('report')
    .description('render the report of a results file in one format')
    .requiredOption('--from <results.json>', 'results written by `gauntlet run`')
    .option('--format <format>', `the format: ${RENDERERS.map((r) => r.name).join(', ')}`, 'md')
    .option('--base <results.json>', "the base branch's results: label findings new, still failing or fixed")
    .option('--out <file>', 'where to write it (default: standard output)')
    .option('--report-url <url>', 'where the full report is: a shortened report links to it')
    .action(
      async (options: { from: string; format: string; base?: string; out?: string; reportUrl?: string }) => {
        const summary = await readSummary(options.from);
        const base = options.base === undefined ? undefined : await readSummary(options.base);
        const text = await renderReport(summary, options.format, {
          ...(base && { base }),
          ...(options.reportUrl !== undefined && { fullReportUrl: options.reportUrl }),
        });
        if (options.out === undefined) io.stdout.write(text);
        else {
          await mkdir(path.dirname(options.out), { recursive: true });
          await writeFile(options.out, text);
          io.stderr.write(`Wrote ${options.out}\n`);
        }
      },
    );

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.passed : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`gauntlet: ${error.message}\n${error.details.map((d) => `${d}\n`).join('')}`);
      return EXIT.usage;
    }
    throw error;
  }
}

/** The description the run's responses are held to (OpenAPI 3.x; a Swagger 2.0 one serves generation only). */
/** The description to check responses against: OpenAPI 3.x; a Swagger 2.0 one serves generation only. */
function responseChecks(description: ApiDescription): OpenApiDescription | undefined {
  if (!description.document) return undefined;
  try {
    return OpenApiDescription.fromDocument(description.source, description.document);
  } catch (error) {
    if (error instanceof OpenApiVersionError) return undefined;
    throw error;
  }
}

/** Cases the rules make again on every run need not be committed; an LLM's or an explorer's do. */
function isReproducible(generator: string): boolean {
  return generator === 'user-case' || generator.startsWith('rules/');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function logTo(io: CliIo): (line: string) => void {
  return (line) => io.stderr.write(`${line}\n`);
}

interface RunCommandOptions extends GeneratingOptions {
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
}

interface ExploreCommandOptions extends RunCommandOptions {
  maxCases?: number;
  maxRounds?: number;
  timeLimit?: number;
}

/**
 * Generates, runs (and, given an exploration budget, explores), and writes the reports; returns the exit code.
 */
async function runAndReport(
  options: RunCommandOptions,
  io: CliIo,
  exploring?: ExploreBudget,
): Promise<number> {
  const env = io.env ?? process.env;
  const seed = options.seed;
  const prepared = await prepare({
    ...options,
    log: logTo(io),
    ...(!options.rulesOnly && { llm: llmFromEnv(env, logTo(io)) }),
  });
  const { config, untested, generation, description } = prepared;
  const cases = options.shard ? selectShard(prepared.cases, options.shard) : prepared.cases;
  const openapi = description && responseChecks(description);
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
    browserPath: process.env.CHROMIUM_PATH ?? config.browser,
    loadEngine: config.loadEngine,
    ...(openapi && { openapi }),
    artifactsDir: path.join(options.out, 'artifacts'),
    retries: options.retries ?? config.retries,
  };
  const progress = createProgress(io.stderr);
  let results = await runTestCases(cases, {
    ...runOptions,
    failFast: options.failFast ?? false,
    onResult: progress.onResult,
  });
  progress.finish();
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
      ...(description && { operations: description.operations.map((o) => `${o.method} ${o.path}`) }),
      log: logTo(io),
    });
    ({ results, ran, exploration } = withExploration(cases, results, explored));
    // The LLM's follow-ups are part of the run's spending.
    generation.usage.requests += explored.usage.requests;
    generation.usage.promptTokens += explored.usage.promptTokens;
    generation.usage.completionTokens += explored.usage.completionTokens;
    // The minimal reproductions as regression cases: copy them into the regression folder to keep them.
    await saveRegressionCases(
      path.join(options.out, 'reproductions'),
      explored.findings.map((f) => f.minimal),
    );
  }
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
      operations: operationCoverage(description.source, description.operations, ran, results),
    }),
    ...(exploration && { exploration }),
  });
  return reportRun(summary, options, io, config, { ...(baseFile && { baseFile }), keep: !options.shard });
}

interface ReportOptions {
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
async function reportRun(
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
      ...(writer && { writer }),
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

function parseTarget(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a URL such as http://127.0.0.1:4100');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('expected an http:// or https:// URL');
  }
  return url;
}

function shardOption(value: string): Shard {
  const shard = parseShard(value);
  if (!shard) throw new InvalidArgumentError('expected i/n with 1 <= i <= n, such as 2/3');
  return shard;
}

function count(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max)
      throw new InvalidArgumentError(`expected a whole number from 0 to ${max}`);
    return n;
  };
}

function positiveInt(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return n;
  };
}

/** A target that cannot be reached is a configuration problem, not a finding about the target. */
async function assertReachable(target: URL, timeoutMs: number): Promise<void> {
  try {
    await fetch(target, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) }).then((r) =>
      r.body?.cancel(),
    );
  } catch (error) {
    throw new UsageError(
      `cannot reach the target at ${target.href} (${describeTransportError(error, timeoutMs)}); is it running?`,
    );
  }
}
