// Built-in checks, applied to every response whatever the test expects. Each is a small named function; a new
// check is one more entry in BUILT_IN_CHECKS.
import { INJECTED_HEADER, MARKUP_PROBE } from '../cases/index.ts';
import type { ApiStep } from '../cases/index.ts';
import { declaresJson, type Exchanged, type SentRequest } from './http.ts';
import { linearRegExp } from './safe-regex.ts';

export interface Check {
  name: string;
  description: string;
  /** A sentence saying what is wrong, or undefined when the response passes; `step` is the request's test step. */
  check(exchange: Exchanged, step?: Pick<ApiStep, 'probe'>): string | undefined;
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
  // Matched by RE2: the body is the target's, and with JavaScript's engine "at a at a …" took seconds per 100 kB.
].map(linearRegExp);

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
  description: 'JSON is sent as JSON, and what is declared JSON parses (any JSON value, scalars included).',
  check: ({ response }) => {
    const type = response.headers['content-type'] ?? '';
    const declaredJson = declaresJson(type);
    if (response.json !== undefined && !declaredJson) {
      return `the body is JSON but is sent as "${type || 'no content type'}"`;
    }
    // A body cut at limits.maxResponseBytes was not read whole: that it does not parse says nothing.
    // An empty body is no body, whatever its type says: correct frameworks send one (`res.json()` with nothing).
    if (!declaredJson || response.json !== undefined || response.bodyCutAt !== undefined) return undefined;
    if (response.body.trim() !== '') return `the body is declared "${type}" but is not valid JSON`;
    return undefined;
  },
};

const SQL_ERROR_PATTERNS = [
  /SQLSTATE\[\w+\]/,
  /You have an error in your SQL syntax/i,
  /\bORA-\d{5}\b/,
  /SQLITE_(?:ERROR|CONSTRAINT)|sqlite3?\.OperationalError/,
  /unterminated quoted string at or near/i,
  /\bPG::\w+Error|syntax error at or near "/,
  /Unclosed quotation mark after the character string/i,
  /MongoServerError|\$where.*SyntaxError/,
].map(linearRegExp);

export const noSqlError: Check = {
  name: 'no_sql_error',
  description: 'Responses never reveal database errors (a sign of injectable queries).',
  check: ({ response }) =>
    SQL_ERROR_PATTERNS.some((pattern) => pattern.test(response.body))
      ? 'the response shows a database error, which suggests the input reaches a query unescaped'
      : undefined,
};

const DEBUG_PAGE_PATTERNS = [
  /Werkzeug Debugger|The debugger caught an exception/,
  /You're seeing this error because you have <code>DEBUG = True<\/code>/,
  /Whitelabel Error Page/,
  /Server Error in '[^']*' Application/,
  /Action Controller: Exception caught/,
  /Whoops! There was an error|laravel-exceptions/i,
  /<ul id="stacktrace">/, // Express / Connect errorhandler
].map(linearRegExp);

export const noDebugPage: Check = {
  name: 'no_debug_page',
  description: 'The service never shows a framework debug page.',
  check: ({ response }) =>
    DEBUG_PAGE_PATTERNS.some((pattern) => pattern.test(response.body))
      ? 'the response is a framework debug page, which exposes internals to anyone'
      : undefined,
};

/** Whether the request carried the markup probe, however it was encoded: in the path or query, a form, JSON or a
 * multipart field. A probe sent in an encoding not listed here would go unjudged. */
function carriesProbe(request: SentRequest): boolean {
  const texts = [request.url, request.body, ...(request.multipart?.fields.map(([, value]) => value) ?? [])];
  return texts.some(
    (text) =>
      text !== undefined &&
      (asciiDecoded(text.replace(/\+/g, ' ')).includes(MARKUP_PROBE) || jsonCarriesProbe(text)),
  );
}

