// The API tests use to set up the emulator's GitHub: installations, repositories, issues and pull requests,
// comments, workflows and runs, deployments, and project boards. Handlers use the same methods, so what a test
// seeds and what a client creates are the same records.
import { fakeSha, Store } from './store.ts';
import { orNotFound } from '../errors.ts';
import type {
  Account,
  ArtifactRecord,
  CommentRecord,
  DeploymentRecord,
  InstallationRecord,
  IssueRecord,
  LabelRecord,
  Permission,
  ProjectFieldRecord,
  ProjectFieldType,
  ProjectRecord,
  PullDetails,
  PullFile,
  RepositoryRecord,
  WorkflowRecord,
  WorkflowRunRecord,
} from './records.ts';

export interface IssueOptions {
  title: string;
  body?: string | null;
  /** Login of the author; `octocat` unless given. */
  user?: string;
  labels?: string[];
  state?: 'open' | 'closed';
}

export class GitHubState extends Store {
  addInstallation(options: {
    account: string;
    accountType?: Account['type'];
    permissions?: Record<string, 'read' | 'write'>;
  }): InstallationRecord {
    const id = this.nextId();
    const installation = this.remember<InstallationRecord>({
      kind: 'installation',
      id,
      node_id: this.nodeId('installation', id),
      account: this.account(options.account, options.accountType ?? 'Organization'),
      permissions: options.permissions ?? { ...this.app.permissions },
      events: [...this.app.events],
    });
    this.installations.push(installation);
    return installation;
  }

  addRepository(options: {
    owner: string;
    name: string;
    private?: boolean;
    defaultBranch?: string;
    files?: Record<string, string>;
    collaborators?: Record<string, Permission>;
  }): RepositoryRecord {
    const id = this.nextId();
    const owner = this.account(options.owner, 'Organization');
    const repo = this.remember<RepositoryRecord>({
      kind: 'repository',
      id,
      node_id: this.nodeId('repository', id),
      owner,
      name: options.name,
      private: options.private ?? false,
      defaultBranch: options.defaultBranch ?? 'main',
      files: new Map(Object.entries(options.files ?? {})),
      collaborators: new Map(Object.entries(options.collaborators ?? {})),
      labels: [],
      issues: [],
      checkRuns: [],
      statuses: [],
      deployments: [],
      workflows: [],
      runs: [],
    });
    this.repositories.push(repo);
    return repo;
  }

  addLabel(
    repo: RepositoryRecord,
    options: { name: string; color?: string; description?: string },
  ): LabelRecord {
    const id = this.nextId();
    const label = this.remember<LabelRecord>({
      kind: 'label',
      id,
      node_id: this.nodeId('label', id),
      name: options.name,
      color: options.color ?? 'ededed',
      description: options.description ?? null,
    });
    repo.labels.push(label);
    return label;
  }

  addIssue(repo: RepositoryRecord, options: IssueOptions): IssueRecord {
    return this.createIssue(repo, options, 'issue');
  }

  private createIssue(
    repo: RepositoryRecord,
    options: IssueOptions,
    nodeKind: 'issue' | 'pull',
  ): IssueRecord {
    const id = this.nextId();
    const at = this.now();
    const issue = this.remember<IssueRecord>({
      kind: 'issue',
      id,
      node_id: this.nodeId(nodeKind, id),
      repo,
      number: repo.issues.length + 1,
      title: options.title,
      body: options.body ?? null,
      state: options.state ?? 'open',
      stateReason: null,
      user: this.account(options.user ?? 'octocat'),
      labels: [],
      assignees: [],
      createdAt: at,
      updatedAt: at,
      closedAt: options.state === 'closed' ? at : null,
      comments: [],
      reactions: [],
      subIssues: [],
      blockedBy: [],
    });
    for (const name of options.labels ?? []) this.labelIssue(issue, name);
    repo.issues.push(issue);
    return issue;
  }

