// The root action: `gauntlet run` or `gauntlet explore` as a JavaScript action, bundled into dist/run/index.js so
// that a workflow installs nothing. It reads the inputs, runs the command in-process, and gives back what Actions
// users expect: outputs, the Markdown report as the job summary, an annotation per new finding at the user case it
// came from, every secret it is given masked, and the reports left in `out` for actions/upload-artifact.
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RunSummary } from '../../src/cases/index.ts';
import { EXIT, runCli } from '../../src/cli/program.ts';
import { annotationsFor } from '../../src/github/annotations.ts';
import { upsertStickyComment } from '../../src/github/sticky-comment.ts';
import { isNewFinding, isOpenFinding } from '../../src/report/results-json.ts';
import { plural } from '../../src/report/words.ts';
import { booleanInput, eventTarget, InputError, repositoryOf, type Input } from '../context.ts';

/** When the step fails: on findings new against the base (all of them without one), on any, or never. */
export const FAIL_ON = ['new', 'any', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** GitHub shows at most 10 error and 10 warning annotations of one step; the rest are counted in the summary. */
export const STEP_ANNOTATIONS = { error: 10, warning: 10 } as const;

/** Inputs passed on as options of the command, with a value: input name → option. */
const VALUE_OPTIONS: readonly (readonly [string, string])[] = [
  ['target', '--target'],
  ['start', '--start'],
  ['ready', '--ready'],
  ['ready-timeout', '--ready-timeout'],
  ['cases', '--cases'],
  ['openapi', '--openapi'],
  ['config', '--config'],
  ['seed', '--seed'],
  ['concurrency', '--concurrency'],
  ['timeout', '--timeout'],
  ['retries', '--retries'],
  ['shard', '--shard'],
  ['base', '--base'],
  ['report-url', '--report-url'],
  ['max-cases', '--max-cases'],
  ['max-rounds', '--max-rounds'],
  ['time-limit', '--time-limit'],
  ['model', '--model'],
  ['llm-max-cases', '--llm-max-cases'],
  ['llm-max-tokens', '--llm-max-tokens'],
  ['llm-max-cost', '--llm-max-cost'],
  ['out', '--out'],
];

/** The command line the inputs stand for; an input out of its values is an InputError naming it. */
export function commandLine(input: Input): string[] {
  const command = input('command') || 'run';
  if (command !== 'run' && command !== 'explore') {
    throw new InputError(`command must be run or explore, not "${command}"`);
  }
  const argv: string[] = [command];
  for (const [name, option] of VALUE_OPTIONS) {
    const value = input(name);
    if (value !== '') argv.push(option, value);
  }
  if (input('cases') === '' && input('openapi') !== '') argv.push('--no-cases');
  if (booleanInput(input, 'rules-only', false)) argv.push('--rules-only');
  if (booleanInput(input, 'pass-with-no-tests', false)) argv.push('--pass-with-no-tests');
  return argv;
}

export function failOnInput(input: Input): FailOn {
  const value = input('fail-on') || 'new';
  if (!(FAIL_ON as readonly string[]).includes(value)) {
    throw new InputError(`fail-on must be ${FAIL_ON.join(', ')}, not "${value}"`);
  }
  return value as FailOn;
}

/** Whether the step fails, for a run that ended with `code` and these results. */
export function stepFails(failOn: FailOn, code: number, summary: RunSummary | undefined): boolean {
  if (code === EXIT.usage || !summary) return code !== EXIT.passed;
  if (failOn === 'none') return false;
  if (failOn === 'any') return code !== EXIT.passed;
  return newFindings(summary).length > 0 || (code !== EXIT.passed && (summary.findings ?? []).length === 0);
}

/** Findings this change brings: new against the base, or every open one when there was no base. */
export function newFindings(summary: RunSummary): NonNullable<RunSummary['findings']> {
  return (summary.findings ?? []).filter(isNewFinding);
}

/** Runs the action as the runner does: inputs from INPUT_*, files for outputs and the summary. */
export async function runAction(): Promise<void> {
  const input: Input = (name) => core.getInput(name);
  // Masked before anything is printed: the key, and the token should anything ever echo it.
  const apiKey = input('api-key');
  const token = input('github-token');
  for (const secret of [apiKey, token]) if (secret) core.setSecret(secret);
  let argv: string[];
  let failOn: FailOn;
  let comment: boolean;
  try {
    argv = commandLine(input);
    failOn = failOnInput(input);
    comment = booleanInput(input, 'comment', true);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    core.setOutput('verdict', 'error');
    core.setFailed(error.message);
    return;
  }
  const env = {
    ...process.env,
    ...(apiKey && { OPENAI_API_KEY: apiKey }),
    ...(input('base-url') && { OPENAI_BASE_URL: input('base-url') }),
  };
  const out = path.resolve(input('out') || 'reports');
  let errors = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => void process.stdout.write(text) },
    stderr: {
      write: (text: string) => {
        errors += text;
        process.stderr.write(text);
      },
    },
    env,
  });
  // A run that could not be made wrote no results: a results.json in `out` is an earlier run's.
  const summary = code === EXIT.usage ? undefined : await readResults(path.join(out, 'results.json'));
  const report = path.join(out, 'report.md');
  core.setOutput('results', summary ? path.join(out, 'results.json') : '');
  core.setOutput('report', summary ? report : '');
  if (summary) {
    await publish(summary, report);
    if (comment) await commentOnPullRequest(report, token);
  }
  const verdict = code === EXIT.usage || !summary ? 'error' : code === EXIT.passed ? 'passed' : 'failed';
  core.setOutput('verdict', verdict);
  if (stepFails(failOn, code, summary)) {
    const fresh = summary ? newFindings(summary).length : 0;
    const why =
      verdict === 'error'
        ? (errors.trim().split('\n').at(-1) ?? `gauntlet exited with ${code}`)
        : fresh > 0
          ? `Gauntlet found ${plural(fresh, 'new problem')} (fail-on: ${failOn}); see the job summary`
          : `${plural(summary!.totals.failed + summary!.totals.error, 'test case')} failed or could not run (fail-on: ${failOn}); see the job summary`;
    core.setFailed(why);
  }
}

