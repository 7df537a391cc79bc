// From results to findings: failures grouped by signature (one failure on one operation, one finding, with its
// count and its smallest reproduction), labelled new / still failing / fixed against the base run, given a risk,
// put in the risk order grouped by root cause (risk.ts, root-cause.ts), and the coverage of the user-case matrix.
// A pull request's verdict rests on the new findings when there is a base to compare with.
import type { RunResult, RunSummary } from '../cases/index.ts';
import type { Analysis, Finding, JourneyCoverage } from './model.ts';
import { byRisk, harmOf, highestPriority, kindOf, riskOf } from './risk.ts';
import { rootCausesOf } from './root-cause.ts';
import { failureSignature, findingId } from './signature.ts';

export { kindOf } from './risk.ts';

export interface AnalyzeOptions {
  /** The latest run on the base branch: its findings tell new ones from old ones. */
  base?: RunSummary;
}

export function analyze(summary: RunSummary, options: AnalyzeOptions = {}): Analysis {
  const current = findingsOf(summary);
  const base = options.base ? findingsOf(options.base) : undefined;
  const baseKeys = new Set(base?.map((f) => f.signature));
  const findings = inRiskOrder(
    current.map((finding): Finding => ({
      ...finding,
      state: base && !baseKeys.has(finding.signature) ? 'new' : base ? 'still-failing' : 'new',
    })),
  );
  const currentKeys = new Set(current.map((f) => f.signature));
  // A base finding is fixed when it fails no more here, and the case that showed it still ran here and passed
  // (a case this run did not have is not evidence of a fix).
  const ranHere = new Map(summary.results.map((r) => [r.caseId, r.status]));
  const fixed = (base ?? [])
    .filter((f) => !currentKeys.has(f.signature))
    .filter((f) => f.caseIds.some((id) => ranHere.get(id) === 'passed'))
    .map((f): Finding => ({ ...f, state: 'fixed', count: 0 }));
  const deciding = base ? findings.filter((f) => f.state === 'new') : findings;
  return {
    findings,
    fixed: inRiskOrder(fixed),
    compared: base !== undefined,
    flaky: summary.results.filter((r) => r.status === 'flaky'),
    coverage: coverageOf(summary),
    verdict: deciding.length > 0 || summary.latency?.withinBudget === false ? 'fail' : 'pass',
  };
}

/** The findings of one run, unlabelled (state "new"). */
function findingsOf(summary: RunSummary): Finding[] {
  const groups = new Map<
    string,
    { results: RunResult[]; signature: NonNullable<ReturnType<typeof failureSignature>> }
  >();
  for (const result of summary.results) {
    const signature = failureSignature(result);
    if (!signature) continue;
    const group = groups.get(signature.key);
    if (group) group.results.push(result);
    else groups.set(signature.key, { results: [result], signature });
  }
  const explored = new Map(summary.exploration?.findings.map((f) => [f.signature, f]));
  return [...groups.values()].map(({ results, signature }) => {
    const shrunk = explored.get(signature.key);
    const smallest = results.find((r) => r.caseId === shrunk?.minimalCaseId) ?? [...results].sort(bySize)[0]!;
    const kind = kindOf(signature.check, results);
    const priority = highestPriority(results.map((r) => r.priority));
    const harm = harmOf({
      check: signature.check,
      kind,
      status: signature.status,
      message: signature.message,
    });
    const journeys = [...new Set(results.map((r) => r.origin.journey))];
    return {
      id: findingId(signature.key),
      signature: signature.key,
      check: signature.check,
      operation: signature.operation,
      ...(signature.status !== undefined && { status: signature.status }),
      message: signature.message,
      kind,
      risk: riskOf(
        harm,
        results.map((r) => r.priority),
        journeys.length,
      ),
      ...(priority !== undefined && { priority }),
      state: 'new',
      ...(shrunk && { firstSeenRound: shrunk.firstSeenRound }),
      journeys,
      count: results.length,
      caseIds: results.map((r) => r.caseId),
      reproduction: {
        caseId: smallest.caseId,
        title: smallest.title,
        file: smallest.origin.file,
        line: smallest.origin.line,
        ...(smallest.reproduction.curl !== undefined && { curl: smallest.reproduction.curl }),
        ...(smallest.reproduction.steps !== undefined && { steps: smallest.reproduction.steps }),
      },
    };
  });
}

/** Most serious first (risk.ts), each root cause's findings together under its most serious one. */
function inRiskOrder(findings: readonly Finding[]): Finding[] {
  return rootCausesOf([...findings].sort(byRisk)).flatMap((cause) => cause.findings);
}

/** The smaller reproduction first: fewer exchanges, then fewer bytes sent. */
function bySize(a: RunResult, b: RunResult): number {
  const bytes = (r: RunResult) => r.evidence.reduce((n, e) => n + (e.request.body?.length ?? 0), 0);
  return a.evidence.length - b.evidence.length || bytes(a) - bytes(b) || a.caseId.localeCompare(b.caseId);
}

/** Which journeys, steps and titles have passing, failing or no cases. */
function coverageOf(summary: RunSummary): JourneyCoverage[] {
  const journeys = new Map<string, JourneyCoverage>();
  const journeyOf = (file: string, role: string, journey: string) => {
    const key = `${file}\n${journey}`;
    let entry = journeys.get(key);
    if (!entry) {
      entry = { file, role, journey, passed: 0, failed: 0, flaky: 0, skipped: 0, steps: [] };
      journeys.set(key, entry);
    }
    return entry;
  };
  const stepOf = (entry: JourneyCoverage, step: string) => {
    let found = entry.steps.find((s) => s.step === step);
    if (!found) {
      found = { step, passed: 0, failed: 0, titles: [] };
      entry.steps.push(found);
    }
    return found;
  };
  for (const result of summary.results) {
    const { origin } = result;
    const entry = journeyOf(origin.file, origin.role, origin.journey);
    const step = stepOf(entry, origin.step);
    const failing = result.status === 'failed' || result.status === 'error';
    if (failing) {
      entry.failed++;
      step.failed++;
    } else if (result.status === 'passed') {
      entry.passed++;
      step.passed++;
    } else if (result.status === 'flaky') {
      entry.flaky++;
    } else {
      entry.skipped++;
    }
    // The titles written in the user case: a case generated for a title carries it as its origin title.
    if (result.status === 'skipped') continue;
    const title = step.titles.find((t) => t.title === origin.title);
    if (!title)
      step.titles.push({ title: origin.title, line: origin.line, state: failing ? 'failing' : 'passing' });
    else if (failing) title.state = 'failing';
  }
  for (const untested of summary.untested) {
    const step = stepOf(journeyOf(untested.file, untested.role, untested.journey), untested.step);
    step.titles.push({ title: untested.title, line: untested.line, state: 'untested' });
  }
  return [...journeys.values()];
}
