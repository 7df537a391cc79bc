// What a failed HTTP attempt means: whether another attempt may succeed, and, when it is the last, the reason and
// the sentence the run reports. Rate limits, server errors and lost connections pass; a refused key, an unknown
// model or a request the server cannot take do not, and their message says what to change.
import { APIError } from 'openai';
import type { ProviderError } from '../provider.ts';
import { retryAfterMs } from './retry.ts';

export interface AttemptFailure {
  reason: ProviderError['reason'];
  message: string;
  retry: boolean;
  /** What the server asked to wait before the next attempt. */
  retryAfterMs?: number;
}

export interface AttemptContext {
  baseURL: string;
  model: string;
  timeoutMs: number;
  /** The provider's own deadline for this attempt passed. */
  timedOut: boolean;
  /** The caller's signal was aborted. */
  cancelled: boolean;
}

export function attemptFailure(error: unknown, context: AttemptContext): AttemptFailure {
  if (context.cancelled) return { reason: 'unavailable', message: 'the request was cancelled', retry: false };
  // A timeout is not retried: a model that did not answer within timeoutMs rarely answers the same prompt faster,
  // and a run should fall back to the rules rather than wait several timeouts for each journey.
  if (context.timedOut) {
    return {
      reason: 'timeout',
      message: `no answer from ${context.baseURL} within ${context.timeoutMs} ms; raise timeoutMs or use a faster model`,
      retry: false,
    };
  }
  if (error instanceof APIError && typeof error.status === 'number') return statusFailure(error, context);
  if (error instanceof APIError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return {
      reason: 'unavailable',
      message: `could not reach ${context.baseURL} (${error.message}${cause}); check baseURL and that the server is up`,
      retry: true,
    };
  }
  // The body of a 200 that is not JSON (a proxy's error page, a connection cut mid-body): worth another try.
  if (error instanceof Error && error.name === 'SyntaxError') {
    return {
      reason: 'unavailable',
      message: `${context.baseURL} answered with a body that is not JSON`,
      retry: true,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { reason: 'unavailable', message: `the request failed: ${message}`, retry: false };
}

function statusFailure(error: APIError, context: AttemptContext): AttemptFailure {
  const status = error.status!;
  const said = serverMessage(error);
  if (status === 429) {
    // OpenAI says 429 both for "slow down" and for "out of credit"; only the first passes.
    if (error.code === 'insufficient_quota') {
      return {
        reason: 'rate-limited',
        message: `the account has no quota left (429 insufficient_quota: ${said}); add credit or use another key`,
        retry: false,
      };
    }
    const wait = retryAfterMs(error.headers);
    return {
      reason: 'rate-limited',
      message: `rate-limited by ${context.baseURL} (429: ${said})`,
      retry: true,
      ...(wait !== undefined && { retryAfterMs: wait }),
    };
  }
  if (status >= 500 || status === 408 || status === 409) {
    const wait = retryAfterMs(error.headers);
    return {
      reason: 'unavailable',
      message: `${context.baseURL} failed (${status}: ${said})`,
      retry: true,
      ...(wait !== undefined && { retryAfterMs: wait }),
    };
  }
  return {
    reason: 'unavailable',
    message: `${context.baseURL} refused the request (${status}${codeOf(error)}: ${said}); ${hintFor(error, context)}`,
    retry: false,
  };
}

function hintFor(error: APIError, context: AttemptContext): string {
  if (error.status === 401 || error.status === 403) return 'check the API key';
  if (error.status === 404)
    return `check that the server offers the model "${context.model}" and that baseURL ends in /v1`;
  if (error.param?.startsWith('response_format')) {
    return "the server may not support structured outputs; try responseFormat: 'json_object'";
  }
  return 'this request will not succeed as it is; report it with the message above';
}

function codeOf(error: APIError): string {
  return error.code ? ` ${error.code}` : '';
}

function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : error.message;
}