/**
 * The report as the one sticky comment of the event's pull request (none for other events). A token that cannot
 * write there (a pull request from a fork gets a read-only one) costs the comment, not the step: a warning says
 * how to report on such pull requests.
 */
async function commentOnPullRequest(report: string, token: string): Promise<void> {
  core.setOutput('comment-id', '');
  const target = await eventTarget(process.env).catch(() => undefined);
  if (!target?.pullRequest || token === '') return;
  const { pullRequest, headSha } = target;
  try {
    const api = process.env.GITHUB_API_URL;
    const octokit = getOctokit(token, api ? { baseUrl: api } : {});
    const posted = await upsertStickyComment(octokit, {
      ...repositoryOf(process.env),
      issueNumber: pullRequest,
      body: await readFile(report, 'utf8'),
      sha: headSha,
    });
    core.setOutput('comment-id', posted.commentId);
  } catch (error) {
    core.warning(
      `The report was not posted on pull request #${pullRequest}: ${(error as Error).message}. A pull request ` +
        'from a fork gets a read-only token: report on it with the fork-safe pair (actions/report in a ' +
        'workflow_run workflow).',
    );
  }
}

async function readResults(file: string): Promise<RunSummary | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : RunSummary.parse(JSON.parse(text));
}

/** Outputs, the job summary and one annotation per new finding. */
export async function publish(summary: RunSummary, report: string): Promise<void> {
  const { totals } = summary;
  core.setOutput('passed', totals.passed);
  core.setOutput('failed', totals.failed);
  core.setOutput('errors', totals.error);
  core.setOutput('flaky', totals.flaky);
  core.setOutput('skipped', totals.skipped);
  const fresh = newFindings(summary);
  core.setOutput('findings', (summary.findings ?? []).filter(isOpenFinding).length);
  core.setOutput('new-findings', fresh.length);
  const { annotations, omitted } = annotationsFor(summary, {
    onlyNew: true,
    max: { failure: STEP_ANNOTATIONS.error, warning: STEP_ANNOTATIONS.warning },
    root: process.env.GITHUB_WORKSPACE ?? process.cwd(),
  });
  for (const note of annotations) {
    const properties = { title: note.title, file: note.path, startLine: note.start_line };
    if (note.annotation_level === 'failure') core.error(note.message, properties);
    else core.warning(note.message, properties);
  }
  const markdown = await readFile(report, 'utf8').catch(() => '');
  core.summary.addRaw(markdown);
  if (omitted > 0) {
    core.summary.addRaw(
      `\n_${plural(omitted, 'more new finding')} not annotated here: GitHub shows ${STEP_ANNOTATIONS.error} errors and ${STEP_ANNOTATIONS.warning} warnings of a step, and a finding with no file of the repository has no line to point at. The report lists them all._\n`,
    );
  }
  await core.summary.write();
}
