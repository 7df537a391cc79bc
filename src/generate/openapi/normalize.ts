// A dereferenced Swagger 2.0 or OpenAPI 3.x document as an ApiDescription: the differences between the versions end
// here (body and form parameters, produces and consumes, servers and basePath), and so do the optional fields.
import { joinPaths, serversPath } from './base-path.ts';
import { HTTP_METHODS } from './description.ts';
import type {
  ApiDescription,
  ApiLink,
  ApiOperation,
  ApiParameter,
  HttpMethod,
  JsonSchema,
} from './description.ts';
import { isObject, schemaConverter, swaggerParameterSchema } from './json-schema.ts';
import type { Dialect } from './json-schema.ts';
import { operationIdClaimer, synthesizeOperationId } from './operation-id.ts';
import type { PathSegment } from './source-text.ts';
import { chooseContentType, requestBodyOf, responsesOf } from './content.ts';
import type { Position } from '../../cases/index.ts';

type Obj = Record<string, unknown>;

export interface NormalizeInput {
  document: Obj;
  dialect: Dialect;
  source: string;
  positionOf(path: readonly PathSegment[]): Position;
}

export function normalizeDescription({
  document,
  dialect,
  source,
  positionOf,
}: NormalizeInput): ApiDescription {
  const convert = schemaConverter(dialect);
  const info = isObject(document.info) ? document.info : {};
  const paths = isObject(document.paths) ? document.paths : {};
  const found: { template: string; method: HttpMethod; item: Obj; operation: Obj }[] = [];
  for (const [template, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method.toLowerCase()];
      if (isObject(operation)) found.push({ template, method, item, operation });
    }
  }
  // Declared ids first, so a made-up id never takes a name the description gives to another operation.
  const claim = operationIdClaimer(
    new Set(found.map(({ operation }) => operation.operationId).filter(isDeclaredId)),
  );
  const operations: ApiOperation[] = found.map(({ template, method, item, operation }) => {
    const declared = isDeclaredId(operation.operationId) ? operation.operationId : undefined;
    const basePath =
      dialect === 'swagger2'
        ? String(document.basePath ?? '')
        : serversPath(operation.servers ?? item.servers ?? document.servers);
    const { parameters, bodyParameters } = parametersOf(item, operation, dialect, convert);
    const requestBody = requestBodyOf({ document, operation, bodyParameters, dialect, convert });
    return {
      method,
      path: joinPaths(basePath, template),
      template,
      operationId: declared ?? claim(synthesizeOperationId(method, template)),
      operationIdDeclared: declared !== undefined,
      ...(isString(operation.summary) && { summary: operation.summary }),
      tags: Array.isArray(operation.tags) ? operation.tags.filter(isString) : [],
      parameters,
      ...(requestBody && { requestBody }),
      responses: responsesOf({ document, operation, dialect, convert }),
      links: [],
      secured: isSecured(operation.security ?? document.security),
      at: positionOf(['paths', template, method.toLowerCase()]),
    };
  });
  const byPlace = new Map<string, ApiOperation>();
  for (const op of operations)
    if (!byPlace.has(placeKey(op.template, op.method))) byPlace.set(placeKey(op.template, op.method), op);
  found.forEach(({ operation }, i) => {
    operations[i]!.links = linksOf(operation, byPlace);
  });
  const tags = Array.isArray(document.tags) ? document.tags : [];
  return {
    source,
    specVersion: String(document.swagger ?? document.openapi),
    title: String(info.title ?? source),
    version: String(info.version ?? ''),
    tags: tags.flatMap((tag, i) =>
      isObject(tag) && isString(tag.name)
        ? [
            {
              name: tag.name,
              ...(isString(tag.description) && { description: tag.description }),
              at: positionOf(['tags', i]),
            },
          ]
        : [],
    ),
    operations,
  };
}

/**
 * The path item's parameters with the operation's replacing those of the same name and place. Swagger 2.0's body
 * and form parameters are returned apart: they are the request body.
 */
