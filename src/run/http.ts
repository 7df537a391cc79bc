// Sends requests to the target, and nowhere else, through supertest: one agent per origin and case, so cookies
// stay within a case.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { CookieAccessInfo } from 'cookiejar';
import supertest from 'supertest';
import type { FileUpload, HttpRequest } from '../cases/index.ts';
import { assertInsideTarget, OutsideTargetError } from './origin-guard.ts';

type TestAgent = supertest.Agent;

/** A file that cannot be read is the case's problem, reported as its error. */
class UploadError extends Error {}

export { OutsideTargetError };

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  multipart?: Multipart | undefined;
  followRedirects?: boolean;
  /** The identity it is sent as, whose cookies it carries. */
  as?: string | undefined;
}

export interface UploadedFile {
  field: string;
  name: string;
  contentType: string;
  content: Buffer;
}

export interface Multipart {
  fields: [string, string][];
  files: UploadedFile[];
}

export interface Response {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
}

export interface Exchanged {
  request: SentRequest;
  response: Response;
  durationMs: number;
}

/** Resolves a test-case path against the target, refusing anything that would leave the target's origin. */
export function targetUrl(target: URL, path: string, query?: HttpRequest['query']): URL {
  const base = target.pathname.replace(/\/+$/, '');
  const joined = new URL(`${base}${path}`, target.origin);
  if (!path.startsWith('/') || path.startsWith('//')) {
    // "//host/x" and anything not a path would be resolved against another origin.
    assertInsideTarget(new URL(path, target.origin), [target]);
  }
  assertInsideTarget(joined, [target]);
  for (const [name, value] of Object.entries(query ?? {})) joined.searchParams.set(name, String(value));
  return joined;
}

export async function toSentRequest(target: URL, request: HttpRequest, as?: string): Promise<SentRequest> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: string | undefined;
  let multipart: Multipart | undefined;
  if (request.files !== undefined) {
    delete headers['content-type']; // the multipart boundary is chosen when the request is sent
    multipart = {
      fields: Object.entries(request.form ?? {}).map(([name, value]) => [name, String(value)]),
      files: await Promise.all(Object.entries(request.files).map(([field, file]) => readUpload(field, file))),
    };
  } else if (request.form !== undefined) {
    body = new URLSearchParams(
      Object.entries(request.form).map(([name, value]): [string, string] => [name, String(value)]),
    ).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (request.body !== undefined) {
    body = request.body;
    headers['content-type'] ??= 'application/json';
  } else if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers['content-type'] ??= 'application/json';
  }
  headers['user-agent'] ??= 'gauntlet';
  return {
    method: request.method,
    url: targetUrl(target, request.path, request.query).href,
    headers,
    ...(body !== undefined && { body }),
    ...(multipart && { multipart }),
    ...(request.followRedirects && { followRedirects: true }),
    ...(as !== undefined && { as }),
  };
}

async function readUpload(field: string, file: FileUpload): Promise<UploadedFile> {
  let content: Buffer;
  if (file.path !== undefined) {
    content = await readFile(file.path).catch((error: NodeJS.ErrnoException) => {
      throw new UploadError(`cannot read the file to upload, ${file.path} (${error.code ?? error.message})`);
    });
  } else if (file.base64 !== undefined) content = Buffer.from(file.base64, 'base64');
  else content = Buffer.from(file.text ?? '', 'utf8');
  return {
    field,
    name: file.name ?? (file.path !== undefined ? path.basename(file.path) : field),
    contentType: file.contentType ?? 'application/octet-stream',
    content,
  };
}

/** A multipart request in words, for evidence and reports: the fields, and each file's name, type and size. */
export function describeMultipart(multipart: Multipart): string {
  return [
    ...multipart.fields.map(([name, value]) => `${name}=${value}`),
    ...multipart.files.map((f) => `${f.field}=@${f.name} (${f.contentType}, ${f.content.length} bytes)`),
  ].join('\n');
}

const MAX_REDIRECTS = 5;

/** superagent opens a connection per request unless given an agent; these keep connections open between requests. */
const KEEP_ALIVE = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
};

/**
 * The requests of one run of a case: an agent per identity and origin, so cookies the target sets are sent back
 * to it by the same identity within the case, and never reach another identity or another case.
 */
