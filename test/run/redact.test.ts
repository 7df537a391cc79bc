// The redactor alone, attacked: secret names in every spelling, secrets split into forms (escaped, encoded, base64),
// credentials inside headers, cookies, URLs, forms and nested JSON, and the words it must leave alone.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { RunSummary } from '../../src/cases/index.ts';
import { toCurl } from '../../src/run/curl.ts';
import { REDACTED, Redactor } from '../../src/run/redact.ts';
import { escapeHtml } from '../../src/report/html-markup.ts';
import { isSecretName, securitySchemeNames } from '../../src/run/secret-names.ts';
import { result, summaryOf } from '../support/results.ts';

/** A secret as a service might hand it out: long enough to hunt, from an alphabet that needs escaping. */
const secret = (alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_') =>
  fc
    .array(fc.constantFrom(...alphabet), { minLength: 12, maxLength: 40 })
    .map((chars) => `s3${chars.join('')}`);
const awkward = secret(`abcXYZ019"\\'<>&%+/= :;,?#`);

/** Every spelling a credential name comes in. */
const CREDENTIAL_NAMES = [
  'Authorization',
  'proxy-authorization',
  'Cookie',
  'Set-Cookie',
  'x-api-key',
  'X-API-KEY',
  'api-key',
  'api_key',
  'apiKey',
  'APIKEY',
  'x-auth-token',
  'X_Auth_Token',
  'access_token',
  'accessToken',
  'refresh-token',
  'id_token',
  'csrfToken',
  'client_secret',
  'clientSecret',
  'password',
  'Password',
  'PASSWORD',
  'new_password',
  'passwd',
  'pwd',
  'pass',
  'sessionId',
  'JSESSIONID',
  'PHPSESSID',
  'connect.sid',
  'private_key',
  'x-amz-security-token',
  'x-goog-api-key',
  'credentials',
  'auth',
  'authn',
  'Authentication',
  'jwt',
  'otp',
  'pin',
  'xsrf',
  'csrf',
  'bearer',
  'keys',
  'sess_id',
];
/** JSON field names whose words only their capitals mark (a header's name reaches us in lower case). */
const CAMEL_NAMES = ['signingKey', 'userPwd'];
const ORDINARY_NAMES = [
  'accept',
  'content-type',
  'keyboard',
  'monkey',
  'author',
  'authorId',
  'passenger',
  'bypass',
  'compass',
  'keyword',
  'turkey',
  'email',
  'name',
];

describe('names that hold secrets', () => {
  it('are recognised in every case and spelling, and ordinary names are not', () => {
    for (const name of [...CREDENTIAL_NAMES, ...CAMEL_NAMES])
      expect([name, isSecretName(name)]).toEqual([name, true]);
    for (const name of ORDINARY_NAMES) expect([name, isSecretName(name)]).toEqual([name, false]);
  });

  it("include every API key a description's security schemes name, in OpenAPI 3 and Swagger 2", () => {
    const openapi = {
      components: {
        securitySchemes: {
          customer: { type: 'apiKey', in: 'header', name: 'X-Customer' },
          sig: { type: 'apiKey', in: 'query', name: 'sig' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    };
    const swagger = { securityDefinitions: { tenant: { type: 'apiKey', in: 'header', name: 'X-Tenant' } } };
    expect(securitySchemeNames(openapi)).toEqual(['X-Customer', 'sig']);
    expect(securitySchemeNames(swagger)).toEqual(['X-Tenant']);
    expect(securitySchemeNames({ components: { securitySchemes: 'nonsense' } })).toEqual([]);
    expect(securitySchemeNames(undefined)).toEqual([]);
    expect(securitySchemeNames({ components: null })).toEqual([]);
    const odd = {
      securityDefinitions: {
        basic: { type: 'basic', name: 'Authorization' },
        nameless: { type: 'apiKey' },
        numbered: { type: 'apiKey', name: 7 },
        nothing: null,
      },
    };
    expect(securitySchemeNames(odd)).toEqual([]);
    const redactor = new Redactor({ names: securitySchemeNames(openapi) }).forCase();
    redactor.rememberRequest({
      method: 'GET',
      url: 'http://h/a?sig=q9-signature-0001&page=2',
      headers: { 'x-customer': 'cust-1234' },
    });
    expect(redactor.headers({ 'x-customer': 'cust-1234' })).toEqual({ 'x-customer': REDACTED });
    expect(redactor.text('http://h/a?sig=q9-signature-0001&page=2')).toBe(
      `http://h/a?sig=${REDACTED}&page=2`,
    );
    expect(redactor.text('customer cust-1234 said')).toBe(`customer ${REDACTED} said`);
  });
});

describe('credential headers', () => {
  it('are hidden by name, and their values hunted in any text, in every spelling of the name', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CREDENTIAL_NAMES), secret(), (name, value) => {
        const redactor = new Redactor().forCase();
        redactor.rememberRequest({
          method: 'GET',
          url: 'http://h/',
          headers: { [name.toLowerCase()]: value },
        });
        expect(redactor.headers({ [name]: value, accept: 'json' })).toEqual({
          [name]: REDACTED,
          accept: 'json',
        });
        expect(redactor.text(`got "${value}" back`)).toBe(`got "${REDACTED}" back`);
      }),
    );
  });

  it('give up the secret inside: after the scheme, in each cookie, inside Basic credentials', () => {
    fc.assert(
      fc.property(secret(), secret(), (a, b) => {
        const redactor = new Redactor().forCase();
        const basic = Buffer.from(`someone:${b}`).toString('base64');
        redactor.rememberRequest({
          method: 'GET',
          url: 'http://h/',
          headers: { authorization: `Bearer ${a}`, 'proxy-authorization': `Basic ${basic}` },
        });
        const seen = redactor.text(`token ${a}; password ${b}; header ${basic}; user someone`);
        expect(seen).toBe(`token ${REDACTED}; password ${REDACTED}; header ${REDACTED}; user someone`);
      }),
    );
  });

  it('remember a short secret value too (4 characters or more) and find it again in a body', () => {
    const redactor = new Redactor().forCase();
    redactor.rememberRequest({
      method: 'GET',
      url: 'http://h/',
      headers: { 'x-api-key': 'k9x2', authorization: 'Bearer ab12' },
    });
    expect(redactor.body('{"echo":"k9x2","again":"ab12","status":"ok"}', 1000)).toBe(
      `{"echo":"${REDACTED}","again":"${REDACTED}","status":"ok"}`,
    );
    // Shorter values are hidden where named, but hunting them would blot out "1", "on" and "abc" everywhere.
    redactor.remember('k9x');
    expect(redactor.text('k9x')).toBe('k9x');
  });

  it('take the value of every cookie a response sets, but not the attributes or the Expires date', () => {
    const redactor = new Redactor().forCase();
    redactor.rememberResponse({
      status: 200,
      headers: {
        'set-cookie':
          'sid=abc123def; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly, theme=dark-2; Path=/',
      },
      body: '',
    });
    expect(redactor.text('sid was abc123def, theme dark-2; Path=/ HttpOnly 2026 GMT Expires')).toBe(
      `sid was ${REDACTED}, theme ${REDACTED}; Path=/ HttpOnly 2026 GMT Expires`,
    );
  });
});

