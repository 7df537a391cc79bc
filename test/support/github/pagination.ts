// GitHub's pagination: a page of the list and a `Link` header to the others. Most list operations take `page` and
// `per_page`; the Projects v2 ones take `before`/`after` cursors instead. Which style applies is read from the
// operation's parameters in the description, so Octokit's `paginate` walks these lists as it walks GitHub's.
import type { RestOperation } from './contract.ts';

export interface Page<T> {
  items: T[];
  /** The `Link` header, when there is more than one page. */
  link?: string;
}

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

export function paginate<T>(operation: RestOperation, url: URL, items: T[]): Page<T> {
  const names = new Set((operation.definition.parameters ?? []).map((p) => ('name' in p ? p.name : '')));
  const perPage = Math.min(
    Math.max(Number(url.searchParams.get('per_page') ?? DEFAULT_PER_PAGE), 1),
    MAX_PER_PAGE,
  );
  if (names.has('after')) return byCursor(url, items, perPage);
  if (names.has('page')) return byPage(url, items, perPage);
  return { items };
}

function byPage<T>(url: URL, items: T[], perPage: number): Page<T> {
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const page = Math.max(1, Math.floor(Number(url.searchParams.get('page') ?? 1)));
  const links: [string, number][] = [];
  if (page < last) links.push(['next', page + 1], ['last', last]);
  if (page > 1) links.push(['first', 1], ['prev', Math.min(page - 1, last)]);
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    ...linkHeader(
      links.map(([rel, n]) => [rel, withParams(url, { page: String(n), per_page: String(perPage) })]),
    ),
  };
}

/** Cursors are opaque to clients; here they encode the offset of the first item after them. */
function byCursor<T>(url: URL, items: T[], perPage: number): Page<T> {
  const after = url.searchParams.get('after');
  const before = url.searchParams.get('before');
  let start = after ? decodeCursor(after) : 0;
  if (before && !after) start = Math.max(0, decodeCursor(before) - perPage);
  const end = Math.min(items.length, start + perPage);
  const links: [string, string][] = [];
  const cursorUrl = (name: 'after' | 'before', offset: number): string =>
    withParams(url, { [name]: encodeCursor(offset), per_page: String(perPage) }, ['after', 'before']);
  if (end < items.length) links.push(['next', cursorUrl('after', end)]);
  if (start > 0) links.push(['prev', cursorUrl('before', start)]);
  return { items: items.slice(start, end), ...linkHeader(links) };
}

function linkHeader(links: [string, string][]): { link?: string } {
  return links.length > 0 ? { link: links.map(([rel, href]) => `<${href}>; rel="${rel}"`).join(', ') } : {};
}

function withParams(url: URL, params: Record<string, string>, drop: string[] = []): string {
  const next = new URL(url);
  for (const name of drop) next.searchParams.delete(name);
  for (const [name, value] of Object.entries(params)) next.searchParams.set(name, value);
  return next.toString();
}

const encodeCursor = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const offset = Number(
    Buffer.from(cursor, 'base64url')
      .toString()
      .replace(/^offset:/, ''),
  );
  return Number.isInteger(offset) && offset >= 0 ? offset : 0;
}
