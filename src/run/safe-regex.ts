// Regular expressions that come from outside (user cases, LLM replies, OpenAPI descriptions) or run against text the
// target controls. JavaScript's engine backtracks, so one pattern such as `^(a+)+$` and a long enough answer can stall
// a run for hours; here every pattern is matched by RE2 (re2js), whose time grows linearly with the text, and the
// work of one match is bounded as well: no pattern and no answer can hold up a run.
import { RE2JS } from 're2js';

/** Longer patterns are refused: none that a person or a description writes needs more. */
export const MAX_PATTERN_LENGTH = 1000;
/**
 * RE2's program size bounds what matching one character may cost. Repetitions count in full (`a{500}` is 500
 * steps), so this, not the pattern's length, is what keeps a pattern cheap.
 */
export const MAX_PROGRAM_SIZE = 2000;
/**
 * The work (program size times text length) one match may take: about a tenth of a second on the slowest
 * patterns, and texts of hundreds of thousands of characters for the usual ones.
 */
export const MAX_MATCH_WORK = 10_000_000;

/** The pattern cannot be matched in linear time, or is too large to be. */
export class PatternError extends Error {}

/** Matching this text would take more work than MAX_MATCH_WORK allows. */
export class TextTooLongError extends Error {
  readonly maxLength: number;
  constructor(message: string, maxLength: number) {
    super(message);
    this.maxLength = maxLength;
  }
}

export interface LinearPattern {
  readonly source: string;
  /** RE2's program size: the most matching one character of text may cost. */
  readonly steps: number;
  /** The longest text `test` accepts; longer texts throw TextTooLongError. */
  readonly maxTextLength: number;
  /** Whether the pattern matches anywhere in `text`, as RegExp.prototype.test does. */
  test(text: string): boolean;
}

const LINEAR_TIME =
  'patterns are matched in linear time (RE2 syntax), which has no lookaround or back-references';

