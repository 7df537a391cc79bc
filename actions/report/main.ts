// The report action: a Gauntlet run's results published on GitHub, as the one sticky comment on the pull request,
// a check run on the commit (verdict, summary, an annotation per finding at its user-case line) and the job summary.
// The results come from a file of this workflow, or (the `workflow_run` half of the fork-safe pair) from a run's
// artifact, downloaded and validated as hostile input; the pull request and the commit then come from GitHub, never
// from the artifact. The action reads inputs at the edge and leaves the work to src/report and src/github.
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import type { RunSummary } from '../../src/cases/index.ts';
import { readSummary, renderReport } from '../../src/cli/reports.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { annotationsFor } from '../../src/github/annotations.ts';
import { ArtifactError, downloadResults, RESULTS_ARTIFACT } from '../../src/github/artifacts.ts';
import { publishCheckRun, type Verdict } from '../../src/github/check-run.ts';
import { upsertStickyComment } from '../../src/github/sticky-comment.ts';
import { reportOf, type Report } from '../../src/report/index.ts';
import { isNewFinding, isOpenFinding } from '../../src/report/results-json.ts';
import { plural } from '../../src/report/words.ts';
import { booleanInput, eventTarget, InputError, repositoryOf, type Input } from '../context.ts';

/** Where the results come from: a file of this workflow, or the artifact of another run. */
export type ResultsSource =
  { kind: 'file'; path: string } | { kind: 'run'; runId: number; artifactName: string };

export interface ReportInputs {
  source: ResultsSource;
  token: string;
  comment: boolean;
  check: boolean;
  checkName: string;
  reportUrl?: string;
  /** The base branch's results.json (a trusted file of this job): findings are new, still failing or fixed. */
  base?: string;
}

/** The inputs, typed; one out of its values is an InputError naming it. */
export function reportInputs(input: Input): ReportInputs {
  const results = input('results').trim();
  const runId = input('run-id').trim();
  if ((results === '') === (runId === '')) {
    throw new InputError(
      'give either results (a results.json of this workflow) or run-id (the workflow run whose artifact holds it), ' +
        `not ${results === '' ? 'neither' : 'both'}`,
    );
  }
  if (runId !== '' && !/^[1-9]\d{0,15}$/.test(runId)) {
    throw new InputError(`run-id must be a workflow run's id (github.event.workflow_run.id), not "${runId}"`);
  }
  const token = input('github-token');
  if (token === '')
    throw new InputError('github-token is empty: give a token that can write comments and checks');
  const checkName = input('check-name').trim() || 'Gauntlet';
  const reportUrl = input('report-url').trim();
  const base = input('base').trim();
  return {
    source:
      results !== ''
        ? { kind: 'file', path: results }
        : {
            kind: 'run',
            runId: Number(runId),
            artifactName: input('artifact-name').trim() || RESULTS_ARTIFACT,
          },
    token,
    comment: booleanInput(input, 'comment', true),
    check: booleanInput(input, 'check', true),
    checkName,
    ...(reportUrl !== '' && { reportUrl }),
    ...(base !== '' && { base }),
  };
}

/** The check run's one-line title: the verdict in words. */
export function checkTitle(report: Report): string {
  const { totals } = report.summary;
  const open = report.analysis.findings.filter(isOpenFinding);
  const fresh = open.filter(isNewFinding).length;
  const ran = plural(totals.passed + totals.failed + totals.error + totals.flaky, 'test case');
  if (open.length === 0) return `No problems found: ${ran} ran, ${totals.passed} passed`;
  const found = `${plural(open.length, 'finding')}${report.analysis.compared ? `, ${fresh} new` : ''}`;
  return `${found}: ${ran} ran, ${totals.failed + totals.error} failed`;
}

type Octokit = ReturnType<typeof getOctokit>;

