// Accounts, repositories and the app, as GitHub's JSON has them, and the links every other presenter builds on.
// API links point at the emulator, so a client that follows `url` stays on it; page links point at github.com.
import type { Account, AppRecord, InstallationRecord, RepositoryRecord } from '../state/records.ts';

export const HTML = 'https://github.com';
export type Json = Record<string, unknown>;

export function accountPresenters(api: string) {
  const repoUrl = (r: RepositoryRecord): string => `${api}/repos/${r.owner.login}/${r.name}`;

  const repoHtml = (r: RepositoryRecord): string => `${HTML}/${r.owner.login}/${r.name}`;

  const user = (a: Account): Json => ({
    login: a.login,
    id: a.id,
    node_id: a.node_id,
    type: a.type,
    site_admin: false,
    avatar_url: `https://avatars.githubusercontent.com/u/${a.id}?v=4`,
    url: `${api}/users/${encodeURIComponent(a.login)}`,
    html_url: `${HTML}/${encodeURIComponent(a.login)}`,
  });

  const repository = (r: RepositoryRecord): Json => ({
    id: r.id,
    node_id: r.node_id,
    name: r.name,
    full_name: `${r.owner.login}/${r.name}`,
    owner: user(r.owner),
    private: r.private,
    visibility: r.private ? 'private' : 'public',
    default_branch: r.defaultBranch,
    fork: false,
    archived: false,
    disabled: false,
    url: repoUrl(r),
    html_url: repoHtml(r),
  });

  const app = (a: AppRecord): Json => ({
    id: a.id,
    node_id: a.node_id,
    slug: a.slug,
    client_id: a.clientId,
    name: a.name,
    owner: user(a.owner),
    description: null,
    external_url: `${HTML}/apps/${a.slug}`,
    html_url: `${HTML}/apps/${a.slug}`,
    permissions: a.permissions,
    events: a.events,
  });

  const installation = (i: InstallationRecord, a: AppRecord): Json => ({
    id: i.id,
    account: user(i.account),
    app_id: a.id,
    app_slug: a.slug,
    client_id: a.clientId,
    target_id: i.account.id,
    target_type: i.account.type,
    permissions: i.permissions,
    events: i.events,
    repository_selection: 'all',
    single_file_name: null,
    access_tokens_url: `${api}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${api}/installation/repositories`,
    html_url: `${HTML}/organizations/${i.account.login}/settings/installations/${i.id}`,
    suspended_by: null,
    suspended_at: null,
  });

  return { repoUrl, repoHtml, user, repository, app, installation };
}

export type AccountPresenters = ReturnType<typeof accountPresenters>;
