// Sends requests to the target, and nowhere else, through supertest: one agent per origin and case, so cookies
// stay within a case. What a case may send and read is bounded (limits in gauntlet.yml), and a response is timed by
// when it arrived, not by when Gauntlet got round to it.
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CookieAccessInfo } from 'cookiejar';
import supertest from 'supertest';
import type { FileUpload, HttpRequest } from '../cases/index.ts';
import { ReadRefused, readFileUnder } from '../generate/openapi/confined-read.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { assertInsideTarget, OutsideTargetError } from './origin-guard.ts';

type TestAgent = supertest.Agent;

/** A file that cannot be read, or a body larger than the case may send, is the case's problem: its error. */
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
  /** The body parsed as JSON, when it is JSON (and was read whole). */
  json?: unknown;
  /** Set when the body was longer than limits.maxResponseBytes: only this many bytes were read, the rest dropped. */
  bodyCutAt?: number;
}

export interface Exchanged {
  request: SentRequest;
  response: Response;
  /** From sending the request until the last byte of the (last) response arrived. */
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

export async function toSentRequest(
  target: URL,
  request: HttpRequest,
  as?: string,
  maxBodyBytes = DEFAULT_LIMITS.maxRequestBodyBytes,
): Promise<SentRequest> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: string | undefined;
  let multipart: Multipart | undefined;
  if (request.files !== undefined) {
    delete headers['content-type']; // the multipart boundary is chosen when the request is sent
    multipart = {
      fields: Object.entries(request.form ?? {}).map(([name, value]) => [name, String(value)]),
      files: await Promise.all(
        Object.entries(request.files).map(([field, file]) => readUpload(field, file, maxBodyBytes)),
      ),
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
  const size =
    body !== undefined
      ? Buffer.byteLength(body)
      : (multipart?.files.reduce((sum, file) => sum + file.content.length, 0) ?? 0);
  if (size > maxBodyBytes) throw tooLarge(size, maxBodyBytes);
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

function tooLarge(size: number, maxBytes: number): UploadError {
  return new UploadError(
    `the request body is ${size} bytes, more than limits.maxRequestBodyBytes (${maxBytes}) allows; ` +
      'raise it in gauntlet.yml to send it',
  );
}

async function readUpload(field: string, file: FileUpload, maxBytes: number): Promise<UploadedFile> {
  let content: Buffer;
  if (file.path !== undefined) {
    const path = file.path;
    const cannotRead = (error: NodeJS.ErrnoException) => {
      const reason = error instanceof ReadRefused ? error.message : (error.code ?? error.message);
      throw new UploadError(`cannot read the file to upload, ${path} (${reason})`);
    };
    // Its size first: a huge file is refused before it is read into memory.
    const { size } = await stat(path).catch(cannotRead);
    if (size > maxBytes) throw tooLarge(size, maxBytes);
    // Only a regular file of the repository (the folder Gauntlet runs in) is sent: a case may come from a pull
    // request or an LLM, and a path must not carry /proc/self/environ or .git/config to the target.
    content = await readFileUnder(process.cwd(), path, maxBytes).catch(cannotRead);
  } else if (file.base64 !== undefined) content = Buffer.from(file.base64, 'base64');
  else content = Buffer.from(file.text ?? '', 'utf8');
  return {
    field,
    name: file.name ?? (file.path !== undefined ? path.basename(file.path) : field),
    contentType: file.contentType ?? 'application/octet-stream',
    content,
  };
}

/** For evidence: a note that the response body shown is only what was read of it, or nothing. */
export function describeCut(response: Response): string {
  return response.bodyCutAt === undefined
    ? ''
    : ` [cut at ${response.bodyCutAt} bytes: the rest was not read (limits.maxResponseBytes)]`;
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
  maxResponseBytes = DEFAULT_LIMITS.maxResponseBytes,
): Promise<Exchanged> {
  const started = performance.now();
  // One clock for the request and the redirects it follows: together they get `timeoutMs`.
  const clock = new AnswerClock(timeoutMs);
  let current = sent;
  let received = await sendOnce(session, current, clock, maxResponseBytes);
  for (let hops = 0; sent.followRedirects && isRedirect(received.response.status); hops++) {
    const location = received.response.headers.location;
    if (!location || hops === MAX_REDIRECTS) break;
    const next = new URL(location, current.url);
    assertInsideTarget(next, [new URL(sent.url), ...allowed], 'follow a redirect to');
    const keepsBody = received.response.status === 307 || received.response.status === 308;
    const { body: _body, multipart: _multipart, ...rest } = current;
    current = keepsBody ? { ...current, url: next.href } : { ...rest, url: next.href, method: 'GET' };
    received = await sendOnce(session, current, clock, maxResponseBytes);
  }
  const { response, arrivedAt } = received;
  return {
    request: sent,
    // A cut body is not JSON, whatever it began as: only a whole body is parsed.
    response:
      response.bodyCutAt === undefined
        ? { ...response, ...parseJson(response.body, response.headers['content-type']) }
        : response,
    durationMs: arrivedAt - started,
  };
}

/** No answer came in the time the target was given. */
class NoAnswerError extends Error {
  override name = 'TimeoutError';
}

/**
 * The time a target is given to answer. Only time Gauntlet spends waiting counts against it, that is time its
 * event loop sits idle waiting for input: time it spends working (parsing other answers, running checks) does not,
 * so a busy Gauntlet never reports "no answer" for an answer that came. When the time seems up, the input already
 * waiting is read before deciding, for the same reason. (The case's own time, caseTimeoutMs, stays wall time.)
 */
class AnswerClock {
  readonly #start = performance.eventLoopUtilization();
  readonly #limitMs: number;
  #timer: NodeJS.Timeout | undefined;
  #expire: (() => void) | undefined;
  expired = false;

  constructor(limitMs: number) {
    this.#limitMs = limitMs;
  }

  /** Calls `expire` once the target has used up its time, unless stop() comes first. */
  watch(expire: () => void): void {
    this.#expire = expire;
    this.#arm();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#expire = undefined;
  }

  #waitedMs(): number {
    return performance.eventLoopUtilization(this.#start).idle;
  }

  #arm(): void {
    const left = Math.max(1, Math.ceil(this.#limitMs - this.#waitedMs()));
    // setImmediate runs after the loop has polled for input: an answer already here is read first.
    this.#timer = setTimeout(() => setImmediate(() => this.#check()), left);
  }

  #check(): void {
    const expire = this.#expire;
    if (!expire) return;
    if (this.#waitedMs() < this.#limitMs) return this.#arm();
    this.expired = true;
    this.stop();
    expire();
  }
}

interface Received {
  response: Response;
  /** When the last byte of the response (or the last one kept, for a cut body) arrived. */
  arrivedAt: number;
}

async function sendOnce(
  session: Session,
  sent: SentRequest,
  clock: AnswerClock,
  maxResponseBytes: number,
  retried = false,
): Promise<Received> {
  const url = new URL(sent.url);
  const agent = session.agentFor(url, sent.as);
  const method = sent.method.toLowerCase() as 'get';
  let test = agent[method](url.pathname + url.search)
    .agent(url.protocol === 'https:' ? KEEP_ALIVE.https : KEEP_ALIVE.http)
    .set(sent.headers)
    .redirects(0)
    .ok(() => true)
    // collectText enforces the limit, by cutting rather than failing.
    .maxResponseSize(Infinity)
    .buffer(true)
    .parse(collectText(maxResponseBytes));
  if (sent.multipart) {
    for (const [name, value] of sent.multipart.fields) test = test.field(name, value);
    for (const file of sent.multipart.files) {
      test = test.attach(file.field, file.content, { filename: file.name, contentType: file.contentType });
    }
  } else if (sent.body !== undefined) test = test.send(sent.body);
  clock.watch(() => test.abort());
  let response: supertest.Response;
  try {
    response = await test;
  } catch (error) {
    if (clock.expired) throw new NoAnswerError('no answer in time', { cause: error });
    // A kept-alive connection the target closed as it was reused: the request never reached it. Sent again, once,
    // on a new connection (what Node's documentation advises, and browsers do).
    const reused = (test as unknown as { req?: { reusedSocket?: boolean } }).req?.reusedSocket === true;
    const code = (error as { code?: unknown }).code;
    if (reused && !retried && (code === 'ECONNRESET' || code === 'EPIPE')) {
      return sendOnce(session, sent, clock, maxResponseBytes, true);
    }
    throw error;
  } finally {
    clock.stop();
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers as Record<string, string | string[]>)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // superagent hands no body to the parser of an answer that has none (HEAD): it was read whole, and empty.
  const body =
    (response.body as Partial<Collected>).text === undefined
      ? { text: '', arrivedAt: performance.now() }
      : (response.body as Collected);
  return {
    response: {
      status: response.status,
      headers,
      body: body.text,
      ...(body.cutAt !== undefined && { bodyCutAt: body.cutAt }),
    },
    arrivedAt: body.arrivedAt,
  };
}

interface Collected {
  text: string;
  arrivedAt: number;
  cutAt?: number;
}

/**
 * Keeps every body as text, whatever its type, so checks see exactly what was sent; notes when it arrived; and
 * reads at most `maxBytes` of it: past that the connection is dropped and the body is marked cut.
 */
function collectText(maxBytes: number) {
  return (response: supertest.Response, done: (error: Error | null, body: Collected) => void): void => {
    // superagent hands a custom parser the response stream itself.
    const stream = response as unknown as NodeJS.ReadableStream & { destroy(): void };
    const chunks: Buffer[] = [];
    let bytes = 0;
    let finished = false;
    const finish = (error: Error | null, cutAt?: number) => {
      if (finished) return;
      finished = true;
      const text = Buffer.concat(chunks).toString('utf8');
      done(error, { text, arrivedAt: performance.now(), ...(cutAt !== undefined && { cutAt }) });
    };
    stream.on('data', (chunk: Buffer) => {
      if (finished) return;
      if (bytes + chunk.length <= maxBytes) {
        chunks.push(chunk);
        bytes += chunk.length;
        return;
      }
      chunks.push(chunk.subarray(0, maxBytes - bytes));
      finish(null, maxBytes);
      stream.destroy();
    });
    stream.on('end', () => finish(null));
    stream.on('error', (error: Error) => finish(error));
  };
}

const isRedirect = (status: number): boolean => [301, 302, 303, 307, 308].includes(status);

/** Whether a content type declares JSON: application/json, a +json type (problem+json, hal+json) and the like. */
export function declaresJson(contentType: string | undefined): boolean {
  return /\bjson\b/i.test(contentType ?? '');
}

/**
 * The body as JSON, when it is JSON. A body declared JSON is any JSON value (RFC 8259): a scalar such as 0, "", true
 * or null as well as an object or array. A body not declared JSON counts only when it is an object or an array, so
 * that text such as "42" or "true" sent as text/plain stays text.
 */
function parseJson(body: string, contentType: string | undefined): { json?: unknown } {
  const trimmed = body.trimStart();
  if (!declaresJson(contentType) && !trimmed.startsWith('{') && !trimmed.startsWith('[')) return {};
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