describe('what a request and a response carry', () => {
  it('gives up secrets from the URL (user info, query, fragment), a redirect, a form and multipart fields', () => {
    const redactor = new Redactor().forCase();
    redactor.rememberRequest({
      method: 'POST',
      url: 'http://someone:pw-0f-url@h/cb?page=2&api_key=qk-1234#access_token=fr-5678',
      headers: {},
      body: 'user=bob&password=fm-9999',
      multipart: {
        fields: [
          ['client_secret', 'mp-4321'],
          ['note', 'nt-1111'],
        ],
        files: [],
      },
    });
    redactor.rememberResponse({ status: 302, headers: { location: '/next?token=lc-2468' }, body: '' });
    const seen = 'pw-0f-url qk-1234 fr-5678 fm-9999 mp-4321 lc-2468 nt-1111 someone page bob';
    expect(redactor.text(seen)).toBe(`${Array(6).fill(REDACTED).join(' ')} nt-1111 someone page bob`);
    // The literal text readers see, whatever the constant says.
    expect(redactor.text('pw-0f-url')).toBe('[redacted]');
  });

  it('takes from credential headers only: other headers and fields are not secrets', () => {
    const redactor = new Redactor().forCase();
    redactor.rememberRequest({
      method: 'POST',
      url: 'http://h/',
      headers: { accept: 'application/json', 'x-request-id': 'rq-1234' },
      body: JSON.stringify({ email: 'a@b.cdef', items: [{ name: 'it-5678', password: null }] }),
    });
    expect(redactor.text('application/json rq-1234 a@b.cdef it-5678')).toBe(
      'application/json rq-1234 a@b.cdef it-5678',
    );
  });

  it('reads every cookie of a Cookie header, each Set-Cookie even without a space after the comma, and Digest', () => {
    const redactor = new Redactor().forCase();
    redactor.rememberRequest({
      method: 'GET',
      url: 'http://h/',
      headers: { cookie: 'a=ck-1111; b=ck-2222', authorization: 'Digest username="bob", response="dg-3333"' },
    });
    redactor.rememberResponse({
      status: 200,
      headers: { 'set-cookie': 'x=sc-4444,y=sc-5555; Path=/' },
      body: '',
    });
    expect(redactor.text('ck-1111 ck-2222 dg-3333 sc-4444 sc-5555')).toBe(Array(5).fill(REDACTED).join(' '));
  });

  it('decodes Basic credentials with an empty user, and leaves base64 that is no credentials', () => {
    const redactor = new Redactor().forCase();
    const encoded = Buffer.from(':only-pw-1').toString('base64');
    redactor.rememberRequest({
      method: 'GET',
      url: 'http://h/',
      headers: { authorization: `Basic ${encoded}` },
    });
    expect(redactor.text('only-pw-1')).toBe(REDACTED);
    expect(redactor.text('Basic QUJD is "ABC"')).toBe('Basic QUJD is "ABC"');
  });

  it('takes what follows a credential scheme however spaced, and JSON body fields', () => {
    const redactor = new Redactor().forCase();
    redactor.rememberRequest({
      method: 'POST',
      url: 'http://h/',
      headers: { authorization: ' Bearer  tok-77 ', 'x-api-key': 'Key part-1 part-2', cookie: 'a=ck-1 ;b=x' },
      body: JSON.stringify({ user: { password: 'jb-1357' }, note: null, list: [null, 1] }),
    });
    expect(redactor.text('tok-77, part-1 part-2, ck-1, jb-1357')).toBe(
      `${REDACTED}, ${REDACTED}, ${REDACTED}, ${REDACTED}`,
    );
  });

  it("hunts a target's user info as Basic credentials, and a root redactor keeps only distinctive secrets", () => {
    const run = new Redactor({ secrets: ['expired'] });
    run.rememberUrl('http://someone:pw-0f-url@h/');
    const basic = Buffer.from('someone:pw-0f-url').toString('base64');
    expect(run.text(`${basic} expired`)).toBe(`${REDACTED} expired`);
  });

  it('remembers numbers under secret names (a PIN), and ignores what is no value', () => {
    const redactor = new Redactor().forCase();
    redactor.rememberFields({ pin: 482913, token: { parts: [null, true] } });
    redactor.remember(undefined);
    redactor.remember({ toString: () => 'ob-1234' });
    expect(redactor.text('482913 null true ob-1234')).toBe(`${REDACTED} null true ob-1234`);
  });
});

