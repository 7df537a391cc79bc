// The parameters an operation of the API description declares (path, query, header, cookie) and its form fields,
// as places a rule can put one text value: each with its schema, and how a value goes into the step's request.
// Parameters are text on the wire, so a value is judged as a service that reads its description would read it:
// "5" is a fine integer in a query, "abc" is not.
import type { RequestHint } from '../../cases/index.ts';
import type { ApiOperation, JsonSchema } from '../openapi/index.ts';
import { isObject } from '../openapi/json-schema.ts';
import { schemaAccepts } from '../openapi/values/schema-check.ts';
import { viewOf, type ValueType } from '../openapi/values/schema-view.ts';
import { mergeHint, type StepContext } from '../draft.ts';

export type ParameterPlace = 'path' | 'query' | 'header' | 'cookie' | 'form';

export interface DeclaredParameter {
  place: ParameterPlace;
  /** The name as the request carries it (a path parameter: the step's own name for it). */
  name: string;
  /** The schema of one value: a list's item schema where the parameter is a list. */
  schema: JsonSchema;
  type: ValueType;
  required: boolean;
  /** The description declares a list; one item is sent. */
  list: boolean;
  /** What the description says of it: its words choose values with meaning. */
  description?: string;
}

const PATH_PARAM = /\{([^}]+)\}/g;
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);
/** OpenAPI ignores header parameters of these names: the request's content and credentials set them. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
/** A cookie name is an HTTP token (RFC 6265). */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What Node (and HTTP) lets a header value hold. */
const HEADER_TEXT = /^[\t\x20-\x7e\x80-\xff]*$/;
const NUMERIC = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** The step's operation's parameters and form fields that take one scalar value, in the description's order. */
export function declaredParameters(context: StepContext): DeclaredParameter[] {
  const { operation, step } = context;
  if (!operation || !step.api) return [];
  const out: DeclaredParameter[] = [];
  const stepNames = pathNamesOf(operation, step.api);
  for (const parameter of operation.parameters) {
    const { place, name } =
      parameter.in === 'path'
        ? { place: 'path' as const, name: stepNames.get(parameter.name) }
        : { place: parameter.in, name: parameter.name };
    if (name === undefined) continue;
    if (place === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) continue;
    if (place === 'cookie' && !COOKIE_NAME.test(name)) continue;
    const slot = scalarSlot(place, name, parameter.schema, parameter.required);
    if (slot)
      out.push(parameter.description === undefined ? slot : { ...slot, description: parameter.description });
  }
  const body = operation.requestBody;
  const hint = mergeHint(step);
  const type = body?.contentType.split(';')[0]!.trim().toLowerCase() ?? '';
  if (body?.schema && FORM_TYPES.has(type) && hint.form !== undefined && isObject(body.schema.properties)) {
    const required = new Set(Array.isArray(body.schema.required) ? body.schema.required.map(String) : []);
    for (const [name, schema] of Object.entries(body.schema.properties)) {
      if (!isObject(schema) || schema.format === 'binary') continue;
      const slot = scalarSlot('form', name, schema, required.has(name));
      if (slot) out.push(slot);
    }
  }
  return out;
}

/** A parameter that takes a scalar, or a list of scalars (one item sent); objects have no one way to be text. */
function scalarSlot(
  place: ParameterPlace,
  name: string,
  schema: JsonSchema,
  required: boolean,
): DeclaredParameter | undefined {
  // The schema as written, not its flattened view: the view keeps patterns apart, and values are judged by it all.
  const view = viewOf(schema);
  if (view.type === 'array') {
    const items = isObject(view.schema.items) ? view.schema.items : {};
    const type = viewOf(items).type;
    return isScalar(type) ? { place, name, schema: items, type, required, list: true } : undefined;
  }
  return isScalar(view.type) ? { place, name, schema, type: view.type, required, list: false } : undefined;
}

function isScalar(type: ValueType): boolean {
  return type === 'string' || type === 'integer' || type === 'number' || type === 'boolean';
}

/**
 * The step's name for each path parameter of the operation, by position: a step may call `{id}` `{projectId}`
 * (the step and the operation were matched with their parameters' names set aside).
 */
function pathNamesOf(operation: ApiOperation, api: string): Map<string, string> {
  const own = [...operation.path.matchAll(PATH_PARAM)].map((m) => m[1]!);
  const [, path = ''] = api.split(' ');
  const steps = [...path.matchAll(PATH_PARAM)].map((m) => m[1]!);
  return new Map(own.length === steps.length ? own.map((name, i) => [name, steps[i]!]) : []);
}

