// The emulator's records as GraphQL objects. Each view lists the fields it serves, as values or as functions of
// the field's arguments; a field a view lacks is reported as unimplemented (see endpoint.ts), never silently null.
import { connection } from './connection.ts';
import type { PageArgs } from './connection.ts';
import { GraphqlFailure } from './failure.ts';
import { HTML } from '../present/accounts.ts';
import type {
  Account,
  AnyRecord,
  CommentRecord,
  IssueRecord,
  ProjectFieldRecord,
  ProjectItemRecord,
  ProjectRecord,
  RepositoryRecord,
} from '../state/records.ts';
import { iterationStart } from '../state/store.ts';
import type { GitHubState } from '../state/state.ts';

export type View = Record<string, unknown>;

export function graphqlViews(state: GitHubState) {
  const account = (a: Account): View => ({
    __typename: a.type === 'Organization' ? 'Organization' : a.type === 'Bot' ? 'Bot' : 'User',
    id: a.node_id,
    databaseId: a.id,
    login: a.login,
    url: `${HTML}/${a.login}`,
    projectV2: ({ number }: { number: number }) => {
      const found = state.projects.find((p) => p.owner === a && p.number === number);
      if (!found)
        throw new GraphqlFailure('NOT_FOUND', `Could not resolve to a ProjectV2 with the number ${number}.`);
      return project(found);
    },
    projectsV2: (args: PageArgs) =>
      connection(state.projects.filter((p) => p.owner === a).map(project), args, 'projectsV2'),
  });

  const repository = (r: RepositoryRecord): View => ({
    __typename: 'Repository',
    id: r.node_id,
    databaseId: r.id,
    name: r.name,
    nameWithOwner: `${r.owner.login}/${r.name}`,
    isPrivate: r.private,
    owner: account(r.owner),
    url: `${HTML}/${r.owner.login}/${r.name}`,
    issue: ({ number }: { number: number }) => byNumber(r, number, false),
    pullRequest: ({ number }: { number: number }) => byNumber(r, number, true),
    issueOrPullRequest: ({ number }: { number: number }) => {
      const found = r.issues.find((i) => i.number === number);
      return found ? issue(found) : notFoundNumber('Issue', number);
    },
  });

  const byNumber = (r: RepositoryRecord, number: number, pull: boolean): View => {
    const found = r.issues.find((i) => i.number === number && Boolean(i.pull) === pull);
    return found ? issue(found) : notFoundNumber(pull ? 'PullRequest' : 'Issue', number);
  };

  const issue = (i: IssueRecord): View => ({
    __typename: i.pull ? 'PullRequest' : 'Issue',
    id: i.node_id,
    databaseId: i.id,
    number: i.number,
    title: i.title,
    body: i.body ?? '',
    state: i.pull?.merged ? 'MERGED' : i.state.toUpperCase(),
    closed: i.state === 'closed',
    url: `${HTML}/${i.repo.owner.login}/${i.repo.name}/${i.pull ? 'pull' : 'issues'}/${i.number}`,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    author: account(i.user),
    repository: () => repository(i.repo),
    parent: i.parent ? () => issue(i.parent!) : null,
    subIssues: (args: PageArgs) => connection(i.subIssues.map(issue), args, 'subIssues'),
    projectItems: (args: PageArgs) =>
      connection(
        state.projects.flatMap((p) => p.items.filter((it) => it.content === i)).map(item),
        args,
        'projectItems',
      ),
    ...(i.pull
      ? {
          headRefName: i.pull.head.ref,
          headRefOid: i.pull.head.sha,
          baseRefName: i.pull.base.ref,
          baseRefOid: i.pull.base.sha,
          isDraft: i.pull.draft,
          merged: i.pull.merged,
        }
      : {}),
  });

  const comment = (c: CommentRecord): View => ({
    __typename: 'IssueComment',
    id: c.node_id,
    databaseId: c.id,
    body: c.body,
    author: account(c.user),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    isMinimized: c.minimizedReason !== null,
    minimizedReason: c.minimizedReason?.toLowerCase() ?? null,
    url: `${HTML}/${c.issue.repo.owner.login}/${c.issue.repo.name}/issues/${c.issue.number}#issuecomment-${c.id}`,
    issue: () => issue(c.issue),
  });

  const project = (p: ProjectRecord): View => ({
    __typename: 'ProjectV2',
    id: p.node_id,
    databaseId: p.id,
    number: p.number,
    title: p.title,
    closed: false,
    public: false,
    url: `${HTML}/${p.owner.type === 'Organization' ? 'orgs' : 'users'}/${p.owner.login}/projects/${p.number}`,
    owner: account(p.owner),
    createdAt: p.createdAt,
    fields: (args: PageArgs) => connection(p.fields.map(field), args, 'fields'),
    field: ({ name }: { name: string }) => {
      const found = p.fields.find((f) => f.name === name);
      return found ? field(found) : null;
    },
    items: (args: PageArgs) => connection(p.items.map(item), args, 'items'),
  });

  const field = (f: ProjectFieldRecord): View => {
    const common = {
      id: f.node_id,
      databaseId: f.id,
      name: f.name,
      dataType: f.dataType.toUpperCase(),
      createdAt: f.createdAt,
      updatedAt: f.createdAt,
    };
    if (f.dataType === 'single_select') {
      const options = f.options.map((o) => ({
        ...o,
        nameHTML: o.name,
        color: 'GRAY',
        description: '',
        descriptionHTML: '',
      }));
      return { __typename: 'ProjectV2SingleSelectField', ...common, options };
    }
    if (f.dataType === 'iteration') {
      const iterations = f.options.map((o, n) => ({
        id: o.id,
        title: o.name,
        titleHTML: o.name,
        startDate: iterationStart(n),
        duration: 14,
      }));
      return {
        __typename: 'ProjectV2IterationField',
        ...common,
        configuration: { duration: 14, startDay: 1, iterations, completedIterations: [] },
      };
    }
    return { __typename: 'ProjectV2Field', ...common };
  };

  const item = (it: ProjectItemRecord): View => ({
    __typename: 'ProjectV2Item',
    id: it.node_id,
    databaseId: it.id,
    type: it.content.pull ? 'PULL_REQUEST' : 'ISSUE',
    isArchived: false,
    createdAt: it.createdAt,
    updatedAt: it.updatedAt,
    content: issue(it.content),
    project: () => project(it.project),
    fieldValues: (args: PageArgs) =>
      connection(
        it.project.fields
          .filter((f) => f.dataType === 'title' || it.values.has(f.id))
          .map((f) => fieldValue(it, f)),
        args,
        'fieldValues',
      ),
    fieldValueByName: ({ name }: { name: string }) => {
      const f = it.project.fields.find((candidate) => candidate.name === name);
      return f && (f.dataType === 'title' || it.values.has(f.id)) ? fieldValue(it, f) : null;
    },
  });

  const fieldValue = (it: ProjectItemRecord, f: ProjectFieldRecord): View => {
    const common = {
      field: field(f),
      item: () => item(it),
      createdAt: it.updatedAt,
      updatedAt: it.updatedAt,
    };
    const value = it.values.get(f.id);
    const option = f.options.find((o) => o.id === value);
    switch (f.dataType) {
      case 'title':
        return { __typename: 'ProjectV2ItemFieldTextValue', ...common, text: it.content.title };
      case 'number':
        return { __typename: 'ProjectV2ItemFieldNumberValue', ...common, number: value };
      case 'date':
        return { __typename: 'ProjectV2ItemFieldDateValue', ...common, date: value };
      case 'single_select':
        return {
          __typename: 'ProjectV2ItemFieldSingleSelectValue',
          ...common,
          optionId: value,
          name: option?.name ?? null,
        };
      case 'iteration': {
        const index = f.options.indexOf(option!);
        return {
          __typename: 'ProjectV2ItemFieldIterationValue',
          ...common,
          iterationId: value,
          title: option?.name ?? null,
          startDate: iterationStart(index),
          duration: 14,
        };
      }
      default:
        return { __typename: 'ProjectV2ItemFieldTextValue', ...common, text: value };
    }
  };

  const byKind: Partial<Record<AnyRecord['kind'], (record: never) => View>> = {
    account,
    repository,
    issue,
    comment,
    project,
    project_field: field,
    project_item: item,
  };

  /** Any record GraphQL can reach by node id, or undefined for kinds the views do not cover. */
  const node = (id: string): View | undefined => {
    const record = state.byNodeId(id);
    const view = record && (byKind[record.kind] as ((r: AnyRecord) => View) | undefined);
    return view?.(record!);
  };

  return { account, repository, issue, comment, project, field, item, node };
}

function notFoundNumber(type: string, number: number): never {
  throw new GraphqlFailure('NOT_FOUND', `Could not resolve to an ${type} with the number of ${number}.`);
}
