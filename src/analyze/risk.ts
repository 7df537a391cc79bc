// The risk order of findings, in one place: what harm each failure stands for, how serious that harm is, and the
// order every report, summary and recommendation list follows. A security reviewer's order: first what lets someone
// reach other users' data or act without the right to (broken access control, injection) and what loses users'
// data; then crashes and leaks of internals; then answers off what was expected (wrong answers, off the contract);
// then slowness. Within a level, the users' data at stake decides: writes before reads, critical cases before low.
import type { RunResult } from '../cases/index.ts';
import type { Finding, FindingKind, Risk } from './model.ts';

export type Harm =
  'access' | 'injection' | 'data-loss' | 'crash' | 'exposure' | 'wrong-answer' | 'contract' | 'slowdown';

export interface HarmClass {
  name: Harm;
  /** 1: other users' data or rights, lost data; 2: crashes and leaks of internals; 3: wrong answers; 4: speed. */
  level: 1 | 2 | 3 | 4;
  /** A phrase for a sentence: "Fix broken access control on …". */
  words: string;
  /** A short label for tables and counts. */
  label: string;
  /** What it adds to the risk before priority and reach: 2 makes it high whatever the case. */
  weight: 0 | 1 | 2;
}

/** Every harm, most serious first: the order of findings, of the summary's "most serious" and of recommendations. */
export const HARMS: readonly HarmClass[] = [
  { name: 'access', level: 1, words: 'broken access control', label: 'access control', weight: 2 },
  { name: 'injection', level: 1, words: 'an injection', label: 'injection', weight: 2 },
  { name: 'data-loss', level: 1, words: 'a risk to users’ data', label: 'data loss', weight: 2 },
  { name: 'crash', level: 2, words: 'a crash', label: 'crash', weight: 1 },
  { name: 'exposure', level: 2, words: 'a leak of internals', label: 'leak of internals', weight: 1 },
  { name: 'wrong-answer', level: 3, words: 'a wrong answer', label: 'wrong answer', weight: 0 },
  {
    name: 'contract',
    level: 3,
    words: 'an answer off the API description',
    label: 'off the contract',
    weight: 0,
  },
  { name: 'slowdown', level: 4, words: 'a slowdown', label: 'slowdown', weight: 0 },
];

const HARM_BY_NAME = new Map(HARMS.map((harm, rank) => [harm.name, { ...harm, rank }]));

export function harmClass(name: Harm): HarmClass & { rank: number } {
  return HARM_BY_NAME.get(name)!;
}

/**
 * What each check's failure stands for, and whether the check judges the service as a whole. A check applied to
 * every answer (a leaked stack trace, a missing credential check) failing the same way on several operations is
 * most likely one cause (one error handler, one middleware); a check of what one operation should answer (its
 * status, its body, its speed) fails on each operation for that operation's own reasons, as a server error does.
 * Between two failures of one result with the same harm, the check listed first stands for the result: what the
 * test itself expected (it says what should have happened), then the built-in checks, the more specific first (a
 * debug page before the stack trace it shows).
 */
export const CHECK_HARMS: Readonly<Record<string, { harm: Harm; wholeService: boolean }>> = {
  status: { harm: 'wrong-answer', wholeService: false },
  body: { harm: 'wrong-answer', wholeService: false },
  header: { harm: 'contract', wholeService: false },
  capture: { harm: 'wrong-answer', wholeService: false },
  duration: { harm: 'slowdown', wholeService: false },
  ui: { harm: 'wrong-answer', wholeService: false },
  error: { harm: 'crash', wholeService: false },
  owner_only: { harm: 'access', wholeService: true },
  requires_auth: { harm: 'access', wholeService: true },
  no_sql_error: { harm: 'injection', wholeService: true },
  no_reflected_markup: { harm: 'injection', wholeService: true },
  no_header_injection: { harm: 'injection', wholeService: true },
  no_debug_page: { harm: 'exposure', wholeService: true },
  no_stack_trace: { harm: 'exposure', wholeService: true },
  page_stays_on_target: { harm: 'exposure', wholeService: true },
  not_a_server_error: { harm: 'crash', wholeService: false },
  json_content_type: { harm: 'contract', wholeService: true },
  openapi_status: { harm: 'contract', wholeService: false },
  openapi_content_type: { harm: 'contract', wholeService: false },
  openapi_body: { harm: 'contract', wholeService: false },
};

