// The report model: one run's results with their totals, the contract between running and every renderer.
import type { RunResult, RunStatus, RunSummary } from '../cases/index.ts';

export interface SummaryInput {
  version: string;
  target: string;
  startedAt: Date;
  durationMs: number;
  results: RunResult[];
  untested: RunSummary['untested'];
}

export const STATUSES: readonly RunStatus[] = ['passed', 'failed', 'error', 'flaky', 'skipped'];

export function summarize(input: SummaryInput): RunSummary {
  const totals = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  for (const result of input.results) totals[result.status]++;
  return {
    tool: 'gauntlet',
    version: input.version,
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    totals,
    untested: input.untested,
    results: input.results,
  };
}

/** Failed and errored results: what needs a person's attention. */
export function problems(summary: RunSummary): RunResult[] {
  return summary.results.filter((r) => r.status === 'failed' || r.status === 'error');
}

/** 0 when nothing needs attention, 1 when something does: the CLI's and CI's verdict. */
export function exitCodeOf(summary: RunSummary): 0 | 1 {
  return problems(summary).length > 0 ? 1 : 0;
}