/** Why `pattern` cannot be used, in words, or undefined when it can: for schemas to refuse it where it is written. */
export function patternProblem(pattern: string): string | undefined {
  try {
    compilePattern(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
}

interface CompileOptions {
  /** JavaScript flags: i, m and s are honoured; others (g, u, y) change nothing about whether a text matches. */
  flags?: string;
  /**
   * Whether the pattern's size and the work of one match are bounded (the default). Gauntlet's own patterns, and
   * those it builds by escaping outside text, cost little per character of text and need no bound.
   */
  bounded?: boolean;
}

const cache = new Map<string, LinearPattern | PatternError>();
const CACHE_SIZE = 500;

/** Compiles `pattern` (JavaScript syntax) for linear-time matching; throws PatternError saying what is wrong. */
export function compilePattern(pattern: string, options: CompileOptions = {}): LinearPattern {
  const flags = options.flags ?? '';
  const bounded = options.bounded ?? true;
  const key = `${flags}/${bounded}/${pattern}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    try {
      compiled = compile(pattern, flags, bounded);
    } catch (error) {
      if (!(error instanceof PatternError)) throw error;
      compiled = error;
    }
    // Patterns come from outside: the cache must not grow with them.
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, compiled);
  }
  if (compiled instanceof PatternError) throw compiled;
  return compiled;
}

/**
 * One of Gauntlet's own patterns (or one it built by escaping outside text), matched in linear time so that what the
 * target sends cannot make it slow. One without repetition stays with JavaScript's engine, which is faster and
 * cannot backtrack further than the pattern's own length at any place in the text; any other goes to RE2.
 */
export function linearRegExp(regExp: RegExp): LinearPattern {
  // "g" and "y" would make `test` depend on the previous call.
  if (!repeats(regExp.source) && !regExp.global && !regExp.sticky) {
    return {
      source: regExp.source,
      steps: regExp.source.length,
      maxTextLength: Infinity,
      test: (text) => regExp.test(text),
    };
  }
  return compilePattern(regExp.source, { flags: regExp.flags, bounded: false });
}

/** Whether the pattern has a quantifier (or could: "?" of a group's syntax counts too, to stay on the safe side). */
function repeats(source: string): boolean {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if ('*+?{'.includes(c)) return true;
  }
  return false;
}

function compile(pattern: string, flags: string, bounded: boolean): LinearPattern {
  if (bounded && pattern.length > MAX_PATTERN_LENGTH) {
    throw new PatternError(
      `the pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`,
    );
  }
  const unsupported = unsupportedConstruct(pattern);
  if (unsupported) throw new PatternError(`${unsupported} is not supported: ${LINEAR_TIME}`);
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(RE2JS.translateRegExp(pattern), re2Flags(flags));
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    throw new PatternError(`not a pattern Gauntlet can match (${reason}); ${LINEAR_TIME}`);
  }
  const size = re2.programSize();
  if (bounded && size > MAX_PROGRAM_SIZE) {
    throw new PatternError(
      `the pattern is too complex to match quickly (its repetitions expand to ${size} steps, at most ` +
        `${MAX_PROGRAM_SIZE}); use smaller repetition counts`,
    );
  }
  const maxTextLength = bounded ? Math.floor(MAX_MATCH_WORK / Math.max(1, size)) : Infinity;
  return {
    source: pattern,
    steps: size,
    maxTextLength,
    test(text: string): boolean {
      if (text.length > maxTextLength) {
        throw new TextTooLongError(
          `a text of ${text.length} characters is longer than /${pattern}/ can be matched against in bounded ` +
            `time (at most ${maxTextLength})`,
          maxTextLength,
        );
      }
      return re2.test(text);
    },
  };
}

function re2Flags(flags: string): number {
  let result = 0;
  if (flags.includes('i')) result |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) result |= RE2JS.MULTILINE;
  if (flags.includes('s')) result |= RE2JS.DOTALL;
  return result;
}

/**
 * Lookaround and back-references, named so an author knows what to change. RE2 refuses them too, but in words
 * about its own syntax ("invalid named capture" for a lookbehind), and its translation of JavaScript syntax would
 * read `\k<name>` as the letter k.
 */
function unsupportedConstruct(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return `the back-reference \\${next}`;
      if (!inClass && next === 'k' && pattern[i + 2] === '<') return 'the named back-reference \\k<…>';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' && pattern[i + 1] === '?') {
      const kind = pattern.slice(i + 2, i + 4);
      if (kind.startsWith('=') || kind.startsWith('!')) return `the lookahead (?${kind[0]}…)`;
      if (kind === '<=' || kind === '<!') return `the lookbehind (?${kind}…)`;
    }
  }
  return undefined;
}

/** How much matching work Ajv may do in one synchronous validation of a response (see regExpEngineForAjv). */
const AJV_WORK_PER_VALIDATION = 50_000_000;
let ajvWorkSpent = 0;
let ajvWorkReset = false;

/** Charges `work` to the current turn of the event loop; false once the turn's budget is spent. */
function chargeAjvWork(work: number): boolean {
  if (!ajvWorkReset) {
    ajvWorkReset = true;
    // A validation runs synchronously, within one turn: the budget is per turn, so per validated response.
    setImmediate(() => {
      ajvWorkSpent = 0;
      ajvWorkReset = false;
    });
  }
  ajvWorkSpent += work;
  return ajvWorkSpent <= AJV_WORK_PER_VALIDATION;
}

/**
 * Ajv's `code.regExp` option: the `pattern` and `patternProperties` of a description, which are written by whoever
 * wrote the description and run against what the target sends. A pattern RE2 cannot match, a text too long for it,
 * and a validation that has used up its matching budget all pass unchecked: never a false finding, never a stall.
 */
export const regExpEngineForAjv = Object.assign(
  (pattern: string, flags: string) => {
    let compiled: LinearPattern | undefined;
    try {
      compiled = compilePattern(pattern, { flags });
    } catch (error) {
      if (!(error instanceof PatternError)) throw error;
    }
    return {
      test: (text: string): boolean => {
        if (!compiled || text.length > compiled.maxTextLength) return true;
        if (!chargeAjvWork(text.length * compiled.steps)) return true;
        return compiled.test(text);
      },
      // Ajv keys its compiled patterns by this text: each pattern must have its own.
      toString: () => `/${pattern}/${flags}`,
    };
  },
  // Used only by Ajv's standalone code generation, which Gauntlet does not use.
  { code: 'regExpEngineForAjv' },
);
