// The linear-time matcher every pattern from outside goes through, and every pattern run against what a target
// sends: attacked with the patterns that stall a backtracking engine, and with random ones. A hang would show as
// the test's timeout; nothing here measures time.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { matchesPattern } from '../../src/generate/openapi/values/regex-sample.ts';
import { noSqlError, noStackTrace } from '../../src/run/checks.ts';
import type { Exchanged } from '../../src/run/http.ts';
import { OpenApiDescription } from '../../src/run/openapi.ts';
import {
  compilePattern,
  MAX_PATTERN_LENGTH,
  PatternError,
  patternProblem,
  TextTooLongError,
} from '../../src/run/safe-regex.ts';

/** Patterns that take a backtracking engine exponential (or high polynomial) time, and texts that make them. */
const CATASTROPHIC: [pattern: string, text: string, matches: boolean][] = [
  ['(a+)+$', 'a'.repeat(100_000) + '!', false],
  ['^/(a+)+$', '/' + 'a'.repeat(100_000) + '!', false],
  ['(a|a)*b', 'a'.repeat(100_000), false],
  ['(a|aa)+$', 'a'.repeat(60_000) + '!', false],
  // Nineteen a's far apart: a backtracking engine tries every way of spreading twenty over them.
  ['(.*a){20}', ('x'.repeat(1500) + 'a').repeat(19) + 'x'.repeat(1000), false],
  ['(.*a){20}', 'a'.repeat(30_000), true],
  ['^(\\w+\\s?)*$', 'word '.repeat(20_000) + '!', false],
  ['^(\\w+\\s?)*$', 'word '.repeat(20_000) + 'end', true],
  ['^([a-z0-9]+[-.]?)*@', 'a-'.repeat(40_000) + '!', false],
];

