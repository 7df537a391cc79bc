// An API description as plain data: what Gauntlet needs of a Swagger 2.0 or OpenAPI 3.x document, the same shape
// whatever the version, with every $ref resolved and every schema in one dialect (JSON Schema 2020-12).
import type { Position } from '../../cases/index.ts';

/**
 * A schema as JSON Schema 2020-12, a finite tree: OpenAPI 3.0's `nullable` and Swagger's `x-nullable` are folded into
 * `type`, boolean exclusive bounds become numbers, Swagger's `type: file` is a binary string, and where a schema
 * repeats itself (a tree of nodes) the repetition is cut to `{ "x-recursive": true }`, which allows anything.
 */
export interface JsonSchema {
  [keyword: string]: unknown;
}

export const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface ApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
  /** The parameter's own example, where the description gives one. */
  example?: unknown;
  /** What the description says of it: its words help choose values with meaning. */
  description?: string;
}

export interface ApiRequestBody {
  /** The content type Gauntlet sends: JSON first, then a form type, then the first declared. */
  contentType: string;
  contentTypes: string[];
  schema?: JsonSchema;
  required: boolean;
  /** Examples the description gives for the chosen content type. */
  examples: unknown[];
  /** A multipart body's declared media type of each field (its `encoding`), where the description gives one. */
  encoding?: Record<string, string>;
}

export interface ApiResponse {
  contentTypes: string[];
  /** The body's schema, for the JSON content type where there is one. */
  schema?: JsonSchema;
  /** Header names, as written. */
  headers: string[];
}

/** An OpenAPI 3 link: a value of this response that another operation takes. */
export interface ApiLink {
  /** The response status that carries the link ("201", "2XX", "default"). */
  status: string;
  name: string;
  /** The operation the link leads to; unset for an operationRef outside this document. */
  operationId?: string;
  /** Parameter name to runtime expression, such as "$response.body#/id". */
  parameters: Record<string, string>;
}

export interface ApiOperation {
  method: HttpMethod;
  /** The full path below the target's origin: the server's (or basePath's) path joined with `template`. */
  path: string;
  /** The path as the description writes it under `paths`. */
  template: string;
  operationId: string;
  /** False where the description names none and `operationId` was made from the method and path. */
  operationIdDeclared: boolean;
  summary?: string;
  tags: string[];
  parameters: ApiParameter[];
  requestBody?: ApiRequestBody;
  /** By status as written: "200", "4XX", "default". */
  responses: Record<string, ApiResponse>;
  links: ApiLink[];
  /** Whether a security requirement applies; an empty requirement (`{}`) or none at all means public. */
  secured: boolean;
  /** Where the operation is written in the description's own text. */
  at: Position;
}

export interface ApiTag {
  name: string;
  description?: string;
  at: Position;
}

export interface ApiDescription {
  /** The file path or URL it was read from, as given. */
  source: string;
  /** "2.0", "3.0.3", "3.1.0"… */
  specVersion: string;
  title: string;
  version: string;
  /** Tags the description declares at the top, in order. */
  tags: ApiTag[];
  operations: ApiOperation[];
  /** The document as read, every $ref resolved (circular ones too). */
  document?: Readonly<Record<string, unknown>>;
  /**
   * What responses are checked against: the document itself (OpenAPI 3.x), or a Swagger 2.0 one converted to
   * OpenAPI 3.0, every $ref resolved.
   */
  responseDocument?: Readonly<Record<string, unknown>>;
  /** Why responses cannot be checked against the description, where they cannot. */
  responseProblem?: string;
}
