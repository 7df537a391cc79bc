// The path a step writes for an operation. A parameter the description calls just `{id}` gets the name of its
// resource (`/projects/{id}/tracks` is `/projects/{projectId}/tracks`), because journeys pass values between steps by
// name: two resources both calling their key `id` would otherwise feed each other's requests.
import type { ApiOperation } from '../description.ts';

const PARAM = /\{([^}]+)\}/g;

const stepPaths = new WeakMap<ApiOperation, string>();

/** The operation's full path with `{id}` parameters named after their resource, and no spaces. */
export function stepPathOf(operation: ApiOperation): string {
  let path = stepPaths.get(operation);
  if (path === undefined) stepPaths.set(operation, (path = renamedPath(operation)));
  return path;
}

function renamedPath(operation: ApiOperation): string {
  const renames = parameterNames(operation);
  return operation.path
    .replace(PARAM, (_, name: string) => `{${renames.get(name) ?? name}}`)
    .replace(/\s/g, '%20');
}

/** The step's name for each path parameter of the operation (most keep their own). */
export function parameterNames(operation: ApiOperation): Map<string, string> {
  const names = new Map<string, string>();
  const segments = operation.path.split('/');
  segments.forEach((segment, i) => {
    const match = /^\{([^}]+)\}$/.exec(segment);
    if (!match) return;
    const name = match[1]!;
    const before = segments[i - 1];
    const qualified =
      /^id$/i.test(name) && before && !before.includes('{') ? `${resourceName(before)}Id` : name;
    names.set(name, qualified);
  });
  return names;
}

/** "vocal-sessions" gives "vocalSession", "categories" "category", "addresses" "address". */
export function resourceName(segment: string): string {
  const words = segment.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words
    .map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() : w.charAt(0).toUpperCase()) + w.slice(1))
    .join('');
  return singular(camel || 'item');
}

function singular(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(sses|xes|ches|shes|zzes|uses)$/.test(word)) return word.slice(0, -2);
  if (/[^su]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** The path parameters a step path needs, in order. */
export function pathParameters(stepPath: string): string[] {
  return [...stepPath.matchAll(PARAM)].map((m) => m[1]!);
}
