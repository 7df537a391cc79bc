// Expectations at their edges: every comparison at its boundary, every message a user reads, and what a cut body
// or an unmatchable pattern makes of a case. A wrong edge here is a false finding, or a missed one.
import { describe, expect, it } from '@jest/globals';
import type { Expectation } from '../../src/cases/index.ts';
import { judgeExpectation, matchValue, statusMatches, UnjudgeableError } from '../../src/run/expectations.ts';
import { exchangeOf } from '../support/cases.ts';

const exchange = exchangeOf;

const judge = (expectation: Expectation, ...args: Parameters<typeof exchange>) =>
  judgeExpectation(expectation, exchange(...args));

describe('statuses', () => {
  it('matches one status, a class, or any of a list', () => {
    expect(statusMatches(201, 201)).toBe(true);
    expect(statusMatches(201, 200)).toBe(false);
    expect(statusMatches(404, '4xx')).toBe(true);
    expect(statusMatches(500, '4xx')).toBe(false);
    expect(statusMatches(403, [401, 403])).toBe(true);
    expect(statusMatches(404, [401, '5xx'])).toBe(false);
    expect(judge({ status: [401, '5xx'] }, { status: 404 })).toEqual([
      { check: 'status', message: 'expected status 401 or 5xx, got 404' },
    ]);
    expect(judge({ status: 201 }, { status: 200 })).toEqual([
      { check: 'status', message: 'expected status 201, got 200' },
    ]);
  });
});

describe('headers and texts', () => {
  it('says what a header held, or that there was none', () => {
    expect(judge({ headers: { 'X-Kind': 'audio' } }, { headers: { 'x-kind': 'video/mp4' } })).toEqual([
      { check: 'header', message: 'expected header X-Kind to contain "audio", got "video/mp4"' },
    ]);
    expect(judge({ headers: { 'X-Kind': 'audio' } })).toEqual([
      { check: 'header', message: 'expected header X-Kind to contain "audio", got none' },
    ]);
    expect(judge({ headers: { 'X-Kind': 'AUDIO' } }, { headers: { 'x-kind': 'audio/wav' } })).toEqual([]);
  });

  it('judges texts the body must and must not contain, as body checks', () => {
    expect(judge({ bodyContains: ['ok'], bodyNotContains: ['secret'] }, { body: 'all ok' })).toEqual([]);
    expect(judge({ bodyContains: ['ok'], bodyNotContains: ['secret'] }, { body: 'a secret' })).toEqual([
      { check: 'body', message: 'expected the body to contain "ok"' },
      { check: 'body', message: 'the body contains "secret", which it must not' },
    ]);
  });

  it('holds a response to its time limit, the limit itself allowed', () => {
    expect(judge({ maxMs: 100 }, {}, 100)).toEqual([]);
    expect(judge({ maxMs: 100 }, {}, 100.6)).toEqual([
      { check: 'duration', message: 'expected an answer within 100 ms, took 101 ms' },
    ]);
    expect(judge({}, {}, 1e9)).toEqual([]);
  });
});

describe('a body cut at limits.maxResponseBytes', () => {
  const cut = { body: '{"items": [1, 2', bodyCutAt: 15 };

  it('cannot be judged by a body matcher, and says which ones and how to read it whole', () => {
    expect(() => judge({ body: { 'items.length': 3, total: 9 } }, cut)).toThrow(
      new UnjudgeableError(
        'body.items.length, body.total cannot be judged: the response body was cut at 15 bytes ' +
          '(limits.maxResponseBytes); raise it in gauntlet.yml to read the whole body',
      ),
    );
  });

  it('is judged on the part read when the text is there, and cannot be when it is not', () => {
    expect(judge({ bodyContains: ['items'], bodyNotContains: ['[1'] }, cut)).toEqual([
      { check: 'body', message: 'the body contains "[1", which it must not' },
    ]);
    expect(() => judge({ bodyContains: ['total'] }, cut)).toThrow(
      'whether the body contains "total" cannot be judged: the response body was cut at 15 bytes',
    );
    expect(() => judge({ bodyNotContains: ['total'] }, cut)).toThrow(UnjudgeableError);
  });

  it('still judges the status, the headers and the time', () => {
    expect(judge({ status: 201, maxMs: 5 }, cut, 10).map((v) => v.check)).toEqual(['status', 'duration']);
  });

  it('is judged as usual when it was read whole', () => {
    expect(judge({ body: { total: 9 } }, { body: '{"total": 9}' })).toEqual([]);
    expect(judge({ bodyContains: ['total'] }, { body: '{}' })).toEqual([
      { check: 'body', message: 'expected the body to contain "total"' },
    ]);
  });
});