describe('secret fields of JSON', () => {
  it('are hidden wherever they are nested, a secret field holding an object walked to every leaf', () => {
    const redactor = new Redactor().forCase();
    const body = JSON.stringify({
      email: 'a@b.c',
      password: 'hunter22',
      nested: [{ apiKey: 'k-123456' }],
      session: { id: 'sess-1', user: { name: 'bob' }, roles: ['admin'], active: true, ttl: 3600 },
      keyboard: 'qwerty',
    });
    expect(JSON.parse(redactor.body(body, 1000))).toEqual({
      email: 'a@b.c',
      password: REDACTED,
      nested: [{ apiKey: REDACTED }],
      // The shape stays to read the evidence by; true, false and null hold no secret.
      session: { id: REDACTED, user: { name: REDACTED }, roles: [REDACTED], active: true, ttl: REDACTED },
      keyboard: 'qwerty',
    });
  });

  it("remember every leaf under a secret-named field, and find it in a case's messages", () => {
    fc.assert(
      fc.property(secret(), fc.constantFrom('token', 'session', 'credentials', 'apiKey'), (value, name) => {
        const redactor = new Redactor().forCase();
        redactor.rememberResponse({
          status: 200,
          headers: {},
          body: '',
          json: { data: { [name]: { inner: [{ value }] } } },
        });
        expect(redactor.text(`expected body.data.${name} to be "x", got "${value}"`)).not.toContain(value);
      }),
    );
  });
});

