// Judges a response against what the test case expects of it. What cannot be judged (a cut body, a pattern that
// cannot be matched in bounded time) makes the case an error, never a finding about the service.
import type { Expectation, StatusExpectation, ValueMatcher } from '../cases/index.ts';
import type { Exchanged } from './http.ts';
import { compilePattern, PatternError, TextTooLongError } from './safe-regex.ts';
import { valueAt } from './value-path.ts';

export interface Verdict {
  check: string;
  message: string;
}

export function statusMatches(status: number, expected: StatusExpectation): boolean {
  const patterns = Array.isArray(expected) ? expected : [expected];
  return patterns.some((p) =>
    typeof p === 'number' ? status === p : Math.floor(status / 100) === Number(p[0]),
  );
}

function describeStatus(expected: StatusExpectation): string {
  const patterns = Array.isArray(expected) ? expected : [expected];
  return patterns.join(' or ');
}

export function judgeExpectation(expect: Expectation, exchange: Exchanged): Verdict[] {
  const { response } = exchange;
  const verdicts: Verdict[] = [];
  const paths = Object.keys(expect.body ?? {});
  if (paths.length > 0) {
    assertBodyWhole(exchange, paths.map((path) => (path === '' ? 'body' : `body.${path}`)).join(', '));
  }
  // A text found in the part that was read settles it; one not found might be in the part that was dropped.
  for (const text of [...(expect.bodyContains ?? []), ...(expect.bodyNotContains ?? [])]) {
    if (!response.body.includes(text)) assertBodyWhole(exchange, `whether the body contains "${text}"`);
  }
  if (expect.status !== undefined && !statusMatches(response.status, expect.status)) {
    verdicts.push({
      check: 'status',
      message: `expected status ${describeStatus(expect.status)}, got ${response.status}`,
    });
  }
  for (const [name, text] of Object.entries(expect.headers ?? {})) {
    const actual = response.headers[name.toLowerCase()];
    if (actual === undefined || !actual.toLowerCase().includes(text.toLowerCase())) {
      verdicts.push({
        check: 'header',
        message: `expected header ${name} to contain "${text}", got ${actual === undefined ? 'none' : `"${actual}"`}`,
      });
    }
  }
  for (const [path, matcher] of Object.entries(expect.body ?? {})) {
    const problem = matchValue(response.json, path, matcher);
    if (problem) verdicts.push({ check: 'body', message: problem });
  }
  for (const text of expect.bodyContains ?? []) {
    if (!response.body.includes(text))
      verdicts.push({ check: 'body', message: `expected the body to contain "${text}"` });
  }
  for (const text of expect.bodyNotContains ?? []) {
    if (response.body.includes(text)) {
      verdicts.push({ check: 'body', message: `the body contains "${text}", which it must not` });
    }
  }
  if (expect.maxMs !== undefined && exchange.durationMs > expect.maxMs) {
    verdicts.push({
      check: 'duration',
      message: `expected an answer within ${expect.maxMs} ms, took ${Math.round(exchange.durationMs)} ms`,
    });
  }
  return verdicts;
}

const show = (value: unknown): string => JSON.stringify(value) ?? 'undefined';

/** Returns what is wrong with the value at `path`, or undefined when it matches. */
export function matchValue(json: unknown, path: string, matcher: ValueMatcher): string | undefined {
  const { found, value } = valueAt(json, path);
  // "" is the body itself: the only path into a scalar body (0, "", true, null).
  const at = path === '' ? 'body' : `body.${path}`;
  if (matcher === null || typeof matcher !== 'object') {
    if (!found) return `expected ${at} to be ${show(matcher)}, but it is missing`;
    return value === matcher ? undefined : `expected ${at} to be ${show(matcher)}, got ${show(value)}`;
  }
  if (matcher.exists === false) return found ? `expected ${at} to be absent, got ${show(value)}` : undefined;
  if (!found) return `expected ${at} to exist`;
  const problems: string[] = [];
  if ('eq' in matcher && show(value) !== show(matcher.eq)) problems.push(`to be ${show(matcher.eq)}`);
  if (
    matcher.type &&
    typeOf(value) !== matcher.type &&
    !(matcher.type === 'number' && typeOf(value) === 'integer')
  ) {
    problems.push(`to be of type ${matcher.type}`);
  }
  const n = typeof value === 'number' ? value : NaN;
  if (matcher.gte !== undefined && !(n >= matcher.gte)) problems.push(`to be >= ${matcher.gte}`);
  if (matcher.lte !== undefined && !(n <= matcher.lte)) problems.push(`to be <= ${matcher.lte}`);
  if (matcher.gt !== undefined && !(n > matcher.gt)) problems.push(`to be > ${matcher.gt}`);
  if (matcher.lt !== undefined && !(n < matcher.lt)) problems.push(`to be < ${matcher.lt}`);
  const length = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
  if (matcher.length !== undefined && length !== matcher.length)
    problems.push(`to have length ${matcher.length}`);
  if (matcher.minLength !== undefined && !(length !== undefined && length >= matcher.minLength)) {
    problems.push(`to have length >= ${matcher.minLength}`);
  }
  if (matcher.matches !== undefined && !matchesText(matcher.matches, String(value), at)) {
    problems.push(`to match /${matcher.matches}/`);
  }
  if (matcher.oneOf && !matcher.oneOf.some((option) => option === value)) {
    problems.push(`to be one of ${matcher.oneOf.map(show).join(', ')}`);
  }
  return problems.length ? `expected ${at} ${problems.join(' and ')}, got ${show(value)}` : undefined;
}

/**
 * A value the case cannot judge, through no fault of the service: a pattern that cannot be matched in bounded time,
 * or a body too long for it. The case errors with this message; it is never a finding.
 */
export class UnjudgeableError extends Error {}

/** Throws when the response body was cut, so that `what` (which needs all of it) cannot be judged. */
export function assertBodyWhole(exchange: Exchanged, what: string): void {
  const cutAt = exchange.response.bodyCutAt;
  if (cutAt === undefined) return;
  throw new UnjudgeableError(
    `${what} cannot be judged: the response body was cut at ${cutAt} bytes (limits.maxResponseBytes); ` +
      'raise it in gauntlet.yml to read the whole body',
  );
}

function matchesText(pattern: string, text: string, at: string): boolean {
  try {
    return compilePattern(pattern).test(text);
  } catch (error) {
    if (error instanceof PatternError) throw new UnjudgeableError(`${at}.matches: ${error.message}`);
    if (error instanceof TextTooLongError) {
      throw new UnjudgeableError(
        `${at} is ${text.length} characters long, more than /${pattern}/ can be matched against in bounded time ` +
          `(${error.maxLength}); match a shorter value, or use a simpler pattern`,
      );
    }
    throw error;
  }
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}
