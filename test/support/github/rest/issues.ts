// Issues and their labels. Pull requests are issues too on GitHub (same numbers, same comment and label
// endpoints), so these handlers serve both.
import { actor, created, input, intParam, list, noContent, ok, repoOf } from './call.ts';
import type { RestCall, RestHandlers } from './call.ts';
import { GitHubError, orNotFound, validationFailed } from '../errors.ts';
import type { IssueRecord } from '../state/records.ts';

type LabelInput = string | { name: string };

interface IssueInput {
  title?: string | number;
  body?: string | null;
  state?: 'open' | 'closed';
  state_reason?: string | null;
  labels?: LabelInput[];
  assignees?: string[];
}

export const issueHandlers: RestHandlers = {
  'issues/create': (call) => {
    const repo = repoOf(call);
    const body = input<IssueInput & { title: string | number }>(call);
    const issue = call.state.addIssue(repo, {
      title: String(body.title),
      body: body.body ?? null,
      user: actor(call).login,
      labels: labelNames(body.labels),
    });
    issue.assignees = (body.assignees ?? []).map((login) => call.state.account(login));
    return created(call.present.issue(issue));
  },

  'issues/get': (call) => ok(call.present.issue(issueOf(call))),

  'issues/update': (call) => {
    const issue = issueOf(call);
    const body = input<IssueInput>(call);
    if (body.title !== undefined) issue.title = String(body.title);
    if (body.body !== undefined) issue.body = body.body;
    if (body.state !== undefined && body.state !== issue.state) {
      issue.state = body.state;
      issue.closedAt = body.state === 'closed' ? call.state.now() : null;
      issue.stateReason = body.state === 'closed' ? (body.state_reason ?? 'completed') : 'reopened';
    }
    if (body.labels !== undefined) setLabels(call, issue, labelNames(body.labels));
    if (body.assignees !== undefined)
      issue.assignees = body.assignees.map((login) => call.state.account(login));
    issue.updatedAt = call.state.now();
    return ok(call.present.issue(issue));
  },

  'issues/list-for-repo': (call) => {
    const state = call.url.searchParams.get('state') ?? 'open';
    const wanted = (call.url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
    const issues = repoOf(call)
      .issues.filter((i) => state === 'all' || i.state === state)
      .filter((i) => wanted.every((name) => i.labels.includes(name)));
    return list(call, newestFirst(call, issues), call.present.issue);
  },

  'issues/list-labels-for-repo': (call) => {
    const repo = repoOf(call);
    return list(call, repo.labels, (l) => call.present.label(repo, l));
  },

  'issues/get-label': (call) => {
    const repo = repoOf(call);
    const label = orNotFound(
      repo.labels.find((l) => l.name.toLowerCase() === call.params.name!.toLowerCase()),
    );
    return ok(call.present.label(repo, label));
  },

  'issues/create-label': (call) => {
    const repo = repoOf(call);
    const body = input<{ name: string; color?: string; description?: string }>(call);
    if (repo.labels.some((l) => l.name.toLowerCase() === body.name.toLowerCase())) {
      throw validationFailed({ resource: 'Label', code: 'already_exists', field: 'name' });
    }
    return created(call.present.label(repo, call.state.addLabel(repo, body)));
  },

  'issues/list-labels-on-issue': (call) => {
    const issue = issueOf(call);
    return list(call, call.present.issueLabels(issue), (l) => l);
  },

  'issues/add-labels': (call) => {
    const issue = issueOf(call);
    for (const name of labelNames(input<{ labels?: LabelInput[] }>(call).labels))
      call.state.labelIssue(issue, name);
    return ok(call.present.issueLabels(issue));
  },

  'issues/set-labels': (call) => {
    const issue = issueOf(call);
    setLabels(call, issue, labelNames(input<{ labels?: LabelInput[] }>(call).labels));
    return ok(call.present.issueLabels(issue));
  },

  'issues/remove-label': (call) => {
    const issue = issueOf(call);
    const name = call.params.name!;
    if (!issue.labels.includes(name)) throw new GitHubError(404, 'Label does not exist');
    issue.labels = issue.labels.filter((l) => l !== name);
    return ok(call.present.issueLabels(issue));
  },

  'issues/remove-all-labels': (call) => {
    issueOf(call).labels = [];
    return noContent();
  },
};

export function issueOf(call: RestCall, param = 'issue_number'): IssueRecord {
  return call.state.issue(repoOf(call), intParam(call, param));
}

/** GitHub lists newest first unless asked for `direction=asc`. */
export function newestFirst<T extends { createdAt: string }>(call: RestCall, items: T[]): T[] {
  const ascending = call.url.searchParams.get('direction') === 'asc';
  return [...items].sort((a, b) => (ascending ? 1 : -1) * a.createdAt.localeCompare(b.createdAt));
}

function labelNames(labels: LabelInput[] | undefined): string[] {
  return (labels ?? []).map((l) => (typeof l === 'string' ? l : l.name));
}

function setLabels(call: RestCall, issue: IssueRecord, names: string[]): void {
  issue.labels = [];
  for (const name of names) call.state.labelIssue(issue, name);
}