export class Session {
  #agents = new Map<string, TestAgent>();

  /** The Cookie header the identity's agent would send to `url`, if it holds cookies for it. */
  cookieHeaderFor(url: URL, as = ''): string | undefined {
    const jar = this.#agents.get(`${as} ${url.origin}`)?.jar;
    const access = new CookieAccessInfo(url.hostname, url.pathname, url.protocol === 'https:');
    return jar?.getCookies(access).toValueString() || undefined;
  }

  agentFor(url: URL, as = ''): TestAgent {
    const key = `${as} ${url.origin}`;
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = supertest.agent(url.origin);
      this.#agents.set(key, agent);
    }
    return agent;
  }
}

/** Sends a request; with followRedirects, follows redirects that stay inside `allowed`, and refuses any other. */
export async function send(
  sent: SentRequest,
  timeoutMs: number,
  allowed: readonly URL[] = [],
  session = new Session(),
): Promise<Exchanged> {
  const started = performance.now();
  const deadline = started + timeoutMs;
  let current = sent;
  let response = await sendOnce(session, current, timeoutMs);
  for (let hops = 0; sent.followRedirects && isRedirect(response.status); hops++) {
    const location = response.headers.location;
    if (!location || hops === MAX_REDIRECTS) break;
    const next = new URL(location, current.url);
    assertInsideTarget(next, [new URL(sent.url), ...allowed], 'follow a redirect to');
    const keepsBody = response.status === 307 || response.status === 308;
    const { body: _body, multipart: _multipart, ...rest } = current;
    current = keepsBody ? { ...current, url: next.href } : { ...rest, url: next.href, method: 'GET' };
    response = await sendOnce(session, current, Math.max(1, Math.ceil(deadline - performance.now())));
  }
  return {
    request: sent,
    response: { ...response, ...parseJson(response.body) },
    durationMs: performance.now() - started,
  };
}

async function sendOnce(session: Session, sent: SentRequest, timeoutMs: number): Promise<Response> {
  const url = new URL(sent.url);
  const agent = session.agentFor(url, sent.as);
  const method = sent.method.toLowerCase() as 'get';
  let test = agent[method](url.pathname + url.search)
    .agent(url.protocol === 'https:' ? KEEP_ALIVE.https : KEEP_ALIVE.http)
    .set(sent.headers)
    .redirects(0)
    .ok(() => true)
    .timeout({ deadline: timeoutMs })
    .buffer(true)
    .parse(collectText);
  if (sent.multipart) {
    for (const [name, value] of sent.multipart.fields) test = test.field(name, value);
    for (const file of sent.multipart.files) {
      test = test.attach(file.field, file.content, { filename: file.name, contentType: file.contentType });
    }
  } else if (sent.body !== undefined) test = test.send(sent.body);
  const response = await test;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers as Record<string, string | string[]>)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status: response.status, headers, body: typeof response.body === 'string' ? response.body : '' };
}

/** Keeps every body as text, whatever its type, so checks see exactly what was sent. */
function collectText(response: supertest.Response, done: (error: Error | null, body: string) => void): void {
  // superagent hands a custom parser the response stream itself.
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
  stream.on('error', (error: Error) => done(error, ''));
}

const isRedirect = (status: number): boolean => [301, 302, 303, 307, 308].includes(status);

function parseJson(body: string): { json?: unknown } {
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return {};
  try {
    return { json: JSON.parse(body) };
  } catch {
    return {};
  }
}

/** Why a request got no answer, in words. Duck-typed: errors may come from another realm. */
export function describeTransportError(error: unknown, timeoutMs: number): string {
  if (error instanceof OutsideTargetError || error instanceof UploadError) return error.message;
  const { name, message, cause, code, timeout } = (error ?? {}) as {
    name?: string;
    message?: string;
    cause?: unknown;
    code?: string;
    timeout?: number;
  };
  if (name === 'TimeoutError' || name === 'AbortError' || timeout !== undefined) {
    return `no answer within ${timeoutMs} ms`;
  }
  if (code && message) return message.startsWith(code) ? message : `${code}: ${message}`;
  const inner = (cause ?? {}) as { code?: string; message?: string };
  if (inner.message) return inner.code ? `${inner.code}: ${inner.message}` : inner.message;
  return message ?? String(error);
}
