// The `workflow_run` half of the fork-safe pair: fetches the results a pull request's run uploaded as an artifact,
// through the API alone (nothing of the pull request is checked out or run), and the pull request they belong to.
// Everything inside the artifact was written by the pull request's code, so it is read as hostile input: sizes are
// capped before and during the download and the unzip, only the `results.json` entry is ever inflated (nothing is
// written to disk), the JSON is bounded and validated against the results schema. What is trusted comes from
// GitHub: the run (its repository, head sha, pull requests) and the artifact's metadata.
import type { Octokit } from '@octokit/rest';
import { RunSummary } from '../cases/index.ts';
import { readZipEntry, UnusableZipError } from './zip-entry.ts';

/** A refused or unusable artifact; the message says what was wrong, for the report step to fail with. */
export class ArtifactError extends Error {
  override readonly name = 'ArtifactError';
}

/** What the download needs of an Octokit (`@octokit/rest`, `@actions/github`'s `getOctokit()`, Probot's). */
export interface ArtifactClient {
  rest: {
    actions: Pick<
      Octokit['rest']['actions'],
      'getWorkflowRun' | 'listWorkflowRunArtifacts' | 'downloadArtifact'
    >;
    pulls: Pick<Octokit['rest']['pulls'], 'list'>;
  };
  paginate: Octokit['paginate'];
}

export const RESULTS_ARTIFACT = 'gauntlet-results';
export const RESULTS_ENTRY = 'results.json';

/** A results file of a large suite is a few megabytes and compresses about tenfold. */
export const ARTIFACT_LIMITS = {
  /** The zip, as GitHub reports its size and as it is downloaded. */
  maxBytes: 16 * 1024 * 1024,
  /** `results.json` once inflated. */
  maxUncompressedBytes: 64 * 1024 * 1024,
  /** Entries in the zip's central directory. */
  maxEntries: 1000,
  /** Nesting of arrays and objects in `results.json`; the schema itself needs fewer than ten levels. */
  maxDepth: 64,
};

export interface DownloadResultsOptions extends Partial<typeof ARTIFACT_LIMITS> {
  owner: string;
  repo: string;
  /** `github.event.workflow_run.id`: the `pull_request` run that uploaded the results. */
  runId: number;
  artifactName?: string;
}

export interface DownloadedResults {
  summary: RunSummary;
  /** The open pull request of this repository the run was for (from GitHub, never from the artifact). */
  pullRequest: number | undefined;
  /** The commit the run tested, from GitHub: where the check run goes. */
  headSha: string;
  artifact: { id: number; name: string; sizeInBytes: number };
}

/**
 * The results of `pull_request` run `runId` of this repository, from its artifact, validated; and the pull request
 * and commit they are for, from GitHub. Throws `ArtifactError` for anything refused; API failures pass through.
 */
export async function downloadResults(
  octokit: ArtifactClient,
  options: DownloadResultsOptions,
): Promise<DownloadedResults> {
  const limits = { ...ARTIFACT_LIMITS, ...definedOnly(options) };
  const { owner, repo, runId, artifactName = RESULTS_ARTIFACT } = options;
  const run = await runOf(octokit, owner, repo, runId);
  const what = `artifact "${artifactName}" of run ${runId}`;

  const artifacts = await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
    owner,
    repo,
    run_id: runId,
    name: artifactName,
    per_page: 100,
  });
  // The newest, should a re-run have uploaded the name again.
  const artifact = artifacts
    .filter((a) => a.name === artifactName && (a.workflow_run?.id ?? runId) === runId)
    .sort((a, b) => b.id - a.id)[0];
  if (!artifact) {
    throw new ArtifactError(
      `run ${runId} of ${owner}/${repo} has no artifact named "${artifactName}": did its workflow upload the results ` +
        'with actions/upload-artifact under that name?',
    );
  }
  if (artifact.expired) throw expired(what);
  if (artifact.size_in_bytes > limits.maxBytes) {
    throw new ArtifactError(
      `${what} is ${artifact.size_in_bytes} bytes, over the limit of ${limits.maxBytes}: refused without downloading it`,
    );
  }

  const zip = await download(octokit, {
    owner,
    repo,
    artifactId: artifact.id,
    what,
    maxBytes: limits.maxBytes,
  });
  const text = unzipped(zip, limits, what);
  return {
    summary: parseResults(text, limits.maxDepth, what),
    pullRequest: await pullRequestOf(octokit, owner, repo, run),
    headSha: run.head_sha,
    artifact: { id: artifact.id, name: artifact.name, sizeInBytes: artifact.size_in_bytes },
  };
}

type WorkflowRun = Awaited<ReturnType<Octokit['rest']['actions']['getWorkflowRun']>>['data'];

