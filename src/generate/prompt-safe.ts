// Credentials and identity data never reach an LLM. Everything a prompt shows (a user case, results and their
// evidence, findings) goes through one PromptSafe first, which copies it with credentials, e-mail addresses,
// card and phone numbers replaced by placeholders: `{{secret:1}}`, `{{card:1}}`, `{{phone:1}}`,
// `user-1@withheld.example`. Within one request the same value always gets the same placeholder, so prompts stay
// deterministic and the model can tell two values apart.
//
// A case the model proposes may use a placeholder where it needs the value (the user case's bearer token, its
// password); `restore` puts the real value back into the proposal's requests before the case is checked, so the
// generated case works as if the model had seen it, though it never did.
//
// What counts as a secret: a value held under a credential name (a header, query parameter, form or JSON field
// named like authorization, cookie, *token*, *secret*, *password*, *key*, session: the names the run's redaction
// knows, src/run/secret-names.ts), however it looks; and, wherever it appears in free text, anything shaped like
// one: `Bearer …` and other auth schemes, JWTs, well-known API-key formats, long random-looking strings, the
// user and password of a URL, `name=value` and `"name": "value"` pairs with a credential name, and every value
// already withheld. Addresses at reserved domains (example.com, *.test, …) are test data, not identity data.
import { isSecretName } from '../run/secret-names.ts';

/** Placeholders as they appear in prompts, and so in the model's replies. */
const PLACEHOLDER = /\{\{(?:secret|card|phone):\d+\}\}|user-\d+@withheld\.example/g;

type Kind = 'secret' | 'card' | 'phone' | 'email';

/** Keys whose values are never credentials, whatever their name: identity names and capture paths. */
const NOT_CREDENTIAL_KEYS = new Set(['auth', 'capture']);

/** Literal text left in a value once templates ("{{token}}") and an auth scheme word are taken out. */
function literalPart(value: string): string {
  return value
    .replace(/\{\{[^}]*\}\}/g, '')
    .replace(/^\s*(?:bearer|basic|token|digest|bot)\b/i, '')
    .replace(/[\s;,=:]/g, '');
}

const SCHEME = /^(\s*(?:Bearer|Basic|Token|Digest|Bot)\s+)(.*)$/is;

/** Domains reserved for examples and tests (RFC 2606, RFC 6761): addresses there belong to nobody. */
const RESERVED_DOMAIN = /(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost)$/i;

const TOKEN_CHARS = 'A-Za-z0-9._~+/=-';

interface TextRule {
  pattern: RegExp;
  /** The replacement of one match, given its groups and a function that withholds one value. */
  replace: (
    all: string,
    groups: readonly string[],
    withhold: (value: string, kind: Kind) => string,
  ) => string;
}

const whole =
  (kind: Kind): TextRule['replace'] =>
  (all, _groups, withhold) =>
    withhold(all, kind);

