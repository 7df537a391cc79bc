// The signature of a failure: what failed (the check), where (the operation: the path template its step names, or
// else the URL's path with its ids normalized), how (the status) and why (the message with its particulars taken
// out). Two results with one signature are one finding; findings of one root cause across operations are grouped by
// root-cause.ts. A result that fails several checks is signed by its most serious failure, so that a database error
// is not filed as the wrong status that came first.
import { createHash } from 'node:crypto';
import type { RunResult } from '../cases/index.ts';
import { checkOrder, harmClass, harmOf, kindOf } from './risk.ts';

export interface FailureSignature {
  /** check | operation | status | message: compare these. */
  key: string;
  check: string;
  operation: string;
  status?: number;
  /** The message as the check wrote it. */
  message: string;
}

/** The signature of a failed or errored result; undefined for one that passed, was flaky or skipped. */
export function failureSignature(result: RunResult): FailureSignature | undefined {
  if (result.status !== 'failed' && result.status !== 'error') return undefined;
  const failure = standingFailure(result);
  const check = failure?.check ?? 'error';
  const message = failure?.message ?? result.error ?? 'failed';
  const exchange = exchangeOf(result, failure?.step);
  const operation =
    result.kind === 'ui'
      ? `UI ${result.origin.step}`
      : exchange
        ? (exchange.operation ?? `${exchange.request.method} ${normalizePath(exchange.request.url)}`)
        : result.origin.step;
  const status = exchange?.response?.status;
  const key = [check, operation, status ?? '-', normalizeMessage(message)].join(' | ');
  return { key, check, operation, ...(status !== undefined && { status }), message };
}

type Failure = RunResult['failures'][number];

/**
 * The failure a result stands for: the one of the most serious harm (risk.ts); between equals, the check listed
 * first in CHECK_HARMS; then the first.
 */
export function standingFailure(result: RunResult): Failure | undefined {
  let best: { failure: Failure; rank: number; order: number } | undefined;
  for (const failure of result.failures) {
    const harm = harmOf({
      check: failure.check,
      kind: kindOf(failure.check, [result]),
      status: exchangeOf(result, failure.step)?.response?.status,
      message: failure.message,
    });
    const rank = harmClass(harm).rank;
    const order = checkOrder(failure.check);
    if (!best || rank < best.rank || (rank === best.rank && order < best.order))
      best = { failure, rank, order };
  }
  return best?.failure;
}

/** The exchange of a step, or the last one when the failure names no step. */
function exchangeOf(result: RunResult, step: number | undefined): RunResult['evidence'][number] | undefined {
  return step === undefined ? result.evidence.at(-1) : result.evidence.find((e) => e.step === step);
}

/** A finding's id: the same signature gives the same id on every run and branch. */
export function findingId(signatureKey: string): string {
  return `F-${createHash('sha256').update(signatureKey).digest('hex').slice(0, 8)}`;
}

const ID_SEGMENT =
  /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{12,}|(?=[a-z0-9_-]*\d)[a-z0-9_-]{16,})$/i;

/** The path of a URL with the segments that look like ids replaced by {}: /api/projects/{}/tracks. */
export function normalizePath(url: string): string {
  let pathname: string;
  try {
    pathname = new URL(url, 'http://gauntlet.invalid').pathname;
  } catch {
    pathname = url.split('?')[0]!;
  }
  return pathname
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? '{}' : segment))
    .join('/');
}

/** A message without its particulars: quoted values, numbers, ids and e-mail addresses become placeholders. */
export function normalizeMessage(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '"…"')
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '<email>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\d+(?:\.\d+)?/g, 'N')
    .trim();
}
