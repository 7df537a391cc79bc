// The order of a journey made from a description: what creates comes first, then reads, updates and deletes, the
// way a client uses a resource. Parents are created before their children and deleted after them.
import type { ApiOperation } from '../description.ts';

/** Creates, other actions, reads, updates, deletes, then the rest; within a rank, the description's order. */
export function statefulOrder(operations: readonly ApiOperation[]): ApiOperation[] {
  return operations
    .map((operation, index) => ({ operation, index, rank: rankOf(operation), depth: depthOf(operation) }))
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        // Deletes go deepest first: a project's tracks before the project.
        (a.rank === DELETE ? b.depth - a.depth : a.depth - b.depth) ||
        a.index - b.index,
    )
    .map(({ operation }) => operation);
}

const DELETE = 4;

function rankOf({ method, path }: ApiOperation): number {
  if (method === 'POST') return isCreate(path) ? 0 : 1;
  if (method === 'GET' || method === 'HEAD') return 2;
  if (method === 'PUT' || method === 'PATCH') return 3;
  if (method === 'DELETE') return DELETE;
  return 5;
}

/** A POST to a collection (a plural: /projects, /projects/{id}/tracks) creates; /save or /auth/login is an action. */
function isCreate(path: string): boolean {
  return /[^su]s$/.test(path.split('/').at(-1) ?? '');
}

function depthOf({ path }: ApiOperation): number {
  return path.split('/').filter(Boolean).length;
}