// Every rule is linear in the text: a match can start only where a word starts, and what it repeats is bounded or
// cannot overlap the next try, so a response body built to stall a regular expression cannot stall a prompt.
const TEXT_RULES: TextRule[] = [
  // The user and password of a URL: scheme://user:password@host.
  {
    pattern: /(?<![\w+.-])([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s/?#@:"'<>]{1,256}):([^\s/?#@"'<>]{1,256})@/gi,
    replace: (_all, [scheme = '', user = '', password = ''], withhold) =>
      `${scheme}${withhold(user, 'secret')}:${withhold(password, 'secret')}@`,
  },
  // JSON Web Tokens.
  { pattern: /(?<![\w-])eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, replace: whole('secret') },
  // Well-known API-key formats: GitHub, Slack, OpenAI and Stripe, AWS, Google.
  {
    pattern:
      /(?<![\w-])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|xox[abprs]-[\w-]{10,}|sk-[\w-]{16,}|[rs]k_(?:live|test)_[A-Za-z0-9]{10,}|AKIA[0-9A-Z]{16}|AIza[\w-]{30,})/g,
    replace: whole('secret'),
  },
  // An auth scheme and its credentials, in a header line, a curl command or prose ("Basic information" stays).
  {
    pattern: new RegExp(`\\b(Bearer|Basic|Token|Digest|Bot)([ \\t]+)([${TOKEN_CHARS}]{6,})`, 'gi'),
    replace: (all, [scheme = '', space = '', credential = ''], withhold) => {
      const looksLikeOne =
        !NOT_A_VALUE.has(credential.toLowerCase()) &&
        (/^bearer$/i.test(scheme) || /[\d+/=._~-]/.test(credential) || credential.length >= 20);
      return looksLikeOne ? `${scheme}${space}${withhold(credential, 'secret')}` : all;
    },
  },
  // name=value, name: value, "name": "value", "name": ["value"] (also as escaped JSON inside a string) with a
  // credential name.
  {
    pattern: new RegExp(
      `(?<![\\w.-])([A-Za-z_][\\w.-]{0,63})(\\\\?["']?[ \\t]*[:=][ \\t]*(?:\\[[ \\t]*)?\\\\?["']?)((?:Bearer|Basic|Token|Digest|Bot)[ \\t]+)?([^\\s"'\\\\&;,<>{}()\\[\\]]+)`,
      'g',
    ),
    replace: (all, [name = '', separator = '', scheme = '', value = ''], withhold) => {
      if (!isSecretName(name) || NOT_CREDENTIAL_KEYS.has(name) || !looksLikeValue(value)) return all;
      return `${name}${separator}${scheme}${withhold(value, 'secret')}`;
    },
  },
  // E-mail addresses, unless at a domain reserved for examples.
  {
    pattern: /(?<![\w.%+-])[\w.%+-]{1,64}@((?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24})\b/g,
    replace: (all, [domain = ''], withhold) => (RESERVED_DOMAIN.test(domain) ? all : withhold(all, 'email')),
  },
  // Payment card numbers: 13 to 19 digits, spaced or not, that pass the Luhn check.
  {
    pattern: /(?<![\w.-])[2-6]\d{3}(?:[ -]?\d){9,15}(?![\w.])/g,
    replace: (all, _groups, withhold) => (luhn(all.replace(/\D/g, '')) ? withhold(all, 'card') : all),
  },
  // Phone numbers in international form.
  {
    pattern: /(?<![\w+])\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}(?!\w)/g,
    replace: (all, _groups, withhold) => (all.replace(/\D/g, '').length >= 8 ? withhold(all, 'phone') : all),
  },
  // Long random-looking strings: 32 or more hex digits, or mixed-case letters with digits (API keys, session ids).
  {
    pattern: /(?<![\w+=-])[A-Za-z0-9_+=-]{32,}(?![\w+=-])/g,
    replace: (all, _groups, withhold) => (randomLooking(all) ? withhold(all, 'secret') : all),
  },
];

const NOT_A_VALUE = new Set([
  'null',
  'true',
  'false',
  'none',
  'undefined',
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'required',
  'missing',
  'empty',
  'redacted',
  // An auth scheme alone is not the credential that follows it.
  'bearer',
  'basic',
  'token',
  'digest',
  'bot',
]);

