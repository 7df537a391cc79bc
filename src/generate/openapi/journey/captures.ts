// What a create step captures for later steps: the new resource's key, named after the path parameter it will fill
// (POST /pets captures `petId: body.id` where /pets/{petId} exists). An OpenAPI link says it outright; otherwise
// the name comes from the paths and the field from the response schema.
import type { ApiOperation, JsonSchema } from '../description.ts';
import { isObject } from '../json-schema.ts';
import { isCreateCandidate } from './operation-index.ts';
import type { OperationIndex } from './operation-index.ts';
import { parameterNames, resourceName, stepPathOf } from './step-path.ts';

export type Captures = Record<string, string>;

/** Captures of a create (a POST to a path ending in a plain segment); none for any other operation. */
export function capturesOf(create: ApiOperation, index: OperationIndex): Captures {
  if (!isCreateCandidate(create)) return {};
  const createPath = stepPathOf(create);
  const captures: Captures = { ...fromLinks(create, index) };
  const fields = responseFields(create);
  const resource = resourceName(createPath.split('/').at(-1)!);
  for (const name of keyParameters(createPath, resource, index)) {
    if (captures[name] !== undefined) continue;
    const field = keyField(name, resource, fields);
    if (field) captures[name] = `body.${field}`;
  }
  return captures;
}

/** Links from this operation: "$response.body#/id" is "body.id", "$response.header.X-Id" is "headers.x-id". */
function fromLinks(create: ApiOperation, index: OperationIndex): Captures {
  const captures: Captures = {};
  for (const link of create.links) {
    if (!/^2/.test(link.status)) continue;
    const target = link.operationId === undefined ? undefined : index.byId.get(link.operationId);
    const names = target ? parameterNames(target) : new Map<string, string>();
    for (const [parameter, expression] of Object.entries(link.parameters)) {
      const source = captureSource(expression);
      if (source) captures[names.get(parameter) ?? parameter] = source;
    }
  }
  return captures;
}

function captureSource(expression: string): string | undefined {
  const body = /^\$response\.body#\/(.+)$/.exec(expression);
  if (body) return `body.${body[1]!.split('/').map(unescapePointer).join('.')}`;
  const header = /^\$response\.header\.(.+)$/.exec(expression);
  // A Location header is a URL, not the key a path parameter takes.
  if (header && header[1]!.toLowerCase() !== 'location') return `headers.${header[1]!.toLowerCase()}`;
  return undefined;
}

const unescapePointer = (s: string) => s.replaceAll('~1', '/').replaceAll('~0', '~');

/**
 * The parameters that name one of the created resources: those right below the create's path (/pets/{petId}), and
 * those named after the resource anywhere (clipId, where clips are created under a track but read under a project).
 */
function keyParameters(createPath: string, resource: string, index: OperationIndex): string[] {
  return [
    ...new Set([...(index.paramsBelow.get(createPath) ?? []), ...(index.keysByResource.get(resource) ?? [])]),
  ];
}

/** The response field that holds the key `name`: itself, "id", "uuid", or the rest of it ("petName" gives "name"). */
function keyField(name: string, resource: string, fields: Set<string>): string | undefined {
  const rest = name.startsWith(resource) ? name.slice(resource.length).replace(/^_/, '') : '';
  const restField = rest && rest.charAt(0).toLowerCase() + rest.slice(1);
  return [name, 'id', 'uuid', restField].find((field) => field && fields.has(field));
}

/** The top-level fields of the create's success response (201 first; `default` where no 2xx is declared). */
function responseFields(create: ApiOperation): Set<string> {
  const statuses = Object.keys(create.responses);
  const success = ['201', '200', ...statuses.filter((s) => /^2/.test(s)), 'default'].find(
    (s) =>
      create.responses[s]?.schema !== undefined && (s !== 'default' || !statuses.some((x) => /^2/.test(x))),
  );
  const schema: JsonSchema | undefined = success ? create.responses[success]!.schema : undefined;
  return new Set(propertyNames(schema));
}

function propertyNames(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  const own = isObject(schema.properties) ? Object.keys(schema.properties) : [];
  const parts = ['allOf', 'oneOf', 'anyOf'].flatMap((k) =>
    Array.isArray(schema[k]) ? (schema[k] as unknown[]) : [],
  );
  return [...own, ...parts.flatMap(propertyNames)];
}
