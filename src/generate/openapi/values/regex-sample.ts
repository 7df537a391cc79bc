// A string that a JSON Schema `pattern` matches, for the patterns descriptions use: literals, classes, groups,
// alternation and quantifiers. Lookarounds and back-references are not followed; callers check the result.
import { compilePattern, PatternError, TextTooLongError } from '../../../run/safe-regex.ts';
import { pick, type Random } from './random.ts';

type Atom =
  | { kind: 'text'; text: string }
  | { kind: 'class'; chars: string[]; negated: boolean }
  | { kind: 'group'; alternatives: Term[][] };
interface Term {
  atom: Atom;
  min: number;
  max: number;
}

const DIGITS = '0123456789';
const WORD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ' + DIGITS + '_';
const PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i));

/**
 * A string matching `pattern` (unanchored patterns give a string that is all match), or undefined where the pattern
 * is beyond this sampler. Unbounded quantifiers (`*`, `+`, `{n,}`) repeat `stretch` times where they may.
 */
export function samplePattern(pattern: string, random: Random, stretch = 1): string | undefined {
  try {
    const parser = new Parser(pattern);
    const alternatives = parser.alternatives();
    if (!parser.done()) return undefined;
    return generate({ kind: 'group', alternatives }, random, stretch);
  } catch {
    return undefined;
  }
}

function generate(atom: Atom, random: Random, stretch: number): string {
  if (atom.kind === 'text') return atom.text;
  if (atom.kind === 'class') {
    const allowed = atom.negated ? PRINTABLE.filter((c) => !atom.chars.includes(c)) : atom.chars;
    return allowed.length ? pick(random, allowed) : '';
  }
  const terms = pick(random, atom.alternatives);
  return terms
    .map((term) => {
      const count = Math.min(term.max, Math.max(term.min, stretch));
      return Array.from({ length: count }, () => generate(term.atom, random, stretch)).join('');
    })
    .join('');
}

class Parser {
  #i = 0;
  readonly #p: string;
  constructor(pattern: string) {
    this.#p = pattern;
  }

  done(): boolean {
    return this.#i >= this.#p.length;
  }

  alternatives(): Term[][] {
    const alternatives: Term[][] = [this.sequence()];
    while (this.#p[this.#i] === '|') {
      this.#i++;
      alternatives.push(this.sequence());
    }
    return alternatives;
  }

  sequence(): Term[] {
    const terms: Term[] = [];
    while (!this.done() && this.#p[this.#i] !== '|' && this.#p[this.#i] !== ')') {
      const atom = this.atom();
      const [min, max] = this.quantifier();
      if (atom) terms.push({ atom, min, max });
    }
    return terms;
  }