function looksLikeValue(value: string): boolean {
  return (
    value.length >= 3 &&
    !NOT_A_VALUE.has(value.toLowerCase()) &&
    !/^\{\{/.test(value) &&
    // Where a capture takes its value from ("token: body.token"), not the value.
    !/^(?:body|headers)\.[\w.$-]+$/.test(value)
  );
}

function randomLooking(text: string): boolean {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return false;
  if (/^[0-9a-f]{32,}$/i.test(text)) return /\d/.test(text) && /[a-f]/i.test(text);
  return /\d/.test(text) && /[a-z]/.test(text) && /[A-Z]/.test(text);
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Values withheld from text wherever they reappear must be at least this long, so short words stay readable. */
const MIN_KNOWN = 6;

export class PromptSafe {
  readonly #placeholders = new Map<string, string>();
  readonly #values = new Map<string, string | number>();
  readonly #counts: Record<Kind, number> = { secret: 0, card: 0, phone: 0, email: 0 };

  /**
   * A copy of `value` fit for a prompt: values under credential names withheld whatever they look like, and every
   * string (and object key) cleared of anything shaped like a secret or identity data.
   */
  value<T>(value: T): T {
    return this.#walk(value, undefined) as T;
  }

  /** Free text fit for a prompt: what looks like a secret or identity data, and every value withheld so far. */
  text(text: string): string {
    // Placeholders already in the text stay as they are; only the text between them is looked at.
    let out = '';
    let last = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      out += this.#clear(text.slice(last, match.index)) + match[0];
      last = match.index + match[0].length;
    }
    return out + this.#clear(text.slice(last));
  }

  /** The value with every placeholder this PromptSafe gave replaced by the real value. */
  restore<T>(value: T): T {
    const walk = (input: unknown): unknown => {
      if (typeof input === 'string') {
        const exact = this.#values.get(input);
        if (exact !== undefined) return exact;
        return input.replace(PLACEHOLDER, (placeholder) =>
          String(this.#values.get(placeholder) ?? placeholder),
        );
      }
      if (Array.isArray(input)) return input.map(walk);
      if (input !== null && typeof input === 'object') {
        return Object.fromEntries(Object.entries(input).map(([k, v]) => [walk(k) as string, walk(v)]));
      }
      return input;
    };
    return walk(value) as T;
  }

  #walk(input: unknown, key: string | undefined): unknown {
    const credential = key !== undefined && isSecretName(key) && !NOT_CREDENTIAL_KEYS.has(key);
    if (typeof input === 'string') return credential ? this.#credential(input) : this.text(input);
    if (typeof input === 'number' && credential) return this.#withhold(input, 'secret');
    if (Array.isArray(input)) return input.map((item) => this.#walk(item, key));
    if (input !== null && typeof input === 'object') {
      // Captures name values and say where they come from ("body.token"): neither is a credential.
      if (key !== undefined && NOT_CREDENTIAL_KEYS.has(key)) return this.#plain(input);
      return Object.fromEntries(Object.entries(input).map(([k, v]) => [this.text(k), this.#walk(v, k)]));
    }
    return input;
  }

  /** Walks without judging values by their keys: only their shape can make them secret. */
  #plain(input: unknown): unknown {
    if (typeof input === 'string') return this.text(input);
    if (Array.isArray(input)) return input.map((item) => this.#plain(item));
    if (input !== null && typeof input === 'object') {
      return Object.fromEntries(Object.entries(input).map(([k, v]) => [this.text(k), this.#plain(v)]));
    }
    return input;
  }

  /** A value held under a credential name: withheld unless it is only a template ("Bearer {{token}}"). */
  #credential(value: string): string {
    if (literalPart(value) === '') return value;
    const scheme = SCHEME.exec(value);
    if (scheme && literalPart(scheme[2]!) !== '')
      return `${scheme[1]}${this.#withhold(scheme[2]!, 'secret')}`;
    return this.#withhold(value, 'secret');
  }

  #clear(text: string): string {
    if (text === '') return text;
    let out = text;
    // Values withheld before, longest first, so a value that holds another is replaced whole.
    const known = [...this.#placeholders.keys()]
      .filter((v) => v.length >= MIN_KNOWN)
      .sort((a, b) => b.length - a.length);
    for (const value of known)
      if (out.includes(value)) out = out.split(value).join(this.#placeholders.get(value)!);
    for (const rule of TEXT_RULES) {
      out = this.#outsidePlaceholders(out, (part) =>
        part.replace(rule.pattern, (all: string, ...rest: unknown[]) => {
          // The groups come first; the offset and the whole text last. A group that did not match is ''.
          const groups = rest.slice(0, -2).map((g) => (typeof g === 'string' ? g : ''));
          return rule.replace(all, groups, (value, kind) => this.#withhold(value, kind));
        }),
      );
    }
    return out;
  }

  #outsidePlaceholders(text: string, transform: (part: string) => string): string {
    let out = '';
    let last = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      out += transform(text.slice(last, match.index)) + match[0];
      last = match.index + match[0].length;
    }
    return out + transform(text.slice(last));
  }

  #withhold(value: string | number, kind: Kind): string {
    const key = String(value);
    const known = this.#placeholders.get(key);
    if (known !== undefined) return known;
    const n = ++this.#counts[kind];
    const placeholder = kind === 'email' ? `user-${n}@withheld.example` : `{{${kind}:${n}}}`;
    this.#placeholders.set(key, placeholder);
    this.#values.set(placeholder, value);
    return placeholder;
  }
}
