// The `gauntlet` command: parses arguments, reads the user's files, calls the engine, writes reports.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadConfig, loadUserCases } from '../cases/index.ts';
import type { GauntletConfig, LoadedUserCase, TestCase } from '../cases/index.ts';
import { generateTestCases } from '../generate/index.ts';
import type { Untested } from '../generate/index.ts';
import { exitCodeOf, RENDERERS, summarize } from '../report/index.ts';
import { describeTransportError, runTestCases } from '../run/index.ts';
import { createProgress } from './progress.ts';
import type { ProgressSink } from './progress.ts';
import { readConfigSource, readUserCaseSources } from './sources.ts';
import { UsageError } from './usage-error.ts';

export interface CliIo {
  stdout: ProgressSink;
  stderr: ProgressSink;
}

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const EXIT = { passed: 0, findings: 1, usage: 2 } as const;

interface CommonOptions {
  cases: string;
  config?: string;
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
      .option('--cases <path>', 'user-case file or folder', 'user-cases')
      .option('--config <file>', 'configuration (default: gauntlet.yml when present)');

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

  common(program.command('generate').description('write the generated test cases as JSON'))
    .option('--out <file>', 'where to write them', 'reports/test-cases.json')
    .action(async (options: CommonOptions & { out: string }) => {
      const { cases } = await prepare(options);
      await mkdir(path.dirname(options.out), { recursive: true });
      await writeFile(options.out, `${JSON.stringify(cases, null, 2)}\n`);
      io.stdout.write(`Wrote ${cases.length} test cases to ${options.out}\n`);
    });

  common(program.command('run').description('generate tests from user cases, run them, and write reports'))
    .requiredOption('--target <url>', 'base URL of the service under test', parseTarget)
    .option('--out <folder>', 'where reports are written', 'reports')
    .addOption(new Option('--concurrency <n>', 'test cases in flight at once').argParser(positiveInt(64)))
    .addOption(new Option('--timeout <ms>', 'time allowed for each response').argParser(positiveInt(600000)))
    .action(
      async (
        options: CommonOptions & { target: URL; out: string; concurrency?: number; timeout?: number },
      ) => {
        const { config, cases, untested } = await prepare(options);
        await assertReachable(options.target, config.timeoutMs);
        const startedAt = new Date();
        const progress = createProgress(io.stderr);
        io.stderr.write(`Running ${cases.length} test cases against ${options.target.href}\n`);
        const results = await runTestCases(cases, {
          target: options.target,
          concurrency: options.concurrency ?? config.concurrency,
          timeoutMs: options.timeout ?? config.timeoutMs,
          onResult: progress.onResult,
        });
        progress.finish();
        const summary = summarize({
          version: VERSION,
          target: options.target.href,
          startedAt,
          durationMs: Date.now() - startedAt.getTime(),
          results,
          untested,
        });
        await mkdir(options.out, { recursive: true });
        for (const renderer of RENDERERS) {
          await writeFile(path.join(options.out, renderer.file), renderer.render(summary));
        }
        const { totals } = summary;
        const problems = totals.failed + totals.error;
        io.stdout.write(
          `${problems === 0 ? 'No problems found' : `${problems} problem${problems === 1 ? '' : 's'} found`}: ` +
            `${totals.passed} passed, ${totals.failed} failed, ${totals.error} errors, ${totals.skipped} skipped.\n` +
            `Report: ${path.join(options.out, 'report.md')} (also results.json and junit.xml)\n`,
        );
        exitCode = exitCodeOf(summary);
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

async function prepare(options: CommonOptions): Promise<{
  config: GauntletConfig;
  cases: TestCase[];
  untested: Untested[];
  journeys: number;
}> {
  const configSource = await readConfigSource(options.config ?? 'gauntlet.yml', options.config !== undefined);
  const config = loadConfig(configSource);
  if (!config.ok) throw UsageError.fromSourceErrors('the configuration is not valid', config.errors);
  const loaded = loadUserCases(await readUserCaseSources(options.cases));
  if (!loaded.ok) throw UsageError.fromSourceErrors('the user cases are not valid', loaded.errors);
  const generated = generateTestCases(loaded.value, config.value);
  if (!generated.ok)
    throw UsageError.fromSourceErrors('tests cannot be generated from the user cases', generated.errors);
  return {
    config: config.value,
    cases: generated.cases,
    untested: generated.untested,
    journeys: journeyCount(loaded.value),
  };
}

function journeyCount(sources: readonly LoadedUserCase[]): number {
  return sources.length;
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
