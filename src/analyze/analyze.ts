// From results to findings: failures grouped by signature (one root cause, one finding, with its count and its
// smallest reproduction), labelled new / still failing / fixed against the base run, given a risk, and the coverage
// of the user-case matrix. A pull request's verdict rests on the new findings when there is a base to compare with.
import type { RunResult, RunSummary } from '../cases/index.ts';
import type { Analysis, Finding, FindingKind, JourneyCoverage, Risk } from './model.ts';
import { failureSignature, findingId } from './signature.ts';

export interface AnalyzeOptions {
  /** The latest run on the base branch: its findings tell new ones from old ones. */
  base?: RunSummary;
}

export function analyze(summary: RunSummary, options: AnalyzeOptions = {}): Analysis {
  const current = findingsOf(summary);
  const base = options.base ? findingsOf(options.base) : undefined;
  const baseKeys = new Set(base?.map((f) => f.signature));
  const findings = current
    .map((finding): Finding => ({
      ...finding,
      state: base && !baseKeys.has(finding.signature) ? 'new' : base ? 'still-failing' : 'new',
    }))
    .sort(byImportance);
  const currentKeys = new Set(current.map((f) => f.signature));
  // A base finding is fixed when it fails no more here, and the case that showed it still ran here and passed
  // (a case this run did not have is not evidence of a fix).
  const ranHere = new Map(summary.results.map((r) => [r.caseId, r.status]));
  const fixed = (base ?? [])
    .filter((f) => !currentKeys.has(f.signature))
    .filter((f) => f.caseIds.some((id) => ranHere.get(id) === 'passed'))
    .map((f): Finding => ({ ...f, state: 'fixed', count: 0 }))
    .sort(byImportance);
  const deciding = base ? findings.filter((f) => f.state === 'new') : findings;
  return {
    findings,
    fixed,
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
    return {
      id: findingId(signature.key),
      signature: signature.key,
      check: signature.check,
      operation: signature.operation,
      ...(signature.status !== undefined && { status: signature.status }),
      message: signature.message,
      kind,
      risk: riskOf(kind, results),
      state: 'new',
      ...(shrunk && { firstSeenRound: shrunk.firstSeenRound }),
      journeys: [...new Set(results.map((r) => r.origin.journey))],
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

/** Checks that guard against attackers and leaks. */
const SECURITY_CHECKS = new Set([
  'requires_auth',
  'owner_only',
  'no_reflected_markup',
  'no_sql_error',
  'no_stack_trace',
  'no_debug_page',
  'no_header_injection',
  'page_stays_on_target',
]);
const SECURITY_GENERATORS =
  /^rules\/(injection|path-traversal|no-credentials|wrong-credentials|cross-user|reflected-markup|header-injection)$/;

/** What kind of harm the failures of one root cause stand for, judged from the check and the cases that failed it. */
export function kindOf(check: string, results: readonly RunResult[]): FindingKind {
  const first = results[0]!;
  // A probe's own verdict (its status, or a crash on it) is a security finding; another check failing on a probe
  // (a content type, the API description) is what that check says it is.
  const probeVerdict = check === 'status' || check === 'not_a_server_error';
  if (
    SECURITY_CHECKS.has(check) ||
    (probeVerdict && results.some((r) => SECURITY_GENERATORS.test(r.origin.generator)))
  ) {
    return 'security';
  }
  if (check.startsWith('load.') || check === 'duration' || first.kind === 'load') return 'performance';
  if (check === 'not_a_server_error' || check === 'error' || first.status === 'error') return 'crash';
  // A write that was accepted where it must have been refused, or lost: data the user cannot trust.
  if (results.some((r) => /(lost|not saved|duplicate|overwr)/i.test(r.failures[0]?.message ?? ''))) {
    return 'data-loss';
  }
  if (check.startsWith('openapi_') || check === 'json_content_type') return 'contract';
  return 'behaviour';
}

/** What the priority of the failing cases adds to the risk: a critical path failing is serious whatever fails. */
const PRIORITY_WEIGHT: Record<string, number> = { critical: 2, high: 1, medium: 0, low: 0 };

/**
 * High: security and data loss, failures of critical cases, crashes of high-priority ones; medium: crashes and
 * slowdowns, failures of high-priority cases; low: the rest. Blast radius (three journeys or more) adds a level.
 */
function riskOf(kind: FindingKind, results: readonly RunResult[]): Risk {
  if (kind === 'security' || kind === 'data-loss') return 'high';
  const priority = Math.max(...results.map((r) => PRIORITY_WEIGHT[r.priority] ?? 0));
  const journeys = new Set(results.map((r) => r.origin.journey)).size;
  let level = (kind === 'crash' || kind === 'performance' ? 1 : 0) + priority;
  if (journeys >= 3) level++;
  return level >= 2 ? 'high' : level === 1 ? 'medium' : 'low';
}

const RISK_ORDER: Record<Risk, number> = { high: 0, medium: 1, low: 2 };
const STATE_ORDER = { new: 0, 'still-failing': 1, fixed: 2 };

function byImportance(a: Finding, b: Finding): number {
  return (
    RISK_ORDER[a.risk] - RISK_ORDER[b.risk] ||
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    b.count - a.count ||
    a.id.localeCompare(b.id)
  );
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
