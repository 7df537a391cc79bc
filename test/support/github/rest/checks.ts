// Check runs (Gauntlet's verdict on a commit, with annotations and "re-run" buttons) and commit statuses.
import { actor, created, input, intParam, list, ok, repoOf, wrappedList } from './call.ts';
import type { RestCall, RestHandlers } from './call.ts';
import { orNotFound, validationFailed } from '../errors.ts';
import type { Annotation, CheckAction, CheckRunRecord, CommitStatusRecord } from '../state/records.ts';

interface CheckRunInput {
  name?: string;
  head_sha?: string;
  status?: string;
  conclusion?: string;
  started_at?: string;
  completed_at?: string;
  details_url?: string;
  external_id?: string;
  output?: { title?: string; summary: string; text?: string; annotations?: Annotation[] };
  actions?: CheckAction[];
}

export const checkHandlers: RestHandlers = {
  'checks/create': (call) => {
    const repo = repoOf(call);
    const body = input<CheckRunInput & { name: string; head_sha: string }>(call);
    const id = call.state.nextId();
    const run = call.state.remember<CheckRunRecord>({
      kind: 'check_run',
      id,
      node_id: call.state.nodeId('check_run', id),
      repo,
      app: call.state.app,
      name: body.name,
      headSha: body.head_sha,
      status: 'queued',
      conclusion: null,
      startedAt: body.started_at ?? call.state.now(),
      completedAt: null,
      detailsUrl: null,
      externalId: null,
      output: { title: null, summary: null, text: null, annotations: [] },
      actions: [],
    });
    applyCheckRun(call, run, body);
    repo.checkRuns.push(run);
    return created(call.present.checkRun(run));
  },

  'checks/update': (call) => {
    const run = checkRunOf(call);
    applyCheckRun(call, run, input<CheckRunInput>(call));
    return ok(call.present.checkRun(run));
  },

  'checks/get': (call) => ok(call.present.checkRun(checkRunOf(call))),

  'checks/list-annotations': (call) => {
    const run = checkRunOf(call);
    const blob = `https://github.com/${run.repo.owner.login}/${run.repo.name}/blob/${run.headSha}`;
    return list(call, run.output.annotations, (a) => ({
      start_column: null,
      end_column: null,
      title: null,
      raw_details: null,
      ...a,
      blob_href: `${blob}/${a.path}`,
    }));
  },

  'checks/list-for-ref': (call) => {
    const sha = call.state.resolveRef(repoOf(call), call.params.ref!);
    const name = call.url.searchParams.get('check_name');
    const status = call.url.searchParams.get('status');
    const runs = repoOf(call)
      .checkRuns.filter(
        (r) => r.headSha === sha && (!name || r.name === name) && (!status || r.status === status),
      )
      .reverse();
    return wrappedList(call, 'check_runs', runs, call.present.checkRun);
  },

  'repos/create-commit-status': (call) => {
    const repo = repoOf(call);
    const body = input<{
      state: CommitStatusRecord['state'];
      target_url?: string | null;
      description?: string | null;
      context?: string;
    }>(call);
    const id = call.state.nextId();
    const status = call.state.remember<CommitStatusRecord>({
      kind: 'status',
      id,
      node_id: call.state.nodeId('status', id),
      sha: call.params.sha!,
      state: body.state,
      context: body.context ?? 'default',
      description: body.description ?? null,
      targetUrl: body.target_url ?? null,
      creator: actor(call),
      createdAt: call.state.now(),
    });
    repo.statuses.push(status);
    return created(call.present.status(repo, status));
  },

  'repos/list-commit-statuses-for-ref': (call) => {
    const repo = repoOf(call);
    return list(call, statusesFor(call).reverse(), (s) => call.present.status(repo, s));
  },

  'repos/get-combined-status-for-ref': (call) => {
    const repo = repoOf(call);
    const latest = new Map<string, CommitStatusRecord>();
    for (const s of statusesFor(call)) latest.set(s.context, s);
    const statuses = [...latest.values()];
    const states = new Set(statuses.map((s) => s.state));
    const state =
      states.has('error') || states.has('failure')
        ? 'failure'
        : states.has('pending') || statuses.length === 0
          ? 'pending'
          : 'success';
    const sha = call.state.resolveRef(repo, call.params.ref!);
    const url = `${call.present.repository(repo).url as string}/commits/${sha}`;
    return ok({
      state,
      sha,
      total_count: statuses.length,
      statuses: statuses.map((s) => call.present.status(repo, s)),
      repository: call.present.repository(repo),
      commit_url: url,
      url: `${url}/status`,
    });
  },
};

function checkRunOf(call: RestCall): CheckRunRecord {
  return orNotFound(repoOf(call).checkRuns.find((r) => r.id === intParam(call, 'check_run_id')));
}

function statusesFor(call: RestCall): CommitStatusRecord[] {
  const repo = repoOf(call);
  const sha = call.state.resolveRef(repo, call.params.ref!);
  return repo.statuses.filter((s) => s.sha === sha);
}

/** GitHub's rules: a conclusion completes the run; a completed run needs a conclusion; annotations accumulate. */
function applyCheckRun(call: RestCall, run: CheckRunRecord, body: CheckRunInput): void {
  if (body.name !== undefined) run.name = body.name;
  if (body.details_url !== undefined) run.detailsUrl = body.details_url;
  if (body.external_id !== undefined) run.externalId = body.external_id;
  if (body.started_at !== undefined) run.startedAt = body.started_at;
  if (body.status !== undefined) run.status = body.status;
  if (body.conclusion !== undefined) {
    run.conclusion = body.conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed') {
    if (!run.conclusion)
      throw validationFailed({ resource: 'CheckRun', code: 'missing_field', field: 'conclusion' });
    run.completedAt = body.completed_at ?? run.completedAt ?? call.state.now();
  }
  if (body.output) {
    run.output.title = body.output.title ?? run.output.title;
    run.output.summary = body.output.summary;
    run.output.text = body.output.text ?? run.output.text;
    run.output.annotations.push(...(body.output.annotations ?? []));
  }
  if (body.actions !== undefined) run.actions = body.actions;
}
