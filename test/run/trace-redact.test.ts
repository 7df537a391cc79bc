// A Playwright trace redacted: secrets planted everywhere a trace holds them (HAR headers and cookies, form bodies
// inline and in resource files, JSON bodies, password fields of DOM snapshots, typed values, console text, URLs)
// and in the forms they come back in; the trace stays readable and its images untouched.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { REDACTED, Redactor } from '../../src/run/redact.ts';
import { redactTrace } from '../../src/run/ui/trace-redact.ts';

/** A JPEG's first bytes: not UTF-8, so never read as text. */
const IMAGE = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xc3, 0x28,
]);

interface Planted {
  bearer: string;
  cookie: string;
  setCookie: string;
  password: string;
  typed: string;
  apiKey: string;
  token: string;
  known: string;
  field: string;
}

/** A trace as Playwright writes one, with the planted secrets where a browser case would leave them. */
function traceOf(s: Planted): Record<string, Uint8Array> {
  const network = [
    {
      type: 'resource-snapshot',
      snapshot: {
        request: {
          method: 'POST',
          url: `http://127.0.0.1:9/login?api_key=${encodeURIComponent(s.apiKey)}&page=2`,
          cookies: [{ name: 'theme', value: 'dark' }],
          headers: [
            { name: 'Authorization', value: `Bearer ${s.bearer}` },
            { name: 'Cookie', value: `sid=${s.cookie}; theme=dark` },
            { name: 'Accept', value: 'text/html' },
          ],
          postData: {
            mimeType: 'application/x-www-form-urlencoded',
            text: '',
            params: [
              { name: 'email', value: 'ann@example.test' },
              { name: 'password', value: s.password },
            ],
            _file: 'resources/form.dat',
          },
        },
        response: {
          status: 200,
          cookies: [{ name: 'connect.sid', value: s.setCookie }],
          headers: [{ name: 'Set-Cookie', value: `connect.sid=${s.setCookie}; Path=/; HttpOnly` }],
          content: { mimeType: 'application/json', _file: 'resources/body.json' },
        },
      },
    },
  ];
  const events = [
    {
      type: 'before',
      callId: 'c1',
      method: 'fill',
      params: { selector: 'internal:label="E-mail"i', value: 'ann' },
    },
    { type: 'before', callId: 'c2', method: 'fill', params: { selector: '#pin-code', value: s.typed } },
    // Too short to hunt anywhere else, hidden where it is typed.
    {
      type: 'before',
      callId: 'c3',
      method: 'fill',
      params: { selector: 'internal:label="PIN"i', value: '739' },
    },
    {
      type: 'frame-snapshot',
      snapshot: {
        html: [
          'FORM',
          {},
          ['INPUT', { __playwright_value_: s.field, type: 'password', name: 'p' }],
          ['INPUT', { __playwright_value_: 'Browser song', name: 'project' }],
        ],
      },
    },
    {
      type: 'console',
      messageType: 'log',
      text: `loaded ${Buffer.from(s.token).toString('base64')} ${s.known}`,
    },
  ];
  const lines = (items: unknown[]) => strToU8(items.map((item) => JSON.stringify(item)).join('\n'));
  return {
    'trace.trace': lines(events),
    'trace.network': lines(network),
    'trace.stacks': strToU8(`{"files":[],"stacks":[]}`),
    'resources/form.dat': strToU8(`email=ann%40example.test&password=${encodeURIComponent(s.password)}`),
    'resources/body.json': strToU8(JSON.stringify({ access_token: s.token, user: { name: 'Ann' } })),
    'screencast/frame-1.jpeg': IMAGE,
  };
}

/** Long enough to be hunted, with characters that need escaping in JSON, URLs and HTML. */
const secret = fc
  .array(fc.constantFrom(...`abcXYZ019-_"\\'<>&%+/= :;,?#`), { minLength: 12, maxLength: 30 })
  .map((chars) => `s3${chars.join('')}`);

const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-trace-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function redacted(planted: Planted, redactor = new Redactor().forCase()) {
  const file = path.join(dir, 'case.trace.zip');
  await writeFile(file, zipSync(traceOf(planted)));
  expect(await redactTrace(file, `${file}.out`, redactor)).toBe(true);
  return unzipSync(await readFile(`${file}.out`));
}

const PLANTED: Planted = {
  bearer: 'eyJhbGciOi.bearer-value',
  cookie: 'cookie-value-1234',
  setCookie: 'set-cookie-value-5678',
  password: 'hunter2-password',
  typed: '483920',
  apiKey: 'key-in-the-query-42',
  token: 'access-token-value-9',
  known: 'known-before-the-case',
  field: 'typed-by-the-page-77',
};

