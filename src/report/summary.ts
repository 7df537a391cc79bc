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
  const results = [...input.results].sort(byOrigin);
  return {
    tool: 'gauntlet',
    version: input.version,
    target: input.target,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    totals: totalsOf(results),
    untested: input.untested,
    results,
  };
}

function totalsOf(results: readonly RunResult[]): Record<RunStatus, number> {
  const totals = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  for (const result of results) totals[result.status]++;
  return totals;
}

/** Results in the order of the user cases they came from, whatever order they finished in or which shard ran them. */
function byOrigin(a: RunResult, b: RunResult): number {
  const x = a.origin;
  const y = b.origin;
  return (
    x.file.localeCompare(y.file) || x.line - y.line || x.column - y.column || a.caseId.localeCompare(b.caseId)
  );
}

/** Joins the results of shards of one run (`gauntlet merge`). */
export function mergeSummaries(summaries: readonly RunSummary[]): RunSummary {
  if (summaries.length === 0) throw new Error('nothing to merge');
  const results = summaries.flatMap((s) => s.results).sort(byOrigin);
  const seen = new Set<string>();
  const untested = summaries
    .flatMap((s) => s.untested)
    .filter((u) => {
      const key = `${u.file}:${u.line}:${u.column}`;
      return !seen.has(key) && seen.add(key);
    });
  return {
    tool: 'gauntlet',
    version: summaries[0]!.version,
    target: [...new Set(summaries.map((s) => s.target))].join(', '),
    startedAt: summaries.map((s) => s.startedAt).sort()[0]!,
    durationMs: Math.max(...summaries.map((s) => s.durationMs)),
    totals: totalsOf(results),
    untested,
    results,
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
