// The signature of a failure: what failed (the check), where (the operation, ids in its path normalized), how (the
// status) and why (the message with its particulars taken out). Two results with one signature are one root cause.
import { createHash } from 'node:crypto';
import type { RunResult } from '../cases/index.ts';

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
  const failure = result.failures[0];
  const check = failure?.check ?? 'error';
  const message = failure?.message ?? result.error ?? 'failed';
  const step = failure?.step;
  const exchange = step === undefined ? result.evidence.at(-1) : result.evidence.find((e) => e.step === step);
  const operation =
    result.kind === 'ui'
      ? `UI ${result.origin.step}`
      : exchange
        ? `${exchange.request.method} ${normalizePath(exchange.request.url)}`
        : result.origin.step;
  const status = exchange?.response?.status;
  const key = [check, operation, status ?? '-', normalizeMessage(message)].join(' | ');
  return { key, check, operation, ...(status !== undefined && { status }), message };
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
