// The `gauntlet` command: parses arguments, reads the user's files, calls the engine, writes reports.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import type { LoadTestCase } from '../cases/index.ts';
import { saveRegressionCases } from '../generate/regression.ts';
import { mergeSummaries, RENDERERS } from '../report/index.ts';
import { K6ExportError, toK6Script } from '../run/index.ts';
import {
  BASE_BRANCH_OPTION,
  BASE_OPTION,
  count,
  describeOption,
  dollars,
  parseTarget,
  positiveInt,
  shardOption,
  unsetUnlessGiven,
} from './options.ts';
import { loadCliConfig, prepare } from './prepare.ts';
import { createPreparationProgress } from './progress.ts';
import { readSummary, renderReport } from './reports.ts';
import { DEFAULT_READY_TIMEOUT_S, withStartedService } from './start-service.ts';
import { UsageError } from './usage-error.ts';
import { guardedIo, logTo, type CliIo } from './io.ts';
import {
  generating,
  reportRun,
  runAndReport,
  VERSION,
  type CommonOptions,
  type GeneratingOptions,
  type ReportOptions,
  type RunCommandOptions,
} from './run-command.ts';

export type { CliIo } from './io.ts';

export const EXIT = { passed: 0, findings: 1, usage: 2 } as const;

interface ExploreCommandOptions extends RunCommandOptions {
  maxCases?: number;
  maxRounds?: number;
  timeLimit?: number;
}

