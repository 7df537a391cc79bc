// Checks that hold every response to the service's OpenAPI description: a success or redirect is a status the
// operation declares, the content type is one it declares for that status, and a JSON body conforms to the declared
// schema. A refusal (4xx, 5xx) is held to what the description declares for its own status or range, not to
// `default`.
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { joinPaths, serversPath } from '../generate/openapi/base-path.ts';
import { ApiDescriptionError } from '../generate/openapi/errors.ts';
import { validateApiDescription } from '../generate/openapi/load-description.ts';
import type { Check } from './checks.ts';
import type { Exchanged } from './http.ts';
import { linearRegExp, regExpEngineForAjv } from './safe-regex.ts';
import type { LinearPattern } from './safe-regex.ts';

export const OPENAPI_CHECK_NAMES = ['openapi_status', 'openapi_content_type', 'openapi_body'] as const;

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses?: Record<string, ResponseObject>;
}
type Method = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
type PathItem = Partial<Record<Method, Operation>>;
interface Document {
  openapi?: string;
  servers?: unknown;
  paths?: Record<string, PathItem>;
}

interface Route {
  template: string;
  pattern: LinearPattern;
  params: number;
  item: PathItem;
}

/** The description is valid but not OpenAPI 3.x (Swagger 2.0): it serves generation, not response checks. */
export class OpenApiVersionError extends Error {}