/** The run, as GitHub knows it: the path scopes it to this repository, so a run of another one is a 404. */
async function runOf(
  octokit: ArtifactClient,
  owner: string,
  repo: string,
  runId: number,
): Promise<WorkflowRun> {
  let run: WorkflowRun;
  try {
    run = (await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: runId })).data;
  } catch (error) {
    if (statusOf(error) === 404) {
      throw new ArtifactError(`run ${runId} is not a workflow run of ${owner}/${repo}`);
    }
    throw error;
  }
  return run;
}

function unzipped(zip: Uint8Array, limits: typeof ARTIFACT_LIMITS, what: string): string {
  try {
    return readZipEntry(zip, RESULTS_ENTRY, limits);
  } catch (error) {
    throw error instanceof UnusableZipError
      ? new ArtifactError(`${what} is not a usable zip: ${error.message}`)
      : error;
  }
}

function expired(what: string): ArtifactError {
  return new ArtifactError(
    `${what} has expired (past the repository's artifact retention): re-run the workflow to report again`,
  );
}

/**
 * GitHub answers the download with a redirect to a short-lived URL of its storage that needs no token; it is
 * followed by hand (as `@actions/artifact` does) so the bytes are read as a stream and cut off at the cap.
 */
async function download(
  octokit: ArtifactClient,
  target: { owner: string; repo: string; artifactId: number; what: string; maxBytes: number },
): Promise<Uint8Array> {
  const { what, maxBytes } = target;
  let location: string | undefined;
  try {
    const redirect = await octokit.rest.actions.downloadArtifact({
      owner: target.owner,
      repo: target.repo,
      artifact_id: target.artifactId,
      archive_format: 'zip',
      request: { redirect: 'manual' },
    });
    location = redirect.headers.location;
  } catch (error) {
    if (statusOf(error) === 410) throw expired(what);
    throw error;
  }
  if (!location) throw new ArtifactError(`GitHub gave no download URL for ${what}`);

  const response = await fetch(location);
  if (!response.ok || !response.body) {
    throw new ArtifactError(`downloading ${what} failed: ${response.status} ${response.statusText}`);
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.length;
    if (received > maxBytes) {
      await reader.cancel();
      throw new ArtifactError(
        `${what} is larger than the limit of ${maxBytes} bytes: the download was stopped`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The results, validated: the nesting is checked before parsing, so the parser and the schema work on bounded data. */
function parseResults(text: string, maxDepth: number, what: string): RunSummary {
  const depth = nestingDepth(text);
  if (depth > maxDepth) {
    throw new ArtifactError(
      `${RESULTS_ENTRY} of ${what} nests ${depth} levels deep, over the limit of ${maxDepth}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ArtifactError(`${RESULTS_ENTRY} of ${what} is not JSON: ${(error as Error).message}`);
  }
  const parsed = RunSummary.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    throw new ArtifactError(`${RESULTS_ENTRY} of ${what} is not a Gauntlet results file: ${issues}${more}`);
  }
  // As `gauntlet report` does when it reads a results file: findings are recomputed from the results by this
  // version's analysis, never taken as written.
  const { findings: _written, ...summary } = parsed.data;
  return summary;
}

/** The deepest nesting of arrays and objects in a JSON text, strings skipped; one pass, no recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, (depth += 1));
    else if (c === 0x5d || c === 0x7d) depth -= 1;
  }
  return deepest;
}

/**
 * The pull request the run was for. GitHub lists it on the run when the head is in this repository; for a fork's
 * pull request that list is empty, so the open pull requests are searched for the run's head commit. Both come from
 * GitHub, never from the artifact, so a pull request cannot send its results to another's comment.
 */
async function pullRequestOf(
  octokit: ArtifactClient,
  owner: string,
  repo: string,
  run: WorkflowRun,
): Promise<number | undefined> {
  const listed = (run.pull_requests ?? []).filter(
    (p) => p.base.repo.id === run.repository.id && p.head.sha === run.head_sha,
  );
  const numbers = listed.length
    ? listed.map((p) => p.number)
    : (await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: 'open', per_page: 100 }))
        .filter((p) => p.head.sha === run.head_sha)
        .map((p) => p.number);
  const unique = [...new Set(numbers)].sort((a, b) => a - b);
  if (unique.length > 1) {
    throw new ArtifactError(
      `run ${run.id} tested ${run.head_sha}, the head of several pull requests (${unique.map((n) => `#${n}`).join(', ')}): ` +
        'cannot tell which one to report on',
    );
  }
  return unique[0];
}

/** Octokit's errors carry the HTTP status; a failure without one (a bug, a crash) simply has none. */
function statusOf(error: unknown): unknown {
  return (error as { status?: unknown } | null)?.status;
}

function definedOnly(options: Partial<typeof ARTIFACT_LIMITS>): Partial<typeof ARTIFACT_LIMITS> {
  const limits: Partial<typeof ARTIFACT_LIMITS> = {};
  for (const key of Object.keys(ARTIFACT_LIMITS) as (keyof typeof ARTIFACT_LIMITS)[]) {
    if (options[key] !== undefined) limits[key] = options[key];
  }
  return limits;
}