/** Runs the command line and returns the exit code; never throws for anything the user did. */
export async function runCli(argv: readonly string[], streams: CliIo): Promise<number> {
  // Whatever the command prints goes through the redactor: secrets of the environment, the arguments and the run.
  const io = guardedIo(streams, argv);
  let exitCode: number = EXIT.passed;
  const program = new Command('gauntlet')
    .description(
      'Turns user journeys into tests, runs them against a service, and reports in plain language.',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .configureHelp({ optionDescription: describeOption })
    .showHelpAfterError('(run gauntlet --help for usage)');

  const common = (command: Command): Command =>
    command
      .addOption(
        unsetUnlessGiven(
          '--cases <path>',
          'user-case file, or folder searched for *.yml and *.yaml',
          'user-cases',
        ),
      )
      .option('--no-cases', 'no user cases: generate for every operation of the OpenAPI description')
      .addOption(unsetUnlessGiven('--config <file>', 'configuration', 'gauntlet.yml when present'))
      .addOption(
        unsetUnlessGiven(
          '--openapi <file-or-url>',
          'the OpenAPI description',
          'openapi of the configuration',
        ),
      )
      .addOption(
        unsetUnlessGiven(
          '--seed <n>',
          `seed of generation, 0–${2 ** 31}`,
          'generation.seed of the configuration, else 0',
        ).argParser(count(2 ** 31)),
      );

  common(
    program
      .command('validate')
      .description('check user cases and configuration, and count the tests they give'),
  ).action(async (options: CommonOptions) => {
    const { cases, untested, journeys } = await prepare({
      ...options,
      log: logTo(io),
      progress: createPreparationProgress(io.stderr),
    });
    io.stdout.write(
      `${journeys} journeys give ${cases.length} test cases; ${untested.length} titles have no test data yet.\n`,
    );
  });

  const rulesOnlyOption = (command: Command): Command =>
    command
      .option('--rules-only', 'generate with the rules alone, asking no LLM provider')
      .addOption(
        unsetUnlessGiven('--model <name>', 'the model the LLM providers ask', 'model of each provider'),
      )
      .addOption(
        unsetUnlessGiven(
          '--llm-max-cases <n>',
          'at most this many cases from LLM providers in the run, 0–1000000',
          'generation.budget.maxCases, else 500',
        ).argParser(count(1_000_000)),
      )
      .addOption(
        unsetUnlessGiven(
          '--llm-max-tokens <n>',
          'at most this many LLM tokens (prompt and completion) in the run, 0–1000000000',
          'generation.budget.maxTokens, else 2000000',
        ).argParser(count(1_000_000_000)),
      )
      .addOption(
        unsetUnlessGiven(
          '--llm-max-cost <usd>',
          'at most this estimated LLM cost in US dollars, from generation.prices',
          'generation.budget.maxCostUsd, else none',
        ).argParser(dollars),
      );

  rulesOnlyOption(common(program.command('generate').description('write the generated test cases as JSON')))
    .option('--out <file>', 'where to write them', 'reports/test-cases.json')
    .addOption(
      unsetUnlessGiven(
        '--save <folder>',
        'also write them as regression cases to commit (see regression in the configuration)',
        'not saved',
      ),
    )
    .option('--all', "with --save: save the rules' cases too, not only those the rules cannot make again")
    .action(async (options: GeneratingOptions & { out: string; save?: string; all?: boolean }) => {
      const { cases, generation } = await prepare(generating(options, io));
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
      .addOption(
        unsetUnlessGiven(
          '--concurrency <n>',
          'test cases in flight at once, 1–64',
          'concurrency of the configuration, else twice the CPU count',
        ).argParser(positiveInt(64)),
      )
      .addOption(
        unsetUnlessGiven(
          '--timeout <ms>',
          'time allowed for each response, 1–600000',
          'timeoutMs of the configuration, else 10000',
        ).argParser(positiveInt(600000)),
      )
      .addOption(
        unsetUnlessGiven(
          '--retries <n>',
          're-runs of a failed case before it counts as failed, 0–10',
          'retries of the configuration, else 2',
        ).argParser(count(10)),
      )
      .option(
        '--pass-with-no-tests',
        'pass (exit 0) when there is no test case to run, instead of failing with the reason (exit 2)',
      )
      .addOption(BASE_OPTION())
      .addOption(BASE_BRANCH_OPTION())
      .addOption(
        unsetUnlessGiven(
          '--branch <name>',
          "keep this run's results in the store as the branch's latest",
          'GITHUB_HEAD_REF, else GITHUB_REF_NAME',
        ),
      )
      .addOption(
        unsetUnlessGiven(
          '--report-url <url>',
          'where the full report will be (the job artifacts): a shortened report links to it',
          'none',
        ),
      )
      .addOption(
        unsetUnlessGiven(
          '--start <command>',
          'start the service with this shell command, and stop it at the end; a Node.js service is measured for coverage',
          'the service is already running',
        ),
      )
      .addOption(
        unsetUnlessGiven(
          '--ready <url>',
          "with --start: the service is ready when this answers below 500; on the target's origin or loopback",
          'the target',
        ).argParser(parseTarget),
      )
      .addOption(
        unsetUnlessGiven(
          '--ready-timeout <s>',
          'with --start: seconds to wait for the service to be ready, 1–3600',
          String(DEFAULT_READY_TIMEOUT_S),
        ).argParser(positiveInt(3600)),
      );

  targetCommand('run', 'generate tests from user cases, run them, and write reports')
    .option('--fail-fast', 'start no new case after the first failure')
    .addOption(
      unsetUnlessGiven(
        '--shard <i/n>',
        'run only the i-th of n equal parts of the cases, i from 1 to n',
        'all the cases',
      ).argParser(shardOption),
    )
    .action(async (options: RunCommandOptions) => {
      exitCode = await withStartedService(options, io, (service) =>
        runAndReport(options, io, undefined, service),
      );
    });

  targetCommand(
    'explore',
    'run the generated tests, then explore in rounds: shrink each failure, follow it up, mutate what passed',
  )
    .addOption(
      unsetUnlessGiven('--max-cases <n>', 'explored cases in all rounds, 1–100000', '500').argParser(
        positiveInt(100_000),
      ),
    )
    .addOption(
      unsetUnlessGiven('--max-rounds <n>', 'rounds after the generated run, 1–50', '5').argParser(
        positiveInt(50),
      ),
    )
    .addOption(
      unsetUnlessGiven(
        '--time-limit <s>',
        'start no new round after this many seconds, 1–86400',
        'none',
      ).argParser(positiveInt(86_400)),
    )
    .action(async (options: ExploreCommandOptions) => {
      const budget = {
        ...(options.maxCases !== undefined && { maxCases: options.maxCases }),
        ...(options.maxRounds !== undefined && { maxRounds: options.maxRounds }),
        ...(options.timeLimit !== undefined && { timeMs: options.timeLimit * 1000 }),
      };
      exitCode = await withStartedService(options, io, (service) =>
        runAndReport(options, io, budget, service),
      );
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
      const { cases } = await prepare({ ...options, progress: createPreparationProgress(io.stderr) });
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
    .addOption(
      unsetUnlessGiven('--config <file>', 'configuration: the run store', 'gauntlet.yml when present'),
    )
    .option('--rules-only', 'write the summary with the template, asking no LLM')
    .addOption(BASE_OPTION())
    .addOption(BASE_BRANCH_OPTION())
    .addOption(
      unsetUnlessGiven(
        '--branch <name>',
        "keep the merged results as the branch's latest",
        'GITHUB_HEAD_REF, else GITHUB_REF_NAME',
      ),
    )
    .addOption(
      unsetUnlessGiven(
        '--report-url <url>',
        'where the full report will be: a shortened report links to it',
        'none',
      ),
    )
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
    .addOption(BASE_OPTION())
    .addOption(unsetUnlessGiven('--out <file>', 'where to write it', 'standard output'))
    .addOption(
      unsetUnlessGiven(
        '--report-url <url>',
        'where the full report is: a shortened report links to it',
        'none',
      ),
    )
    .action(
      async (options: { from: string; format: string; base?: string; out?: string; reportUrl?: string }) => {
        const summary = await readSummary(options.from);
        const base = options.base === undefined ? undefined : await readSummary(options.base);
        const text = await renderReport(
          summary,
          options.format,
          {
            ...(base && { base }),
            ...(options.reportUrl !== undefined && { fullReportUrl: options.reportUrl }),
          },
          io.redactor,
        );
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
      io.stderr.write(error.printed());
      return EXIT.usage;
    }
    throw error;
  }
}

/** Cases the rules make again on every run need not be committed; an LLM's or an explorer's do. */
function isReproducible(generator: string): boolean {
  return generator === 'user-case' || generator.startsWith('rules/');
}
