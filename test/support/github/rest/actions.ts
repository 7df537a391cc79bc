// GitHub Actions: workflows, dispatching one (how the app starts a Gauntlet run), workflow runs, and the runs'
// artifacts (listed, read, and downloaded through a short-lived URL as on GitHub, which the emulator also serves).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { actor, input, intParam, ok, noContent, repoOf, wrappedList } from './call.ts';
import type { RestAnswer, RestCall, RestHandlers } from './call.ts';
import type { Reply } from '../answer.ts';
import { GitHubError, notFound, orNotFound } from '../errors.ts';
import type { ArtifactRecord, WorkflowRecord, WorkflowRunRecord } from '../state/records.ts';
import type { GitHubState } from '../state/state.ts';

export const actionHandlers: RestHandlers = {
  'actions/list-repo-workflows': (call) =>
    wrappedList(call, 'workflows', repoOf(call).workflows, call.present.workflow),

  'actions/get-workflow': (call) => ok(call.present.workflow(workflowOf(call))),

  'actions/create-workflow-dispatch': (call) => {
    const workflow = workflowOf(call);
    const body = input<{ ref: string; inputs?: Record<string, unknown>; return_run_details?: boolean }>(call);
    const run = call.state.addWorkflowRun(workflow, {
      event: 'workflow_dispatch',
      headBranch: body.ref.replace(/^refs\/heads\//, ''),
      inputs: body.inputs ?? {},
      actor: actor(call).login,
    });
    if (!body.return_run_details) return noContent();
    const presented = call.present.workflowRun(run);
    return ok({ workflow_run_id: run.id, run_url: presented.url, html_url: presented.html_url });
  },

  'actions/list-workflow-runs': (call) => {
    const workflow = workflowOf(call);
    return runList(
      call,
      repoOf(call).runs.filter((r) => r.workflow === workflow),
    );
  },

  'actions/list-workflow-runs-for-repo': (call) => runList(call, repoOf(call).runs),

  'actions/get-workflow-run': (call) => ok(call.present.workflowRun(runOf(call))),

  'actions/list-workflow-run-artifacts': (call) => {
    const name = call.url.searchParams.get('name');
    const artifacts = runOf(call).artifacts.filter((a) => name === null || a.name === name);
    const newestFirst = call.url.searchParams.get('direction') !== 'asc';
    return wrappedList(
      call,
      'artifacts',
      newestFirst ? [...artifacts].reverse() : artifacts,
      call.present.artifact,
    );
  },

  'actions/get-artifact': (call) =>
    ok(call.present.artifact(call.state.artifact(repoOf(call), intParam(call, 'artifact_id')))),

  'actions/download-artifact': (call) => {
    const artifact = call.state.artifact(repoOf(call), intParam(call, 'artifact_id'));
    // Only `zip` exists; GitHub answers 404 for another format, and 410 once the artifact has expired.
    if (call.params.archive_format !== 'zip') throw notFound();
    if (artifact.expired) throw new GitHubError(410, 'Artifact has expired');
    return { status: 302, headers: { location: `${call.url.origin}${downloadPath(artifact)}` } };
  },
};

/** A run of the repository in the path; another repository's run is GitHub's 404. */
function runOf(call: RestCall): WorkflowRunRecord {
  return orNotFound(repoOf(call).runs.find((r) => r.id === intParam(call, 'run_id')));
}

// GitHub redirects a download to a signed URL of its blob storage that needs no token. The emulator signs its own
// with a key of the process, so a URL cannot be made up, and serves the bytes itself.
const SIGNING_KEY = randomBytes(32);
const DOWNLOAD_PATH = /^\/_emulator\/artifacts\/(\d+)\/([0-9a-f]{64})\/[^/]+\.zip$/;

function signature(artifact: ArtifactRecord): Buffer {
  return createHmac('sha256', SIGNING_KEY).update(`${artifact.node_id}:${artifact.id}`).digest();
}

function downloadPath(artifact: ArtifactRecord): string {
  return `/_emulator/artifacts/${artifact.id}/${signature(artifact).toString('hex')}/${encodeURIComponent(artifact.name)}.zip`;
}

/** How the download requests appear in `inspect.requests` and how faults name them. */
export const ARTIFACT_STORAGE = 'artifacts/storage';
export const ARTIFACT_DOWNLOAD_TEMPLATE = '/_emulator/artifacts/{artifact_id}/{signature}/{name}.zip';

export const isArtifactDownload = (path: string): boolean => DOWNLOAD_PATH.test(path);

/**
 * The answer to a GET of an artifact's download URL. A URL with a wrong signature, or of an artifact that no
 * longer exists, gets 403 as blob storage answers.
 */
export function artifactDownload(state: GitHubState, path: string): Reply {
  const match = DOWNLOAD_PATH.exec(path)!;
  const id = Number(match[1]);
  const artifact = state.repositories
    .flatMap((r) => r.runs.flatMap((run) => run.artifacts))
    .find((a) => a.id === id);
  const given = Buffer.from(match[2]!, 'hex');
  if (!artifact || artifact.expired || !timingSafeEqual(given, signature(artifact))) {
    return {
      drop: false,
      status: 403,
      headers: {},
      body: 'AuthenticationFailed: Server failed to authenticate the request.',
      contentType: 'text/plain; charset=utf-8',
    };
  }
  return { drop: false, status: 200, headers: {}, body: artifact.zip, contentType: 'application/zip' };
}

/** A workflow by id or by file name, as the API accepts both. */
function workflowOf(call: RestCall): WorkflowRecord {
  const key = call.params.workflow_id!;
  return orNotFound(
    repoOf(call).workflows.find((w) => String(w.id) === key || w.path.split('/').at(-1) === key),
  );
}

function runList(call: RestCall, runs: WorkflowRunRecord[]): RestAnswer {
  const query = call.url.searchParams;
  const matching = runs.filter(
    (r) =>
      (!query.get('event') || r.event === query.get('event')) &&
      (!query.get('status') || r.status === query.get('status') || r.conclusion === query.get('status')) &&
      (!query.get('branch') || r.headBranch === query.get('branch')),
  );
  return wrappedList(call, 'workflow_runs', [...matching].reverse(), call.present.workflowRun);
}