/** What a finding of one check is, in the check's own terms. */
export interface CheckWords {
  /** A phrase for a sentence: "Fix a JSON body sent with another content type on …". */
  words: string;
  /** A short label for tables. */
  label: string;
}

/**
 * Each check's own words, for labels and recommendations: a finding says what its check saw, not the broad harm it
 * stands for (a JSON body sent as text/html is not "an answer off the API description"). Every check of CHECK_HARMS
 * and BUILT_IN_CHECKS has an entry; a check without one (a load threshold) is worded by its harm.
 */
export const CHECK_WORDS: Readonly<Record<string, CheckWords>> = {
  status: { words: 'a wrong status', label: 'wrong status' },
  body: { words: 'a wrong answer body', label: 'wrong body' },
  header: { words: 'a wrong response header', label: 'wrong header' },
  capture: { words: 'an answer missing a value the journey needs', label: 'missing value' },
  duration: { words: 'an answer slower than the test allows', label: 'slow answer' },
  ui: { words: 'a page that does not do what the journey expects', label: 'page behaviour' },
  error: { words: 'a request that got no usable answer', label: 'no answer' },
  owner_only: { words: 'broken access control between users', label: 'cross-user access' },
  requires_auth: { words: 'a missing credential check', label: 'no credential check' },
  no_sql_error: { words: 'a leaked database error (a sign of SQL injection)', label: 'SQL error' },
  no_reflected_markup: {
    words: 'markup reflected unescaped (cross-site scripting)',
    label: 'reflected markup',
  },
  no_header_injection: { words: 'a response header injected from a request', label: 'header injection' },
  no_debug_page: { words: 'a leaked debug page', label: 'debug page' },
  no_stack_trace: { words: 'a leaked stack trace', label: 'stack trace' },
  page_stays_on_target: { words: 'a page that leads off the tested site', label: 'leaves the site' },
  not_a_server_error: { words: 'a server error', label: 'server error' },
  json_content_type: { words: 'a JSON body sent with another content type', label: 'JSON content type' },
  openapi_status: { words: 'a status the API description does not list', label: 'undescribed status' },
  openapi_content_type: {
    words: 'a content type the API description does not list',
    label: 'undescribed content type',
  },
  openapi_body: {
    words: 'a body that does not match the API description',
    label: 'body off the description',
  },
};

/**
 * The words of a finding: its check's, while the finding stands for the harm its check does; the harm's when what
 * the answer showed made it another (a 5xx seen by any check is a crash, a refusal ignored is broken access
 * control, a probe that got through is an injection), and for a check without words of its own.
 */
export function wordsOf(finding: Pick<Finding, 'check' | 'kind' | 'status' | 'message'>): CheckWords {
  const harm = harmOf(finding);
  const own = CHECK_WORDS[finding.check];
  if (own && CHECK_HARMS[finding.check]?.harm === harm) return own;
  const { words, label } = harmClass(harm);
  return { words, label };
}

const CHECK_ORDER = new Map(Object.keys(CHECK_HARMS).map((check, i) => [check, i]));

/** Where a check comes in CHECK_HARMS, for choosing between failures of one harm; unknown checks come last. */
export function checkOrder(check: string): number {
  return CHECK_ORDER.get(check) ?? CHECK_ORDER.size;
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
  // A probe's own verdict (its status, a crash on it, or what its body must not hold, such as a file read through
  // a traversed path) is a security finding; another check failing on a probe (a content type, the API
  // description) is what that check says it is.
  const probeVerdict = check === 'status' || check === 'not_a_server_error' || check === 'body';
  if (
    SECURITY_CHECKS.has(check) ||
    (probeVerdict && results.some((r) => SECURITY_GENERATORS.test(r.origin.generator)))
  ) {
    return 'security';
  }
  if (check.startsWith('load.') || check === 'duration' || first.kind === 'load') return 'performance';
  if (check === 'not_a_server_error' || check === 'error' || first.status === 'error') return 'crash';
  // A write that was accepted where it must have been refused, or lost: data the user cannot trust.
  const messageOf = (r: RunResult) => (r.failures.find((f) => f.check === check) ?? r.failures[0])?.message;
  if (results.some((r) => /(lost|not saved|duplicate|overwr)/i.test(messageOf(r) ?? ''))) {
    return 'data-loss';
  }
  if (check.startsWith('openapi_') || check === 'json_content_type') return 'contract';
  return 'behaviour';
}

