// The operations of a description looked up by what journeys ask of them: by operationId, by step path, by the
// path parameters they take. Built once per description, so that making journeys stays linear in its size: a step
// asking "which operation creates a petId?" must not scan every operation again.
import type { ApiOperation } from '../description.ts';
import { pathParameters, stepPathOf } from './step-path.ts';

export interface OperationIndex {
  operations: readonly ApiOperation[];
  /** The first operation of each operationId. */
  byId: ReadonlyMap<string, ApiOperation>;
  /** The first GET of each step path. */
  readByPath: ReadonlyMap<string, ApiOperation>;
  /** A create's step path → the parameters right below it (/pets → petId where /pets/{petId} exists). */
  paramsBelow: ReadonlyMap<string, ReadonlySet<string>>;
  /** Resource name → the path parameters named after it (pet → petId, pet_id, petName…), first seen first. */
  keysByResource: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A key named after its resource: "petId" is pet's. */
const RESOURCE_KEY = /^(.+)(Id|_id|ID|Key|Name|Uuid)$/;
const PARAM_AT = /\{([^}]+)\}/y;

/** A POST to a path whose last segment is plain (/pets, not /pets/{id}): it may create what is below it. */
export function isCreateCandidate(operation: ApiOperation): boolean {
  const last = stepPathOf(operation).split('/').at(-1) ?? '';
  return operation.method === 'POST' && last !== '' && !last.includes('{');
}

interface PathNode {
  children: Map<string, PathNode>;
  create?: string;
}

export function indexOperations(operations: readonly ApiOperation[]): OperationIndex {
  const byId = new Map<string, ApiOperation>();
  const readByPath = new Map<string, ApiOperation>();
  const paramsBelow = new Map<string, Set<string>>();
  const keysByResource = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, key: string, name: string) => {
    const names = map.get(key) ?? new Set<string>();
    names.add(name);
    map.set(key, names);
  };
  // The creates' paths as a tree of segments, so that each operation's path is walked once, segment by segment,
  // rather than compared with every create's.
  const creates: PathNode = { children: new Map() };
  for (const op of operations) {
    if (!isCreateCandidate(op)) continue;
    let node = creates;
    for (const segment of stepPathOf(op).split('/')) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { children: new Map() }));
      node = child;
    }
    node.create = stepPathOf(op);
  }
  for (const op of operations) {
    if (!byId.has(op.operationId)) byId.set(op.operationId, op);
    const stepPath = stepPathOf(op);
    if (op.method === 'GET' && !readByPath.has(stepPath)) readByPath.set(stepPath, op);
    for (const name of pathParameters(stepPath)) {
      const key = RESOURCE_KEY.exec(name);
      if (key) add(keysByResource, key[1]!, name);
    }
    const segments = stepPath.split('/');
    let node: PathNode | undefined = creates;
    let offset = 0;
    for (let i = 0; node && i < segments.length - 1; i++) {
      node = node.children.get(segments[i]!);
      offset += segments[i]!.length + 1;
      if (node?.create === undefined) continue;
      // What follows "<create path>/": a parameter there names one of the created resources.
      PARAM_AT.lastIndex = offset;
      const below = PARAM_AT.exec(stepPath);
      if (below) add(paramsBelow, node.create, below[1]!);
    }
  }
  return { operations, byId, readByPath, paramsBelow, keysByResource };
}
