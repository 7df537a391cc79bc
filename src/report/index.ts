// Renderers: each turns the one report model into one file. A new format is one more entry in RENDERERS.
import { renderHtml } from './html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderResultsJson } from './results-json.ts';
import { renderSarif } from './sarif.ts';
import type { Renderer } from './model.ts';

export const RENDERERS: readonly Renderer[] = [
  { name: 'md', file: 'report.md', render: (report) => renderMarkdown(report) },
  { name: 'json', file: 'results.json', render: renderResultsJson },
  { name: 'html', file: 'report.html', render: renderHtml },
  { name: 'junit', file: 'junit.xml', render: ({ summary }) => renderJunit(summary) },
  { name: 'sarif', file: 'gauntlet.sarif', render: renderSarif },
];

export { summarize, problems, exitCodeOf, mergeSummaries } from './summary.ts';
export type { SummaryInput } from './summary.ts';
export { renderMarkdown, COMMENT_LIMIT } from './markdown.ts';
export { renderJunit } from './junit.ts';
export { renderHtml } from './html.ts';
export { renderSarif } from './sarif.ts';
export { buildReport, reportOf, trendPoint } from './build.ts';
export type { BuildOptions } from './build.ts';
export type { Narrative, Recommendation, Renderer, Report, TrendPoint } from './model.ts';
export { templateNarrative, ungrounded, writeNarrative } from './narrative.ts';
export type { NarrativeWriter, NarrativeInput, WrittenNarrative } from './narrative.ts';
