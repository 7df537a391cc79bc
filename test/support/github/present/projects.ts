// Projects v2 over REST: the board, its fields (with their options and iterations) and its items.
import type { AccountPresenters, Json } from './accounts.ts';
import type { IssuePresenters } from './issues.ts';
import type { ProjectFieldRecord, ProjectItemRecord, ProjectRecord } from '../state/records.ts';
import { iterationStart } from '../state/store.ts';

export function projectPresenters(api: string, accounts: AccountPresenters, issues: IssuePresenters) {
  const { user } = accounts;
  const { issue, pullRequest } = issues;

  const projectUrl = (p: ProjectRecord): string =>
    `${api}/${p.owner.type === 'Organization' ? 'orgs' : 'users'}/${p.owner.login}/projectsV2/${p.number}`;

  const project = (p: ProjectRecord): Json => ({
    id: p.id,
    node_id: p.node_id,
    number: p.number,
    title: p.title,
    owner: user(p.owner),
    creator: user(p.creator),
    public: false,
    state: 'open',
    closed_at: null,
    created_at: p.createdAt,
    updated_at: p.createdAt,
  });

  const richText = (text: string): Json => ({ raw: text, html: text });

  const projectField = (p: ProjectRecord, f: ProjectFieldRecord): Json => ({
    id: f.id,
    node_id: f.node_id,
    name: f.name,
    data_type: f.dataType,
    project_url: projectUrl(p),
    created_at: f.createdAt,
    updated_at: f.createdAt,
    ...(f.dataType === 'single_select'
      ? {
          options: f.options.map((o) => ({
            id: o.id,
            name: richText(o.name),
            description: richText(''),
            color: 'GRAY',
          })),
        }
      : {}),
    ...(f.dataType === 'iteration'
      ? {
          configuration: {
            duration: 14,
            iterations: f.options.map((o, n) => ({
              id: o.id,
              title: richText(o.name),
              start_date: iterationStart(n),
              duration: 14,
              completed: false,
            })),
          },
        }
      : {}),
  });

  /** A field value as REST lists it: the option or iteration it names, or the plain value. */
  const projectFieldValue = (item: ProjectItemRecord, f: ProjectFieldRecord): Json => {
    const raw = f.dataType === 'title' ? item.content.title : item.values.get(f.id);
    const option = f.options.find((o) => o.id === raw);
    const value = option ? { id: option.id, name: richText(option.name) } : (raw ?? null);
    return { id: f.id, name: f.name, data_type: f.dataType, value };
  };

  /** An item, with the values of `fields` when given (REST sends only the fields a client asks for). */
  const projectItem = (item: ProjectItemRecord, fields?: ProjectFieldRecord[]): Json => ({
    id: item.id,
    node_id: item.node_id,
    content_type: item.content.pull ? 'PullRequest' : 'Issue',
    content: item.content.pull ? pullRequest(item.content) : issue(item.content),
    creator: user(item.creator),
    created_at: item.createdAt,
    updated_at: item.updatedAt,
    archived_at: null,
    project_url: projectUrl(item.project),
    item_url: `${projectUrl(item.project)}/items/${item.id}`,
    ...(fields ? { fields: fields.map((f) => projectFieldValue(item, f)) } : {}),
  });

  return { project, projectField, projectItem };
}
