// Built-in checks, applied to every response whatever the test expects. Each is a small named function; a new
// check is one more entry in BUILT_IN_CHECKS.
import type { Exchanged } from './http.ts';

export interface Check {
  name: string;
  description: string;
  /** A sentence saying what is wrong, or undefined when the response passes. */
  check(exchange: Exchanged): string | undefined;
}

export const notAServerError: Check = {
  name: 'not_a_server_error',
  description: 'The service never answers with a 5xx status.',
  check: ({ response }) =>
    response.status >= 500 ? `the service failed with ${response.status} (a server error)` : undefined,
};

const STACK_TRACE_PATTERNS = [
  /\bat [\w$.<>[\] ]+ \((?:file:\/\/|node:|\/|[A-Za-z]:\\)[^)]*:\d+:\d+\)/, // Node.js / V8
  /\bat (?:file:\/\/|node:internal|\/)[^\s)]+:\d+:\d+/, // V8 frames without a function name
  /\bat [\w$.]+ \(<anonymous>\)/, // V8 built-ins, e.g. "at JSON.parse (<anonymous>)"
  /Traceback \(most recent call last\)/, // Python
  /\bat [\w$.]+\([\w]+\.java:\d+\)/, // Java
  /\.(?:php|rb) on line \d+|from [\w/.-]+\.rb:\d+:in /, // PHP, Ruby
];

export const noStackTrace: Check = {
  name: 'no_stack_trace',
  description: 'Responses never reveal stack traces or source paths.',
  check: ({ response }) =>
    STACK_TRACE_PATTERNS.some((pattern) => pattern.test(response.body))
      ? 'the response leaks a stack trace (internal file paths and line numbers)'
      : undefined,
};

export const jsonContentType: Check = {
  name: 'json_content_type',
  description: 'JSON is sent as JSON, and what is declared JSON parses.',
  check: ({ response }) => {
    const type = response.headers['content-type'] ?? '';
    const declaredJson = /\bjson\b/i.test(type);
    if (response.json !== undefined && !declaredJson) {
      return `the body is JSON but is sent as "${type || 'no content type'}"`;
    }
    if (declaredJson && response.body.trim() !== '' && response.json === undefined) {
      return `the body is declared "${type}" but is not valid JSON`;
    }
    return undefined;
  },
};

export const BUILT_IN_CHECKS: readonly Check[] = [notAServerError, noStackTrace, jsonContentType];
