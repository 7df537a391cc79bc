// Run results made by hand, for the tests of analysis and reports: a result of the given status with a failure
// and evidence shaped like the runner's, and a run summary of such results.
import { createHash } from 'node:crypto';
import type { RunResult, RunSummary } from '../../src/cases/index.ts';
import { summarize } from '../../src/report/index.ts';

const id = (text: string) => `tc_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;

export interface Failing {
  check?: string;
  message?: string;
  method?: string;
  url?: string;
  status?: number;
  body?: string;
}

export function result(
  title: string,
  status: RunResult['status'],
  failing: Failing = {},
  extra: Partial<RunResult> = {},
): RunResult {
  const failed = status === 'failed' || status === 'flaky';
  return {
    caseId: id(title),
    title,
    kind: 'api',
    priority: 'medium',
    origin: {
      file: 'user-cases/music.yml',
      line: 10,
      column: 5,
      role: 'Producer',
      journey: 'Make a song',
      step: 'Create project',
      title,
      generator: 'user-case',
    },
    status,
    durationMs: 5,
    failures: failed
      ? [
          {
            check: failing.check ?? 'status',
            message: failing.message ?? 'expected status 400, got 201',
            step: 1,
          },
        ]
      : [],
    evidence: failed
      ? [
          {
            step: 1,
            request: {
              method: failing.method ?? 'POST',
              url: failing.url ?? 'http://127.0.0.1:4100/api/projects',
              headers: {},
              ...(failing.body !== undefined && { body: failing.body }),
            },
            response: { status: failing.status ?? 201, headers: {}, body: '{}' },
            durationMs: 3,
          },
        ]
      : [],
    reproduction: failed ? { curl: `curl -X POST http://127.0.0.1:4100/api/projects # ${title}` } : {},
    ...extra,
  };
}

export const summaryOf = (results: RunResult[], untested: RunSummary['untested'] = []) =>
  summarize({
    version: '0.1.0',
    target: 'http://127.0.0.1:4100/',
    startedAt: new Date('2026-11-25T10:00:00Z'),
    durationMs: 1000,
    results,
    untested,
  });

/** A check that measures the machine as much as the service: a time limit (maxMs) or a load threshold. */
export const isSpeedCheck = (check: string): boolean => check === 'duration' || check.startsWith('load.');

/**
 * A result that failed only on such checks: on a busy machine (a shared CI runner, two test workers) a correct
 * service may fail them on every attempt, rightly; the tests of correct services leave these out.
 */
export const failedOnSpeedOnly = (r: RunResult): boolean =>
  r.status === 'failed' && r.failures.length > 0 && r.failures.every((f) => isSpeedCheck(f.check));
