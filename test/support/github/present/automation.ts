// What runs on commits: check runs, commit statuses, deployments and their statuses, workflows, their runs and
// the runs' artifacts.
import type { AccountPresenters, Json } from './accounts.ts';
import type {
  ArtifactRecord,
  CheckRunRecord,
  CommitStatusRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  IssueRecord,
  RepositoryRecord,
  WorkflowRecord,
  WorkflowRunRecord,
} from '../state/records.ts';

export function automationPresenters(accounts: AccountPresenters) {
  const { repoUrl, repoHtml, user, repository, app } = accounts;

  const checkRun = (c: CheckRunRecord): Json => {
    const url = `${repoUrl(c.repo)}/check-runs/${c.id}`;
    return {
      id: c.id,
      node_id: c.node_id,
      name: c.name,
      head_sha: c.headSha,
      status: c.status,
      conclusion: c.conclusion,
      started_at: c.startedAt,
      completed_at: c.completedAt,
      details_url: c.detailsUrl,
      external_id: c.externalId,
      url,
      html_url: `${repoHtml(c.repo)}/runs/${c.id}`,
      output: {
        title: c.output.title,
        summary: c.output.summary,
        text: c.output.text,
        annotations_count: c.output.annotations.length,
        annotations_url: `${url}/annotations`,
      },
      check_suite: { id: c.id },
      app: app(c.app),
      pull_requests: [],
    };
  };

  const status = (r: RepositoryRecord, s: CommitStatusRecord): Json => ({
    id: s.id,
    node_id: s.node_id,
    state: s.state,
    context: s.context,
    description: s.description,
    target_url: s.targetUrl,
    creator: user(s.creator),
    avatar_url: `https://avatars.githubusercontent.com/u/${s.creator.id}?v=4`,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    url: `${repoUrl(r)}/statuses/${s.sha}`,
  });

  const deployment = (d: DeploymentRecord): Json => {
    const url = `${repoUrl(d.repo)}/deployments/${d.id}`;
    return {
      id: d.id,
      node_id: d.node_id,
      sha: d.sha,
      ref: d.ref,
      task: d.task,
      environment: d.environment,
      original_environment: d.environment,
      payload: d.payload,
      description: d.description,
      creator: user(d.creator),
      created_at: d.createdAt,
      updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
      production_environment: d.productionEnvironment,
      transient_environment: d.transientEnvironment,
      url,
      statuses_url: `${url}/statuses`,
      repository_url: repoUrl(d.repo),
    };
  };

  const deploymentStatus = (s: DeploymentStatusRecord): Json => {
    const deploymentUrl = `${repoUrl(s.deployment.repo)}/deployments/${s.deployment.id}`;
    // GitHub sends "" for links nobody gave, which its own description (format: uri) forbids. The emulator
    // sends the environment's page instead and leaves out the optional links, keeping within the description.
    const page = `${repoHtml(s.deployment.repo)}/deployments/${encodeURIComponent(s.environment)}`;
    return {
      id: s.id,
      node_id: s.node_id,
      state: s.state,
      description: s.description,
      environment: s.environment,
      ...(s.environmentUrl ? { environment_url: s.environmentUrl } : {}),
      ...(s.logUrl ? { log_url: s.logUrl } : {}),
      target_url: s.targetUrl ?? page,
      creator: user(s.creator),
      created_at: s.createdAt,
      updated_at: s.createdAt,
      url: `${deploymentUrl}/statuses/${s.id}`,
      deployment_url: deploymentUrl,
      repository_url: repoUrl(s.deployment.repo),
    };
  };

  const workflow = (w: WorkflowRecord): Json => ({
    id: w.id,
    node_id: w.node_id,
    name: w.name,
    path: w.path,
    state: 'active',
    url: `${repoUrl(w.repo)}/actions/workflows/${w.id}`,
    html_url: `${repoHtml(w.repo)}/blob/${w.repo.defaultBranch}/${w.path}`,
    badge_url: `${repoHtml(w.repo)}/workflows/${encodeURIComponent(w.name)}/badge.svg`,
  });

  const workflowRun = (r: WorkflowRunRecord): Json => {
    const url = `${repoUrl(r.repo)}/actions/runs/${r.id}`;
    return {
      id: r.id,
      node_id: r.node_id,
      name: r.workflow.name,
      display_title: r.workflow.name,
      path: r.workflow.path,
      workflow_id: r.workflow.id,
      event: r.event,
      status: r.status,
      conclusion: r.conclusion,
      head_branch: r.headBranch,
      head_sha: r.headSha,
      run_number: r.runNumber,
      run_attempt: 1,
      actor: user(r.actor),
      triggering_actor: user(r.actor),
      created_at: r.createdAt,
      updated_at: r.createdAt,
      url,
      html_url: `${repoHtml(r.repo)}/actions/runs/${r.id}`,
      workflow_url: `${repoUrl(r.repo)}/actions/workflows/${r.workflow.id}`,
      jobs_url: `${url}/jobs`,
      logs_url: `${url}/logs`,
      cancel_url: `${url}/cancel`,
      rerun_url: `${url}/rerun`,
      artifacts_url: `${url}/artifacts`,
      check_suite_url: `${repoUrl(r.repo)}/check-suites/${r.id}`,
      repository: repository(r.repo),
      head_repository: { ...repository(r.headRepository), fork: r.headRepository !== r.repo },
      head_commit: {
        id: r.headSha,
        tree_id: r.headSha,
        message: r.headBranch,
        timestamp: r.createdAt,
        author: {
          name: r.actor.login,
          email: `${r.actor.id}+${r.actor.login.replace('[bot]', '')}@users.noreply.github.com`,
        },
        committer: { name: 'GitHub', email: 'noreply@github.com' },
      },
      // GitHub leaves this empty when the head is in a fork (the run cannot see the base repository's pulls).
      pull_requests: r.pullRequests
        .filter((p) => r.headRepository === r.repo && p.pull)
        .map((p) => pullRequestMinimal(p)),
    };
  };

  const pullRequestMinimal = (p: IssueRecord): Json => {
    const side = (s: { ref: string; sha: string }): Json => ({
      ref: s.ref,
      sha: s.sha,
      repo: { id: p.repo.id, url: repoUrl(p.repo), name: p.repo.name },
    });
    return {
      id: p.id,
      number: p.number,
      url: `${repoUrl(p.repo)}/pulls/${p.number}`,
      head: side(p.pull!.head),
      base: side(p.pull!.base),
    };
  };

  const artifact = (a: ArtifactRecord): Json => {
    const url = `${repoUrl(a.run.repo)}/actions/artifacts/${a.id}`;
    return {
      id: a.id,
      node_id: a.node_id,
      name: a.name,
      size_in_bytes: a.sizeInBytes,
      url,
      archive_download_url: `${url}/zip`,
      expired: a.expired,
      created_at: a.createdAt,
      updated_at: a.createdAt,
      expires_at: a.expiresAt,
      digest: null,
      workflow_run: {
        id: a.run.id,
        repository_id: a.run.repo.id,
        head_repository_id: a.run.headRepository.id,
        head_branch: a.run.headBranch,
        head_sha: a.run.headSha,
      },
    };
  };

  return { checkRun, status, deployment, deploymentStatus, workflow, workflowRun, artifact };
}
