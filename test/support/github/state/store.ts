// The emulator's memory of GitHub: the records, their ids and node ids, tokens, and the lookups handlers use (an
// absent record is GitHub's 404). Ids come from one counter that starts at 1000, so a database id is never mistaken
// for an issue number; timestamps come from a logical clock that ticks one second per change, so the order things
// were created in is visible in the data and tests stay deterministic.
import { createHash, randomBytes } from 'node:crypto';
import { notFound, orNotFound } from '../errors.ts';
import type {
  Account,
  AnyRecord,
  AppRecord,
  CommentRecord,
  InstallationRecord,
  IssueRecord,
  ProjectRecord,
  RepositoryRecord,
  TokenRecord,
} from './records.ts';

const CLOCK_START = Date.parse('2026-01-01T00:00:00Z');
const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

const NODE_PREFIX: Record<string, string> = {
  User: 'U',
  Organization: 'O',
  Bot: 'BOT',
  app: 'A',
  installation: 'IN',
  repository: 'R',
  label: 'LA',
  issue: 'I',
  pull: 'PR',
  comment: 'IC',
  reaction: 'REA',
  check_run: 'CR',
  status: 'SC',
  deployment: 'DE',
  deployment_status: 'DES',
  workflow: 'W',
  workflow_run: 'WFR',
  artifact: 'AR',
  project: 'PVT',
  project_field: 'PVTF',
  project_item: 'PVTI',
};

/** Iterations of a project's iteration field are consecutive fortnights, the first from this Monday on. */
export function iterationStart(index: number): string {
  return new Date(Date.parse('2026-01-05') + index * 14 * 86_400_000).toISOString().slice(0, 10);
}

/** A made-up but well-formed commit SHA, the same for the same seed. */
export function fakeSha(seed: string | number): string {
  return createHash('sha1').update(String(seed)).digest('hex');
}

export class Store {
  readonly app: AppRecord;
  readonly installations: InstallationRecord[] = [];
  readonly repositories: RepositoryRecord[] = [];
  readonly projects: ProjectRecord[] = [];
  private readonly accounts = new Map<string, Account>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly nodes = new Map<string, AnyRecord>();
  private lastId = 999;
  private ticks = 0;

  constructor() {
    const owner = this.addAccount('gauntlet-dev', 'Organization');
    const bot = this.addAccount('gauntlet[bot]', 'Bot');
    const id = this.nextId();
    this.app = this.remember({
      kind: 'app',
      id,
      node_id: this.nodeId('app', id),
      slug: 'gauntlet',
      name: 'Gauntlet',
      clientId: `Iv1.${fakeSha(id).slice(0, 16)}`,
      owner,
      bot,
      permissions: {
        checks: 'write',
        contents: 'read',
        issues: 'write',
        pull_requests: 'write',
        metadata: 'read',
      },
      events: ['check_run', 'issue_comment', 'pull_request', 'deployment_protection_rule'],
    });
  }

  /** Forgets everything but the app, for the next test. Ids and the clock go on, so nothing is ever reused. */
  reset(): void {
    this.installations.length = 0;
    this.repositories.length = 0;
    this.projects.length = 0;
    this.tokens.clear();
    this.accounts.clear();
    this.nodes.clear();
    const { owner, bot } = this.app;
    for (const account of [owner, bot]) this.accounts.set(account.login.toLowerCase(), account);
    for (const record of [this.app, owner, bot]) this.remember(record);
  }

  /** The next logical timestamp: one second after the previous one. */
  now(): string {
    this.ticks += 1;
    return new Date(CLOCK_START + this.ticks * 1000).toISOString().replace('.000Z', 'Z');
  }

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  nodeId(kind: string, id: number): string {
    return `${NODE_PREFIX[kind] ?? kind}_${Buffer.from(`${kind}:${id}`).toString('base64url')}`;
  }

  /** Registers a record under its node id, for GraphQL's `node(id:)` and the REST endpoints that take node ids. */
  remember<T extends AnyRecord>(record: T): T {
    this.nodes.set(record.node_id, record);
    return record;
  }