describe('matching in linear time', () => {
  it.each(CATASTROPHIC)(
    'matches /%s/ against a hostile text, with the right answer',
    (pattern, text, matches) => {
      expect(compilePattern(pattern).test(text)).toBe(matches);
    },
  );

  it('agrees with JavaScript on random patterns and texts short enough for JavaScript to finish', () => {
    fc.assert(
      fc.property(
        regexGrammar(),
        fc.string({ unit: fc.constantFrom('a', 'b', 'x', '1', ' ', '!'), maxLength: 10 }),
        (p, text) => {
          // Nested counted repetitions can pass the size bound; those are refused, as tested below.
          fc.pre(patternProblem(p) === undefined);
          expect(compilePattern(p).test(text)).toBe(new RegExp(p).test(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws anything but a clear refusal, and never hangs, on any pattern and long text', () => {
    const anyPattern = fc.oneof(
      regexGrammar(),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...'()[]{}|*+?\\^$.-:=!<>a1,'), maxLength: 30 }),
    );
    fc.assert(
      fc.property(
        anyPattern,
        fc.string({ unit: fc.constantFrom('a', 'b', 'x', ' ', '!'), maxLength: 20_000 }),
        (p, text) => {
          let compiled;
          try {
            compiled = compilePattern(p);
          } catch (error) {
            expect(error).toBeInstanceOf(PatternError);
            expect(patternProblem(p)).toBe((error as Error).message);
            return;
          }
          expect(patternProblem(p)).toBeUndefined();
          try {
            expect(typeof compiled.test(text)).toBe('boolean');
          } catch (error) {
            expect(error).toBeInstanceOf(TextTooLongError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses lookaround and back-references, wherever they are, saying which', () => {
    const constructs: [(inner: string) => string, string][] = [
      [(p) => `x(?=${p})`, 'the lookahead (?=…) is not supported'],
      [(p) => `(?!${p})x`, 'the lookahead (?!…) is not supported'],
      [(p) => `(?<=${p})x`, 'the lookbehind (?<=…) is not supported'],
      [(p) => `x(?<!${p})`, 'the lookbehind (?<!…) is not supported'],
      [(p) => `(${p})\\1`, 'the back-reference \\1 is not supported'],
      [(p) => `(?<n>${p})\\k<n>`, 'the named back-reference \\k<…> is not supported'],
    ];
    fc.assert(
      fc.property(regexGrammar(), fc.constantFrom(...constructs), (inner, [wrap, message]) => {
        expect(patternProblem(wrap(inner))).toBe(
          `${message}: patterns are matched in linear time (RE2 syntax), which has no lookaround or back-references`,
        );
      }),
    );
    // The same characters inside a class, or escaped, are plain characters.
    expect(patternProblem('[(?=]x')).toBeUndefined();
    expect(patternProblem('\\(?<=x')).toBeUndefined();
  });

  it('refuses patterns too long or too large to match quickly, and texts too long for a pattern', () => {
    expect(patternProblem('a'.repeat(MAX_PATTERN_LENGTH + 1))).toBe(
      `the pattern is ${MAX_PATTERN_LENGTH + 1} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`,
    );
    expect(patternProblem('[a-z]{1,1000}[0-9]{1,1000}')).toMatch(
      /^the pattern is too complex to match quickly \(its repetitions expand to \d+ steps, at most 2000\)/,
    );
    expect(patternProblem('a{1001}')).toMatch(/^not a pattern Gauntlet can match \(invalid repeat count/);
    expect(patternProblem('(a')).toMatch(/^not a pattern Gauntlet can match \(missing closing \)/);
    const small = compilePattern('^x');
    expect(() => small.test('x'.repeat(small.maxTextLength + 1))).toThrow(TextTooLongError);
    expect(small.test('x'.repeat(small.maxTextLength))).toBe(true);
  });

  it('reads the JavaScript syntax people write: escapes, named groups, classes, flags', () => {
    expect(compilePattern('^\\u00e9t\\xe9$').test('été')).toBe(true);
    expect(compilePattern('^(?<year>\\d{4})-\\d{2}$').test('2026-11')).toBe(true);
    expect(compilePattern('^[0-9a-f-]{36}$').test('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    expect(compilePattern('^a/b$').test('a/b')).toBe(true);
    expect(compilePattern('^déjà vu 🎵$').test('déjà vu 🎵')).toBe(true);
    expect(compilePattern('SQL', { flags: 'i' }).test('sql')).toBe(true);
  });
});

describe('patterns run against what the target sends', () => {
  it('finds no stack trace or database error in hostile bodies, without stalling', () => {
    // Both took seconds per 100 kB with JavaScript's engine: every "at " and "$where" started a long scan.
    const at = (body: string): Exchanged => ({
      request: { method: 'GET', url: 'http://127.0.0.1/x', headers: {} },
      response: { status: 200, headers: {}, body },
      durationMs: 1,
    });
    expect(noStackTrace.check(at('at a '.repeat(400_000)))).toBeUndefined();
    expect(noSqlError.check(at('$where'.repeat(300_000)))).toBeUndefined();
    expect(noStackTrace.check(at('at a '.repeat(10_000) + 'at f (/app/x.js:1:2)'))).toMatch(/stack trace/);
  });

  it("holds a response to a description's hostile patterns without stalling, and passes those it cannot match", () => {
    const description = OpenApiDescription.fromDocument('hostile.yaml', {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/p': {
          get: {
            responses: {
              '200': {
                description: 'ok',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: {
                        p: { type: 'string', pattern: '^(a+)+$' },
                        q: { type: 'string', pattern: '(?=x)' },
                      },
                      patternProperties: { '^(b|b)+$': { type: 'number' } },
                    },
                  },
                },
              },
            },
          },
        },
        // Adjacent parameters: "[^/]+[^/]+…" backtracks polynomially in JavaScript's engine.
        '/{a}{b}{c}{d}{e}{f}{g}{h}x': { get: { responses: { '200': { description: 'ok' } } } },
      },
    });
    const [, , body] = description.checks(new URL('http://127.0.0.1/'));
    const answer = (json: unknown, path = '/p'): Exchanged => ({
      request: { method: 'GET', url: `http://127.0.0.1${path}`, headers: {} },
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(json),
        json,
      },
      durationMs: 1,
    });
    expect(body!.check(answer({ p: 'a'.repeat(100_000) + '!' }))).toMatch(/body\.p must match pattern/);
    expect(body!.check(answer({ p: 'aaa', q: 'no lookahead here' }))).toBeUndefined();
    expect(body!.check(answer({ p: 'a', ['b'.repeat(50_000) + '!']: 'not a number' }))).toBeUndefined();
    expect(body!.check(answer({ p: 'a', bbb: 'not a number' }))).toMatch(/must be number/);
    expect(description.operation('GET', '/' + 'a'.repeat(20_000))).toBeUndefined();
    expect(description.operation('GET', '/abcdefghx')?.template).toBe('/{a}{b}{c}{d}{e}{f}{g}{h}x');
  });

  it("checks generated values against a description's hostile pattern without stalling", () => {
    expect(matchesPattern('^(a|aa)+$', 'a'.repeat(50_000) + '!')).toBe(false);
    expect(matchesPattern('^[a-z]+$', 'abc')).toBe(true);
    // A pattern RE2 cannot match is one the generator cannot hold a value to: it does not rule the value out.
    expect(matchesPattern('^(?!admin)', 'admin')).toBe(true);
  });
});

/** Small regular expressions over a, b and x: literals, classes, groups, alternation, quantifiers, anchors. */
function regexGrammar(): fc.Arbitrary<string> {
  const { expr } = fc.letrec<{ expr: string; term: string; atom: string }>((tie) => ({
    atom: fc.oneof(
      { maxDepth: 3, withCrossShrink: true },
      fc.constantFrom('a', 'b', 'x', '.', '[ab]', '[^a]', '\\d', '\\w', '\\s', '!'),
      tie('expr').map((e) => `(${e})`),
      tie('expr').map((e) => `(?:${e})`),
    ),
    term: fc
      .tuple(tie('atom'), fc.constantFrom('', '', '*', '+', '?', '{1,3}', '{2}', '*?', '+?'))
      .map(([atom, quantifier]) => atom + quantifier),
    expr: fc
      .tuple(
        fc.constantFrom('', '', '^'),
        fc.array(fc.array(tie('term'), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
        fc.constantFrom('', '', '$'),
      )
      .map(
        ([start, alternatives, end]) => start + alternatives.map((terms) => terms.join('')).join('|') + end,
      ),
  }));
  return expr;
}
