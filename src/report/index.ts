// Renderers: each turns the one report model into one file. A new format is one more entry in RENDERERS.
import type { RunSummary } from '../cases/index.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';

export interface Renderer {
  name: string;
  file: string;
  render(summary: RunSummary): string;
}

export const RENDERERS: readonly Renderer[] = [
  { name: 'markdown', file: 'report.md', render: renderMarkdown },
  { name: 'json', file: 'results.json', render: (summary) => `${JSON.stringify(summary, null, 2)}\n` },
  { name: 'junit', file: 'junit.xml', render: renderJunit },
];

export { summarize, problems, exitCodeOf, mergeSummaries } from './summary.ts';
export type { SummaryInput } from './summary.ts';
export { renderMarkdown } from './markdown.ts';
export { renderJunit } from './junit.ts';
