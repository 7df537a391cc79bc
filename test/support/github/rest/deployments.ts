// Deployments and their statuses (canary promotion and rollback), and the answer a custom deployment protection
// rule gives to a waiting workflow run.
import { actor, created, input, intParam, list, noContent, ok, repoOf } from './call.ts';
import type { RestCall, RestHandlers } from './call.ts';
import { orNotFound } from '../errors.ts';
import type { DeploymentRecord, DeploymentStatusRecord, GateReview } from '../state/records.ts';

interface DeploymentInput {
  ref: string;
  task?: string;
  payload?: unknown;
  environment?: string;
  description?: string | null;
  transient_environment?: boolean;
  production_environment?: boolean;
}

interface DeploymentStatusInput {
  state: string;
  target_url?: string;
  log_url?: string;
  description?: string;
  environment?: string;
  environment_url?: string;
  auto_inactive?: boolean;
}

export const deploymentHandlers: RestHandlers = {
  'repos/create-deployment': (call) => {
    const body = input<DeploymentInput>(call);
    const deployment = call.state.addDeployment(repoOf(call), {
      ref: body.ref,
      task: body.task,
      payload:
        typeof body.payload === 'string' && body.payload !== '' ? JSON.parse(body.payload) : body.payload,
      environment: body.environment,
      creator: actor(call).login,
    });
    deployment.description = body.description ?? null;
    deployment.transientEnvironment = body.transient_environment ?? false;
    deployment.productionEnvironment = body.production_environment ?? deployment.productionEnvironment;
    return created(call.present.deployment(deployment));
  },

  'repos/list-deployments': (call) => {
    const query = call.url.searchParams;
    const deployments = repoOf(call).deployments.filter(
      (d) =>
        (!query.get('sha') || d.sha === query.get('sha')) &&
        (!query.get('ref') || d.ref === query.get('ref')) &&
        (!query.get('task') || d.task === query.get('task')) &&
        (!query.get('environment') || d.environment === query.get('environment')),
    );
    return list(call, deployments.reverse(), call.present.deployment);
  },

  'repos/get-deployment': (call) => ok(call.present.deployment(deploymentOf(call))),

  'repos/create-deployment-status': (call) => {
    const deployment = deploymentOf(call);
    const body = input<DeploymentStatusInput>(call);
    const id = call.state.nextId();
    const status = call.state.remember<DeploymentStatusRecord>({
      kind: 'deployment_status',
      id,
      node_id: call.state.nodeId('deployment_status', id),
      deployment,
      state: body.state,
      description: body.description ?? '',
      environment: body.environment ?? deployment.environment,
      environmentUrl: body.environment_url || null,
      logUrl: body.log_url || body.target_url || null,
      targetUrl: body.target_url || body.log_url || null,
      creator: actor(call),
      createdAt: call.state.now(),
    });
    // GitHub marks earlier deployments to the same environment inactive when a new one succeeds (auto_inactive).
    if (body.state === 'success' && body.auto_inactive !== false)
      markOthersInactive(call, deployment, status);
    deployment.statuses.push(status);
    return created(call.present.deploymentStatus(status));
  },

  'repos/list-deployment-statuses': (call) =>
    list(call, [...deploymentOf(call).statuses].reverse(), call.present.deploymentStatus),

  'repos/get-deployment-status': (call) => {
    const status = deploymentOf(call).statuses.find((s) => s.id === intParam(call, 'status_id'));
    return ok(call.present.deploymentStatus(orNotFound(status)));
  },

  'actions/review-custom-gates-for-run': (call) => {
    const run = orNotFound(repoOf(call).runs.find((r) => r.id === intParam(call, 'run_id')));
    const body = input<{ environment_name: string; state?: 'approved' | 'rejected'; comment?: string }>(call);
    const review: GateReview = {
      environmentName: body.environment_name,
      state: body.state ?? null,
      comment: body.comment ?? null,
      by: actor(call),
    };
    run.gateReviews.push(review);
    return noContent();
  },
};

function deploymentOf(call: RestCall): DeploymentRecord {
  return orNotFound(repoOf(call).deployments.find((d) => d.id === intParam(call, 'deployment_id')));
}

function markOthersInactive(
  call: RestCall,
  current: DeploymentRecord,
  template: DeploymentStatusRecord,
): void {
  for (const other of current.repo.deployments) {
    const last = other.statuses.at(-1);
    if (other === current || other.environment !== current.environment || last?.state !== 'success') continue;
    const id = call.state.nextId();
    other.statuses.push(
      call.state.remember({
        ...template,
        id,
        node_id: call.state.nodeId('deployment_status', id),
        deployment: other,
        state: 'inactive',
        description: '',
        createdAt: call.state.now(),
      }),
    );
  }
}
