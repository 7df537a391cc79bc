// Writing the reports of a run: the report model (analysis against the base run, narrative, trend) rendered into
// every format, the verdict in one line, and the exit code. Also reading results files back (`report`, `merge`).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import path from 'node:path';
import { parseYamlDocuments, RunSummary, type SourceError } from '../cases/index.ts';
import {
  buildReport,
  RENDERERS,
  trendPoint,
  type BuildOptions,
  type NarrativeWriter,
  type Renderer,
  type Report,
} from '../report/index.ts';
import { addSpending, type PriceTable } from '../generate/generate.ts';
import { appendHistory, readHistory } from '../report/history.ts';
import { Redactor } from '../run/index.ts';
import { jsonStore, type Store } from '../store/index.ts';
import type { CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';

export interface ReportContext {
  /** The base branch's results: findings are then new, still failing or fixed, and the verdict rests on new ones. */
  base?: RunSummary;
  /** Where the trend is kept; this run is added to it. */
  store?: Store;
  /** An LLM that writes the summary and recommendations (checked against the findings). */
  writer?: NarrativeWriter;
  /** The price table that turns the writer's tokens into the run's estimated cost. */
  prices?: PriceTable;
  /** Where the full report will be: a shortened Markdown report links to it. */
  fullReportUrl?: string;
  /** The branch this run tested: its results are kept in the store as the branch's latest, for later comparisons. */
  branch?: string;
  /** False for a part of a run (a shard): it reads the trend but adds nothing to the store. */
  keep?: boolean;
}

/**
 * The store holds the trend and the base branch's results, nice to have, never worth a run: when it fails (Redis
 * gone, a read-only disk), the run says so and goes on without them.
 */
async function bestEffort<T>(task: () => Promise<T>, fallback: T, log: (line: string) => void): Promise<T> {
  try {
    return await task();
  } catch (error) {
    log(`The run store failed (${(error as Error).message}); the report goes on without it.`);
    return fallback;
  }
}

const latestKey = (branch: string) => `results:latest:${branch}`;

/** The latest results the store holds for a branch; none (and a line saying so) when it holds none. */
export async function latestResults(
  store: Store,
  branch: string,
  log: (line: string) => void,
): Promise<RunSummary | undefined> {
  const found = await bestEffort(
    () =>
      jsonStore(store, RunSummary, (key, problem) => log(`${key} is damaged (${problem})`)).get(
        latestKey(branch),
      ),
    undefined,
    log,
  );
  if (!found) log(`The store holds no results of the branch ${branch}; findings are not compared with it.`);
  return found;
}

/** Writes every report and says the verdict in one line; returns the exit code. */
export async function writeReports(
  given: RunSummary,
  out: string,
  io: CliIo,
  context: ReportContext = {},
): Promise<number> {
  const log = (line: string) => io.stderr.write(`${line}\n`);
  const redactor = io.redactor ?? new Redactor();
  // Every case's result was redacted as it ended; now the run knows every case's secrets, and hunts them all.
  const summary = redactor.summary(given);
  const { store } = context;
  const history = store ? await bestEffort(() => readHistory(store, context.branch), [], log) : [];
  const { report, note } = await buildReport(summary, {
    ...(context.base && { base: redactor.summary(context.base) }),
    history,
    ...(context.writer && { writer: context.writer }),
    ...(context.fullReportUrl !== undefined && { fullReportUrl: context.fullReportUrl }),
  });
  if (note) io.stderr.write(`${note}\n`);
  const spent = context.writer?.usage;
  const usage = report.summary.generation?.usage;
  // The summary was written by the LLM too: the run's figures count it.
  if (context.writer && spent && usage) addSpending(usage, spent, context.writer.name, context.prices);
  await mkdir(out, { recursive: true });
  for (const renderer of RENDERERS) {
    await writeFile(
      path.join(out, renderer.file),
      redactRendered(renderer, renderer.render(report), redactor),
    );
  }
  if (store && context.keep !== false) {
    await bestEffort(
      () => appendHistory(store, trendPoint(summary, report.analysis.findings.length), context.branch),
      undefined,
      log,
    );
    const { branch } = context;
    if (branch)
      await bestEffort(() => jsonStore(store, RunSummary).set(latestKey(branch), summary), undefined, log);
  }
  io.stdout.write(
    `${verdictLine(report)}\nReport: ${path.join(out, 'report.md')} (also ${RENDERERS.slice(1)
      .map((r) => r.file)
      .join(', ')})\n`,
  );
  return report.analysis.verdict === 'pass' ? 0 : 1;
}

function verdictLine(report: Report): string {
  const { totals } = report.summary;
  const problems = totals.failed + totals.error;
  const { findings, compared } = report.analysis;
  const fresh = findings.filter((f) => f.state === 'new').length;
  const notRun = report.summary.results.filter((r) => r.notRun).length;
  const grouped =
    findings.length === 0
      ? ''
      : ` ${findings.length} finding${findings.length === 1 ? '' : 's'}${compared ? `, ${fresh} new` : ''}.`;
  return (
    `${problems === 0 ? 'No problems found' : `${problems} problem${problems === 1 ? '' : 's'} found`}: ` +
    `${totals.passed} passed, ${totals.failed} failed, ${totals.error} errors, ${totals.flaky} flaky, ` +
    `${totals.skipped} skipped${notRun === 0 ? '' : ` (${notRun} not run on this machine)`}.${grouped}`
  );
}

/** One format of a report from a results file (`gauntlet report`). */
export async function renderReport(
  given: RunSummary,
  format: string,
  options: BuildOptions = {},
  redactor = new Redactor(),
): Promise<string> {
  const renderer = RENDERERS.find((r) => r.name === format);
  if (!renderer) {
    throw new UsageError(
      `unknown format "${format}"; the formats are: ${RENDERERS.map((r) => r.name).join(', ')}`,
    );
  }
  const summary = redactor.summary(given);
  const base = options.base && redactor.summary(options.base);
  const { report } = await buildReport(summary, { ...options, ...(base && { base }) });
  return redactRendered(renderer, renderer.render(report), redactor);
}

/**
 * The last look at a file before it is written: the model it was rendered from is redacted already, but a renderer
 * may have put together what no single field held. A JSON file is redacted value by value, so it stays JSON.
 */
function redactRendered(renderer: Renderer, text: string, redactor: Redactor): string {
  if (!/\.(json|sarif)$/.test(renderer.file)) return redactor.text(text);
  return `${JSON.stringify(redactor.json(JSON.parse(text)), null, 2)}\n`;
}

/**
 * Where the text stops being JSON: JSON.parse says what is wrong but not always where; when it does not, a strict
 * parser that keeps offsets finds the place.
 */
function jsonSyntaxError(file: string, text: string, error: Error): SourceError {
  const message = error.message
    .replace(/ (in JSON )?at position \d+.*$/, '')
    .replace(/ \(line \d+ column \d+\)$/, '')
    // V8 quotes the text around the place, newlines and all: the position says it better.
    .replace(/, (\.\.\.)?"[\s\S]*" is not valid JSON$/, '');
  const problems: ParseError[] = [];
  parseJsonc(text, problems, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const position = /at position (\d+)/.exec(error.message)?.[1];
  const offset = position !== undefined ? Number(position) : (problems[0]?.offset ?? 0);
  const before = text.slice(0, offset).split('\n');
  return { file, line: before.length, column: before.at(-1)!.length + 1, message };
}

export async function readSummary(file: string): Promise<RunSummary> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw UsageError.fromSourceErrors(`${file} is not JSON`, [jsonSyntaxError(file, text, error as Error)]);
  }
  const parsed = RunSummary.safeParse(json);
  if (!parsed.success) {
    // Read again, slowly, with positions (JSON is YAML), only to say where each problem is.
    const located = parseYamlDocuments(text, file, RunSummary);
    throw UsageError.fromSourceErrors(
      `${file} is not a Gauntlet results file`,
      located.ok ? [{ file, line: 1, column: 1, message: parsed.error.issues[0]!.message }] : located.errors,
      // A results file holds thousands of results: one mistake in each should not fill the terminal.
      20,
    );
  }
  // Findings are recomputed from the results whenever a file is read (against this run's base, by this version's
  // analysis): the ones written in the file may be an older analysis's, or compared with another base.
  const { findings: _written, ...summary } = parsed.data;
  return summary;
}
