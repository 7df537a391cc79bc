import { describe, expect, it } from '@jest/globals';
import {
  BUILT_IN_CHECKS,
  checksFor,
  jsonContentType,
  noDebugPage,
  noSqlError,
  noStackTrace,
  notAServerError,
  noReflectedMarkup,
  ownerOnly,
  noHeaderInjection,
  requiresAuth,
} from '../../src/run/checks.ts';
import { INJECTED_HEADER, MARKUP_PROBE } from '../../src/cases/index.ts';
import type { Exchanged } from '../../src/run/http.ts';

const response = (status: number, body: string, contentType?: string, json?: unknown): Exchanged => ({
  request: { method: 'GET', url: 'http://127.0.0.1/', headers: {} },
  response: {
    status,
    body,
    headers: contentType ? { 'content-type': contentType } : {},
    ...(json !== undefined && { json }),
  },
  durationMs: 1,
});

describe('built-in checks', () => {
  it('are registered under unique names', () => {
    const names = BUILT_IN_CHECKS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      'not_a_server_error',
      'no_stack_trace',
      'no_sql_error',
      'no_debug_page',
      'json_content_type',
      'no_reflected_markup',
      'requires_auth',
      'owner_only',
      'no_header_injection',
    ]);
  });

  it('flag markup sent in a request that an HTML page shows back unescaped, and nothing else', () => {
    const sent = (
      url: string,
      body: string,
      contentType = 'text/html; charset=utf-8',
      requestBody?: string,
    ) => ({
      ...response(200, body, contentType),
      request: { method: 'GET', url, headers: {}, ...(requestBody !== undefined && { body: requestBody }) },
    });
    const query = `http://127.0.0.1/templates?q=${encodeURIComponent(MARKUP_PROBE)}`;
    expect(noReflectedMarkup.check(sent(query, `<p>You searched ${MARKUP_PROBE}</p>`))).toMatch(
      /^the page shows the markup .* unescaped: a script would run there too \(reflected XSS\)$/,
    );
    const form = new URLSearchParams({ name: MARKUP_PROBE }).toString();
    expect(
      noReflectedMarkup.check(sent('http://127.0.0.1/projects', `<h1>${MARKUP_PROBE}</h1>`, undefined, form)),
    ).toMatch(/unescaped/);
    // Escaped, sent as JSON (not a page), or never sent: nothing to flag.
    expect(noReflectedMarkup.check(sent(query, '<p>&lt;gauntlet-probe data-x="1"&gt;</p>'))).toBeUndefined();
    expect(
      noReflectedMarkup.check(sent(query, `{"q":"${MARKUP_PROBE}"}`, 'application/json')),
    ).toBeUndefined();
    expect(noReflectedMarkup.check(sent('http://127.0.0.1/', `<p>${MARKUP_PROBE}</p>`))).toBeUndefined();
  });

  it('hold a request without credentials, or as another user, to a refusal: any 4xx, named when it is not one', () => {
    const noCredentials = { probe: 'no-credentials' as const };
    expect(requiresAuth.check(response(201, ''), noCredentials)).toBe(
      'a request without credentials succeeded (201); it must be refused with a 4xx status, such as 401 or 403',
    );
    expect(requiresAuth.check(response(302, ''), noCredentials)).toBe(
      'a request without credentials got 302; it must be refused with a 4xx status, such as 401 or 403',
    );
    expect(requiresAuth.check(response(500, ''), noCredentials)).toBe(
      'a request without credentials got 500; it must be refused with a 4xx status, such as 401 or 403',
    );
    // A service may check the body before the credentials: 400 and 422 refuse as surely as 401 and 403.
    expect(
      [400, 401, 403, 404, 422, 499].map((s) => requiresAuth.check(response(s, ''), noCredentials)),
    ).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    const wrongCredentials = { probe: 'wrong-credentials' as const };
    expect(requiresAuth.check(response(200, ''), wrongCredentials)).toBe(
      'a request with made-up credentials succeeded (200); it must be refused with a 4xx status, such as 401 or 403',
    );
    expect(requiresAuth.check(response(401, ''), wrongCredentials)).toBeUndefined();
    expect(requiresAuth.check(response(422, ''), wrongCredentials)).toBeUndefined();
    const otherUser = { probe: 'other-user' as const };
    expect(ownerOnly.check(response(200, ''), otherUser)).toBe(
      'another user reached what this user created (200); it must be refused with a 4xx status, such as 403 or 404',
    );
    expect(ownerOnly.check(response(503, ''), otherUser)).toBe(
      "another user's request got 503; it must be refused with a 4xx status, such as 403 or 404",
    );
    expect([400, 401, 403, 404, 422].map((s) => ownerOnly.check(response(s, ''), otherUser))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // A request that probes nothing is not theirs to judge.
    expect([requiresAuth.check(response(200, '')), ownerOnly.check(response(200, ''), {})]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('flag a header that a value with a line break added to the answer, only for the probe', () => {
    const probe = { probe: 'header-injection' as const };
    const injected: Exchanged = {
      ...response(302, ''),
      response: { status: 302, body: '', headers: { location: '/x', [INJECTED_HEADER]: '1' } },
    };
    expect(noHeaderInjection.check(injected, probe)).toBe(
      `the value sent with a line break became the header "${INJECTED_HEADER}" of the answer: anyone can add headers (response splitting)`,
    );
    expect(noHeaderInjection.check(response(302, ''), probe)).toBeUndefined();
    expect(noHeaderInjection.check(injected, {})).toBeUndefined();
  });

  it('flag a server error and nothing below it', () => {
    expect(notAServerError.check(response(500, ''))).toBe('the service failed with 500 (a server error)');
    expect(notAServerError.check(response(499, ''))).toBeUndefined();
  });

  it.each([
    [
      'Node.js',
      '{"stack":"SyntaxError: bad\\n    at JSON.parse (<anonymous>)\\n    at parse (/srv/node_modules/body-parser/lib/types/json.js:92:19)"}',
    ],
    ['Node.js without names', 'Error: x\n    at file:///srv/app.js:10:5'],
    ['Python', 'Traceback (most recent call last):\n  File "app.py", line 3'],
    ['Java', 'java.lang.NullPointerException\n\tat com.example.App.main(App.java:14)'],
    ['PHP', 'Fatal error: Uncaught Exception in /var/www/index.php on line 12'],
  ])('flag a leaked %s stack trace', (_, body) => {
    expect(noStackTrace.check(response(400, body))).toMatch(/stack trace/);
  });

  it('leave ordinary error messages alone', () => {
    expect(
      noStackTrace.check(response(400, '{"error":"name must be at least 1 character; look at the docs"}')),
    ).toBeUndefined();
  });

  it.each([
    ['MySQL', "You have an error in your SQL syntax; check the manual near ''' at line 1"],
    ['PostgreSQL', 'ERROR: unterminated quoted string at or near "\'x"'],
    ['SQLite', '{"error":"SQLITE_ERROR: near \\"x\\": syntax error"}'],
    ['Oracle', 'ORA-01756: quoted string not properly terminated'],
    ['PDO', 'SQLSTATE[42000]: Syntax error or access violation'],
  ])('flag a leaked %s error', (_, body) => {
    expect(noSqlError.check(response(400, body))).toMatch(/database error/);
  });

  it.each([
    ['Werkzeug', '<title>Werkzeug Debugger</title>'],
    ['Django', "You're seeing this error because you have <code>DEBUG = True</code> in your settings"],
    ['Spring', '<h1>Whitelabel Error Page</h1>'],
    ['Express', '<div id="wrapper"><h1>Connect</h1><ul id="stacktrace"><li>at x</li></ul>'],
  ])('flag a %s debug page', (_, body) => {
    expect(noDebugPage.check(response(404, body))).toMatch(/debug page/);
  });

  it('leave pages that merely mention SQL or debugging alone', () => {
    const page = '<p>Our SQL course covers ORA and SQLSTATE codes. Debug your songs with the coach.</p>';
    expect(noSqlError.check(response(200, page))).toBeUndefined();
    expect(noDebugPage.check(response(200, page))).toBeUndefined();
  });

  it('can be turned off by name for a case', () => {
    expect(checksFor(BUILT_IN_CHECKS, ['json_content_type', 'no_sql_error']).map((c) => c.name)).toEqual([
      'not_a_server_error',
      'no_stack_trace',
      'no_debug_page',
      'no_reflected_markup',
      'requires_auth',
      'owner_only',
      'no_header_injection',
    ]);
    expect(checksFor(BUILT_IN_CHECKS)).toBe(BUILT_IN_CHECKS);
  });

  it('flag JSON sent as something else, and "JSON" that does not parse', () => {
    expect(jsonContentType.check(response(200, '{"a":1}', 'text/html; charset=utf-8', { a: 1 }))).toBe(
      'the body is JSON but is sent as "text/html; charset=utf-8"',
    );
    expect(jsonContentType.check(response(200, '{"a":1}', undefined, { a: 1 }))).toBe(
      'the body is JSON but is sent as "no content type"',
    );
    expect(jsonContentType.check(response(200, '<html>', 'application/json'))).toBe(
      'the body is declared "application/json" but is not valid JSON',
    );
    expect(
      jsonContentType.check(response(200, '{"a":1}', 'application/problem+json', { a: 1 })),
    ).toBeUndefined();
    expect(jsonContentType.check(response(204, '', 'application/json'))).toBeUndefined();
  });

  it('take a JSON scalar declared JSON as JSON, and an empty body declared JSON as no body', () => {
    for (const [body, json] of [
      ['0', 0],
      [' "" ', ''],
      ['true', true],
      ['null', null],
    ] as const) {
      expect(jsonContentType.check(response(200, body, 'application/json', json))).toBeUndefined();
    }
    // An empty body, whatever the status or method: no body is no JSON to judge.
    for (const status of [101, 200, 201, 205, 301, 304, 404]) {
      expect(jsonContentType.check(response(status, '', 'application/json'))).toBeUndefined();
    }
    expect(jsonContentType.check(response(200, ' ', 'application/json; charset=utf-8'))).toBeUndefined();
    // Cut at limits.maxResponseBytes: not read whole, so not judged.
    expect(
      jsonContentType.check({
        ...response(200, '{"a":', 'application/json'),
        response: {
          status: 200,
          body: '{"a":',
          headers: { 'content-type': 'application/json' },
          bodyCutAt: 5,
        },
      }),
    ).toBeUndefined();
  });
});
