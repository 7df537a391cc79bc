// The interface every REST handler implements, and the few helpers they share. A handler gets a request that
// already matched an operation and passed the description's validation, reads and changes the state, and returns
// the modelled part of GitHub's answer; the server completes it to the response schema and sends it.
import type { Caller } from '../auth.ts';
import type { RestOperation } from '../contract.ts';
import { GitHubError } from '../errors.ts';
import { paginate } from '../pagination.ts';
import type { Presenters } from '../present/index.ts';
import type { Account, RepositoryRecord } from '../state/records.ts';
import type { GitHubState } from '../state/state.ts';

export interface RestCall {
  operation: RestOperation;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  /** The URL as the client sent it (pagination links are built from it). */
  url: URL;
  /** The JSON body; `{}` when there was none. */
  body: Record<string, unknown>;
  /** The Accept header: `application/vnd.github.raw` asks some operations for raw content. */
  accept: string;
  caller: Caller;
  state: GitHubState;
  present: Presenters;
}

export interface RestAnswer {
  status: number;
  /** JSON to complete and send; or, with `contentType`, text sent as it is. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export type RestHandler = (call: RestCall) => RestAnswer;
export type RestHandlers = Record<string, RestHandler>;

export const ok = (body: unknown): RestAnswer => ({ status: 200, body });
export const created = (body: unknown): RestAnswer => ({ status: 201, body });
export const noContent = (): RestAnswer => ({ status: 204 });

/** The body, typed as the operation's schema describes it: validation ran before any handler does. */
export function input<T>(call: RestCall): T {
  return call.body as T;
}

export function intParam(call: RestCall, name: string): number {
  return Number(call.params[name]);
}

/** The repository in the path, as the caller may see it. */
export function repoOf(call: RestCall): RepositoryRecord {
  const viewer = call.caller.kind === 'token' ? call.caller.token : undefined;
  return call.state.repository(call.params.owner!, call.params.repo!, viewer);
}

/** The account a write acts as. The server refuses anonymous writes before handlers run. */
export function actor(call: RestCall): Account {
  if (call.caller.kind === 'token') return call.caller.token.actor;
  if (call.caller.kind === 'app') return call.state.app.bot;
  throw new GitHubError(401, 'Requires authentication');
}

/** One page of `items`, presented, with GitHub's `Link` header. */
export function list<T>(call: RestCall, items: T[], present: (item: T) => unknown): RestAnswer {
  const page = paginate(call.operation, call.url, items);
  return {
    status: 200,
    body: page.items.map(present),
    ...(page.link ? { headers: { link: page.link } } : {}),
  };
}

/** One page of `items` inside GitHub's `{ total_count, <key>: [...] }` wrapper. */
export function wrappedList<T>(
  call: RestCall,
  key: string,
  items: T[],
  present: (item: T) => unknown,
): RestAnswer {
  const page = paginate(call.operation, call.url, items);
  return {
    status: 200,
    body: { total_count: items.length, [key]: page.items.map(present) },
    ...(page.link ? { headers: { link: page.link } } : {}),
  };
}
