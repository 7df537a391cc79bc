// Builds a webhook payload as GitHub sends it: the community's recorded example for the event and action, its
// entities replaced by the emulator's records (so the app's follow-up API calls land on real state), completed
// where GitHub now requires fields the example predates, and validated against @octokit/openapi-webhooks. Events
// with no recorded example (`deployment_protection_rule`, `sub_issues`) are built from the schema alone.
import { WebhookDescription } from './description.ts';
import { complete, isObject } from '../complete.ts';
import type { Presenters } from '../present/index.ts';
import type {
  CheckRunRecord,
  CommentRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  InstallationRecord,
  IssueRecord,
  LabelRecord,
  ProjectItemRecord,
  RepositoryRecord,
  WorkflowRecord,
  WorkflowRunRecord,
} from '../state/records.ts';
import type { GitHubState } from '../state/state.ts';

export interface DeliveryOptions {
  action?: string;
  /** Defaults to the repository of the records given. */
  repository?: RepositoryRecord;
  /** Login of the account that caused the event; `octocat` unless given. */
  sender?: string;
  /** The installation the payload names: by default the one on the repository's owner; `null` leaves it out. */
  installation?: InstallationRecord | null;
  issue?: IssueRecord;
  pull_request?: IssueRecord;
  comment?: CommentRecord;
  check_run?: CheckRunRecord;
  deployment?: DeploymentRecord;
  deployment_status?: DeploymentStatusRecord;
  workflow?: WorkflowRecord;
  /**
   * The run of a `workflow_run` delivery (its `workflow` is filled from it), or for `deployment_protection_rule`
   * the run waiting on the gate (its callback URL is derived from it).
   */
  workflow_run?: WorkflowRunRecord;
  label?: LabelRecord;
  sub_issue?: IssueRecord;
  parent_issue?: IssueRecord;
  projects_v2_item?: ProjectItemRecord;
  /** Merged into the finished payload last, for what no record carries (`requested_action`, `changes`, …). */
  payload?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** Payload keys filled from records, and how each record is presented there. */
const ENTITIES: {
  [K in keyof DeliveryOptions]?: (p: Presenters, o: DeliveryOptions, repo?: RepositoryRecord) => Json;
} = {
  issue: (p, o) => p.issue(o.issue!),
  pull_request: (p, o) => p.pullRequest(o.pull_request!),
  comment: (p, o) => p.comment(o.comment!),
  check_run: (p, o) => {
    // GitHub fills what the app left out: the app's homepage for the details link, "" for the external id.
    const run = o.check_run!;
    return {
      ...p.checkRun(run),
      details_url: run.detailsUrl ?? p.app(run.app).external_url,
      external_id: run.externalId ?? '',
    };
  },
  deployment: (p, o) => p.deployment(o.deployment!),
  deployment_status: (p, o) => p.deploymentStatus(o.deployment_status!),
  workflow: (p, o) => p.workflow(o.workflow!),
  workflow_run: (p, o) => p.workflowRun(o.workflow_run!),
  label: (p, o, repo) => p.label(repo!, o.label!),
  sub_issue: (p, o) => p.issue(o.sub_issue!),
  parent_issue: (p, o) => p.issue(o.parent_issue!),
  projects_v2_item: (p, o) => {
    const item = o.projects_v2_item!;
    return {
      id: item.id,
      node_id: item.node_id,
      project_node_id: item.project.node_id,
      content_node_id: item.content.node_id,
      content_type: item.content.pull ? 'PullRequest' : 'Issue',
      creator: p.user(item.creator),
      created_at: item.createdAt,
      updated_at: item.updatedAt,
      archived_at: null,
    };
  },
};

/** Fields GitHub derives from the records of particular events. */
const DERIVED: Record<string, (p: Presenters, o: DeliveryOptions) => Json> = {
  pull_request: (_, o) => (o.pull_request ? { number: o.pull_request.number } : {}),
  deployment_protection_rule: (p, o) => ({
    ...(o.deployment ? { environment: o.deployment.environment } : {}),
    ...(o.workflow_run
      ? {
          event: o.workflow_run.event,
          deployment_callback_url: `${p.workflowRun(o.workflow_run).url as string}/deployment_protection_rule`,
        }
      : {}),
    pull_requests: [],
  }),
  workflow_run: (p, o) =>
    o.workflow_run && !o.workflow ? { workflow: p.workflow(o.workflow_run.workflow) } : {},
  sub_issues: (p, o) => ({
    ...(o.sub_issue ? { sub_issue_id: o.sub_issue.id, sub_issue_repo: p.repository(o.sub_issue.repo) } : {}),
    ...(o.parent_issue
      ? { parent_issue_id: o.parent_issue.id, parent_issue_repo: p.repository(o.parent_issue.repo) }
      : {}),
  }),
};

export function buildPayload(
  state: GitHubState,
  present: Presenters,
  event: string,
  options: DeliveryOptions,
): Json {
  const description = WebhookDescription.get();
  const ref = description.schemaRef(event, options.action);
  const schema = description.resolve(ref);
  const declared = isObject(schema.properties) ? schema.properties : {};
  const repository = options.repository ?? repositoryOf(options);
  const owner = repository?.owner ?? options.projects_v2_item?.project.owner;
  const installation =
    options.installation === null
      ? undefined
      : (options.installation ?? (owner && state.installationFor(owner.login)));

  // The example's organization, installation and enterprise are someone else's; here they follow the repository.
  const {
    enterprise: _e,
    organization: _o,
    installation: _i,
    ...example
  } = description.example(event, options.action) ?? {};
  const fromRecords: Json = { ...(DERIVED[event]?.(present, options) ?? {}) };
  for (const [key, toJson] of Object.entries(ENTITIES)) {
    if (options[key as keyof DeliveryOptions] !== undefined && key in declared) {
      fromRecords[key] = toJson(present, options, repository);
    }
  }
  const built = complete(
    schema,
    {
      ...example,
      ...(options.action ? { action: options.action } : {}),
      ...fromRecords,
      ...(repository ? { repository: present.repository(repository) } : {}),
      ...(owner?.type === 'Organization' ? { organization: present.user(owner) } : {}),
      ...(installation ? { installation: { id: installation.id, node_id: installation.node_id } } : {}),
      sender: present.user(state.account(options.sender ?? 'octocat')),
    },
    description.resolve,
  ) as Json;
  const payload = merge(built, options.payload ?? {});
  const problems = description.check(ref, payload);
  if (problems.length > 0) {
    throw new Error(
      `the ${event}${options.action ? `.${options.action}` : ''} payload does not match @octokit/openapi-webhooks: ` +
        problems.join('; '),
    );
  }
  return payload;
}

function repositoryOf(options: DeliveryOptions): RepositoryRecord | undefined {
  const records: ({ repo: RepositoryRecord } | undefined)[] = [
    options.issue,
    options.pull_request,
    options.check_run,
    options.deployment,
    options.workflow_run,
    options.workflow,
    options.sub_issue,
    options.parent_issue,
  ];
  const withRepo = records.find((record) => record !== undefined);
  return withRepo?.repo ?? options.comment?.issue.repo ?? options.deployment_status?.deployment.repo;
}

/** Objects merge key by key; anything else in `patch` replaces what was there. */
function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? merge(current, value) : value;
  }
  return out;
}