  addPullRequest(
    repo: RepositoryRecord,
    options: IssueOptions & {
      head?: { ref: string; sha?: string };
      base?: { ref: string; sha?: string };
      draft?: boolean;
      files?: (Partial<PullFile> & { filename: string })[];
    },
  ): IssueRecord {
    const issue = this.createIssue(repo, options, 'pull');
    const headRef = options.head?.ref ?? `feature-${issue.number}`;
    const baseRef = options.base?.ref ?? repo.defaultBranch;
    const pull: PullDetails = {
      head: { ref: headRef, sha: options.head?.sha ?? fakeSha(`${repo.id}:${headRef}:${issue.number}`) },
      base: { ref: baseRef, sha: options.base?.sha ?? fakeSha(`${repo.id}:${baseRef}`) },
      draft: options.draft ?? false,
      merged: false,
      files: (options.files ?? []).map((file) => {
        const additions = file.additions ?? 0;
        const deletions = file.deletions ?? 0;
        return {
          sha: fakeSha(file.filename),
          status: 'modified',
          changes: additions + deletions,
          ...file,
          additions,
          deletions,
        };
      }),
    };
    issue.pull = pull;
    return issue;
  }

  addComment(issue: IssueRecord, options: { body: string; user?: string }): CommentRecord {
    const id = this.nextId();
    const at = this.now();
    const comment = this.remember<CommentRecord>({
      kind: 'comment',
      id,
      node_id: this.nodeId('comment', id),
      issue,
      body: options.body,
      user: this.account(options.user ?? 'octocat'),
      createdAt: at,
      updatedAt: at,
      minimizedReason: null,
      reactions: [],
    });
    issue.comments.push(comment);
    return comment;
  }

  addWorkflow(repo: RepositoryRecord, options: { name: string; file: string }): WorkflowRecord {
    const id = this.nextId();
    const workflow = this.remember<WorkflowRecord>({
      kind: 'workflow',
      id,
      node_id: this.nodeId('workflow', id),
      repo,
      name: options.name,
      path: `.github/workflows/${options.file}`,
    });
    repo.workflows.push(workflow);
    return workflow;
  }

  /**
   * A run of `workflow`. With `pullRequest`, the run is that pull request's (`event` defaults to `pull_request`,
   * head branch and sha are its head's); with `headRepository` a fork, it is a run for a fork's pull request.
   */
  addWorkflowRun(
    workflow: WorkflowRecord,
    options: {
      event?: string;
      status?: string;
      conclusion?: string | null;
      headBranch?: string;
      headSha?: string;
      headRepository?: RepositoryRecord;
      pullRequest?: IssueRecord;
      inputs?: Record<string, unknown>;
      actor?: string;
    },
  ): WorkflowRunRecord {
    const id = this.nextId();
    const repo = workflow.repo;
    const pull = options.pullRequest?.pull;
    const headBranch = options.headBranch ?? pull?.head.ref ?? repo.defaultBranch;
    const conclusion = options.conclusion ?? null;
    const run = this.remember<WorkflowRunRecord>({
      kind: 'workflow_run',
      id,
      node_id: this.nodeId('workflow_run', id),
      repo,
      workflow,
      event: options.event ?? (options.pullRequest ? 'pull_request' : 'push'),
      status: options.status ?? (conclusion ? 'completed' : 'queued'),
      conclusion,
      headBranch,
      headSha: options.headSha ?? pull?.head.sha ?? this.resolveRef(repo, headBranch),
      headRepository: options.headRepository ?? repo,
      pullRequests: options.pullRequest ? [options.pullRequest] : [],
      runNumber: repo.runs.filter((r) => r.workflow === workflow).length + 1,
      inputs: options.inputs ?? {},
      actor: this.account(options.actor ?? 'octocat'),
      createdAt: this.now(),
      gateReviews: [],
      artifacts: [],
    });
    repo.runs.push(run);
    return run;
  }