  atom(): Atom | undefined {
    const c = this.#p[this.#i++]!;
    if (c === '^' || c === '$') return undefined;
    if (c === '.') return { kind: 'text', text: 'a' };
    if (c === '[') return this.charClass();
    if (c === '(') {
      let lookaround = false;
      if (this.#p[this.#i] === '?') {
        const kind = this.#p[this.#i + 1];
        lookaround = kind === '=' || kind === '!' || (kind === '<' && '=!'.includes(this.#p[this.#i + 2]!));
        // Skip "?:", "?=", "?!", "?<=", "?<!" and "?<name>".
        if (kind === '<' && !lookaround) this.#i = this.#p.indexOf('>', this.#i) + 1;
        else this.#i += kind === '<' ? 3 : 2;
      }
      const alternatives = this.alternatives();
      if (this.#p[this.#i++] !== ')') throw new Error('unclosed group');
      return lookaround ? undefined : { kind: 'group', alternatives };
    }
    if (c === '\\') return this.escape(false);
    return { kind: 'text', text: c };
  }

  escape(inClass: boolean): Atom | undefined {
    const c = this.#p[this.#i++];
    if (c === undefined) throw new Error('dangling escape');
    const cls = (chars: string, negated = false): Atom => ({ kind: 'class', chars: [...chars], negated });
    switch (c) {
      case 'd':
        return cls(DIGITS);
      case 'D':
        return cls(DIGITS, true);
      case 'w':
        return cls(WORD);
      case 'W':
        return cls(WORD, true);
      case 's':
        return cls(' ');
      case 'S':
        return cls('abcxyz');
      case 'b':
      case 'B':
        if (inClass) return { kind: 'text', text: '\b' };
        return undefined;
      case 'n':
        return { kind: 'text', text: '\n' };
      case 't':
        return { kind: 'text', text: '\t' };
      case 'u':
      case 'x': {
        const digits = c === 'u' ? 4 : 2;
        const code = this.#p.slice(this.#i, this.#i + digits);
        this.#i += digits;
        return { kind: 'text', text: String.fromCharCode(parseInt(code, 16)) };
      }
      default:
        if (/[1-9]/.test(c)) throw new Error('back-references are not sampled');
        return { kind: 'text', text: c };
    }
  }

  charClass(): Atom {
    const negated = this.#p[this.#i] === '^';
    if (negated) this.#i++;
    const chars: string[] = [];
    let first = true;
    while (this.#p[this.#i] !== ']' || first) {
      first = false;
      if (this.done()) throw new Error('unclosed class');
      let from: string | undefined;
      if (this.#p[this.#i] === '\\') {
        this.#i++;
        const escaped = this.escape(true);
        if (escaped?.kind === 'class') {
          chars.push(
            ...(escaped.negated ? PRINTABLE.filter((ch) => !escaped.chars.includes(ch)) : escaped.chars),
          );
          continue;
        }
        from = escaped?.kind === 'text' ? escaped.text : '';
      } else {
        from = this.#p[this.#i++]!;
      }
      if (this.#p[this.#i] === '-' && this.#p[this.#i + 1] !== ']' && this.#i + 1 < this.#p.length) {
        this.#i++;
        let to = this.#p[this.#i++]!;
        if (to === '\\') {
          const escaped = this.escape(true);
          to = escaped?.kind === 'text' ? escaped.text : to;
        }
        // A wide range (a Unicode block) is sampled from its start: enough to match.
        const end = Math.min(to.charCodeAt(0), from.charCodeAt(0) + 200);
        for (let code = from.charCodeAt(0); code <= end; code++) chars.push(String.fromCharCode(code));
      } else {
        chars.push(from);
      }
    }
    this.#i++;
    return { kind: 'class', chars, negated };
  }

  quantifier(): [number, number] {
    const c = this.#p[this.#i];
    let bounds: [number, number] = [1, 1];
    if (c === '*') bounds = [0, Infinity];
    else if (c === '+') bounds = [1, Infinity];
    else if (c === '?') bounds = [0, 1];
    else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.#p.slice(this.#i));
      if (!match) return bounds;
      const min = Number(match[1]);
      bounds = [min, match[2] === undefined ? min : match[3] ? Number(match[3]) : Infinity];
      this.#i += match[0].length - 1;
    } else {
      return bounds;
    }
    this.#i++;
    // A lazy or possessive marker changes nothing about what matches.
    if (this.#p[this.#i] === '?' || this.#p[this.#i] === '+') this.#i++;
    return bounds;
  }
}

/**
 * Whether `text` matches a JSON Schema pattern (unanchored, Unicode). The pattern is the description's, so it is
 * matched in linear time (RE2); one that cannot be, or a text too long for it, counts as `unreadable` says: a match
 * by default (a value is not refused for a pattern Gauntlet cannot read), or none where a match must be sure.
 */
export function matchesPattern(pattern: string, text: string, unreadable = true): boolean {
  try {
    return compilePattern(pattern, { flags: 'u' }).test(text);
  } catch (error) {
    if (error instanceof PatternError || error instanceof TextTooLongError) return unreadable;
    throw error;
  }
}
