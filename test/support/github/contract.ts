// Holds every REST request to GitHub's own description (@octokit/openapi, api.github.com): finds the operation
// the way GitHub's router would, validates parameters and body with openapi-backend and ajv, and, for the
// emulator's own tests, checks the answers the emulator builds against the response schemas.
import addFormats from 'ajv-formats';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { OpenAPIBackend } from 'openapi-backend';
import type { Operation as BackendOperation } from 'openapi-backend';
import { isObject } from './complete.ts';
import type { Schema } from './complete.ts';
import { loadDescription, readPackageJson } from './description.ts';
import type { LoadedDescription } from './description.ts';
import { REST_DOCS } from './errors.ts';

export interface RestOperation {
  operationId: string;
  /** Upper case, as on the wire. */
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/issues`. */
  path: string;
  /** The page GitHub links from its error answers for this operation. */
  docsUrl: string;
  definition: BackendOperation;
}

export type Route =
  | { kind: 'operation'; operation: RestOperation; params: Record<string, string> }
  | { kind: 'unknown-path' }
  | { kind: 'wrong-method'; allowed: RestOperation[] };

export interface RestRequestParts {
  method: string;
  /** Path relative to the API root, without the query. */
  path: string;
  headers: Record<string, string | string[]>;
  query: Record<string, string | string[]>;
  /** Parsed JSON, or the raw text when it did not parse. */
  body: unknown;
}

export interface RequestProblem {
  /** Where GitHub would fail it: a path parameter that does not fit means no route (404), anything else 422. */
  status: 404 | 422;
  /** For the contract violation: the schema error as ajv reports it. */
  detail: string;
  /** For the client: the message GitHub's validator gives. */
  githubMessage: string;
}

interface RouteEntry {
  segments: (string | RegExp)[];
  names: string[];
  operation: RestOperation;
}

export class RestContract {
  readonly source: string;
  readonly loadMs: number;
  readonly loadSource: 'cache' | 'package';
  private readonly backend: OpenAPIBackend;
  /** The compact description as loaded, `$ref`s intact: response checks compile shared components once. */
  private readonly document: Record<string, unknown>;
  private readonly routes = new Map<number, RouteEntry[]>();
  private responseAjv: Ajv | undefined;
  private readonly responseValidators = new Map<string, ValidateFunction>();

  private constructor(backend: OpenAPIBackend, loaded: LoadedDescription) {
    this.backend = backend;
    this.document = loaded.document;
    this.loadMs = loaded.ms;
    this.loadSource = loaded.source;
    const { version } = readPackageJson('@octokit/openapi', 'package.json') as { version: string };
    this.source = `api.github.com in @octokit/openapi ${version}`;
    for (const definition of backend.router.getOperations()) this.addRoute(definition);
    for (const entries of this.routes.values()) {
      entries.sort((a, b) => specificity(a).localeCompare(specificity(b)));
    }
  }

  static async load(): Promise<RestContract> {
    const loaded = loadDescription('@octokit/openapi', 'generated/api.github.com.json');
    const backend = new OpenAPIBackend({
      definition: loaded.document as never,
      // quick: dereference synchronously and compile each operation's validators on first use, not all 1,100 now.
      quick: true,
      // The description is GitHub's, not ours: ajv's strict mode would only complain about its quirks.
      ajvOpts: { strict: false },
      customizeAjv: (ajv) => {
        addFormats.default(ajv);
        return ajv;
      },
    });
    await backend.init();
    return new RestContract(backend, loaded);
  }

  route(method: string, path: string): Route {
    const parts = path.split('/');
    const allowed: RestOperation[] = [];
    for (const entry of this.routes.get(parts.length) ?? []) {
      const values = matchSegments(entry.segments, parts);
      if (!values) continue;
      if (entry.operation.method !== method) {
        allowed.push(entry.operation);
        continue;
      }
      const params = Object.fromEntries(entry.names.map((name, i) => [name, values[i]!]));
      return { kind: 'operation', operation: entry.operation, params };
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'unknown-path' };
  }

  /** What is wrong with a request for `operation`, or undefined when the description accepts it. */
  checkRequest(operation: RestOperation, request: RestRequestParts): RequestProblem | undefined {
    const result = this.backend.validator.validateRequest(
      { ...request, method: request.method.toLowerCase(), body: request.body as never },
      operation.definition,
    );
    const errors = result.errors ?? [];
    if (errors.length === 0) return undefined;
    const inPath = errors.some((e) => e.instancePath.startsWith('/path'));
    return {
      status: inPath ? 404 : 422,
      detail: errors.map((e) => describeAjvError(e)).join('; '),
      githubMessage: `Invalid request.\n\n${errors.map(githubPhrase).join('\n')}`,
    };
  }

  /** The JSON schema of the answer `operation` gives with `status`, if the description has one. */
  responseSchema(operation: RestOperation, status: number): Schema | undefined {
    const response: unknown = operation.definition.responses?.[String(status)];
    const content = isObject(response) && isObject(response.content) ? response.content : undefined;
    const json = content?.['application/json'];
    return isObject(json) && isObject(json.schema) ? json.schema : undefined;
  }

  /** Schema errors of an answer the emulator built; empty when it fits (or the status has no JSON schema). */
  checkResponse(operation: RestOperation, status: number, body: unknown): string[] {
    const pointer = this.responseSchemaPointer(operation, status);
    if (!pointer) return [];
    let validate = this.responseValidators.get(pointer);
    if (!validate) {
      validate = this.responseChecker().compile({ $ref: `rest${pointer}` });
      this.responseValidators.set(pointer, validate);
    }
    return validate(body) ? [] : (validate.errors ?? []).map((e) => describeAjvError(e, 'response'));
  }

  /** Where the answer's schema sits in the document, following a shared `#/components/responses/…` entry. */
  private responseSchemaPointer(operation: RestOperation, status: number): string | undefined {
    const paths = this.document.paths as Record<
      string,
      Record<string, { responses?: Record<string, unknown> }>
    >;
    const response = paths[operation.path]?.[operation.method.toLowerCase()]?.responses?.[String(status)];
    if (!isObject(response)) return undefined;
    const base =
      typeof response.$ref === 'string'
        ? response.$ref
        : `#/paths/${escapePointer(operation.path)}/${operation.method.toLowerCase()}/responses/${status}`;
    return this.responseSchema(operation, status) ? `${base}/content/application~1json/schema` : undefined;
  }

