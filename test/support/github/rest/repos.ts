// Repositories: the repository itself, a collaborator's permission (the check behind slash commands), and file
// contents (how Probot's `context.config()` reads repository configuration).
import { createHash } from 'node:crypto';
import { ok, repoOf } from './call.ts';
import type { RestCall, RestHandlers } from './call.ts';
import { notFound } from '../errors.ts';
import type { Permission, RepositoryRecord } from '../state/records.ts';

/** The legacy `permission` field GitHub still sends beside `role_name`. */
const LEGACY_PERMISSION: Record<Permission, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
};

export const repoHandlers: RestHandlers = {
  'repos/get': (call) => ok(call.present.repository(repoOf(call))),

  'repos/get-collaborator-permission-level': (call) => {
    const repo = repoOf(call);
    const login = call.params.username!;
    // Anyone may read a public repository; a private one is closed to non-collaborators.
    const role = roleOf(repo, login) ?? (repo.private ? undefined : 'read');
    return ok({
      permission: role ? LEGACY_PERMISSION[role] : 'none',
      role_name: role ?? 'none',
      user: { ...call.present.user(call.state.account(login)), role_name: role ?? 'none' },
    });
  },

  'repos/get-content': (call) => {
    const repo = repoOf(call);
    const path = call.params.path!.replace(/^\/+|\/+$/g, '');
    const text = repo.files.get(path);
    if (text !== undefined) {
      if (/application\/vnd\.github(\.v3)?\.raw/.test(call.accept)) {
        return { status: 200, body: text, contentType: 'application/vnd.github.raw; charset=utf-8' };
      }
      return ok({
        ...contentEntry(call, repo, path, text),
        encoding: 'base64',
        content: toBase64Lines(text),
      });
    }
    const entries = [...repo.files.keys()].filter((file) => path === '' || file.startsWith(`${path}/`));
    if (entries.length === 0) throw notFound();
    const depth = path === '' ? 0 : path.split('/').length;
    const children = new Map<string, 'file' | 'dir'>();
    for (const file of entries) {
      const parts = file.split('/');
      children.set(parts.slice(0, depth + 1).join('/'), parts.length > depth + 1 ? 'dir' : 'file');
    }
    return ok(
      [...children].map(([child, type]) => ({
        ...contentEntry(call, repo, child, type === 'file' ? repo.files.get(child)! : ''),
        type,
      })),
    );
  },
};

function roleOf(repo: RepositoryRecord, login: string): Permission | undefined {
  if (repo.owner.login.toLowerCase() === login.toLowerCase()) return 'admin';
  return repo.collaborators.get(login);
}

function contentEntry(
  call: RestCall,
  repo: RepositoryRecord,
  path: string,
  text: string,
): Record<string, unknown> {
  const sha = createHash('sha1')
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest('hex');
  const url = `${call.present.repository(repo).url as string}/contents/${path}`;
  const html = `https://github.com/${repo.owner.login}/${repo.name}/blob/${repo.defaultBranch}/${path}`;
  return {
    type: 'file',
    name: path.split('/').at(-1),
    path,
    sha,
    size: Buffer.byteLength(text),
    url,
    html_url: html,
    git_url: null,
    download_url: null,
    _links: { self: url, html, git: null },
  };
}

/** GitHub wraps base64 content at 60 characters, with newlines. */
function toBase64Lines(text: string): string {
  return (
    Buffer.from(text)
      .toString('base64')
      .match(/.{1,60}/g) ?? []
  ).join('\n');
}
