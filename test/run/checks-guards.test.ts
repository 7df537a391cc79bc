// The security checks as guards: each flags its attack however the request carried the probe, and stays quiet
// one step short of it (status edges, content types, a probe not sent). Reflection is judged on real exchanges with
// a server on loopback, sent the way Gauntlet sends every request.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INJECTED_HEADER, MARKUP_PROBE } from '../../src/cases/index.ts';
import type { HttpRequest } from '../../src/cases/index.ts';
import {
  BUILT_IN_CHECKS,
  checksFor,
  jsonContentType,
  noDebugPage,
  noHeaderInjection,
  noReflectedMarkup,
  noSqlError,
  noStackTrace,
  notAServerError,
  ownerOnly,
  requiresAuth,
} from '../../src/run/checks.ts';
import { send, toSentRequest } from '../../src/run/http.ts';
import type { Exchanged } from '../../src/run/http.ts';

const answer = (status: number, body = '', headers: Record<string, string> = {}): Exchanged => ({
  request: { method: 'GET', url: 'http://127.0.0.1/', headers: {} },
  response: { status, body, headers },
  durationMs: 1,
});

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const decodeSegment = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

// Shows back every value it was sent — path, query, form fields, JSON strings, raw body — in a page of the type the
// request asks for (x-page-type); under /escaped it escapes them first, as a safe page would.
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString();
    const url = new URL(req.url!, 'http://x');
    const values = [url.pathname.split('/').map(decodeSegment).join('/'), ...url.searchParams.values()];
    const type = req.headers['content-type'] ?? '';
    if (type.includes('urlencoded')) values.push(...new URLSearchParams(raw).values());
    else if (type.includes('json'))
      JSON.parse(raw, (key: string, value: unknown) => {
        values.push(key, typeof value === 'string' ? value : '');
        return value;
      });
    else values.push(raw);
    const shown = url.pathname.startsWith('/escaped') ? values.map(escapeHtml) : values;
    res
      .writeHead(200, { 'content-type': String(req.headers['x-page-type'] ?? 'text/html; charset=utf-8') })
      .end(`<html><body><p>${shown.join('</p><p>')}</p></body></html>`);
  });
});
let target: URL;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const exchange = async (request: Omit<HttpRequest, 'method'> & { method?: HttpRequest['method'] }) =>
  send(await toSentRequest(target, { method: 'POST', ...request }), 10_000);

// Every way a case can carry the probe to the service.
const CARRIERS: [
  string,
  (base: string) => Omit<HttpRequest, 'method'> & { method?: HttpRequest['method'] },
][] = [
  ['a query parameter', (base) => ({ method: 'GET', path: base, query: { q: MARKUP_PROBE } })],
  ['a path segment', (base) => ({ method: 'GET', path: `${base}/${MARKUP_PROBE}` })],
  ['a query written in the path', (base) => ({ method: 'GET', path: `${base}?q=${MARKUP_PROBE}` })],
  ['a form field', (base) => ({ path: base, form: { name: MARKUP_PROBE } })],
  ['a JSON string', (base) => ({ path: base, json: { user: { name: MARKUP_PROBE } } })],
  ['a JSON key', (base) => ({ path: base, json: { [MARKUP_PROBE]: 1 } })],
  [
    'a JSON string with escaped markup',
    (base) => ({ path: base, body: JSON.stringify({ name: MARKUP_PROBE }).replace(/</g, '\\u003c') }),
  ],
  [
    'a raw text body',
    (base) => ({ path: base, body: MARKUP_PROBE, headers: { 'content-type': 'text/plain' } }),
  ],
  [
    'a multipart field',
    (base) => ({ path: base, form: { name: MARKUP_PROBE }, files: { file: { text: 'x', name: 'a.txt' } } }),
  ],
];