describe('secrets in URLs and form bodies', () => {
  it('hides secret query parameters and user info, leaving the rest of the URL as it was', () => {
    fc.assert(
      fc.property(secret(), secret(), (a, b) => {
        const redactor = new Redactor();
        const url = `http://me:${b}@h:81/p?page=2&api_key=${a}&Access_Token=${a}&api%5Fkey=${a}#frag`;
        expect(redactor.text(`GET ${url} failed`)).toBe(
          `GET http://${REDACTED}@h:81/p?page=2&api_key=${REDACTED}&Access_Token=${REDACTED}&api%5Fkey=${REDACTED}#frag failed`,
        );
      }),
    );
  });

  it('hides secret fields of a raw form body by name, and hunts their values', () => {
    fc.assert(
      fc.property(awkward, (value) => {
        const redactor = new Redactor().forCase();
        const body = new URLSearchParams({ email: 'a@b.c', password: value, remember: 'on' }).toString();
        redactor.rememberRequest({
          method: 'POST',
          url: 'http://h/login',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        expect(redactor.body(body, 1000)).toBe(`email=a%40b.c&password=${REDACTED}&remember=on`);
        expect(redactor.text(`you sent ${value}`)).toBe(`you sent ${REDACTED}`);
      }),
    );
  });
});

describe('the forms a secret comes back in', () => {
  it('are hunted: as is, JSON-escaped, URL-encoded, HTML-escaped and in base64', () => {
    fc.assert(
      fc.property(awkward, (value) => {
        const redactor = new Redactor().forCase();
        redactor.remember(value);
        const forms = [
          value,
          JSON.stringify(value),
          JSON.stringify({ echoed: value }),
          encodeURIComponent(value),
          new URLSearchParams({ q: value }).toString(),
          value
            .replaceAll('&', '&amp;')
            .replaceAll('<', '&lt;')
            .replaceAll('>', '&gt;')
            .replaceAll('"', '&quot;'),
          escapeHtml(value),
          escapeHtml(value).replaceAll('&#39;', '&apos;'),
          // Markdown escapes only "<".
          value.replaceAll('<', '&lt;'),
          Buffer.from(value).toString('base64'),
        ];
        for (const form of forms) expect(redactor.text(`before ${form} after`)).not.toContain(form);
      }),
    );
  });
});

describe('Bearer and Basic credentials, and curl lines, in any text', () => {
  it('hides the value of "token": "…" in JSON text that does not parse as a whole, however spaced', () => {
    const redactor = new Redactor();
    expect(redactor.text('{"access_token":"a\\"bc","user": "bob", "password"  :  "p w", "x": "y"')).toBe(
      `{"access_token":"${REDACTED}","user": "bob", "password"  :  "${REDACTED}", "x": "y"`,
    );
  });

  it('hides pairs at the start of a text and after quotes, reading + as a space, and not inside a word', () => {
    const redactor = new Redactor();
    expect(redactor.text("password=pw1&x+pwd=pw2 'token=t3' xpwd=keep")).toBe(
      `password=${REDACTED}&x+pwd=${REDACTED} 'token=${REDACTED}' xpwd=keep`,
    );
  });

  it('hides Bearer tokens and Basic credentials however spaced and padded', () => {
    const redactor = new Redactor();
    const unpadded = Buffer.from('bob:hunter22').toString('base64');
    expect(unpadded).not.toContain('=');
    expect(redactor.text(`Bearer  abc.def Basic  ${unpadded} -H 'x-api-key:abc'`)).toBe(
      `Bearer  ${REDACTED} Basic  ${REDACTED} -H 'x-api-key: ${REDACTED}'`,
    );
  });

  it('are hidden without being known first', () => {
    const basic = Buffer.from('bob:hunter2').toString('base64');
    const redactor = new Redactor();
    expect(redactor.text(`sent Authorization: Bearer eyJ.abc-123 and Basic ${basic}.`)).toBe(
      `sent Authorization: Bearer ${REDACTED} and Basic ${REDACTED}.`,
    );
    expect(redactor.text('Basic auth is off')).toBe('Basic auth is off');
    expect(redactor.text(`curl 'http://h/' -H 'x-auth-token: abc' -H 'accept: json'`)).toBe(
      `curl 'http://h/' -H 'x-auth-token: ${REDACTED}' -H 'accept: json'`,
    );
  });
});

describe('what the whole run hunts', () => {
  it("gets every distinctive secret of every case, but not a case's plain short words", () => {
    const run = new Redactor();
    const first = run.forCase();
    first.rememberResponse({
      status: 200,
      headers: {},
      body: '',
      json: { token: 'tok-7f3a9c2e', session: 'expired', auth: 'failed' },
    });
    const second = run.forCase();
    expect(second.text('tok-7f3a9c2e')).toBe(REDACTED);
    // "expired" and "failed" are hunted in the case that saw them, not in the report's own words.
    expect(first.text('expired')).toBe(REDACTED);
    expect(run.text('the session expired; 2 failed')).toBe('the session expired; 2 failed');
  });

  it('hunts run-wide what cannot occur by chance: 12 letters or more, or 4 characters with a non-letter', () => {
    const run = new Redactor();
    const one = run.forCase();
    for (const value of ['abcdefghijkl', 'ab1d', 'a-bc', 'abcdefghijk', 'ab1']) one.remember(value);
    expect(run.text('abcdefghijkl ab1d a-bc abcdefghijk ab1')).toBe(
      `${REDACTED} ${REDACTED} ${REDACTED} abcdefghijk ab1`,
    );
    expect(one.text('abcdefghijk ab1')).toBe(`${REDACTED} ab1`);
  });

  it('takes no placeholder for a secret: "null", "none", "true" under a secret name are not hunted', () => {
    const one = new Redactor().forCase();
    one.rememberFields({ token: 'none', password: 'null', secret: ['true', 'false', 'undefined', 'NONE'] });
    expect(one.text('none null true false undefined NONE')).toBe('none null true false undefined NONE');
  });

  it('never rewrites the names, statuses and ids of a results file, and redacts every other string', () => {
    const run = new Redactor({ secrets: ['zz-9-looks-like-a-name'] });
    const keys = [
      'status',
      'kind',
      'priority',
      'caseId',
      'minimalCaseId',
      'check',
      'reached',
      'engine',
      'signature',
    ];
    const value = 'zz-9-looks-like-a-name';
    const walked = run.json({
      ...Object.fromEntries(keys.map((k) => [k, value])),
      newSignatures: [value],
      title: value,
    });
    expect(walked).toEqual({
      ...Object.fromEntries(keys.map((k) => [k, value])),
      newSignatures: [value],
      title: REDACTED,
    });
    expect(run.json(value)).toBe(REDACTED);
  });

  it('hunts a secret to the last character of a text, the longest of two that start alike first', () => {
    const one = new Redactor().forCase();
    one.remember('ab-1');
    one.remember('ab-1234');
    expect(one.text('see ab-1')).toBe(`see ${REDACTED}`);
    expect(one.text('see ab-1234!')).toBe(`see ${REDACTED}!`);
    expect(one.body('x'.repeat(10), 10)).toBe('x'.repeat(10));
  });

  it('leaves a results file valid: names, statuses and ids stay, even when a secret looks like one', () => {
    const run = new Redactor({ secrets: ['passed-1234567', 'tc_000000000001'] });
    run.forCase().remember('failed');
    const failing = result('a case', 'failed', { message: 'got passed-1234567', url: 'http://h/?token=abc' });
    const summary = {
      ...summaryOf([
        {
          ...failing,
          caseId: 'tc_000000000001',
          evidence: failing.evidence.map((e) => ({
            ...e,
            request: { ...e.request, headers: { 'x-auth-token': 'abc' } },
          })),
        },
      ]),
      target: 'http://user:p4ss-w0rd@h/',
    };
    const redacted = RunSummary.parse(run.summary(summary));
    expect(redacted.target).toBe(`http://${REDACTED}@h/`);
    expect(redacted.results[0]).toMatchObject({
      caseId: 'tc_000000000001',
      status: 'failed',
      failures: [{ message: `got ${REDACTED}` }],
      evidence: [{ request: { url: `http://h/?token=${REDACTED}`, headers: { 'x-auth-token': REDACTED } } }],
    });
  });
});

describe("a case's result", () => {
  it('has its messages, error, evidence and reproduction redacted, and its verdict and names kept', () => {
    const one = new Redactor().forCase();
    one.remember('tok-2468');
    const failing = result('a case', 'failed', { message: 'got tok-2468', url: 'http://h/?token=tok-2468' });
    const evidence = failing.evidence[0]!;
    const redacted = one.result({
      ...failing,
      error: 'died on tok-2468',
      evidence: [
        {
          ...evidence,
          request: { ...evidence.request, headers: { 'x-auth-token': 'x', a: 'tok-2468' }, body: 'tok-2468' },
        },
        { step: 0, request: { method: 'GET', url: 'http://h/', headers: {} }, durationMs: 1 },
      ],
      reproduction: { curl: "curl -H 'x: tok-2468'", steps: ['fill "tok-2468"'] },
    });
    expect(redacted).toEqual({
      ...failing,
      failures: [{ ...failing.failures[0], message: 'got [redacted]' }],
      error: 'died on [redacted]',
      evidence: [
        {
          ...evidence,
          request: {
            ...evidence.request,
            url: 'http://h/?token=[redacted]',
            headers: { 'x-auth-token': '[redacted]', a: '[redacted]' },
            body: '[redacted]',
          },
        },
        { step: 0, request: { method: 'GET', url: 'http://h/', headers: {} }, durationMs: 1 },
      ],
      reproduction: { curl: "curl -H 'x: [redacted]'", steps: ['fill "[redacted]"'] },
    });
    const passed = result('another', 'passed');
    expect(one.result(passed)).toEqual(passed);
  });

  it('has a long body cut after redaction, and JSON nulls kept wherever they are', () => {
    const one = new Redactor().forCase();
    expect(one.body('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}… (40 more characters)`);
    expect(JSON.parse(one.body('{"a":null,"token":null,"session":{"b":null}}', 1000))).toEqual({
      a: null,
      token: null,
      session: { b: null },
    });
    expect(one.json({ a: null, list: [null] })).toEqual({ a: null, list: [null] });
  });
});

describe('curl reproductions', () => {
  it('give one line that sends the same request, quoted for the shell', () => {
    expect(
      toCurl({
        method: 'POST',
        url: 'http://127.0.0.1:4100/api/projects',
        headers: { 'content-type': 'application/json', 'user-agent': 'gauntlet' },
        body: `{"name":"it's"}`,
      }),
    ).toBe(
      `curl -sS -i -X POST 'http://127.0.0.1:4100/api/projects' -H 'content-type: application/json' --data-raw '{"name":"it'\\''s"}'`,
    );
    expect(toCurl({ method: 'GET', url: 'http://127.0.0.1/a?q=1', headers: {} })).toBe(
      `curl -sS -i 'http://127.0.0.1/a?q=1'`,
    );
  });
});

describe('long answers', () => {
  it('redacts only the excerpt of a long answer, a secret-named pair cut at its end included', () => {
    const one = new Redactor().forCase();
    one.remember('planted-secret-1');
    const filler = 'y'.repeat(2900);
    const body = `{"note":"${filler}","token":"abc-cut-at-the-end${'z'.repeat(3000)}","more":"${'w'.repeat(5000)}"}`;
    const shown = one.body(body, 3000);
    expect(shown).not.toContain('abc-cut');
    expect(shown).toMatch(/… \(\d+ more characters\)$/);
    const secretAtEnd = `${'a'.repeat(2990)} planted-secret-1 ${'b'.repeat(10_000)}`;
    expect(one.body(secretAtEnd, 3000)).not.toContain('planted-secret');
  });

  it('reads a string of megabytes in a secret-named pair or a curl header without running out of stack', () => {
    const one = new Redactor().forCase();
    const long = 'q'.repeat(3_000_000);
    expect(one.text(`{"token":"${long}"}`)).toBe(`{"token":"${REDACTED}"}`);
    expect(one.text(`{"token":"${long}`)).toBe(`{"token":"${REDACTED}"`);
    expect(one.text(`curl -H 'x-auth-token: ${long}' http://x/`)).toBe(
      `curl -H 'x-auth-token: ${REDACTED}' http://x/`,
    );
  });
});
