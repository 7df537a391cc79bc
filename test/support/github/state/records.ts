// What the emulator remembers about GitHub: plain records, one `kind` each, linked by reference. Tests read them
// directly (`repo.issues[0].comments`) to assert what a client did; handlers and presenters read and write them.

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface Account {
  kind: 'account';
  id: number;
  node_id: string;
  login: string;
  type: 'User' | 'Organization' | 'Bot';
}

export interface AppRecord {
  kind: 'app';
  id: number;
  node_id: string;
  slug: string;
  name: string;
  clientId: string;
  owner: Account;
  /** The account the app acts as with an installation token: `<slug>[bot]`. */
  bot: Account;
  permissions: Record<string, 'read' | 'write'>;
  events: string[];
}

export interface InstallationRecord {
  kind: 'installation';
  id: number;
  node_id: string;
  account: Account;
  permissions: Record<string, 'read' | 'write'>;
  events: string[];
}

export interface TokenRecord {
  token: string;
  actor: Account;
  /** Set for installation access tokens; they reach only repositories of the installation's account. */
  installation?: InstallationRecord;
  expiresAt: string;
}

export interface RepositoryRecord {
  kind: 'repository';
  id: number;
  node_id: string;
  owner: Account;
  name: string;
  private: boolean;
  defaultBranch: string;
  files: Map<string, string>;
  collaborators: Map<string, Permission>;
  labels: LabelRecord[];
  /** Issues and pull requests, which share one sequence of numbers as on GitHub. */
  issues: IssueRecord[];
  checkRuns: CheckRunRecord[];
  statuses: CommitStatusRecord[];
  deployments: DeploymentRecord[];
  workflows: WorkflowRecord[];
  runs: WorkflowRunRecord[];
}

export interface LabelRecord {
  kind: 'label';
  id: number;
  node_id: string;
  name: string;
  color: string;
  description: string | null;
}

export interface PullFile {
  sha: string;
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  previous_filename?: string;
}

export interface PullDetails {
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  draft: boolean;
  merged: boolean;
  files: PullFile[];
}

export interface IssueRecord {
  kind: 'issue';
  id: number;
  node_id: string;
  repo: RepositoryRecord;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: string | null;
  user: Account;
  /** Label names, in the order they were added. */
  labels: string[];
  assignees: Account[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Present when the issue is a pull request. */
  pull?: PullDetails;
  comments: CommentRecord[];
  reactions: ReactionRecord[];
  parent?: IssueRecord;
  subIssues: IssueRecord[];
  blockedBy: IssueRecord[];
}

export interface CommentRecord {
  kind: 'comment';
  id: number;
  node_id: string;
  issue: IssueRecord;
  body: string;
  user: Account;
  createdAt: string;
  updatedAt: string;
  /** The GraphQL `minimizeComment` classifier, once minimized. */
  minimizedReason: string | null;
  reactions: ReactionRecord[];
}

export interface ReactionRecord {
  kind: 'reaction';
  id: number;
  node_id: string;
  content: string;
  user: Account;
  createdAt: string;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckAction {
  label: string;
  description: string;
  identifier: string;
}

export interface CheckRunRecord {
  kind: 'check_run';
  id: number;
  node_id: string;
  repo: RepositoryRecord;
  app: AppRecord;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations: Annotation[] };
  actions: CheckAction[];
}

export interface CommitStatusRecord {
  kind: 'status';
  id: number;
  node_id: string;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: Account;
  createdAt: string;
}

export interface DeploymentRecord {
  kind: 'deployment';
  id: number;
  node_id: string;
  repo: RepositoryRecord;
  ref: string;
  sha: string;
  task: string;
  environment: string;
  payload: unknown;
  description: string | null;
  creator: Account;
  createdAt: string;
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  statuses: DeploymentStatusRecord[];
}

export interface DeploymentStatusRecord {
  kind: 'deployment_status';
  id: number;
  node_id: string;
  deployment: DeploymentRecord;
  state: string;
  description: string;
  environment: string;
  environmentUrl: string | null;
  logUrl: string | null;
  targetUrl: string | null;
  creator: Account;
  createdAt: string;
}

export interface WorkflowRecord {
  kind: 'workflow';
  id: number;
  node_id: string;
  repo: RepositoryRecord;
  name: string;
  /** `.github/workflows/<file>`; the file name also identifies the workflow in the API. */
  path: string;
}

/** An answer to a custom deployment protection rule, as posted by the app. */
export interface GateReview {
  environmentName: string;
  state: 'approved' | 'rejected' | null;
  comment: string | null;
  by: Account;
}

export interface WorkflowRunRecord {
  kind: 'workflow_run';
  id: number;
  node_id: string;
  repo: RepositoryRecord;
  workflow: WorkflowRecord;
  event: string;
  status: string;
  conclusion: string | null;
  headBranch: string;
  headSha: string;
  /** Where the run's code came from: the repository itself, or a fork for a pull request from one. */
  headRepository: RepositoryRecord;
  /**
   * The pull requests the run is for. GitHub lists them in `pull_requests` only when the head is in the same
   * repository: for a fork's pull request the list is empty, as on github.com.
   */
  pullRequests: IssueRecord[];
  runNumber: number;
  inputs: Record<string, unknown>;
  actor: Account;
  createdAt: string;
  gateReviews: GateReview[];
  artifacts: ArtifactRecord[];
}

/** A file a run uploaded with `actions/upload-artifact`: always a zip, as the API serves it. */
export interface ArtifactRecord {
  kind: 'artifact';
  id: number;
  node_id: string;
  run: WorkflowRunRecord;
  name: string;
  /** The zip's bytes, served by the download URL. */
  zip: Uint8Array;
  /** `size_in_bytes` as the API reports it: the zip's length unless a test made it differ. */
  sizeInBytes: number;
  expired: boolean;
  createdAt: string;
  expiresAt: string;
}

export type ProjectFieldType = 'title' | 'text' | 'number' | 'date' | 'single_select' | 'iteration';

export interface ProjectFieldRecord {
  kind: 'project_field';
  id: number;
  node_id: string;
  name: string;
  dataType: ProjectFieldType;
  /** Single-select options or iterations: an id and a name each. */
  options: { id: string; name: string }[];
  createdAt: string;
}

export interface ProjectItemRecord {
  kind: 'project_item';
  id: number;
  node_id: string;
  project: ProjectRecord;
  content: IssueRecord;
  creator: Account;
  /** By field id: text, number, ISO date, or the id of the chosen option or iteration. */
  values: Map<number, string | number>;
  createdAt: string;
  updatedAt: string;
}

export interface ProjectRecord {
  kind: 'project';
  id: number;
  node_id: string;
  number: number;
  owner: Account;
  creator: Account;
  title: string;
  fields: ProjectFieldRecord[];
  items: ProjectItemRecord[];
  createdAt: string;
}

export type AnyRecord =
  | Account
  | AppRecord
  | InstallationRecord
  | RepositoryRecord
  | LabelRecord
  | IssueRecord
  | CommentRecord
  | ReactionRecord
  | CheckRunRecord
  | CommitStatusRecord
  | DeploymentRecord
  | DeploymentStatusRecord
  | WorkflowRecord
  | WorkflowRunRecord
  | ArtifactRecord
  | ProjectRecord
  | ProjectFieldRecord
  | ProjectItemRecord;