/** A check this table does not know (a load threshold, a future check) is judged by the kind of its finding. */
const KIND_HARMS: Record<FindingKind, Harm> = {
  security: 'injection',
  'data-loss': 'data-loss',
  crash: 'crash',
  performance: 'slowdown',
  contract: 'contract',
  behaviour: 'wrong-answer',
};

/** Whether failures of this check on several operations can share one cause (see CHECK_HARMS). */
export function judgesWholeService(check: string): boolean {
  return CHECK_HARMS[check]?.wholeService ?? false;
}

/** The test wanted the request refused as unauthorized or forbidden, and the service did it. */
const REFUSAL_IGNORED = /^expected status 40[13](?: or 40[13])*, got 2\d\d\b/;

/**
 * The harm a finding stands for: its check's, made more or less serious by what the answer shows. A request the
 * test expected refused (401, 403) that succeeded is broken access control whichever check saw it, and one refused
 * with another 4xx is not; a 5xx is a crash; a probe's verdict on a check of what the answer should be (a hostile
 * request that got through, a file read through a traversed path) is an injection.
 */
export function harmOf(finding: Pick<Finding, 'check' | 'kind' | 'status' | 'message'>): Harm {
  const stated =
    finding.kind === 'data-loss'
      ? 'data-loss'
      : (CHECK_HARMS[finding.check]?.harm ?? KIND_HARMS[finding.kind]);
  // Refused, only with another status than 401 or 403 (a body checked before the credentials): no door left open.
  const own =
    stated === 'access' && finding.status !== undefined && finding.status >= 400 ? 'wrong-answer' : stated;
  const worse = (harm: Harm) => harmClass(harm).rank < harmClass(own).rank;
  if (REFUSAL_IGNORED.test(finding.message) && worse('access')) return 'access';
  if (finding.status !== undefined && finding.status >= 500 && worse('crash')) return 'crash';
  if (finding.kind === 'security' && harmClass(stated).level >= 3) return 'injection';
  return own;
}

/** What the priority of the failing cases adds to the risk: a critical path failing is serious whatever fails. */
const PRIORITY_WEIGHT: Readonly<Record<string, number>> = { critical: 2, high: 1, medium: 0, low: 0 };
/** Priorities, most important first; one the schema does not know counts as medium. */
const PRIORITY_ORDER: Readonly<Record<string, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

/** The most important of these priorities. */
export function highestPriority(priorities: readonly string[]): string | undefined {
  return [...priorities].sort((a, b) => (PRIORITY_ORDER[a] ?? 2) - (PRIORITY_ORDER[b] ?? 2))[0];
}

/**
 * High: harm of the first level (access, injection, data loss) always; otherwise the harm's weight, plus the
 * priority of the cases (critical 2, high 1), plus one when three journeys or more show it: 2 or more is high, 1
 * medium, 0 low.
 */
export function riskOf(harm: Harm, priorities: readonly string[], journeys: number): Risk {
  const { weight } = harmClass(harm);
  if (weight >= 2) return 'high';
  const level =
    weight + Math.max(0, ...priorities.map((p) => PRIORITY_WEIGHT[p] ?? 0)) + (journeys >= 3 ? 1 : 0);
  return level >= 2 ? 'high' : level === 1 ? 'medium' : 'low';
}

const RISK_ORDER: Record<Risk, number> = { high: 0, medium: 1, low: 2 };
const STATE_ORDER: Record<Finding['state'], number> = { new: 0, 'still-failing': 1, fixed: 2 };

/** A request that changes what the service keeps: the users' data at stake is more than a read's. */
export function isWrite(operation: string): boolean {
  return /^(?:POST|PUT|PATCH|DELETE) /.test(operation);
}

/**
 * The order of findings, most serious first: risk; the level of harm; the users' data at stake (writes before
 * reads, then the cases' priority); the harm itself within its level; new before failing on the base branch too;
 * more tests before fewer; and the id, so that equal findings always come in one order.
 */
export function byRisk(a: Finding, b: Finding): number {
  const x = harmClass(harmOf(a));
  const y = harmClass(harmOf(b));
  return (
    RISK_ORDER[a.risk] - RISK_ORDER[b.risk] ||
    x.level - y.level ||
    Number(isWrite(b.operation)) - Number(isWrite(a.operation)) ||
    (PRIORITY_ORDER[a.priority ?? 'medium'] ?? 2) - (PRIORITY_ORDER[b.priority ?? 'medium'] ?? 2) ||
    x.rank - y.rank ||
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    b.count - a.count ||
    a.id.localeCompare(b.id)
  );
}
