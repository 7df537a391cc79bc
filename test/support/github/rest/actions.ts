// GitHub Actions: workflows, dispatching one (how the app starts a Gauntlet run), and workflow runs.
import { actor, input, intParam, ok, noContent, repoOf, wrappedList } from './call.ts';
import type { RestAnswer, RestCall, RestHandlers } from './call.ts';
import { orNotFound } from '../errors.ts';
import type { WorkflowRecord, WorkflowRunRecord } from '../state/records.ts';

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

  'actions/get-workflow-run': (call) =>
    ok(
      call.present.workflowRun(orNotFound(repoOf(call).runs.find((r) => r.id === intParam(call, 'run_id')))),
    ),
};

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