describe('values in the body', () => {
  const json = { n: 5, f: 2.5, s: 'abc', a: [1, 2], nothing: null, t: true, o: { k: 1 } };
  const at = (path: string, matcher: Parameters<typeof matchValue>[2]) => matchValue(json, path, matcher);

  it('compares a literal, null included, and says when it is missing', () => {
    expect(at('nothing', null)).toBeUndefined();
    expect(at('n', null)).toBe('expected body.n to be null, got 5');
    expect(at('gone', null)).toBe('expected body.gone to be null, but it is missing');
    expect(at('s', 'abc')).toBeUndefined();
    expect(at('s', 'abd')).toBe('expected body.s to be "abd", got "abc"');
  });

  it('holds each bound at its edge', () => {
    expect(at('n', { gte: 5 })).toBeUndefined();
    expect(at('n', { gte: 6 })).toBe('expected body.n to be >= 6, got 5');
    expect(at('n', { lte: 5 })).toBeUndefined();
    expect(at('n', { lte: 4 })).toBe('expected body.n to be <= 4, got 5');
    expect(at('n', { gt: 4 })).toBeUndefined();
    expect(at('n', { gt: 5 })).toBe('expected body.n to be > 5, got 5');
    expect(at('n', { lt: 6 })).toBeUndefined();
    expect(at('n', { lt: 5 })).toBe('expected body.n to be < 5, got 5');
  });

  it('never takes a value that is not a number for one in range', () => {
    expect(at('s', { gte: 0 })).toBe('expected body.s to be >= 0, got "abc"');
    expect(at('s', { lte: 100 })).toBe('expected body.s to be <= 100, got "abc"');
    expect(at('t', { gt: 0 })).toBe('expected body.t to be > 0, got true');
    expect(at('nothing', { lt: 1 })).toBe('expected body.nothing to be < 1, got null');
  });

  it('measures the length of strings and lists, and of nothing else', () => {
    expect(at('s', { length: 3 })).toBeUndefined();
    expect(at('a', { length: 2 })).toBeUndefined();
    expect(at('s', { length: 2 })).toBe('expected body.s to have length 2, got "abc"');
    expect(at('n', { length: 5 })).toBe('expected body.n to have length 5, got 5');
    expect(at('s', { minLength: 3 })).toBeUndefined();
    expect(at('s', { minLength: 4 })).toBe('expected body.s to have length >= 4, got "abc"');
    expect(at('o', { minLength: 0 })).toBe('expected body.o to have length >= 0, got {"k":1}');
  });

  it('tells integers from numbers and numbers from everything else', () => {
    expect(at('n', { type: 'integer' })).toBeUndefined();
    expect(at('n', { type: 'number' })).toBeUndefined();
    expect(at('f', { type: 'number' })).toBeUndefined();
    expect(at('f', { type: 'integer' })).toBe('expected body.f to be of type integer, got 2.5');
    expect(at('s', { type: 'number' })).toBe('expected body.s to be of type number, got "abc"');
    expect(at('t', { type: 'integer' })).toBe('expected body.t to be of type integer, got true');
    expect(at('a', { type: 'array' })).toBeUndefined();
    expect(at('nothing', { type: 'null' })).toBeUndefined();
  });

  it('lists every option of oneOf, and puts every problem in one sentence', () => {
    expect(at('s', { oneOf: ['x', 1] })).toBe('expected body.s to be one of "x", 1, got "abc"');
    expect(at('n', { gt: 9, oneOf: [1] })).toBe('expected body.n to be > 9 and to be one of 1, got 5');
  });

  it('makes a value too long for its pattern the case error, never a finding', () => {
    const long = { s: 'a'.repeat(200_000) };
    expect(() => matchValue(long, 's', { matches: 'a{1,500}b' })).toThrow(
      /^body\.s is 200000 characters long, more than \/.+\/ can be matched against in bounded time \(\d+\); match a shorter value/,
    );
    expect(() => matchValue(long, 's', { matches: '(?=a)' })).toThrow(/^body\.s\.matches: the lookahead/);
  });
});
