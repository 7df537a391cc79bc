// Request and response bodies: which content type Gauntlet sends and reads, and its schema, from OpenAPI 3's
// `content` maps or Swagger 2.0's body and form parameters with `consumes` and `produces`.
import type { ApiRequestBody, ApiResponse, JsonSchema } from './description.ts';
import { isObject, swaggerParameterSchema } from './json-schema.ts';
import type { Dialect } from './json-schema.ts';

type Obj = Record<string, unknown>;

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** JSON first (application/json, then any +json), then the form types, then the first declared. */
export function chooseContentType(types: readonly string[]): string | undefined {
  const bare = (type: string) => type.split(';')[0]!.trim().toLowerCase();
  return (
    types.find((t) => bare(t) === 'application/json') ??
    types.find((t) => /^application\/([\w.-]+\+)?json$/.test(bare(t))) ??
    types.find((t) => bare(t) === FORM_TYPES[0]) ??
    types.find((t) => bare(t) === FORM_TYPES[1]) ??
    types[0]
  );
}

interface BodyInput {
  document: Obj;
  operation: Obj;
  /** Swagger 2.0's `in: body` and `in: formData` parameters. */
  bodyParameters: Obj[];
  dialect: Dialect;
  convert(schema: unknown): JsonSchema;
}

export function requestBodyOf(input: BodyInput): ApiRequestBody | undefined {
  return input.dialect === 'swagger2' ? swaggerRequestBody(input) : openApiRequestBody(input);
}

function openApiRequestBody({ operation, convert }: BodyInput): ApiRequestBody | undefined {
  const body = operation.requestBody;
  if (!isObject(body) || !isObject(body.content)) return undefined;
  const contentTypes = Object.keys(body.content);
  const contentType = chooseContentType(contentTypes);
  if (contentType === undefined) return undefined;
  const media = isObject(body.content[contentType]) ? body.content[contentType] : {};
  const examples: unknown[] = [];
  if (media.example !== undefined) examples.push(media.example);
  if (isObject(media.examples)) {
    for (const example of Object.values(media.examples)) {
      if (isObject(example) && example.value !== undefined) examples.push(example.value);
    }
  }
  const encoding = Object.entries(isObject(media.encoding) ? media.encoding : {}).flatMap(([field, how]) =>
    isObject(how) && typeof how.contentType === 'string' ? [[field, how.contentType] as const] : [],
  );
  return {
    contentType,
    contentTypes,
    ...(media.schema !== undefined && { schema: convert(media.schema) }),
    required: body.required === true,
    examples,
    ...(encoding.length > 0 && { encoding: Object.fromEntries(encoding) }),
  };
}

function swaggerRequestBody({
  document,
  operation,
  bodyParameters,
  convert,
}: BodyInput): ApiRequestBody | undefined {
  const consumes = stringList(operation.consumes ?? document.consumes);
  const body = bodyParameters.find((p) => p.in === 'body');
  if (body) {
    const contentTypes = consumes.length ? consumes : ['application/json'];
    return {
      contentType: chooseContentType(contentTypes)!,
      contentTypes,
      schema: convert(body.schema ?? {}),
      required: body.required === true,
      examples: isObject(body['x-examples']) ? Object.values(body['x-examples']) : [],
    };
  }
  const fields = bodyParameters.filter((p) => p.in === 'formData');
  if (fields.length === 0) return undefined;
  const required = fields.filter((p) => p.required === true).map((p) => p.name as string);
  const schema = convert({
    type: 'object',
    properties: Object.fromEntries(fields.map((p) => [p.name as string, swaggerParameterSchema(p)])),
    ...(required.length && { required }),
  });
  const declared = consumes.filter((t) => FORM_TYPES.includes(t.split(';')[0]!.trim()));
  const withFile = fields.some((p) => p.type === 'file');
  const contentTypes = declared.length ? declared : [withFile ? FORM_TYPES[1]! : FORM_TYPES[0]!];
  return {
    contentType: chooseContentType(contentTypes)!,
    contentTypes,
    schema,
    required: required.length > 0,
    examples: [],
  };
}

interface ResponsesInput {
  document: Obj;
  operation: Obj;
  dialect: Dialect;
  convert(schema: unknown): JsonSchema;
}

export function responsesOf({
  document,
  operation,
  dialect,
  convert,
}: ResponsesInput): Record<string, ApiResponse> {
  const responses = isObject(operation.responses) ? operation.responses : {};
  const produces = stringList(operation.produces ?? document.produces);
  const out: Record<string, ApiResponse> = {};
  for (const [status, response] of Object.entries(responses)) {
    if (!isObject(response)) continue;
    const headers = isObject(response.headers) ? Object.keys(response.headers) : [];
    if (dialect === 'swagger2') {
      const contentTypes =
        response.schema === undefined ? [] : produces.length ? produces : ['application/json'];
      out[status] = {
        contentTypes,
        ...(response.schema !== undefined && { schema: convert(response.schema) }),
        headers,
      };
      continue;
    }
    const content = isObject(response.content) ? response.content : {};
    const contentTypes = Object.keys(content);
    const chosen = chooseContentType(contentTypes);
    const media = chosen === undefined ? undefined : content[chosen];
    out[status] = {
      contentTypes,
      ...(isObject(media) && media.schema !== undefined && { schema: convert(media.schema) }),
      headers,
    };
  }
  return out;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