/** `text` with its percent-escapes of ASCII characters decoded: the probe is ASCII, and this cannot fail. */
function asciiDecoded(text: string): string {
  return text.replace(/%([0-7][\da-f])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Whether a JSON text holds the probe in a key or a string, however JSON escapes it (\", \u003c). */
function jsonCarriesProbe(text: string): boolean {
  let found = false;
  try {
    JSON.parse(text, (key, value: unknown) => {
      if (key.includes(MARKUP_PROBE) || (typeof value === 'string' && value.includes(MARKUP_PROBE)))
        found = true;
      return value;
    });
  } catch {
    // Not JSON: nothing more to find.
  }
  return found;
}

// Scripts run in XHTML and SVG documents as in HTML ones.
const PAGE_TYPE = /\b(?:x?html|svg\+xml)\b/i;

export const noReflectedMarkup: Check = {
  name: 'no_reflected_markup',
  description: 'Markup sent in a request never comes back unescaped in an HTML page (reflected XSS).',
  check: ({ request, response }) => {
    if (!carriesProbe(request) || !PAGE_TYPE.test(response.headers['content-type'] ?? '')) return undefined;
    return response.body.includes(MARKUP_PROBE)
      ? `the page shows the markup ${MARKUP_PROBE} it was sent as markup, unescaped: a script would run there too (reflected XSS)`
      : undefined;
  },
};

/**
 * Whether a status refuses the request: any 4xx. A service may refuse with 400 or 422 (a body checked before the
 * credentials) as well as 401, 403 or 404; none of them hands the resource over. A 3xx is no refusal (it may lead to
 * the resource), nor a 5xx (the service failed, and not_a_server_error says so).
 */
export function refuses(status: number): boolean {
  return status >= 400 && status < 500;
}

export const requiresAuth: Check = {
  name: 'requires_auth',
  description:
    'A request without credentials, or with made-up ones, is refused (a 4xx, such as 401 or 403) where the step needs an identity.',
  check: ({ response }, step) => {
    const probe = step?.probe;
    if ((probe !== 'no-credentials' && probe !== 'wrong-credentials') || refuses(response.status))
      return undefined;
    const what =
      probe === 'no-credentials' ? 'a request without credentials' : 'a request with made-up credentials';
    return response.status < 300
      ? `${what} succeeded (${response.status}); it must be refused with a 4xx status, such as 401 or 403`
      : `${what} got ${response.status}; it must be refused with a 4xx status, such as 401 or 403`;
  },
};

export const noHeaderInjection: Check = {
  name: 'no_header_injection',
  description: 'A line break sent in a value never adds a header to the answer (response splitting).',
  check: ({ response }, step) => {
    if (step?.probe !== 'header-injection' || response.headers[INJECTED_HEADER] === undefined)
      return undefined;
    return `the value sent with a line break became the header "${INJECTED_HEADER}" of the answer: anyone can add headers (response splitting)`;
  },
};

export const ownerOnly: Check = {
  name: 'owner_only',
  description: 'Another user cannot reach what a user created (a 4xx, such as 403 or 404).',
  check: ({ response }, step) => {
    if (step?.probe !== 'other-user' || refuses(response.status)) return undefined;
    return response.status < 300
      ? `another user reached what this user created (${response.status}); it must be refused with a 4xx status, such as 403 or 404`
      : `another user's request got ${response.status}; it must be refused with a 4xx status, such as 403 or 404`;
  },
};

export const BUILT_IN_CHECKS: readonly Check[] = [
  notAServerError,
  noStackTrace,
  noSqlError,
  noDebugPage,
  jsonContentType,
  noReflectedMarkup,
  requiresAuth,
  ownerOnly,
  noHeaderInjection,
];

/** The built-in checks minus those a case turns off by name. */
export function checksFor(all: readonly Check[], skip: readonly string[] = []): readonly Check[] {
  return skip.length === 0 ? all : all.filter((check) => !skip.includes(check.name));
}
