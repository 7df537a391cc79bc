import { describe, expect, it } from '@jest/globals';
import { judgeExpectation, matchValue, statusMatches } from '../../src/run/expectations.ts';
import type { Exchanged } from '../../src/run/http.ts';

const exchange = (
  status: number,
  body: string,
  headers: Record<string, string> = {},
  durationMs = 5,
): Exchanged => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return {
    request: { method: 'GET', url: 'http://127.0.0.1/x', headers: {} },
    response: { status, headers, body, ...(json !== undefined && { json }) },
    durationMs,
  };
};

describe('judging a response against expectations', () => {
  it('matches statuses by code, by class, and by any of a list', () => {
    expect(statusMatches(201, 201)).toBe(true);
    expect(statusMatches(201, '2xx')).toBe(true);
    expect(statusMatches(404, [401, '5xx'])).toBe(false);
    expect(statusMatches(404, [403, 404])).toBe(true);
  });

  it('says what status was expected and what came', () => {
    expect(judgeExpectation({ status: [401, 403] }, exchange(200, '{}'))).toEqual([
      { check: 'status', message: 'expected status 401 or 403, got 200' },
    ]);
  });

  it('checks headers by name in any case, and by contained text', () => {
    const response = exchange(200, '', { 'content-type': 'audio/wav' });
    expect(judgeExpectation({ headers: { 'Content-Type': 'AUDIO/WAV' } }, response)).toEqual([]);
    expect(judgeExpectation({ headers: { 'x-missing': 'a' } }, response)).toEqual([
      { check: 'header', message: 'expected header x-missing to contain "a", got none' },
    ]);
  });

  it('checks texts the body must and must not contain, and the time taken', () => {
    const response = exchange(200, 'hello <b>', {}, 1500);
    expect(
      judgeExpectation({ bodyContains: ['hello'], bodyNotContains: ['<b>'], maxMs: 1000 }, response),
    ).toEqual([
      { check: 'body', message: 'the body contains "<b>", which it must not' },
      { check: 'duration', message: 'expected an answer within 1000 ms, took 1500 ms' },
    ]);
    expect(judgeExpectation({ bodyContains: ['bye'] }, response)[0]!.message).toBe(
      'expected the body to contain "bye"',
    );
  });

  it('compares body values by path, with literals and matchers', () => {
    const json = { user: { email: 'a@b.c' }, score: 87, items: [{ n: 1 }, { n: 2 }], ok: false, note: null };
    expect(matchValue(json, 'user.email', 'a@b.c')).toBeUndefined();
    expect(matchValue(json, 'ok', true)).toBe('expected body.ok to be true, got false');
    expect(matchValue(json, 'missing', 1)).toBe('expected body.missing to be 1, but it is missing');
    expect(matchValue(json, 'score', { gte: 0, lte: 100, type: 'integer' })).toBeUndefined();
    expect(matchValue(json, 'score', { gt: 90, lt: 80 })).toBe(
      'expected body.score to be > 90 and to be < 80, got 87',
    );
    expect(matchValue(json, 'items', { type: 'array', length: 2, minLength: 3 })).toBe(
      'expected body.items to have length >= 3, got [{"n":1},{"n":2}]',
    );
    expect(matchValue(json, 'items.length', 2)).toBeUndefined();
    expect(matchValue(json, 'items.1.n', { eq: 2, oneOf: [2, 3] })).toBeUndefined();
    expect(matchValue(json, 'user.email', { matches: '^[^@]+@', type: 'string' })).toBeUndefined();
    expect(matchValue(json, 'user.email', { matches: '^x' })).toBe(
      'expected body.user.email to match /^x/, got "a@b.c"',
    );
    expect(matchValue(json, 'score', { type: 'number' })).toBeUndefined();
    expect(matchValue(json, 'score', { type: 'string', eq: 1 })).toBe(
      'expected body.score to be 1 and to be of type string, got 87',
    );
    expect(matchValue(json, 'note', { type: 'null' })).toBeUndefined();
    expect(matchValue(json, 'gone', { exists: false })).toBeUndefined();
    expect(matchValue(json, 'ok', { exists: false })).toBe('expected body.ok to be absent, got false');
    expect(matchValue(json, 'gone', { type: 'string' })).toBe('expected body.gone to exist');
    expect(matchValue(json, 'score', { oneOf: ['a'] })).toBe('expected body.score to be one of "a", got 87');
  });

  it('reads body values of a response that is not JSON as missing', () => {
    expect(judgeExpectation({ body: { id: { exists: true } } }, exchange(200, '<html>'))).toEqual([
      { check: 'body', message: 'expected body.id to exist' },
    ]);
  });
});
