// Faults on demand, for reliability tests: the API failing the way it does in production. Each fault hits the
// next `times` chat requests that pass validation, then is spent; faults queue in the order they were added.
import { STATUS_CODES } from 'node:http';
import type { ErrorBody } from './errors.ts';

export type FaultKind =
  /** 429 with `retry-after` (seconds) and OpenAI's rate-limit error. */
  | 'rate-limit'
  /** 500 (or `status`) with OpenAI's server error. */
  | 'server-error'
  /** No answer at all: the socket is held until the client gives up (or the server closes). */
  | 'timeout'
  /** 200 whose HTTP body is cut-off JSON. */
  | 'malformed-body'
  /** A well-formed completion whose message content is cut-off JSON. */
  | 'malformed-content'
  /** A well-formed completion whose content is valid JSON that matches no schema the client asked for. */
  | 'schema-mismatch'
  /** The connection is destroyed without an answer. */
  | 'drop';

export interface FaultSpec {
  kind: FaultKind;
  /** How many requests it hits; 1 unless given. */
  times?: number;
  /** `server-error`: the status (500 unless given). */
  status?: number;
  /** `rate-limit`: the `retry-after` seconds (1 unless given). */
  retryAfter?: number;
  /** `rate-limit`: also send `retry-after-ms` with this many milliseconds. */
  retryAfterMs?: number;
}

export class Faults {
  private readonly queue: { spec: FaultSpec; remaining: number }[] = [];

  add(spec: FaultSpec): void {
    const remaining = spec.times ?? 1;
    if (!(remaining > 0)) throw new Error(`a fault needs times > 0, got ${remaining}`);
    this.queue.push({ spec, remaining });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Faults not yet spent, for a test that checks its setup was used up. */
  pending(): FaultSpec[] {
    return this.queue.map(({ spec, remaining }) => ({ ...spec, times: remaining }));
  }

  /** The fault that hits this request, if any. */
  take(): FaultSpec | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.queue.shift();
    return head.spec;
  }
}

export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

export function rateLimitAnswer(spec: FaultSpec, model: string): FaultAnswer {
  const seconds = spec.retryAfter ?? 1;
  return {
    status: 429,
    headers: {
      'retry-after': String(seconds),
      ...(spec.retryAfterMs !== undefined && { 'retry-after-ms': String(spec.retryAfterMs) }),
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': `${seconds}s`,
    },
    body: {
      error: {
        message:
          `Rate limit reached for ${model} in organization org-local on requests per min (RPM): ` +
          `Limit 500, Used 500, Requested 1. Please try again in ${seconds}s.`,
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    },
  };
}

export function serverErrorAnswer(spec: FaultSpec): FaultAnswer {
  const status = spec.status ?? 500;
  return {
    status,
    headers: {},
    body: {
      error: {
        message:
          status === 500
            ? 'The server had an error while processing your request. Sorry about that!'
            : (STATUS_CODES[status] ?? 'Server Error'),
        type: 'server_error',
        param: null,
        code: null,
      },
    },
  };
}

/** Valid JSON that matches no schema a client would ask for. */
export const MISMATCHED_CONTENT = JSON.stringify({ gauntlet_unexpected: [1, 'two', null] });

/** The content cut in half (at least one character short): never valid JSON when the content was an object. */
export const malformed = (content: string): string =>
  content.slice(0, Math.min(content.length - 1, Math.max(1, Math.floor(content.length / 2))));
