// The report model: one run's results with their totals, the contract between running and every renderer.
import { percentile } from '../run/load/measure.ts';
import type { RunResult, RunStatus, RunSummary } from '../cases/index.ts';

export interface SummaryInput {
  version: string;
  target: string;
  startedAt: Date;
  durationMs: number;
  results: RunResult[];
  untested: RunSummary['untested'];
  /** The p95 budget for every response of the run (`latencyBudget` of gauntlet.yml). */
  latencyBudget?: { p95Ms: number } | undefined;
  generation?: RunSummary['generation'];
  operations?: RunSummary['operations'];
  exploration?: RunSummary['exploration'];
  serviceCoverage?: RunSummary['serviceCoverage'];
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
    ...latencyOf(results, input.latencyBudget?.p95Ms),
    ...(input.generation && { generation: input.generation }),
    ...(input.operations && { operations: input.operations }),
    ...(input.exploration && { exploration: input.exploration }),
    ...(input.serviceCoverage && { serviceCoverage: input.serviceCoverage }),
    results,
  };
}

/** Response times over every HTTP response the run's cases made, judged against the budget if there is one. */
function latencyOf(results: readonly RunResult[], budgetP95Ms?: number): Pick<RunSummary, 'latency'> {
  const timings = Float64Array.from(results.flatMap((r) => r.timings ?? [])).sort();
  if (timings.length === 0) return {};
  const p95Ms = percentile(timings, 95);
  return {
    latency: {
      responses: timings.length,
      p50Ms: percentile(timings, 50),
      p95Ms,
      p99Ms: percentile(timings, 99),
      ...(budgetP95Ms !== undefined && { budgetP95Ms, withinBudget: p95Ms < budgetP95Ms }),
    },
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
    ...latencyOf(results, summaries.find((s) => s.latency?.budgetP95Ms)?.latency?.budgetP95Ms),
    ...mergeGeneration(summaries),
    ...mergeOperations(summaries),
    // Exploration runs whole, never in shards: a merge carries it over from the one file that has it.
    ...(summaries.filter((s) => s.exploration).length === 1 && {
      exploration: summaries.find((s) => s.exploration)!.exploration!,
    }),
    results,
  };
}

/**
 * Every shard generates the same cases and runs its part of them: the first shard says how they were made, and what
 * the LLM cost is what every shard spent (shards that share a cache spend nothing after the first).
 */
function mergeGeneration(summaries: readonly RunSummary[]): Pick<RunSummary, 'generation'> {
  const first = summaries[0]!.generation;
  if (!first) return {};
  const usage = { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
  for (const { generation } of summaries) {
    if (!generation) continue;
    usage.requests += generation.usage.requests;
    usage.promptTokens += generation.usage.promptTokens;
    usage.completionTokens += generation.usage.completionTokens;
    usage.costUsd += generation.usage.costUsd;
  }
  return { generation: { ...first, usage } };
}

function mergeOperations(summaries: readonly RunSummary[]): Pick<RunSummary, 'operations'> {
  const first = summaries[0]!.operations;
  if (!first) return {};
  const operations = first.operations.map((operation, i) => {
    const parts = summaries.map((s) => s.operations?.operations[i]);
    const sum = (key: 'cases' | 'passed' | 'failed') => parts.reduce((n, p) => n + (p?.[key] ?? 0), 0);
    return { ...operation, cases: sum('cases'), passed: sum('passed'), failed: sum('failed') };
  });
  return {
    operations: {
      source: first.source,
      operations,
      ...(first.responses && { responses: first.responses }),
    },
  };
}

/** Failed and errored results: what needs a person's attention. */
export function problems(summary: RunSummary): RunResult[] {
  return summary.results.filter((r) => r.status === 'failed' || r.status === 'error');
}

/** 0 when nothing needs attention, 1 when something does: the CLI's and CI's verdict. */
export function exitCodeOf(summary: RunSummary): 0 | 1 {
  return problems(summary).length > 0 || summary.latency?.withinBudget === false ? 1 : 0;
}
