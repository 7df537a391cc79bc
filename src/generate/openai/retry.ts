// When to try a request again, and how long to wait first. The SDK's own retries are off so that every HTTP
// attempt is counted (and billed) where the provider can see it; this is the policy that replaces them.
import { setTimeout as delay } from 'node:timers/promises';

export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** The first backoff; each retry doubles it. */
  backoffMs: number;
  /** The longest wait before a retry; a server that asks for longer is not waited for. */
  maxRetryWaitMs: number;
  /** Spread waits over 50–100% of the backoff, so clients that failed together do not retry together. */
  jitter: boolean;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, signal ? { signal } : {});

/** The exponential backoff before retry number `retry` (from 1). */
export function backoffMs(retry: number, policy: Pick<RetryPolicy, 'backoffMs' | 'jitter'>): number {
  const full = policy.backoffMs * 2 ** (retry - 1);
  return Math.round(policy.jitter ? full * (0.5 + Math.random() / 2) : full);
}

/**
 * How long the server asked the client to wait, from `retry-after-ms` (OpenAI's, in milliseconds) or `retry-after`
 * (seconds, or an HTTP date); undefined when it did not ask.
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
