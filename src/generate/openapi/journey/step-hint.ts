// The request a journey step makes for an operation: the values its schemas allow (all fields), the parameters it
// requires, the success statuses it declares, and the identity it is called as where it is secured.
import type { RequestHint } from '../../../cases/index.ts';
import type { ApiOperation, ApiParameter } from '../description.ts';
import { isObject } from '../json-schema.ts';
import { exampleFor } from '../values/example.ts';
import { uploadFor } from '../values/files.ts';
import type { DictionaryEntry } from '../values/dictionary.ts';
import type { KnownValues } from '../values/harvest.ts';
import { parameterNames, pathParameters, stepPathOf } from './step-path.ts';

type Scalar = string | number | boolean;

export interface HintOptions {
  auth?: string;
  seed: number;
  /** Path parameters an earlier step captures: these take no literal. */
  captured: ReadonlySet<string>;
  /** Values the description offers by name elsewhere (harvestDescription): strings prefer them. */
  known?: KnownValues;
  /** Dictionary entries an LLM proposed, for names the table does not know. */
  proposed?: readonly DictionaryEntry[];
}

export function hintFor(operation: ApiOperation, options: HintOptions): RequestHint {
  const path = stepPathOf(operation);
  const valueOf = (p: ApiParameter) =>
    p.example ??
    exampleFor(p.schema, {
      mode: 'all-fields',
      seed: options.seed,
      name: p.name,
      ...(p.description !== undefined && { description: p.description }),
      ...(options.known !== undefined && { known: options.known }),
      ...(options.proposed !== undefined && { proposed: options.proposed }),
    });
  const names = parameterNames(operation);
  const parameterOf = (stepName: string) =>
    operation.parameters.find((p) => p.in === 'path' && (names.get(p.name) ?? p.name) === stepName);
  const params = Object.fromEntries(
    pathParameters(path)
      .filter((name) => !options.captured.has(name))
      .map((name) => {
        const parameter = parameterOf(name);
        return [name, scalar(parameter ? valueOf(parameter) : exampleFor({ type: 'string' }, { name }))];
      }),
  );
  const required = (place: ApiParameter['in']) =>
    operation.parameters.filter((p) => p.in === place && p.required);
  const query = Object.fromEntries(required('query').map((p) => [p.name, scalar(valueOf(p))]));
  const headers: Record<string, string> = Object.fromEntries(
    required('header').map((p) => [p.name, String(scalar(valueOf(p)))]),
  );
  const { contentType, ...body } = bodyOf(operation, options);
  if (contentType) headers['content-type'] = contentType;
  return {
    api: `${operation.method} ${path}`,
    operationId: operation.operationId,
    ...(operation.secured && options.auth && { auth: options.auth }),
    ...(Object.keys(params).length > 0 && { params }),
    ...(Object.keys(query).length > 0 && { query }),
    ...body,
    ...(Object.keys(headers).length > 0 && { headers }),
    expect: { status: successStatuses(operation) },
  };
}

/** The body as a hint carries it: JSON as `example`, forms as `form` (and `files`), anything else as `rawBody`. */
function bodyOf(
  operation: ApiOperation,
  { seed, known, proposed }: Pick<HintOptions, 'seed' | 'known' | 'proposed'>,
): Partial<RequestHint> & { contentType?: string } {
  const body = operation.requestBody;
  if (!body || operation.method === 'GET' || operation.method === 'HEAD') return {};
  const value =
    body.examples[0] ??
    (body.schema
      ? exampleFor(body.schema, {
          mode: 'all-fields',
          seed,
          ...(known && { known }),
          ...(proposed && { proposed }),
        })
      : undefined);
  const type = body.contentType.split(';')[0]!.trim().toLowerCase();
  if (/^application\/([\w.-]+\+)?json$/.test(type)) return value === undefined ? {} : { example: value };
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    const fields = isObject(value) ? value : {};
    const properties = isObject(body.schema?.properties) ? body.schema.properties : {};
    const isFile = (name: string) => {
      const schema = properties[name];
      return isObject(schema) && schema.format === 'binary';
    };
    const form = Object.fromEntries(
      Object.entries(fields)
        .filter(([name]) => !isFile(name))
        .map(([k, v]) => [k, scalar(v)]),
    );
    // A file's content cannot come from a schema: a small file of the kind its name suggests stands in for it.
    const files = Object.fromEntries(
      Object.keys(fields)
        .filter(isFile)
        .map((name) => [name, uploadFor(name, properties[name], body.encoding?.[name])]),
    );
    if (type === 'multipart/form-data' && Object.keys(files).length > 0) return { form, files };
    return { form };
  }
  return {
    rawBody: typeof value === 'string' ? value : JSON.stringify(value ?? ''),
    contentType: body.contentType,
  };
}

/**
 * The 2xx statuses the operation declares ("2XX" as the class). Where it declares only failures (an endpoint this
 * server refuses), those are what it answers; where it declares nothing specific, any 2xx.
 */
function successStatuses(operation: ApiOperation): NonNullable<RequestHint['expect']>['status'] {
  const statuses = Object.keys(operation.responses).filter((s) => /^[1-5](\d\d|XX)$/i.test(s));
  const success = statuses.filter((s) => s.startsWith('2'));
  const chosen = success.length > 0 || 'default' in operation.responses ? success : statuses;
  const parsed = chosen.map((s) => (/XX$/i.test(s) ? (`${s[0]}xx` as StatusClass) : Number(s)));
  if (parsed.length === 0 || parsed.includes('2xx')) return '2xx';
  return parsed.length === 1 ? parsed[0]! : parsed;
}

type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

/** Query, form and path values are scalars: a list is comma-separated, an object is JSON. */
function scalar(value: unknown): Scalar {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  return value === null || value === undefined ? '' : JSON.stringify(value);
}