function parametersOf(
  item: Obj,
  operation: Obj,
  dialect: Dialect,
  convert: (schema: unknown) => JsonSchema,
): { parameters: ApiParameter[]; bodyParameters: Obj[] } {
  const byKey = new Map<string, Obj>();
  for (const list of [item.parameters, operation.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const p of list) if (isObject(p) && isString(p.name)) byKey.set(`${String(p.in)} ${p.name}`, p);
  }
  const parameters: ApiParameter[] = [];
  const bodyParameters: Obj[] = [];
  for (const p of byKey.values()) {
    if (p.in === 'body' || p.in === 'formData') {
      bodyParameters.push(p);
      continue;
    }
    if (p.in !== 'path' && p.in !== 'query' && p.in !== 'header' && p.in !== 'cookie') continue;
    const schema = convert(dialect === 'swagger2' ? swaggerParameterSchema(p) : parameterSchema(p));
    const example = parameterExample(p) ?? schema.example;
    parameters.push({
      name: p.name as string,
      in: p.in,
      required: p.in === 'path' || p.required === true,
      schema,
      ...(example !== undefined && { example }),
      ...(isString(p.description) && p.description.trim() !== '' && { description: p.description }),
    });
  }
  return { parameters, bodyParameters };
}

function parameterSchema(p: Obj): unknown {
  if (isObject(p.schema)) return p.schema;
  // A parameter may give its schema by media type instead.
  if (isObject(p.content)) {
    const type = chooseContentType(Object.keys(p.content));
    const media = type === undefined ? undefined : p.content[type];
    if (isObject(media) && isObject(media.schema)) return media.schema;
  }
  return {};
}

function parameterExample(p: Obj): unknown {
  if (p.example !== undefined) return p.example;
  if (p['x-example'] !== undefined) return p['x-example'];
  if (isObject(p.examples)) {
    const first = Object.values(p.examples)[0];
    if (isObject(first) && first.value !== undefined) return first.value;
  }
  return undefined;
}

/** An empty requirement (`{}`) makes credentials optional, so it is as public as no requirement at all. */
function isSecured(security: unknown): boolean {
  return (
    Array.isArray(security) &&
    security.length > 0 &&
    security.every((requirement) => isObject(requirement) && Object.keys(requirement).length > 0)
  );
}

function linksOf(operation: Obj, byPlace: ReadonlyMap<string, ApiOperation>): ApiLink[] {
  const responses = isObject(operation.responses) ? operation.responses : {};
  const links: ApiLink[] = [];
  for (const [status, response] of Object.entries(responses)) {
    if (!isObject(response) || !isObject(response.links)) continue;
    for (const [name, link] of Object.entries(response.links)) {
      if (!isObject(link)) continue;
      const operationId = isString(link.operationId)
        ? link.operationId
        : isString(link.operationRef)
          ? operationByRef(link.operationRef, byPlace)
          : undefined;
      const parameters = isObject(link.parameters)
        ? Object.fromEntries(
            Object.entries(link.parameters)
              .filter((entry): entry is [string, string] => isString(entry[1]))
              // A parameter may be qualified by where it goes ("path.petId").
              .map(([parameter, expression]) => [
                parameter.replace(/^(path|query|header|cookie)\./, ''),
                expression,
              ]),
          )
        : {};
      links.push({ status, name, ...(operationId && { operationId }), parameters });
    }
  }
  return links;
}

/** "#/paths/~1pets~1{petId}/get" names the operation by its place in this document. */
function operationByRef(ref: string, byPlace: ReadonlyMap<string, ApiOperation>): string | undefined {
  const [, pointer = ''] = ref.split('#');
  const [first, template, method] = pointer
    .split('/')
    .slice(1)
    .map((s) => decodePointerToken(s).replaceAll('~1', '/').replaceAll('~0', '~'));
  if (first !== 'paths' || !template || !method) return undefined;
  return byPlace.get(placeKey(template, method.toUpperCase()))?.operationId;
}

/** A token as written where it is not valid percent-encoding ("%zz"): such a ref then names nothing. */
function decodePointerToken(token: string): string {
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}

/** An operation's place in the document: its path and method (a path may hold any text, so it goes last). */
function placeKey(template: string, method: string): string {
  return `${method} ${template}`;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** An operationId a step can name: an empty or blank one is as good as none, and one is made up instead. */
function isDeclaredId(value: unknown): value is string {
  return isString(value) && value.trim() !== '';
}