describe('no_reflected_markup', () => {
  it.each(CARRIERS)('flags the probe sent in %s and shown back unescaped', async (_, carrier) => {
    const exchanged = await exchange(carrier('/reflect'));
    expect(exchanged.response.body).toContain(MARKUP_PROBE);
    expect(noReflectedMarkup.check(exchanged)).toBe(
      `the page shows the markup ${MARKUP_PROBE} it was sent as markup, unescaped: a script would run there too (reflected XSS)`,
    );
  });

  it.each(CARRIERS)('leaves the probe sent in %s and shown back escaped alone', async (_, carrier) => {
    const exchanged = await exchange(carrier('/escaped'));
    expect(exchanged.response.body).toContain('&#60;gauntlet-probe');
    expect(noReflectedMarkup.check(exchanged)).toBeUndefined();
  });

  it.each([
    ['text/html', true],
    ['TEXT/HTML; charset=utf-8', true],
    ['application/xhtml+xml', true],
    ['image/svg+xml', true],
    ['application/json', false],
    ['text/plain', false],
    ['text/htmlx', false],
    ['application/x-html-fragment', true],
  ])('judges a page sent as %s: %s', async (type, flagged) => {
    const exchanged = await exchange({
      method: 'GET',
      path: '/reflect',
      query: { q: MARKUP_PROBE },
      headers: { 'x-page-type': type },
    });
    expect(noReflectedMarkup.check(exchanged) !== undefined).toBe(flagged);
  });

  it.each(CARRIERS)(
    'judges nothing %s did not carry, though the page shows the probe',
    async (_, carrier) => {
      const harmless = JSON.parse(
        JSON.stringify(carrier('/reflect')).replaceAll('gauntlet-probe', 'plain-text'),
      );
      const exchanged = await exchange(harmless);
      const page = { ...exchanged, response: { ...exchanged.response, body: `<p>${MARKUP_PROBE}</p>` } };
      expect(noReflectedMarkup.check(page)).toBeUndefined();
    },
  );

  it.each([
    ['a malformed escape right before it', '/a/%E0%3Cgauntlet-probe%20data-x=%221%22%3E'],
    ['lower-case escapes', '/a?q=%3cgauntlet-probe+data-x%3d%221%22%3e'],
    [
      'every character escaped',
      `/a/${[...MARKUP_PROBE].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`,
    ],
  ])('finds the probe in a URL with %s', (_, path) => {
    const page: Exchanged = {
      request: { method: 'GET', url: `http://127.0.0.1${path}`, headers: {} },
      response: { status: 200, headers: { 'content-type': 'text/html' }, body: `<p>${MARKUP_PROBE}</p>` },
      durationMs: 1,
    };
    expect(noReflectedMarkup.check(page)).toMatch(/reflected XSS/);
  });
});

describe('the status checks, at their edges', () => {
  it('call 500 and above a server error, and 499 not', () => {
    expect([499, 500, 503, 599].map((s) => notAServerError.check(answer(s)))).toEqual([
      undefined,
      'the service failed with 500 (a server error)',
      'the service failed with 503 (a server error)',
      'the service failed with 599 (a server error)',
    ]);
  });

  it('hold requires_auth to a 4xx for both credential probes, and to nothing else', () => {
    for (const probe of ['no-credentials', 'wrong-credentials'] as const) {
      const what =
        probe === 'no-credentials' ? 'a request without credentials' : 'a request with made-up credentials';
      const must = 'it must be refused with a 4xx status, such as 401 or 403';
      expect(
        [200, 299, 300, 302, 399, 400, 401, 403, 404, 422, 499, 500].map((s) =>
          requiresAuth.check(answer(s), { probe }),
        ),
      ).toEqual([
        `${what} succeeded (200); ${must}`,
        `${what} succeeded (299); ${must}`,
        `${what} got 300; ${must}`,
        `${what} got 302; ${must}`,
        `${what} got 399; ${must}`,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        `${what} got 500; ${must}`,
      ]);
    }
    for (const probe of ['other-user', 'header-injection'] as const) {
      expect(requiresAuth.check(answer(200), { probe })).toBeUndefined();
    }
  });

  it('hold owner_only to a 4xx for the other-user probe, and to nothing else', () => {
    const probe = { probe: 'other-user' as const };
    const must = 'it must be refused with a 4xx status, such as 403 or 404';
    expect(
      [200, 299, 300, 399, 400, 401, 403, 404, 499, 500].map((s) => ownerOnly.check(answer(s), probe)),
    ).toEqual([
      `another user reached what this user created (200); ${must}`,
      `another user reached what this user created (299); ${must}`,
      `another user's request got 300; ${must}`,
      `another user's request got 399; ${must}`,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      `another user's request got 500; ${must}`,
    ]);
    expect(ownerOnly.check(answer(200), { probe: 'no-credentials' })).toBeUndefined();
    expect(ownerOnly.check(answer(200))).toBeUndefined();
  });

  it('flag the injected header only for the header-injection probe, with any value', () => {
    const withHeader = answer(200, '', { [INJECTED_HEADER]: '' });
    expect(noHeaderInjection.check(withHeader, { probe: 'header-injection' })).toMatch(/response splitting/);
    expect(
      noHeaderInjection.check(answer(200, '', { 'x-other': '1' }), { probe: 'header-injection' }),
    ).toBeUndefined();
    expect(noHeaderInjection.check(withHeader, { probe: 'no-credentials' })).toBeUndefined();
    expect(noHeaderInjection.check(withHeader)).toBeUndefined();
  });
});

