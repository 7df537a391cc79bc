// One report model from a run: its analysis (against the base run when there is one), the narrative (the
// template's, or an LLM's that holds to the findings) and the trend over earlier runs.
import type { RunSummary } from '../cases/index.ts';
import { analyze } from '../analyze/analyze.ts';
import type { Report, TrendPoint } from './model.ts';
import { templateNarrative, writeNarrative, type NarrativeWriter } from './narrative.ts';

export interface BuildOptions {
  base?: RunSummary;
  /** Earlier runs, oldest first. */
  history?: readonly TrendPoint[];
  fullReportUrl?: string;
}

/** The report with the template's narrative: no network, for `report` and tests. */
export function reportOf(summary: RunSummary, options: BuildOptions = {}): Report {
  const analysis = analyze(summary, options.base ? { base: options.base } : {});
  return {
    summary,
    analysis,
    narrative: templateNarrative(summary, analysis),
    trend: [...(options.history ?? []), trendPoint(summary, analysis.findings.length)],
    ...(options.fullReportUrl !== undefined && { fullReportUrl: options.fullReportUrl }),
  };
}

/** The report, its narrative written by `writer` when it writes one grounded in the findings. */
export async function buildReport(
  summary: RunSummary,
  options: BuildOptions & { writer?: NarrativeWriter } = {},
): Promise<{ report: Report; note?: string }> {
  const report = reportOf(summary, options);
  if (!options.writer) return { report };
  const { narrative, note } = await writeNarrative(summary, report.analysis, options.writer);
  return { report: { ...report, narrative }, ...(note !== undefined && { note }) };
}

export function trendPoint(summary: RunSummary, findings: number): TrendPoint {
  return {
    startedAt: summary.startedAt,
    passed: summary.totals.passed,
    failed: summary.totals.failed + summary.totals.error,
    findings,
  };
}