/** The results to report and where: from a file with this workflow's event, or from a run's artifact. */
async function resultsAndTarget(
  octokit: Octokit,
  inputs: ReportInputs,
  where: { owner: string; repo: string },
): Promise<{ summary: RunSummary; pullRequest: number | undefined; headSha: string }> {
  const { source } = inputs;
  if (source.kind === 'file') {
    const summary = await readResultsFile(source.path);
    return { summary, ...(await eventTarget(process.env)) };
  }
  const downloaded = await downloadResults(octokit, {
    ...where,
    runId: source.runId,
    artifactName: source.artifactName,
  });
  core.info(
    `Read ${downloaded.artifact.name} (${downloaded.artifact.sizeInBytes} bytes) of run ${source.runId}, for ${downloaded.headSha}.`,
  );
  return { summary: downloaded.summary, pullRequest: downloaded.pullRequest, headSha: downloaded.headSha };
}

/** A results file of this job, as `gauntlet report --from` reads it; what is wrong with it is an InputError. */
async function readResultsFile(file: string): Promise<RunSummary> {
  return readSummary(file).catch((error: unknown) => {
    throw error instanceof UsageError ? new InputError([error.message, ...error.details].join('\n')) : error;
  });
}

/** Runs the action as the runner does: inputs from INPUT_*, files for outputs and the summary. */
export async function reportAction(): Promise<void> {
  let inputs: ReportInputs;
  let where: { owner: string; repo: string };
  try {
    inputs = reportInputs((name) => core.getInput(name));
    where = repositoryOf(process.env);
  } catch (error) {
    return fail(error);
  }
  core.setSecret(inputs.token);
  const apiUrl = process.env.GITHUB_API_URL;
  const octokit = getOctokit(inputs.token, apiUrl ? { baseUrl: apiUrl } : {});

  let found: Awaited<ReturnType<typeof resultsAndTarget>>;
  let base: RunSummary | undefined;
  try {
    found = await resultsAndTarget(octokit, inputs, where);
    base = inputs.base === undefined ? undefined : await readResultsFile(inputs.base);
  } catch (error) {
    return fail(error);
  }
  const { summary, pullRequest, headSha } = found;
  const fullReportUrl = inputs.reportUrl;
  const options = {
    ...(base && { base }),
    ...(fullReportUrl !== undefined && { fullReportUrl }),
  };
  const markdown = await renderReport(summary, 'md', options);
  const report = reportOf(summary, options);
  const verdict: Verdict = report.analysis.verdict === 'pass' ? 'passed' : 'failed';
  core.setOutput('verdict', verdict);

  core.setOutput('comment-id', '');
  if (inputs.comment && pullRequest !== undefined) {
    const posted = await upsertStickyComment(octokit, {
      ...where,
      issueNumber: pullRequest,
      body: markdown,
      sha: headSha,
    });
    core.setOutput('comment-id', posted.commentId);
    core.info(`Comment ${posted.action}: ${posted.url}`);
  } else if (inputs.comment) {
    core.info(`No pull request for ${headSha}: no comment posted.`);
  }

  core.setOutput('check-run-id', '');
  if (inputs.check) {
    const { annotations, omitted } = annotationsFor(summary, {
      root: process.env.GITHUB_WORKSPACE ?? process.cwd(),
      ...(base && { base }),
    });
    const runUrl =
      process.env.GITHUB_SERVER_URL && process.env.GITHUB_RUN_ID
        ? `${process.env.GITHUB_SERVER_URL}/${where.owner}/${where.repo}/actions/runs/${process.env.GITHUB_RUN_ID}`
        : undefined;
    const detailsUrl = fullReportUrl ?? runUrl;
    const published = await publishCheckRun(octokit, {
      ...where,
      headSha,
      name: inputs.checkName,
      title: checkTitle(report),
      summary:
        omitted > 0
          ? `${markdown}\n\n_${plural(omitted, 'finding')} with no line of the repository to point at ${omitted === 1 ? 'is' : 'are'} not annotated; the report lists ${omitted === 1 ? 'it' : 'them'}._\n`
          : markdown,
      verdict,
      annotations,
      ...(detailsUrl !== undefined && { detailsUrl }),
    });
    core.setOutput('check-run-id', published.checkRunId);
    core.info(`Check run ${published.action}: ${published.url}`);
  }

  core.summary.addRaw(markdown);
  await core.summary.write();
}

/** An error the user can act on fails the step with its message; anything else is a bug and propagates. */
function fail(error: unknown): void {
  if (!(error instanceof InputError || error instanceof ArtifactError)) throw error;
  core.setOutput('verdict', 'error');
  core.setFailed(error.message);
}
