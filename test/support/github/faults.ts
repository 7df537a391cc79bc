// Faults on demand, for reliability tests: GitHub failing the way it does in production. Each fault hits the next
// `times` requests that match its route, then is spent. The answers copy GitHub's, down to the headers Octokit's
// retry and throttling plugins read (`retry-after`, `x-ratelimit-remaining`, `x-ratelimit-reset`).
import { STATUS_CODES } from 'node:http';
import { jsonAnswer } from './answer.ts';
import type { Answer } from './answer.ts';

export type FaultKind = 'server-error' | 'secondary-rate-limit' | 'primary-rate-limit' | 'latency' | 'drop';

export interface FaultSpec {
  kind: FaultKind;
  /**
   * Which requests: an operationId (`issues/create-comment`), a method and path template
   * (`POST /repos/{owner}/{repo}/issues/{issue_number}/comments`), `graphql`, or `*` (the default) for any.
   */
  route?: string;
  /** How many matching requests it hits; 1 unless given. `Infinity` keeps it until `clear()`. */
  times?: number;
  /** `server-error`: the status (500 unless given). `primary-rate-limit`: 403 (the default) or 429. */
  status?: number;
  /** `secondary-rate-limit`: the `retry-after` seconds (1 unless given; GitHub often says 60). */
  retryAfter?: number;
  /** `primary-rate-limit`: seconds until `x-ratelimit-reset` (1 unless given; on GitHub up to an hour). */
  resetIn?: number;
  /** `latency`: how long to hold the request before answering it normally. */
  ms?: number;
}

/** A fault that answers in GitHub's place (or hangs up), as opposed to latency, which only delays. */
export type EndingFault = FaultSpec & { kind: Exclude<FaultKind, 'latency'> };

export interface FaultTarget {
  /** The operationId, or `graphql`. */
  operationId: string;
  method: string;
  /** The path template of the operation (`/graphql` for GraphQL). */
  path: string;
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

export class Faults {
  private readonly active: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    const remaining = spec.times ?? 1;
    if (!(remaining > 0)) throw new Error(`a fault needs times > 0, got ${remaining}`);
    this.active.push({ spec, remaining });
  }

  clear(): void {
    this.active.length = 0;
  }

  /** Faults not yet spent, for a test that wants to check its setup was used up. */
  pending(): FaultSpec[] {
    return this.active.map(({ spec, remaining }) => ({ ...spec, times: remaining }));
  }

  /** What this request meets: the sum of matching latencies, and the first matching fault that ends it. */
  take(target: FaultTarget): { delayMs: number; ending: EndingFault | undefined } {
    let delayMs = 0;
    let ending: EndingFault | undefined;
    for (const fault of this.active) {
      if (!matches(fault.spec.route ?? '*', target)) continue;
      if (fault.spec.kind === 'latency') delayMs += fault.spec.ms ?? 0;
      else if (!ending) ending = fault.spec as EndingFault;
      else continue;
      fault.remaining -= 1;
    }
    for (let i = this.active.length - 1; i >= 0; i--)
      if (this.active[i]!.remaining <= 0) this.active.splice(i, 1);
    return { delayMs, ending };
  }
}

function matches(route: string, target: FaultTarget): boolean {
  return route === '*' || route === target.operationId || route === `${target.method} ${target.path}`;
}

const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

/** GitHub's answer when a fault ends the request. */
export function faultAnswer(spec: EndingFault, graphql: boolean, requestId: string): Answer {
  switch (spec.kind) {
    case 'drop':
      return { drop: true };
    case 'secondary-rate-limit':
      return jsonAnswer(
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
            `If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          documentation_url: `${RATE_LIMIT_DOCS}#about-secondary-rate-limits`,
          status: '403',
        },
        { 'retry-after': String(spec.retryAfter ?? 1) },
      );
    case 'primary-rate-limit': {
      const reset = Math.floor(Date.now() / 1000) + (spec.resetIn ?? 1);
      const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) };
      const message = 'API rate limit exceeded for installation.';
      // GraphQL reports its primary limit inside a 200, as an error of type RATE_LIMITED.
      if (graphql) return jsonAnswer(200, { errors: [{ type: 'RATE_LIMITED', message }] }, headers);
      const status = spec.status ?? 403;
      const docs = `${RATE_LIMIT_DOCS}#about-the-primary-rate-limit`;
      return jsonAnswer(status, { message, documentation_url: docs, status: String(status) }, headers);
    }
    case 'server-error': {
      const status = spec.status ?? 500;
      return jsonAnswer(status, { message: STATUS_CODES[status] ?? 'Server Error', status: String(status) });
    }
  }
}