  forget(record: AnyRecord): void {
    this.nodes.delete(record.node_id);
  }

  byNodeId(nodeId: string): AnyRecord | undefined {
    return this.nodes.get(nodeId);
  }

  /** The account with this login, created on first use (`…[bot]` logins are bots). */
  account(login: string, type?: Account['type']): Account {
    return this.accounts.get(login.toLowerCase()) ?? this.addAccount(login, type);
  }

  /** A token for a user or bot (a personal token, or Actions' GITHUB_TOKEN as `github-actions[bot]`). */
  createToken(options: { login: string }): string {
    const token = `ghp_${randomBytes(18).toString('base64url')}`;
    this.tokens.set(token, { token, actor: this.account(options.login), expiresAt: farFuture() });
    return token;
  }

  createInstallationToken(installation: InstallationRecord): TokenRecord {
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    // Real time, not the logical clock: Octokit compares the expiry with the machine's clock.
    const expiresAt = new Date(Date.now() + TOKEN_LIFETIME_MS).toISOString().replace(/\.\d+Z$/, 'Z');
    const record: TokenRecord = { token, actor: this.app.bot, installation, expiresAt };
    this.tokens.set(token, record);
    return record;
  }

  findAccount(login: string): Account | undefined {
    return this.accounts.get(login.toLowerCase());
  }

  token(token: string): TokenRecord | undefined {
    return this.tokens.get(token);
  }

  installation(id: number): InstallationRecord {
    return orNotFound(this.installations.find((i) => i.id === id));
  }

  installationFor(login: string): InstallationRecord | undefined {
    return this.installations.find((i) => i.account.login.toLowerCase() === login.toLowerCase());
  }

  repository(owner: string, name: string, viewer?: TokenRecord): RepositoryRecord {
    const repo = this.repositories.find(
      (r) =>
        r.owner.login.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase(),
    );
    // An installation token sees only its account's repositories; GitHub answers 404 for the others.
    if (!repo || (viewer?.installation && viewer.installation.account !== repo.owner)) throw notFound();
    return repo;
  }

  issue(repo: RepositoryRecord, number: number): IssueRecord {
    return orNotFound(repo.issues.find((i) => i.number === number));
  }

  comment(repo: RepositoryRecord, id: number): CommentRecord {
    for (const issue of repo.issues) {
      const found = issue.comments.find((c) => c.id === id);
      if (found) return found;
    }
    throw notFound();
  }

  project(owner: string, number: number): ProjectRecord {
    return orNotFound(
      this.projects.find((p) => p.owner.login.toLowerCase() === owner.toLowerCase() && p.number === number),
    );
  }

  /** Any issue of `owner`'s repositories, by database id (sub-issues and dependencies may cross repositories). */
  issueOfOwner(owner: Account, id: number): IssueRecord {
    const issues = this.repositories.filter((r) => r.owner === owner).flatMap((r) => r.issues);
    return orNotFound(issues.find((i) => i.id === id));
  }

  /** The commit a ref names: a SHA as given, a pull request's head, or a stable made-up SHA per branch. */
  resolveRef(repo: RepositoryRecord, ref: string): string {
    if (/^[0-9a-f]{40}$/.test(ref)) return ref;
    const branch = ref.replace(/^refs\/heads\//, '');
    const pull = repo.issues.find((i) => i.pull?.head.ref === branch);
    return pull?.pull?.head.sha ?? fakeSha(`${repo.id}:${branch}`);
  }

  protected addAccount(login: string, type?: Account['type']): Account {
    const id = this.nextId();
    const kind = type ?? (login.endsWith('[bot]') ? 'Bot' : 'User');
    const account: Account = { kind: 'account', id, node_id: this.nodeId(kind, id), login, type: kind };
    this.accounts.set(login.toLowerCase(), account);
    return this.remember(account);
  }
}

function farFuture(): string {
  return new Date(Date.now() + 365 * 24 * TOKEN_LIFETIME_MS).toISOString().replace(/\.\d+Z$/, 'Z');
}
