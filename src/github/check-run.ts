// Gauntlet's check run on a commit: its verdict as the conclusion, the report's summary, the findings as
// annotations on the user-case lines, and a "Re-run" button. One check run per commit and name: a second publish
// for the same commit updates the first instead of adding another.
import type { Octokit } from '@octokit/rest';
import type { CheckAnnotation } from './annotations.ts';
import { fitMarkdown, fitPlain } from './fit-text.ts';

/** Gauntlet's judgement of a run: it passed, it found what fails the run, or it could not judge (no results). */
export type Verdict = 'passed' | 'failed' | 'error';

/**
 * A run Gauntlet could not judge fails the check: `neutral` (or `skipped`) would count as passing where the check is
 * required by branch protection, and let through a change nobody tested. The title says it was not judged.
 */
export const CONCLUSION_OF_VERDICT = {
  passed: 'success',
  failed: 'failure',
  error: 'failure',
} as const satisfies Record<Verdict, string>;

/** The Checks API takes at most 50 annotations per request; more go in further updates, where they accumulate. */
export const ANNOTATIONS_PER_REQUEST = 50;
export const CHECK_TITLE_LIMIT = 255;
export const CHECK_TEXT_LIMIT = 65_535;

/**
 * Marks Gauntlet's check runs. A job's own check run carries the job's name, which may be the name given here: the
 * external id keeps Gauntlet from ever taking over (and rewriting the outcome of) a run it did not create.
 */
export const CHECK_RUN_EXTERNAL_ID = 'gauntlet';

export interface CheckAction {
  /** At most 20 characters. */
  label: string;
  /** At most 40 characters. */
  description: string;
  /** At most 20 characters; sent back in the `check_run.requested_action` webhook. */
  identifier: string;
}

/** GitHub's limits on a requested action (a button on the check run); at most three per run. */
const ACTION_LIMITS: Record<keyof CheckAction, number> = { label: 20, description: 40, identifier: 20 };

export const RERUN_ACTION: CheckAction = {
  label: 'Re-run',
  description: 'Run Gauntlet again on this commit',
  identifier: 'gauntlet-rerun',
};

/** What the check run needs of an Octokit (`@octokit/rest`, `@actions/github`'s `getOctokit()`, Probot's). */
export interface CheckRunClient {
  rest: { checks: Pick<Octokit['rest']['checks'], 'listForRef' | 'create' | 'update' | 'listAnnotations'> };
  paginate: Octokit['paginate'];
}

export interface CheckRunInput {
  owner: string;
  repo: string;
  headSha: string;
  /** The check's name, as branch protection requires it (e.g. "Gauntlet"). */
  name: string;
  title: string;
  /** Markdown; cut to 65,535 characters with a note. */
  summary: string;
  text?: string;
  verdict: Verdict;
  annotations: readonly CheckAnnotation[];
  detailsUrl?: string;
  /** The buttons on the run (default: Re-run); at most three. */
  actions?: readonly CheckAction[];
}

export interface CheckRunResult {
  action: 'created' | 'updated';
  checkRunId: number;
  url: string;
  /** Annotations sent by this call (those already on the run are not sent again). */
  annotations: number;
  /** Requests that created or updated the run. */
  requests: number;
}

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i;

