// Projects v2 over REST (the `projectsV2` endpoints): the board, its fields, and its items with their field
// values. The same board answers GraphQL (graphql/resolvers.ts); both read and write the same records.
import { actor, created, input, intParam, list, noContent, ok } from './call.ts';
import type { RestCall, RestHandler, RestHandlers } from './call.ts';
import { GitHubError, orNotFound, validationFailed } from '../errors.ts';
import type { IssueRecord, ProjectFieldRecord, ProjectItemRecord, ProjectRecord } from '../state/records.ts';
import type { GitHubState } from '../state/state.ts';

const listProjects: RestHandler = (call) => {
  const owner = ownerOf(call);
  const projects = call.state.projects.filter((p) => p.owner.login.toLowerCase() === owner.toLowerCase());
  return list(call, projects, call.present.project);
};

const getProject: RestHandler = (call) => ok(call.present.project(projectOf(call)));

const listFields: RestHandler = (call) => {
  const project = projectOf(call);
  return list(call, project.fields, (f) => call.present.projectField(project, f));
};

const getField: RestHandler = (call) => {
  const project = projectOf(call);
  const field = orNotFound(project.fields.find((f) => f.id === intParam(call, 'field_id')));
  return ok(call.present.projectField(project, field));
};

const listItems: RestHandler = (call) => {
  const project = projectOf(call);
  const fields = selectedFields(call, project);
  return list(call, project.items, (item) => call.present.projectItem(item, fields));
};

const getItem: RestHandler = (call) =>
  ok(call.present.projectItem(itemOf(call), selectedFields(call, projectOf(call))));

const addItem: RestHandler = (call) => {
  const project = projectOf(call);
  const body = input<{
    type: 'Issue' | 'PullRequest';
    id?: number;
    owner?: string;
    repo?: string;
    number?: number;
  }>(call);
  const content =
    body.id !== undefined
      ? call.state.issueOfOwner(project.owner, body.id)
      : call.state.issue(call.state.repository(body.owner!, body.repo!), body.number!);
  if ((body.type === 'PullRequest') !== Boolean(content.pull)) {
    throw validationFailed({ resource: 'ProjectV2Item', code: 'invalid', field: 'type' });
  }
  return created(call.present.projectItem(addProjectItem(call.state, project, content, actor(call).login)));
};

const updateItem: RestHandler = (call) => {
  const item = itemOf(call);
  for (const { id, value } of input<{ fields: { id: number; value: string | number | null }[] }>(call)
    .fields) {
    setFieldValue(item, orNotFound(item.project.fields.find((f) => f.id === id)), value);
  }
  item.updatedAt = call.state.now();
  return ok(call.present.projectItem(item, item.project.fields));
};

const deleteItem: RestHandler = (call) => {
  const item = itemOf(call);
  item.project.items.splice(item.project.items.indexOf(item), 1);
  call.state.forget(item);
  return noContent();
};

/** The same handlers serve boards owned by organizations and by users. */
export const projectHandlers: RestHandlers = {
  'projects/list-for-org': listProjects,
  'projects/list-for-user': listProjects,
  'projects/get-for-org': getProject,
  'projects/get-for-user': getProject,
  'projects/list-fields-for-org': listFields,
  'projects/list-fields-for-user': listFields,
  'projects/get-field-for-org': getField,
  'projects/get-field-for-user': getField,
  'projects/list-items-for-org': listItems,
  'projects/list-items-for-user': listItems,
  'projects/get-org-item': getItem,
  'projects/get-user-item': getItem,
  'projects/add-item-for-org': addItem,
  'projects/add-item-for-user': addItem,
  'projects/update-item-for-org': updateItem,
  'projects/update-item-for-user': updateItem,
  'projects/delete-item-for-org': deleteItem,
  'projects/delete-item-for-user': deleteItem,
};

/** Adding what is already on the board returns the existing item, as GitHub does. */
export function addProjectItem(
  state: GitHubState,
  project: ProjectRecord,
  content: IssueRecord,
  creator: string,
): ProjectItemRecord {
  const existing = project.items.find((i) => i.content === content);
  if (existing) return existing;
  const id = state.nextId();
  const at = state.now();
  const item = state.remember<ProjectItemRecord>({
    kind: 'project_item',
    id,
    node_id: state.nodeId('project_item', id),
    project,
    content,
    creator: state.account(creator),
    values: new Map(),
    createdAt: at,
    updatedAt: at,
  });
  project.items.push(item);
  return item;
}

/** Sets (or, with null, clears) a field value, refusing what GitHub refuses: wrong types and unknown options. */
export function setFieldValue(
  item: ProjectItemRecord,
  field: ProjectFieldRecord,
  value: string | number | null,
): void {
  const refuse = (why: string): never => {
    throw validationFailed({
      resource: 'ProjectV2ItemFieldValue',
      code: 'invalid',
      field: field.name,
      message: why,
    });
  };
  if (field.dataType === 'title') refuse('the title comes from the issue and cannot be set on the board');
  if (value === null) {
    item.values.delete(field.id);
    return;
  }
  if (field.dataType === 'number' && typeof value !== 'number') refuse('a number field takes a number');
  if (field.dataType === 'date' && !(typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value))) {
    refuse('a date field takes a date as YYYY-MM-DD');
  }
  if (
    (field.dataType === 'single_select' || field.dataType === 'iteration') &&
    !field.options.some((o) => o.id === value)
  ) {
    refuse(`no option or iteration with id ${String(value)} in ${field.name}`);
  }
  item.values.set(field.id, value);
}

function ownerOf(call: RestCall): string {
  return call.params.org ?? call.params.username ?? call.params.user_id!;
}

function projectOf(call: RestCall): ProjectRecord {
  return call.state.project(ownerOf(call), intParam(call, 'project_number'));
}

function itemOf(call: RestCall): ProjectItemRecord {
  return orNotFound(projectOf(call).items.find((i) => i.id === intParam(call, 'item_id')));
}

/** `fields=1,2` (or repeated) picks field values to include; GitHub sends only the title without it. */
function selectedFields(call: RestCall, project: ProjectRecord): ProjectFieldRecord[] {
  const ids = call.url.searchParams
    .getAll('fields')
    .flatMap((v) => v.split(','))
    .filter(Boolean)
    .map(Number);
  if (ids.length === 0) return project.fields.filter((f) => f.dataType === 'title');
  return ids.map((id) => {
    const field = project.fields.find((f) => f.id === id);
    if (!field) throw new GitHubError(404, `Field ${id} not found`);
    return field;
  });
}
