// GraphQL connections as GitHub pages them: `first`/`last` with `after`/`before` cursors, at most 100 a page,
// and a refusal when neither `first` nor `last` is given.
import { GraphqlFailure } from './failure.ts';

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const encode = (index: number): string => Buffer.from(`cursor:${index}`).toString('base64');
const decode = (cursor: string): number =>
  Number(
    Buffer.from(cursor, 'base64')
      .toString()
      .replace(/^cursor:/, ''),
  );

export function connection<T>(all: T[], args: PageArgs, name: string) {
  const { first, last } = args;
  if (first == null && last == null) {
    throw new GraphqlFailure(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
    );
  }
  for (const [arg, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value != null && (value < 0 || value > 100)) {
      throw new GraphqlFailure(
        'EXCESSIVE_PAGINATION',
        `Requesting ${value} records on the \`${name}\` connection exceeds the \`${arg}\` limit of 100 records.`,
      );
    }
  }
  let start = args.after ? decode(args.after) + 1 : 0;
  let end = args.before ? decode(args.before) : all.length;
  if (first != null) end = Math.min(end, start + first);
  if (last != null) start = Math.max(start, end - last);
  const nodes = all.slice(start, end);
  return {
    totalCount: all.length,
    nodes,
    edges: nodes.map((node, i) => ({ node, cursor: encode(start + i) })),
    pageInfo: {
      hasNextPage: end < all.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? encode(start) : null,
      endCursor: nodes.length > 0 ? encode(end - 1) : null,
    },
  };
}
