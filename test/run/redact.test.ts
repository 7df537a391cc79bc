import { describe, expect, it } from '@jest/globals';
import { toCurl } from '../../src/run/curl.ts';
import { REDACTED, Redactor } from '../../src/run/redact.ts';

describe('redacting secrets from evidence', () => {
  it('blots out credential headers and remembers their values', () => {
    const redactor = new Redactor();
    const token = 'tok_0123456789abcdef0123';
    redactor.rememberFrom({ authorization: `Bearer ${token}`, accept: 'json' }, undefined);
    expect(redactor.headers({ authorization: `Bearer ${token}`, accept: 'json' })).toEqual({
      authorization: REDACTED,
      accept: 'json',
    });
    expect(redactor.text(`the token ${token} again`)).toBe(`the token ${REDACTED} again`);
  });

  it('blots out secret-looking JSON fields wherever they are nested', () => {
    const redactor = new Redactor();
    const body = JSON.stringify({ email: 'a@b.c', password: 'hunter22', nested: [{ apiKey: 'k-123456' }] });
    expect(JSON.parse(redactor.body(body, 1000))).toEqual({
      email: 'a@b.c',
      password: REDACTED,
      nested: [{ apiKey: REDACTED }],
    });
  });

  it('replaces remembered secrets inside non-JSON text and cuts long bodies', () => {
    const redactor = new Redactor();
    redactor.rememberFrom({}, { session: { token: 'sess-abcdef-123' } });
    expect(redactor.body('<p>sess-abcdef-123</p>', 1000)).toBe(`<p>${REDACTED}</p>`);
    expect(redactor.body('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}… (40 more characters)`);
  });

  it('does not treat short values as secrets', () => {
    const redactor = new Redactor();
    redactor.remember('abc');
    expect(redactor.text('abc')).toBe('abc');
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