/** Whether `text` can be sent there at all, and still say what it says once sent. */
export function sendable(parameter: DeclaredParameter, text: string): boolean {
  switch (parameter.place) {
    // An empty segment is another path ("/items/" may well list the items); "." and ".." are resolved away.
    case 'path':
      return text !== '' && text !== '.' && text !== '..';
    // A header value cannot break a line or hold what is not Latin-1, and its surrounding spaces are trimmed.
    case 'header':
      return HEADER_TEXT.test(text) && text === text.trim();
    default:
      return true;
  }
}

/** Whether a service that holds to its description accepts `text` there, read as the parameter's type. */
export function acceptsText(parameter: DeclaredParameter, text: string): boolean {
  // An optional parameter sent empty is, to many frameworks, a parameter not sent.
  if (text === '' && !parameter.required) return true;
  const { schema, type } = parameter;
  switch (type) {
    case 'integer':
    case 'number': {
      if (!NUMERIC.test(text)) return false;
      const value = Number(text);
      return Number.isFinite(value) && (schemaAccepts(schema, value) ?? true);
    }
    case 'boolean':
      return (text === 'true' || text === 'false') && (schemaAccepts(schema, text === 'true') ?? true);
    default:
      return schemaAccepts(schema, text) ?? true;
  }
}

/**
 * The step's request with each parameter given its text (undefined: left out), the rest as the step sends it.
 * A cookie's value is percent-encoded, so that no value can end the cookie (";") or the header (a line break).
 */
export function withParameters(
  context: StepContext,
  values: readonly (readonly [DeclaredParameter, string | undefined])[],
): Partial<RequestHint> {
  const hint = mergeHint(context.step);
  let params: Scalars = { ...hint.params };
  let query: Scalars = { ...hint.query };
  let form: Scalars = { ...hint.form };
  let headers = { ...hint.headers };
  const touched = new Set<ParameterPlace>();
  for (const [parameter, text] of values) {
    touched.add(parameter.place);
    const { name } = parameter;
    if (parameter.place === 'path') params = setOrDelete(params, name, text ?? '');
    else if (parameter.place === 'query') query = setOrDelete(query, name, text);
    else if (parameter.place === 'form') form = setOrDelete(form, name, text);
    else if (parameter.place === 'header') headers = withHeader(headers, name, text);
    else headers = withCookie(headers, name, text === undefined ? undefined : encodeURIComponent(text));
  }
  return {
    ...(touched.has('path') && { params }),
    ...(touched.has('query') && { query }),
    ...(touched.has('form') && { form }),
    ...((touched.has('header') || touched.has('cookie')) && { headers }),
  };
}

type Scalars = Record<string, string | number | boolean>;

function setOrDelete(record: Scalars, name: string, text?: string): Scalars {
  const others = Object.entries(record).filter(([key]) => key !== name);
  return Object.fromEntries(text === undefined ? others : [...others, [name, text]]);
}

/** The headers with `name` set (or removed), whatever the case it was written in. */
function withHeader(headers: Record<string, string>, name: string, text?: string): Record<string, string> {
  const out = Object.fromEntries(
    Object.entries(headers).filter(([h]) => h.toLowerCase() !== name.toLowerCase()),
  );
  return text === undefined ? out : Object.fromEntries([...Object.entries(out), [name, text]]);
}

/** The Cookie header with the cookie `name` set to an already encoded value (or removed), the others kept. */
export function withCookie(
  headers: Record<string, string>,
  name: string,
  encoded?: string,
): Record<string, string> {
  const header = Object.keys(headers).find((h) => h.toLowerCase() === 'cookie');
  const others = (header === undefined ? '' : headers[header]!)
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '' && pair.split('=')[0]!.trim() !== name);
  const cookies = encoded === undefined ? others : [...others, `${name}=${encoded}`];
  const out = withHeader(headers, 'cookie', undefined);
  if (cookies.length > 0) out.cookie = cookies.join('; ');
  return out;
}

/** How a title names where a parameter goes. */
export function placeOf(parameter: DeclaredParameter): string {
  const where = {
    path: 'in the path',
    query: 'in the query',
    header: 'as a header',
    cookie: 'as a cookie',
    form: 'in the form',
  }[parameter.place];
  return parameter.list ? `${where}, as a one-item list` : where;
}
