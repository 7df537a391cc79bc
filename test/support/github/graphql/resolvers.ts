// The root of GitHub's GraphQL API as far as Gauntlet uses it: node lookups, owners and repositories, minimizing
// comments (how an outdated report is hidden), and the Projects v2 mutations for items and field values. REST and
// GraphQL share the records, so an item added here is listed by REST and the other way round.
import { GraphqlFailure } from './failure.ts';
import { graphqlViews } from './views.ts';
import type { View } from './views.ts';
import { addProjectItem, setFieldValue } from '../rest/projects.ts';
import type {
  Account,
  AnyRecord,
  CommentRecord,
  ProjectItemRecord,
  ProjectRecord,
} from '../state/records.ts';
import type { GitHubState } from '../state/state.ts';

interface FieldValueInput {
  text?: string;
  number?: number;
  date?: string;
  singleSelectOptionId?: string;
  iterationId?: string;
}

type Input<T> = { input: T & { clientMutationId?: string | null } };

export function rootValue(state: GitHubState, actor: Account): View {
  const views = graphqlViews(state);

  const record = <K extends AnyRecord['kind']>(id: string, kind: K): Extract<AnyRecord, { kind: K }> => {
    const found = state.byNodeId(id);
    if (found?.kind !== kind) {
      throw new GraphqlFailure('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
    }
    return found as Extract<AnyRecord, { kind: K }>;
  };
  const itemOf = (projectId: string, itemId: string): ProjectItemRecord => {
    const project: ProjectRecord = record(projectId, 'project');
    const item = record(itemId, 'project_item');
    if (item.project !== project)
      throw new GraphqlFailure('NOT_FOUND', `Item ${itemId} is not in project ${projectId}`);
    return item;
  };
  const minimized = (comment: CommentRecord, reason: string | null): CommentRecord => {
    comment.minimizedReason = reason;
    return comment;
  };

  return {
    node: ({ id }: { id: string }) => views.node(id) ?? null,
    nodes: ({ ids }: { ids: string[] }) => ids.map((id) => views.node(id) ?? null),
    viewer: () => views.account(actor),
    organization: ({ login }: { login: string }) => owner(state, views, login, 'organization'),
    user: ({ login }: { login: string }) => owner(state, views, login, 'user'),
    repository: ({ owner: login, name }: { owner: string; name: string }) => {
      const repo = state.repositories.find(
        (r) =>
          r.owner.login.toLowerCase() === login.toLowerCase() && r.name.toLowerCase() === name.toLowerCase(),
      );
      if (!repo)
        throw new GraphqlFailure(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${login}/${name}'.`,
        );
      return views.repository(repo);
    },

    minimizeComment: ({ input }: Input<{ subjectId: string; classifier: string }>) => ({
      clientMutationId: input.clientMutationId ?? null,
      minimizedComment: views.comment(minimized(record(input.subjectId, 'comment'), input.classifier)),
    }),
    unminimizeComment: ({ input }: Input<{ subjectId: string }>) => ({
      clientMutationId: input.clientMutationId ?? null,
      unminimizedComment: views.comment(minimized(record(input.subjectId, 'comment'), null)),
    }),

    addProjectV2ItemById: ({ input }: Input<{ projectId: string; contentId: string }>) => {
      const project = record(input.projectId, 'project');
      const item = addProjectItem(state, project, record(input.contentId, 'issue'), actor.login);
      return { clientMutationId: input.clientMutationId ?? null, item: views.item(item) };
    },
    updateProjectV2ItemFieldValue: ({
      input,
    }: Input<{ projectId: string; itemId: string; fieldId: string; value: FieldValueInput }>) => {
      const item = itemOf(input.projectId, input.itemId);
      const { text, number, date, singleSelectOptionId, iterationId } = input.value;
      const value = text ?? number ?? date?.slice(0, 10) ?? singleSelectOptionId ?? iterationId;
      if (value === undefined)
        throw new GraphqlFailure('UNPROCESSABLE', 'The value must set one of its fields.');
      setFieldValue(item, record(input.fieldId, 'project_field'), value);
      item.updatedAt = state.now();
      return { clientMutationId: input.clientMutationId ?? null, projectV2Item: views.item(item) };
    },
    clearProjectV2ItemFieldValue: ({
      input,
    }: Input<{ projectId: string; itemId: string; fieldId: string }>) => {
      const item = itemOf(input.projectId, input.itemId);
      setFieldValue(item, record(input.fieldId, 'project_field'), null);
      item.updatedAt = state.now();
      return { clientMutationId: input.clientMutationId ?? null, projectV2Item: views.item(item) };
    },
    deleteProjectV2Item: ({ input }: Input<{ projectId: string; itemId: string }>) => {
      const item = itemOf(input.projectId, input.itemId);
      item.project.items.splice(item.project.items.indexOf(item), 1);
      state.forget(item);
      return { clientMutationId: input.clientMutationId ?? null, deletedItemId: item.node_id };
    },
  };
}

function owner(
  state: GitHubState,
  views: ReturnType<typeof graphqlViews>,
  login: string,
  kind: 'organization' | 'user',
): View {
  const account = state.findAccount(login);
  if (!account || (account.type === 'Organization') !== (kind === 'organization')) {
    const type = kind === 'organization' ? 'Organization' : 'User';
    throw new GraphqlFailure('NOT_FOUND', `Could not resolve to an ${type} with the login of '${login}'.`);
  }
  return views.account(account);
}
