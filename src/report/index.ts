// Renderers: each turns the one report model into one file. A new format is one more entry in RENDERERS.
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { Renderer } from './model.ts';

export const RENDERERS: readonly Renderer[] = [
  { name: 'md', file: 'report.md', render: (report) => renderMarkdown(report) },
  { name: 'json', file: 'results.json', render: ({ summary }) => `${JSON.stringify(summary, null, 2)}\n` },
  { name: 'junit', file: 'junit.xml', render: ({ summary }) => renderJunit(summary) },
];

export { summarize, problems, exitCodeOf, mergeSummaries } from './summary.ts';
export type { SummaryInput } from './summary.ts';
export { renderMarkdown, COMMENT_LIMIT } from './markdown.ts';
export { renderJunit } from './junit.ts';
export { buildReport, reportOf, trendPoint } from './build.ts';
export type { BuildOptions } from './build.ts';
export type { Narrative, Recommendation, Renderer, Report, TrendPoint } from './model.ts';
export { templateNarrative, ungrounded, writeNarrative } from './narrative.ts';
export type { NarrativeWriter, NarrativeInput, WrittenNarrative } from './narrative.ts';