  /**
   * An artifact `run` uploaded: `zip` is the archive the download URL serves. `sizeInBytes` makes the reported
   * size differ from the bytes (to show a client does not trust it); `expired` is an artifact past retention.
   */
  addArtifact(
    run: WorkflowRunRecord,
    options: { name: string; zip: Uint8Array; sizeInBytes?: number; expired?: boolean },
  ): ArtifactRecord {
    const id = this.nextId();
    const createdAt = this.now();
    // Actions keeps artifacts 90 days unless the repository says otherwise.
    const expiresAt = new Date(Date.parse(createdAt) + 90 * 86_400_000).toISOString().replace('.000Z', 'Z');
    const artifact = this.remember<ArtifactRecord>({
      kind: 'artifact',
      id,
      node_id: this.nodeId('artifact', id),
      run,
      name: options.name,
      zip: options.zip,
      sizeInBytes: options.sizeInBytes ?? options.zip.length,
      expired: options.expired ?? false,
      createdAt,
      expiresAt,
    });
    run.artifacts.push(artifact);
    return artifact;
  }

  /** An artifact of `repo`'s runs by id; another repository's is GitHub's 404. */
  artifact(repo: RepositoryRecord, id: number): ArtifactRecord {
    return orNotFound(repo.runs.flatMap((r) => r.artifacts).find((a) => a.id === id));
  }

  addDeployment(
    repo: RepositoryRecord,
    options: { ref: string; environment?: string; task?: string; payload?: unknown; creator?: string },
  ): DeploymentRecord {
    const id = this.nextId();
    const deployment = this.remember<DeploymentRecord>({
      kind: 'deployment',
      id,
      node_id: this.nodeId('deployment', id),
      repo,
      ref: options.ref,
      sha: this.resolveRef(repo, options.ref),
      task: options.task ?? 'deploy',
      environment: options.environment ?? 'production',
      payload: options.payload ?? {},
      description: null,
      creator: this.account(options.creator ?? 'octocat'),
      createdAt: this.now(),
      productionEnvironment: (options.environment ?? 'production') === 'production',
      transientEnvironment: false,
      statuses: [],
    });
    repo.deployments.push(deployment);
    return deployment;
  }

  addProject(options: {
    owner: string;
    title: string;
    fields?: { name: string; dataType: ProjectFieldType; options?: string[] }[];
  }): ProjectRecord {
    const id = this.nextId();
    const owner = this.account(options.owner, 'Organization');
    const project = this.remember<ProjectRecord>({
      kind: 'project',
      id,
      node_id: this.nodeId('project', id),
      number: this.projects.filter((p) => p.owner === owner).length + 1,
      owner,
      creator: this.account('octocat'),
      title: options.title,
      fields: [],
      items: [],
      createdAt: this.now(),
    });
    for (const field of [{ name: 'Title', dataType: 'title' as const }, ...(options.fields ?? [])]) {
      this.addProjectField(project, field);
    }
    this.projects.push(project);
    return project;
  }

  private addProjectField(
    project: ProjectRecord,
    field: { name: string; dataType: ProjectFieldType; options?: string[] },
  ): ProjectFieldRecord {
    const id = this.nextId();
    const record = this.remember<ProjectFieldRecord>({
      kind: 'project_field',
      id,
      node_id: this.nodeId('project_field', id),
      name: field.name,
      dataType: field.dataType,
      options: (field.options ?? []).map((name, i) => ({ id: fakeSha(`${id}:${i}`).slice(0, 8), name })),
      createdAt: this.now(),
    });
    project.fields.push(record);
    return record;
  }

  /** Adds a label to an issue, creating it in the repository first if needed, as GitHub does. */
  labelIssue(issue: IssueRecord, name: string): void {
    const known = issue.repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
    const label = known ?? this.addLabel(issue.repo, { name });
    if (!issue.labels.includes(label.name)) issue.labels.push(label.name);
  }
}
