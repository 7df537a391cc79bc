// results.json: the run's results with every finding of its analysis, for tools (an action, an app, a dashboard)
// that need the findings without analysing the results again. The Markdown report cuts findings to fit a comment;
// this file never does.
import type { ResultFinding, RunSummary } from '../cases/index.ts';
import type { Finding, FindingState } from '../analyze/model.ts';
import { harmOf, wordsOf } from '../analyze/risk.ts';
import { rootCausesOf } from '../analyze/root-cause.ts';
import type { Report } from './model.ts';

/** The run's summary with its findings, put before the results so that a person opening the file sees them first. */
export function resultsWithFindings(report: Report): RunSummary {
  const { results, findings: _old, ...rest } = report.summary;
  return { ...rest, findings: findingRecords(report), results };
}

export function renderResultsJson(report: Report): string {
  return `${JSON.stringify(resultsWithFindings(report), null, 2)}\n`;
}

/** A finding this change brings: new against the base run, or any open one when there was no base run. */
export function isNewFinding(finding: { state?: FindingState | undefined }): boolean {
  return finding.state === undefined || finding.state === 'new';
}

/** A finding still to mend: any but those of the base run fixed here. */
export function isOpenFinding(finding: { state?: FindingState | undefined }): boolean {
  return finding.state !== 'fixed';
}

/** Every finding of the analysis, most serious first, then those of the base run fixed here. */
export function findingRecords({ summary, analysis }: Report): ResultFinding[] {
  const columns = new Map(summary.results.map((r) => [r.caseId, r.origin.column]));
  const recordsOf = (findings: readonly Finding[]) =>
    rootCausesOf(findings).flatMap((cause) =>
      cause.findings.map((finding) =>
        recordOf(finding, cause.findings[0]!.id, cause.operations, analysis.compared, columns),
      ),
    );
  return [...recordsOf(analysis.findings), ...recordsOf(analysis.fixed)];
}

function recordOf(
  finding: Finding,
  rootCause: string,
  operations: string[],
  compared: boolean,
  columns: ReadonlyMap<string, number>,
): ResultFinding {
  const { reproduction: r } = finding;
  const column = columns.get(r.caseId);
  const { words, label } = wordsOf(finding);
  return {
    id: finding.id,
    risk: finding.risk,
    harm: harmOf(finding),
    kind: finding.kind,
    label,
    words,
    check: finding.check,
    signature: finding.signature,
    operation: finding.operation,
    operations,
    rootCause,
    ...(finding.status !== undefined && { status: finding.status }),
    message: finding.message,
    // Without a base run every finding is "new" in the model, which says nothing: the field is left out.
    ...(compared && { state: finding.state }),
    ...(finding.priority !== undefined && { priority: finding.priority }),
    journeys: finding.journeys,
    count: finding.count,
    caseIds: finding.caseIds,
    ...(finding.firstSeenRound !== undefined && { firstSeenRound: finding.firstSeenRound }),
    reproduction: {
      caseId: r.caseId,
      title: r.title,
      file: r.file,
      line: r.line,
      ...(column !== undefined && { column }),
      location: `${r.file}:${r.line}${column !== undefined ? `:${column}` : ''}`,
      ...(r.curl !== undefined && { curl: r.curl }),
      ...(r.steps !== undefined && { steps: r.steps }),
    },
  };
}