export async function publishCheckRun(
  octokit: CheckRunClient,
  input: CheckRunInput,
): Promise<CheckRunResult> {
  const { owner, repo, headSha, name } = input;
  if (!SHA.test(headSha)) throw new TypeError(`headSha must be a full commit id, not "${headSha}"`);
  const actions = checkedActions(input.actions ?? [RERUN_ACTION]);

  const existing = await existingRun(octokit, input);
  let annotations = [...input.annotations];
  let stale = 0;
  if (existing) {
    // GitHub keeps every annotation it was given: send only those the run lacks, and say which no longer hold.
    const already = await octokit.paginate(octokit.rest.checks.listAnnotations, {
      owner,
      repo,
      check_run_id: existing.id,
      per_page: 100,
    });
    const have = new Set(already.map(keyOf));
    const want = new Set(annotations.map(keyOf));
    annotations = annotations.filter((a) => !have.has(keyOf(a)));
    stale = [...have].filter((k) => !want.has(k)).length;
  }

  const output = outputOf(input, stale);
  const batches = batchesOf(annotations);
  const first = {
    owner,
    repo,
    name,
    status: 'completed' as const,
    conclusion: CONCLUSION_OF_VERDICT[input.verdict],
    external_id: CHECK_RUN_EXTERNAL_ID,
    ...(input.detailsUrl !== undefined && { details_url: input.detailsUrl }),
    output: { ...output, annotations: batches[0]! },
    actions,
  };
  const { data } = existing
    ? await octokit.rest.checks.update({ ...first, check_run_id: existing.id })
    : await octokit.rest.checks.create({ ...first, head_sha: headSha });
  for (const batch of batches.slice(1))
    await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: data.id,
      output: { ...output, annotations: batch },
    });
  return {
    action: existing ? 'updated' : 'created',
    checkRunId: data.id,
    url: data.html_url ?? data.url,
    annotations: annotations.length,
    requests: batches.length,
  };
}

/** Gauntlet's newest run of this name on this commit, if any. */
async function existingRun(
  octokit: CheckRunClient,
  { owner, repo, headSha, name }: CheckRunInput,
): Promise<{ id: number } | undefined> {
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
    owner,
    repo,
    ref: headSha,
    check_name: name,
    filter: 'all',
    per_page: 100,
  });
  return runs
    .filter((r) => r.head_sha === headSha && r.name === name && r.external_id === CHECK_RUN_EXTERNAL_ID)
    .sort((a, b) => b.id - a.id)[0];
}

function outputOf(input: CheckRunInput, stale: number): { title: string; summary: string; text?: string } {
  const cut = (limit: number) =>
    `_Cut here to fit GitHub's limit of ${limit.toLocaleString('en-US')} characters; the full report is in report.md of the run._`;
  const staleNote =
    stale > 0
      ? `\n\n_${stale === 1 ? 'One annotation' : `${stale} annotations`} from an earlier report on this commit no longer ${stale === 1 ? 'applies' : 'apply'}: GitHub keeps an annotation once it is added._`
      : '';
  return {
    title: fitPlain(input.title.replace(/\s+/g, ' ').trim(), CHECK_TITLE_LIMIT),
    summary: `${fitMarkdown(input.summary, CHECK_TEXT_LIMIT - staleNote.length, cut(CHECK_TEXT_LIMIT))}${staleNote}`,
    ...(input.text !== undefined && {
      text: fitMarkdown(input.text, CHECK_TEXT_LIMIT, cut(CHECK_TEXT_LIMIT)),
    }),
  };
}

/** The annotations in requests of at most 50; one empty batch when there are none, for the request that publishes. */
function batchesOf(annotations: readonly CheckAnnotation[]): CheckAnnotation[][] {
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST)
    batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  return batches.length > 0 ? batches : [[]];
}

/** What makes two annotations the same: GitHub keeps no id for them. */
function keyOf(a: {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string | null;
  title?: string | null;
  message: string | null;
}): string {
  return JSON.stringify([
    a.path,
    a.start_line,
    a.end_line,
    a.annotation_level,
    a.title ?? '',
    a.message ?? '',
  ]);
}

function checkedActions(actions: readonly CheckAction[]): CheckAction[] {
  if (actions.length > 3) throw new RangeError(`a check run takes at most 3 actions, not ${actions.length}`);
  for (const action of actions)
    for (const field of Object.keys(ACTION_LIMITS) as (keyof CheckAction)[])
      if (action[field].length > ACTION_LIMITS[field] || action[field].length === 0)
        throw new RangeError(
          `a check run action's ${field} must be 1 to ${ACTION_LIMITS[field]} characters: "${action[field]}"`,
        );
  return [...actions];
}