describe('a redacted trace', () => {
  it('hides every secret of the case, and keeps what is no secret and every event readable', async () => {
    const runRedactor = new Redactor({ secrets: [PLANTED.known] });
    const redactor = runRedactor.forCase();
    redactor.remember(PLANTED.typed); // what the case typed into a secret-named field (run-case.ts)
    const entries = await redacted(PLANTED, redactor);
    const texts = Object.entries(entries)
      .filter(([name]) => !name.endsWith('.jpeg'))
      .map(([, bytes]) => strFromU8(bytes));
    for (const value of Object.values(PLANTED)) {
      for (const text of texts) expect(text).not.toContain(value);
    }
    const network = JSON.parse(strFromU8(entries['trace.network']!)) as {
      snapshot: { request: { headers: { name: string; value: string }[] }; response: { cookies: unknown[] } };
    };
    expect(network.snapshot.request.headers).toEqual([
      { name: 'Authorization', value: REDACTED },
      { name: 'Cookie', value: REDACTED },
      { name: 'Accept', value: 'text/html' },
    ]);
    expect(network.snapshot.response.cookies).toEqual([{ name: 'connect.sid', value: REDACTED }]);
    const events = strFromU8(entries['trace.trace']!)
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => e.type)).toEqual(['before', 'before', 'before', 'frame-snapshot', 'console']);
    expect(events[2]).toMatchObject({ params: { selector: 'internal:label="PIN"i', value: REDACTED } });
    expect(events[0]).toMatchObject({ params: { selector: 'internal:label="E-mail"i', value: 'ann' } });
    expect(JSON.stringify(events[3])).toContain('Browser song');
    // The token the service handed out in a JSON body, written back by the page in base64.
    expect(events[4]!.text).toMatch(/^loaded \[redacted\]=* \[redacted\]$/);
    expect(strFromU8(entries['resources/form.dat']!)).toBe(`email=ann%40example.test&password=${REDACTED}`);
    expect(JSON.parse(strFromU8(entries['resources/body.json']!))).toEqual({
      access_token: REDACTED,
      user: { name: 'Ann' },
    });
    expect(entries['screencast/frame-1.jpeg']).toEqual(IMAGE);
    // What the trace showed is the run's to hunt too: the report written later hides the cookie the page got.
    expect(runRedactor.text(`got ${PLANTED.setCookie}`)).toBe(`got ${REDACTED}`);
  });

  it('hides secrets of any characters, in every form they are written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          bearer: secret,
          cookie: secret,
          setCookie: secret,
          password: secret,
          typed: secret,
          apiKey: secret,
          token: secret,
          known: secret,
          field: secret,
        }),
        async (planted) => {
          const redactor = new Redactor({ secrets: [planted.known] }).forCase();
          redactor.remember(planted.typed);
          const entries = await redacted(planted, redactor);
          const text = Object.entries(entries)
            .filter(([name]) => !name.endsWith('.jpeg'))
            .map(([, bytes]) => strFromU8(bytes))
            .join('\n');
          for (const value of Object.values(planted)) {
            for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
              expect(text).not.toContain(form);
            }
          }
          // Every event line is still JSON, so the trace viewer opens it.
          for (const name of ['trace.trace', 'trace.network']) {
            for (const line of strFromU8(entries[name]!).split('\n'))
              expect(() => JSON.parse(line)).not.toThrow();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads a line that is not JSON as text, and a trace with no events at all', async () => {
    const file = path.join(dir, 'odd.trace.zip');
    await writeFile(
      file,
      zipSync({
        'trace.trace': strToU8(
          `{"type":"before"\nAuthorization: Bearer abcdefgh12345 token=${PLANTED.token}`,
        ),
        'trace.network': strToU8(''),
      }),
    );
    expect(await redactTrace(file, file, new Redactor())).toBe(true);
    const entries = unzipSync(await readFile(file));
    expect(strFromU8(entries['trace.trace']!)).toBe(
      `{"type":"before"\nAuthorization: Bearer ${REDACTED} token=${REDACTED}`,
    );
    expect(strFromU8(entries['trace.network']!)).toBe('');
  });

  it('reads an event nested deeper than the stack allows as text, and still hides what it knows', async () => {
    const depth = 20_000;
    const deep = `{"type":"frame-snapshot","snapshot":{"html":${'['.repeat(depth)}"INPUT",{"__playwright_value_":"${PLANTED.typed}-${PLANTED.field}"}${']'.repeat(depth)}}}`;
    const cookie = JSON.stringify({ headers: [{ name: 'Cookie', value: `sid=${PLANTED.cookie}` }] });
    const file = path.join(dir, 'deep.trace.zip');
    await writeFile(file, zipSync({ 'trace.trace': strToU8(`${deep}\n${cookie}`) }));
    const redactor = new Redactor().forCase();
    redactor.remember(`${PLANTED.typed}-${PLANTED.field}`);
    expect(await redactTrace(file, `${file}.out`, redactor)).toBe(true);
    const [first, second] = strFromU8(unzipSync(await readFile(`${file}.out`))['trace.trace']!).split('\n');
    expect(first).toBe(deep.replace(`${PLANTED.typed}-${PLANTED.field}`, REDACTED));
    expect(JSON.parse(second!)).toEqual({ headers: [{ name: 'Cookie', value: REDACTED }] });
  });

  it('reads a page as a page, not as a form: its words stay, only the secret pair goes', async () => {
    const page = '<p>Your session=active for Ann Example</p> &amp; more';
    const network = {
      snapshot: { response: { content: { mimeType: 'text/html', _file: 'resources/page.html' } } },
    };
    const file = path.join(dir, 'page.trace.zip');
    await writeFile(
      file,
      zipSync({ 'trace.network': strToU8(JSON.stringify(network)), 'resources/page.html': strToU8(page) }),
    );
    expect(await redactTrace(file, `${file}.out`, new Redactor())).toBe(true);
    expect(strFromU8(unzipSync(await readFile(`${file}.out`))['resources/page.html']!)).toBe(
      `<p>Your session=${REDACTED} for Ann Example</p> &amp; more`,
    );
  });

  it('is dropped, never kept as it was, when it is not a zip', async () => {
    const file = path.join(dir, 'torn.trace.zip');
    await writeFile(file, `PK\u0003\u0004 torn password=${PLANTED.password}`);
    expect(await redactTrace(file, `${file}.out`, new Redactor())).toBe(false);
    expect(existsSync(`${file}.out`)).toBe(false);
  });
});