/** A description read once for a run: its routes, and a validator compiled (lazily) per response schema. */
export class OpenApiDescription {
  readonly file: string;
  readonly #routes: Route[];
  // Description patterns are whoever wrote the description's, and run against what the target sends: matched by RE2.
  readonly #ajv = new Ajv2020({
    strict: false,
    allErrors: false,
    validateFormats: true,
    code: { regExp: regExpEngineForAjv },
  });
  readonly #validators = new Map<unknown, ValidateFunction>();

  private constructor(file: string, document: Document) {
    this.file = file;
    addFormats.default(this.#ajv);
    // Requests go to the target joined with the server's path (OpenAPI 3 `servers`): the routes are below it too.
    const server = serversPath(document.servers);
    this.#routes = Object.entries(document.paths ?? {})
      .map(([template, item]) => ({
        template,
        // Matched by RE2: "/{a}{b}{c}" makes adjacent "[^/]+" that backtrack polynomially in JavaScript's engine.
        pattern: linearRegExp(
          new RegExp(
            `^${joinPaths(server, template)
              .split(/\{[^}]+\}/)
              .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
              .join('[^/]+')}$`,
          ),
        ),
        params: (template.match(/\{/g) ?? []).length,
        item,
      }))
      // A literal path wins over a templated one that also matches: /projects/new before /projects/{id}.
      .sort((a, b) => a.params - b.params || b.template.length - a.template.length);
  }

  /** Reads, resolves and validates a description; a bad one is an error that says why. */
  static async load(file: string): Promise<OpenApiDescription> {
    let document: Document;
    try {
      // Its $refs are read as the generator's loader reads them: within the description's origin or folders.
      document = (await validateApiDescription(file)) as Document;
    } catch (error) {
      if (error instanceof ApiDescriptionError) throw error;
      throw new Error(
        `${file}: not a valid OpenAPI description: ${(error as Error).message.split('\n')[0]}`,
        {
          cause: error,
        },
      );
    }
    return OpenApiDescription.fromDocument(file, document as unknown as Record<string, unknown>);
  }

  /** A description already read and dereferenced (by the generator's loader, which reads URLs on loopback too). */
  static fromDocument(file: string, document: Readonly<Record<string, unknown>>): OpenApiDescription {
    const version = (document as Document).openapi;
    if (!version?.startsWith('3.'))
      throw new OpenApiVersionError(`${file}: responses are checked against OpenAPI 3.x descriptions only`);
    return new OpenApiDescription(file, document as Document);
  }

  /** The operation a request reaches, by method and by the path below the target's base path. */
  operation(method: string, path: string): { template: string; operation: Operation } | undefined {
    const verb = method.toLowerCase() as Method;
    for (const route of this.#routes) {
      const operation = route.item[verb];
      if (operation && route.pattern.test(path)) return { template: route.template, operation };
    }
    return undefined;
  }

  validator(schema: unknown): ValidateFunction {
    let validate = this.#validators.get(schema);
    if (!validate) {
      validate = this.#ajv.compile(schema as object);
      this.#validators.set(schema, validate);
    }
    return validate;
  }

  /** The three checks, for requests sent to `target` (whose path is the base the description's paths start at). */
  checks(target: URL): Check[] {
    const base = target.pathname.replace(/\/+$/, '');
    const find = (exchange: Exchanged) => {
      const url = new URL(exchange.request.url);
      const path = url.pathname.startsWith(base) ? url.pathname.slice(base.length) || '/' : url.pathname;
      const found = this.operation(exchange.request.method, path);
      if (!found) return undefined;
      const { responses = {} } = found.operation;
      const status = String(exchange.response.status);
      const own = responses[status] ?? responses[`${status[0]}XX`];
      // `default` speaks for a refusal only where the description says so with its own status: descriptions
      // commonly give it the success's schema, and a service refusing a bad request in its own words is right.
      const refusal = exchange.response.status >= 400;
      const declared = own ?? responses.default;
      const bodyRule = refusal && !own ? undefined : declared;
      const name = `${exchange.request.method} ${found.template}${found.operation.operationId ? ` (${found.operation.operationId})` : ''}`;
      return { name, responses, declared, bodyRule, refusal };
    };
    return [
      {
        name: 'openapi_status',
        description: 'The status is one the OpenAPI description declares for the operation.',
        check: (exchange) => {
          const found = find(exchange);
          // An undeclared 4xx refuses what the request got wrong (the status checks judge whether it should have
          // been refused), and a 5xx is not_a_server_error's: only an undeclared success or redirect is off it.
          if (!found || found.declared || found.refusal) return undefined;
          return (
            `${found.name} answered ${exchange.response.status}, which the OpenAPI description does not declare ` +
            `(it declares ${Object.keys(found.responses).join(', ')})`
          );
        },
      },
      {
        name: 'openapi_content_type',
        description: 'The content type is one the description declares for the status.',
        check: (exchange) => {
          const found = find(exchange);
          const content = found?.bodyRule?.content;
          if (!found || !content || exchange.response.body === '') return undefined;
          const type = mediaType(exchange.response.headers['content-type']);
          if (Object.keys(content).some((declared) => mediaMatches(declared, type))) return undefined;
          return (
            `${found.name} answered ${exchange.response.status} as "${type || 'no content type'}"; ` +
            `the OpenAPI description declares ${Object.keys(content).join(', ')}`
          );
        },
      },
      {
        name: 'openapi_body',
        description: 'A JSON body conforms to the schema the description declares for the status.',
        check: (exchange) => {
          const found = find(exchange);
          const content = found?.bodyRule?.content ?? {};
          const type = mediaType(exchange.response.headers['content-type']);
          const declared = Object.entries(content).find(([name]) => mediaMatches(name, type))?.[1];
          if (!found || declared?.schema === undefined || exchange.response.json === undefined)
            return undefined;
          const validate = this.validator(declared.schema);
          if (validate(exchange.response.json)) return undefined;
          return `${found.name} answered ${exchange.response.status} with a body the OpenAPI description does not allow: ${describe(validate.errors)}`;
        },
      },
    ];
  }
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** "application/json" matches itself, "application/*" and "*\/*". */
function mediaMatches(declared: string, actual: string): boolean {
  const [type, subtype] = declared.toLowerCase().split('/');
  const [actualType, actualSubtype] = actual.split('/');
  if (type === '*') return true;
  if (type !== actualType) return false;
  return subtype === '*' || subtype === actualSubtype;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return 'it does not match the schema';
  const where = first.instancePath ? `body${first.instancePath.replaceAll('/', '.')}` : 'the body';
  const extra =
    first.keyword === 'required'
      ? ` (${String((first.params as { missingProperty?: string }).missingProperty)})`
      : first.keyword === 'additionalProperties'
        ? ` (${String((first.params as { additionalProperty?: string }).additionalProperty)})`
        : '';
  return `${where} ${first.message ?? 'is not allowed'}${extra}`;
}
