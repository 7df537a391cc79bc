// Sends one request to the target, and nowhere else.
import type { HttpRequest } from '../cases/index.ts';
import { assertInsideTarget, OutsideTargetError } from './origin-guard.ts';

export { OutsideTargetError };

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  followRedirects?: boolean;
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

export function toSentRequest(target: URL, request: HttpRequest): SentRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: string | undefined;
  if (request.body !== undefined) {
    body = request.body;
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
    ...(request.followRedirects && { followRedirects: true }),
  };
}

const MAX_REDIRECTS = 5;

/** Sends a request; with followRedirects, follows redirects that stay inside `allowed`, and refuses any other. */
export async function send(
  sent: SentRequest,
  timeoutMs: number,
  allowed: readonly URL[] = [],
): Promise<Exchanged> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  let current = sent;
  let response = await fetchOnce(current, signal);
  for (let hops = 0; sent.followRedirects && isRedirect(response.status); hops++) {
    const location = response.headers.get('location');
    if (!location || hops === MAX_REDIRECTS) break;
    await response.body?.cancel();
    const next = new URL(location, current.url);
    assertInsideTarget(next, [new URL(sent.url), ...allowed], 'follow a redirect to');
    const keepsBody = response.status === 307 || response.status === 308;
    current = {
      ...current,
      url: next.href,
      method: keepsBody ? current.method : 'GET',
      ...(!keepsBody && { body: undefined }),
    };
    response = await fetchOnce(current, signal);
  }
  const body = await response.text();
  const durationMs = performance.now() - started;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return {
    request: sent,
    response: { status: response.status, headers, body, ...parseJson(body) },
    durationMs,
  };
}

function fetchOnce(sent: SentRequest, signal: AbortSignal): Promise<globalThis.Response> {
  return fetch(sent.url, {
    method: sent.method,
    headers: sent.headers,
    body: sent.body ?? null,
    redirect: 'manual',
    signal,
  });
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

/** Why a request got no answer, in words. Duck-typed: fetch's errors may come from another realm. */
export function describeTransportError(error: unknown, timeoutMs: number): string {
  if (error instanceof OutsideTargetError) return error.message;
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: unknown };
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const inner = (cause ?? {}) as { code?: string; message?: string };
  if (inner.message) return inner.code ? `${inner.code}: ${inner.message}` : inner.message;
  return message ?? String(error);
}