  private responseChecker(): Ajv {
    if (this.responseAjv) return this.responseAjv;
    // One ajv for all answers, over the document with its `$ref`s, so a component (issue, repository, user) is
    // compiled once rather than once per operation: checking every answer stays affordable.
    const ajv = new Ajv({ strict: false, validateSchema: false });
    addFormats.default(ajv);
    // GitHub's response schemas say oneOf where branches overlap (every issue is also a valid draft issue), so no
    // real answer could pass; answers are checked with anyOf. Requests keep oneOf's meaning.
    ajv.removeKeyword('oneOf');
    ajv.addKeyword({ keyword: 'oneOf', macro: (branches: unknown[]) => ({ anyOf: branches }) });
    ajv.addSchema(this.document, 'rest');
    this.responseAjv = ajv;
    return ajv;
  }

  private addRoute(definition: BackendOperation): void {
    const operationId = definition.operationId;
    if (!operationId) return;
    const docs = (definition as { externalDocs?: { url?: string } }).externalDocs;
    const operation: RestOperation = {
      operationId,
      method: definition.method.toUpperCase(),
      path: definition.path,
      docsUrl: docs?.url ?? REST_DOCS,
      definition,
    };
    const names: string[] = [];
    const segments = definition.path.split('/').map((segment) => {
      if (!segment.includes('{')) return segment;
      const pattern = segment
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{([^}]+)\}/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        });
      return new RegExp(`^${pattern}$`);
    });
    const entries = this.routes.get(segments.length) ?? [];
    entries.push({ segments, names, operation });
    this.routes.set(segments.length, entries);
  }
}

/** Literal segments beat templated ones, left to right, as in GitHub's router: `/issues/comments` is no issue. */
function specificity(entry: RouteEntry): string {
  return entry.segments.map((s) => (typeof s === 'string' ? '0' : '1')).join('');
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function matchSegments(segments: (string | RegExp)[], parts: string[]): string[] | undefined {
  const values: string[] = [];
  for (const [i, segment] of segments.entries()) {
    const part = parts[i]!;
    if (typeof segment === 'string') {
      if (segment !== part) return undefined;
      continue;
    }
    const match = segment.exec(part);
    if (!match) return undefined;
    try {
      values.push(...match.slice(1).map((v) => decodeURIComponent(v)));
    } catch {
      return undefined;
    }
  }
  return values;
}

/**
 * `body.labels[0] must be string`, `query parameter per_page must be integer`; for a whole document (`root` other
 * than `request`), `response.user must have required property 'login'`.
 */
export function describeAjvError(error: ErrorObject, root = 'request'): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && params.missingProperty === 'requestBody') {
    return 'a JSON body is required';
  }
  let message = error.message ?? error.keyword;
  if (error.keyword === 'additionalProperties') message += ` (${String(params.additionalProperty)})`;
  if (error.keyword === 'enum') message += ` (${(params.allowedValues as unknown[]).join(', ')})`;
  return `${locate(error.instancePath, root)} ${message}`;
}

function locate(instancePath: string, root: string): string {
  const parts = instancePath.split('/').slice(1);
  const dotted = (path: string[]): string => path.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('');
  if (root !== 'request') return `${root}${dotted(parts)}`;
  const [first, ...rest] = parts;
  if (first === 'requestBody') return `body${dotted(rest)}`;
  if (first === 'path' || first === 'query' || first === 'header') {
    return rest.length > 0 ? `${first} parameter ${rest.join('.')}` : `${first} parameters`;
  }
  return 'request';
}

/** The sentence GitHub's own validator writes for the same error. */
function githubPhrase(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const pointer = error.instancePath.replace(/^\/requestBody/, '').replace(/^\//, '');
  if (error.keyword === 'required') return `"${String(params.missingProperty)}" wasn't supplied.`;
  if (error.keyword === 'type') return `For '${pointer}', value is not ${article(String(params.type))}.`;
  return `For '${pointer}', ${error.message ?? error.keyword}.`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
