// The report model: one run's results, their analysis, the plain-language narrative and the trend. Every renderer
// (Markdown, HTML, JUnit, SARIF, JSON) turns this one model into one file.
import type { RunSummary } from '../cases/index.ts';
import type { Analysis } from '../analyze/model.ts';

export interface Recommendation {
  /** One plain sentence: what to do. */
  text: string;
  /** The finding ids it is about (may be none, e.g. "add test data for untested titles"). */
  findings: string[];
}

export interface Narrative {
  /** The executive summary: two or three plain sentences a non-technical reader understands. */
  summary: string;
  /** Most important first. */
  recommendations: Recommendation[];
  /** "template", or the LLM provider that wrote it ("openai/gpt-4.1-mini"). */
  author: string;
}

/** One earlier run (or this one), for the trend. */
export interface TrendPoint {
  startedAt: string;
  passed: number;
  failed: number;
  /** Findings (grouped failures) of that run. */
  findings: number;
}

export interface Report {
  summary: RunSummary;
  analysis: Analysis;
  narrative: Narrative;
  /** Earlier runs, oldest first, ending with this run; just this run when there is no history. */
  trend: TrendPoint[];
  /** Where the full report lives (the job's artifacts, a Pages URL): the comment links to it when it is cut. */
  fullReportUrl?: string;
}

export interface Renderer {
  name: string;
  file: string;
  render(report: Report): string;
}