describe('the leak checks', () => {
  it.each([
    ['a V8 frame', 'at Object.handler (/srv/app/routes/users.js:42:17)'],
    ['a V8 frame with a Windows path', 'at handler (C:\\srv\\app.js:42:17)'],
    ['a V8 frame with a node: path', 'at Module._compile (node:internal/modules/cjs/loader:1364:14)'],
    ['a V8 frame with a file URL', 'at run (file:///srv/app.mjs:3:9)'],
    ['an anonymous V8 frame', 'at /srv/app.js:3:9'],
    ['an anonymous node:internal frame', 'at node:internal/process/task_queues:95:5'],
    ['a V8 built-in', 'at JSON.parse (<anonymous>)'],
    ['a Python traceback', 'Traceback (most recent call last):'],
    ['a Java frame', 'at com.example.Users.find(Users.java:88)'],
    ['a PHP error', 'in /var/www/html/index.php on line 7'],
    ['a Ruby error', 'undefined method in /app/models/user.rb on line 3'],
    ['a Ruby frame', "from /app/models/user.rb:12:in `find'"],
  ])('no_stack_trace flags %s', (_, text) => {
    expect(noStackTrace.check(answer(500, `{"error":${JSON.stringify(text)}}`))).toBe(
      'the response leaks a stack trace (internal file paths and line numbers)',
    );
  });

  it.each([
    'Look at the help page (/help) for details',
    'at 10:42:17 the job ran',
    'meet at noon (file: notes.txt)',
    'Traceback shown only in debug mode',
    'at Users.find(Users.kt:88)',
    'app.php is on line with the spec',
    'from the users list: Ruby',
    'at JSON.parse (inline)',
  ])('no_stack_trace leaves "%s" alone', (text) => {
    expect(noStackTrace.check(answer(400, text))).toBeUndefined();
  });

  it.each([
    'SQLSTATE[HY000]: General error',
    'You have an error in your SQL syntax',
    'you have an ERROR in your sql SYNTAX',
    'ORA-00933: SQL command not properly ended',
    'SQLITE_CONSTRAINT: UNIQUE constraint failed',
    'sqlite3.OperationalError: near "x"',
    'sqlite.OperationalError: no such table',
    'ERROR: unterminated quoted string at or near "\'"',
    'PG::SyntaxError: ERROR',
    'syntax error at or near "FROM"',
    "Unclosed quotation mark after the character string ''.",
    'MongoServerError: unknown operator',
    '$where clause raised SyntaxError: unexpected token',
  ])('no_sql_error flags "%s"', (text) => {
    expect(noSqlError.check(answer(500, text))).toBe(
      'the response shows a database error, which suggests the input reaches a query unescaped',
    );
  });

  it.each([
    'SQLSTATE codes',
    'ORA-123 is a flight',
    'ORA-1234567',
    'PG::Error',
    'syntax error at line 3',
    '$where',
  ])('no_sql_error leaves "%s" alone', (text) => {
    expect(noSqlError.check(answer(400, text))).toBeUndefined();
  });

  it.each([
    'The debugger caught an exception in your WSGI application',
    'Werkzeug Debugger',
    "You're seeing this error because you have <code>DEBUG = True</code>",
    'Whitelabel Error Page',
    "Server Error in '/shop' Application.",
    'Action Controller: Exception caught',
    'Whoops! There was an error.',
    '<div class="Laravel-Exceptions-renderer">',
    '<ul id="stacktrace">',
  ])('no_debug_page flags "%s"', (text) => {
    expect(noDebugPage.check(answer(500, `<html>${text}</html>`))).toBe(
      'the response is a framework debug page, which exposes internals to anyone',
    );
  });

  it.each(['Debugger', 'DEBUG = True', 'Error Page', 'Server Error', 'Whoops!', '<ul id="steps">'])(
    'no_debug_page leaves "%s" alone',
    (text) => {
      expect(noDebugPage.check(answer(500, text))).toBeUndefined();
    },
  );
});

describe('json_content_type', () => {
  const json = (body: string, type?: string, parsed?: unknown): Exchanged => ({
    ...answer(200, body, type === undefined ? {} : { 'content-type': type }),
    response: {
      status: 200,
      body,
      headers: type === undefined ? {} : { 'content-type': type },
      ...(parsed !== undefined && { json: parsed }),
    },
  });

  it.each(['application/json', 'application/vnd.api+json', 'APPLICATION/JSON; charset=utf-8', 'text/json'])(
    'accepts JSON sent as %s, and flags a body it declares JSON that does not parse',
    (type) => {
      expect(jsonContentType.check(json('[1]', type, [1]))).toBeUndefined();
      expect(jsonContentType.check(json('{oops', type))).toBe(
        `the body is declared "${type}" but is not valid JSON`,
      );
      // Empty (or blank): no body, so no JSON to judge.
      expect(jsonContentType.check(json('  \n', type))).toBeUndefined();
    },
  );

  it.each(['text/plain', 'application/jsonp', 'application/x-ndjson'])('flags JSON sent as %s', (type) => {
    expect(jsonContentType.check(json('{"a":1}', type, { a: 1 }))).toBe(
      `the body is JSON but is sent as "${type}"`,
    );
    expect(jsonContentType.check(json('not json', type))).toBeUndefined();
  });
});

describe('the registry', () => {
  it('turns off exactly the checks a case names, whatever the order, and ignores unknown names', () => {
    const names = (skip: string[]) => checksFor(BUILT_IN_CHECKS, skip).map((check) => check.name);
    expect(names(['owner_only', 'not_a_server_error', 'no_such_check'])).toEqual(
      BUILT_IN_CHECKS.map((check) => check.name).filter(
        (n) => n !== 'owner_only' && n !== 'not_a_server_error',
      ),
    );
    expect(names([])).toEqual(BUILT_IN_CHECKS.map((check) => check.name));
  });

  it('describes every check in a sentence', () => {
    for (const check of BUILT_IN_CHECKS) expect(check.description).toMatch(/^[A-Z].+\.$/);
  });
});
