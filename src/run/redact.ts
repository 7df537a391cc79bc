// Secrets never leave a run. Credentials are hidden where they are named (headers, query strings, form and JSON
// fields, cookies, a URL's user info), and every secret value seen is hunted down wherever it comes back: failure
// messages, bodies, curl lines, every report, the command's output; escaped as JSON, HTML or a URL, or in base64.
import type { Exchange, RunResult, RunSummary } from '../cases/index.ts';
import type { Response, SentRequest } from './http.ts';
import { isSecretName } from './secret-names.ts';

/** How much more than an excerpt of a long answer is redacted, and how much of that is never shown. */
const WINDOW_MARGIN = 1024;
export const REDACTED = '[redacted]';

/**
 * Values shorter than this are hidden where they are named but not hunted elsewhere: "1", "on" or "abc" occur by
 * chance in every report, so hunting them would blot out counts and words while hiding nothing worth a guess.
 */
const MIN_HUNTED = 4;

/** Values a secret-named field holds that are no secret: `"token": null` says nothing. */
const NO_SECRET = new Set(['true', 'false', 'null', 'undefined', 'none']);

/**
 * What the whole run hunts (every report, every case) must not occur by chance: a field `"token": "invalid"` or
 * `"session": "expired"` would otherwise blot out those words, and the report's own words ("passed", "critical")
 * with them. Shorter plain words are hunted only within the case that saw them.
 */
const distinctive = (value: string): boolean =>
  value.length >= 12 || (value.length >= MIN_HUNTED && /[^A-Za-z]/.test(value));

/** Fields of a results file that hold names, not text: never rewritten, so the file stays valid. */
const STRUCTURAL = new Set([
  'status',
  'kind',
  'priority',
  'caseId',
  'minimalCaseId',
  'check',
  'reached',
  'engine',
  'signature',
  'newSignatures',
]);

export interface RedactorOptions {
  /** Names besides the usual ones that hold secrets: the API keys of the description's security schemes. */
  names?: Iterable<string>;
  /** Secret values known before anything is sent: the target's user info, API keys. */
  secrets?: Iterable<string>;
}

/**
 * Remembers secrets as a run goes and blots them out. The run has one; each case has its own (`forCase`), which
 * hunts every secret of the case and hands the distinctive ones up to the run's, so reports written at the end
 * hunt every case's secrets.
 */
export class Redactor {
  readonly #names: Set<string>;
  readonly #parent: Redactor | undefined;
  /** Every form of every secret by its first characters, longest first: one look-up per character of text. */
  readonly #forms = new Map<string, string[]>();
  readonly #seen = new Set<string>();

  constructor(options: RedactorOptions = {}, parent?: Redactor) {
    this.#parent = parent;
    this.#names = parent ? parent.#names : new Set();
    this.addNames(options.names ?? []);
    for (const secret of options.secrets ?? []) this.remember(secret);
  }

  /** A redactor for one case: the run's names and secrets, and whatever the case sees besides. */
  forCase(): Redactor {
    return new Redactor({}, this);
  }

  addNames(names: Iterable<string>): void {
    for (const name of names) this.#names.add(name.toLowerCase());
  }

  isSecretName(name: string): boolean {
    return isSecretName(name) || this.#names.has(name.toLowerCase());
  }

  /** A secret value (a string or a number such as a PIN), to blot out wherever it appears. */
  remember(value: unknown): void {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || text.length < MIN_HUNTED || NO_SECRET.has(text.toLowerCase())) return;
    // A case hunts all it saw; the run keeps only what is distinctive.
    this.#parent?.remember(text);
    if (!this.#parent && !distinctive(text)) return;
    for (const form of formsOf(text)) this.#add(form);
  }

  /** Every leaf of a value held by a secret-named field: `"session": {"id": …, "user": …}` is secret throughout. */
  rememberLeaves(value: unknown): void {
    if (value !== null && typeof value === 'object')
      Object.values(value).forEach((v) => this.rememberLeaves(v));
    else this.remember(value);
  }

  /** The secrets a request carries: credential headers, secret query parameters, secret form and JSON fields. */
  rememberRequest(request: SentRequest): void {
    this.rememberHeaders(request.headers);
    this.rememberUrl(request.url);
    this.rememberBody(request.body ?? '');
    request.multipart?.fields.forEach(([name, value]) => {
      if (this.isSecretName(name)) this.remember(value);
    });
  }

  /** The secrets a response hands out: cookies, tokens in secret-named fields and headers, a redirect's query. */
  rememberResponse(response: Response): void {
    this.rememberHeaders(response.headers);
    this.rememberUrl(response.headers.location ?? '');
    this.rememberFields(response.json);
  }

  /** A URL's password (and the Basic credentials made of it), and its secret query parameters. */
  rememberUrl(text: string): void {
    let url: URL;
    try {
      url = new URL(text, 'http://relative.invalid');
    } catch {
      return;
    }
    if (url.password !== '') {
      const user = safeDecode(url.username);
      const password = safeDecode(url.password);
      this.remember(password);
      this.remember(Buffer.from(`${user}:${password}`).toString('base64'));
    }
    this.#rememberPairs(url.search);
    this.#rememberPairs(url.hash.slice(1));
  }

  /** The values of secret-named fields of a JSON value, however deep. */
  rememberFields(json: unknown): void {
    // An array's items are its fields too, under names that are never secret.
    if (json !== null && typeof json === 'object') {
      for (const [key, value] of Object.entries(json)) {
        if (this.isSecretName(key)) this.rememberLeaves(value);
        else this.rememberFields(value);
      }
    }
  }

  headers(headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        this.isSecretName(name) ? REDACTED : this.text(value),
      ]),
    );
  }

  /** A body excerpt: secret fields (JSON, forms) and known secrets replaced, then cut to `limit` characters. */
  body(body: string, limit: number): string {
    if (body.length > limit + WINDOW_MARGIN) {
      // A long answer: only what is shown is redacted, a window a little longer than the excerpt, so that a 5 MB
      // answer costs what its excerpt costs. A secret (or a secret-named pair) cut at the window's end is redacted
      // as far as it goes, and the window's last characters are never shown.
      const text = this.text(body.slice(0, limit + WINDOW_MARGIN));
      const shown = text.slice(0, Math.min(limit, text.length - WINDOW_MARGIN / 2));
      return `${shown}… (${body.length - shown.length} more characters)`;
    }
    let text = body;
    const json = parseJson(body);
    if (json) text = JSON.stringify(this.fields(json.value));
    text = this.text(text);
    return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
  }

  /** A JSON value with every leaf under a secret-named field replaced; its shape stays, to read the evidence by. */
  fields(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.fields(item));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, v]) => [
          key,
          this.isSecretName(key) ? hideLeaves(v) : this.fields(v),
        ]),
      );
    }
    return value;
  }

  /** Any text: known secrets in every form, and whatever a name marks secret in URLs, pairs, JSON and headers. */
  text(text: string): string {
    return this.#byName(this.#hunt(text));
  }

  /** One case's result: its free text (messages, error, evidence, reproduction); names and verdicts stay. */
  result(result: RunResult): RunResult {
    return {
      ...result,
      failures: result.failures.map((f) => ({ ...f, message: this.text(f.message) })),
      ...(result.error !== undefined && { error: this.text(result.error) }),
      evidence: result.evidence.map((e) => this.exchange(e)),
      reproduction: {
        ...(result.reproduction.curl !== undefined && { curl: this.text(result.reproduction.curl) }),
        ...(result.reproduction.steps && { steps: result.reproduction.steps.map((s) => this.text(s)) }),
      },
    };
  }

  exchange(exchange: Exchange): Exchange {
    const { request, response } = exchange;
    return {
      ...exchange,
      request: {
        method: request.method,
        url: this.text(request.url),
        headers: this.headers(request.headers),
        ...(request.body !== undefined && { body: this.text(request.body) }),
      },
      ...(response && {
        response: {
          status: response.status,
          headers: this.headers(response.headers),
          body: this.text(response.body),
        },
      }),
    };
  }

  /**
   * A whole results file, every string of it: what the run hunts, and every value under a secret-named key. Names,
   * statuses and ids stay, so the file is still a results file.
   */
  summary(summary: RunSummary): RunSummary {
    return this.json(summary) as RunSummary;
  }

  /** Any JSON value, walked: strings under secret-named keys hidden, every other string redacted as text. */
  json(value: unknown, key?: string): unknown {
    if (typeof value === 'string') {
      if (STRUCTURAL.has(key ?? '')) return value;
      return key !== undefined && this.isSecretName(key) ? REDACTED : this.text(value);
    }
    if (Array.isArray(value)) return value.map((item) => this.json(item, key));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.json(v, k)]));
    }
    return value;
  }

  /** The secrets of credential headers (and cookies, and form fields: any secret-named pair). */
  rememberHeaders(headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) {
      if (this.isSecretName(name)) this.#rememberCredential(name.toLowerCase(), value);
    }
  }

  /** The secret inside a credential header: after its scheme, in each cookie, inside Basic's base64. */
  #rememberCredential(name: string, value: string): void {
    this.remember(value);
    if (name === 'cookie') {
      for (const pair of value.split(';')) this.remember(afterEquals(pair));
    } else if (name === 'set-cookie') {
      // Several cookies are joined by commas, but an Expires date has a comma too: split only before "name=".
      for (const cookie of value.split(/\n|,(?=\s*[^;,=\s]+=)/))
        this.remember(afterEquals(cookie.split(';')[0]!));
    } else {
      // "Bearer abc", "Basic dXNlcjpwYXNz", "Token abc": what follows the scheme; Basic's, decoded too.
      const credentials = value.trim().split(/\s+/).slice(1).join(' ');
      this.remember(credentials);
      this.#rememberBasic(credentials);
      for (const [, quoted] of value.matchAll(/[\w-]+="([^"]*)"/g)) this.remember(quoted);
    }
  }

  #rememberBasic(encoded: string): void {
    if (isBasicCredentials(encoded)) {
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      this.remember(decoded.slice(decoded.indexOf(':') + 1));
    }
  }

  /** A JSON body's secret fields; any other body is read as a form, whose secret-named fields are all it gives. */
  rememberBody(body: string): void {
    const json = parseJson(body);
    if (json) this.rememberFields(json.value);
    else this.#rememberPairs(body);
  }

  #rememberPairs(text: string): void {
    for (const [name, value] of new URLSearchParams(text)) if (this.isSecretName(name)) this.remember(value);
  }

  #add(form: string): void {
    if (this.#seen.has(form)) return;
    this.#seen.add(form);
    const prefix = form.slice(0, MIN_HUNTED);
    const bucket = this.#forms.get(prefix) ?? [];
    bucket.push(form);
    bucket.sort((a, b) => b.length - a.length);
    this.#forms.set(prefix, bucket);
  }

  /** Known secrets, this redactor's and the run's. */
  #hunt(text: string): string {
    let result = text;
    if (this.#forms.size > 0) {
      let out = '';
      let last = 0;
      for (let i = 0; i + MIN_HUNTED <= result.length;) {
        const candidates = this.#forms.get(result.slice(i, i + MIN_HUNTED));
        const hit = candidates?.find((form) => result.startsWith(form, i));
        if (hit === undefined) i++;
        else {
          out += `${result.slice(last, i)}${REDACTED}`;
          i += hit.length;
          last = i;
        }
      }
      result = out + result.slice(last);
    }
    return this.#parent ? this.#parent.#hunt(result) : result;
  }

  #byName(text: string): string {
    const secret = (name: string) => this.isSecretName(safeDecode(name));
    return (
      text
        // http://user:pass@host: the user info goes whole.
        .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"<>]+@/gi, `$1${REDACTED}@`)
        // ?api_key=…&access_token=…, form bodies, "sid=…; Path=/".
        .replace(
          /(^|[?&;\s'"])([^\s=&?#;'"<>`|()]{1,128})=([^&#\s'"<>;`|)\\]+)/g,
          (whole, before: string, name: string) => (secret(name) ? `${before}${name}=${REDACTED}` : whole),
        )
        // "token": "…" in JSON that did not parse as a whole (cut, or inside other text).
        // (Unrolled, not (?:[^"\\]|\\.)*: that form recurses once per character and overflows the stack on a long
        // string; a string cut at the end of the text has no closing quote.)
        .replace(
          /"([^"\\\s]{1,128})"(\s*:\s*)"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?$)/g,
          (whole, name: string, colon: string) => (secret(name) ? `"${name}"${colon}"${REDACTED}"` : whole),
        )
        // -H 'x-auth-token: …' in a curl line.
        .replace(/(-H\s+')([^:'\s]+):\s?[^']*(?:'\\''[^']*)*'/g, (whole, flag: string, name: string) =>
          secret(name) ? `${flag}${name}: ${REDACTED}'` : whole,
        )
        .replace(/\b(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1${REDACTED}`)
        .replace(
          /\b(Basic\s+)([A-Za-z0-9+/]{4,}={0,2})(?![\w+/=])/g,
          (whole, scheme: string, encoded: string) =>
            isBasicCredentials(encoded) ? `${scheme}${REDACTED}` : whole,
        )
    );
  }
}

/** The ways a secret is written back: as is, JSON-escaped, URL-encoded, HTML- or XML-escaped, in base64. */
function formsOf(secret: string): Set<string> {
  const forms = new Set([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    new URLSearchParams([['', secret]]).toString().slice(1),
    Buffer.from(secret).toString('base64').replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
  ]);
  for (const form of [...forms]) {
    forms.add(escapeMarkup(form, '&#39;'));
    forms.add(escapeMarkup(form, '&apos;'));
    forms.add(escapeMarkup(form, "'"));
    forms.add(form.replaceAll('<', '&lt;'));
  }
  return forms;
}

function escapeMarkup(text: string, apostrophe: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", apostrophe);
}

function hideLeaves(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hideLeaves);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hideLeaves(v)]));
  }
  // true, false and null carry no secret, and say what kind of field it was.
  return typeof value === 'string' || typeof value === 'number' ? REDACTED : value;
}

const afterEquals = (pair: string): string => pair.slice(pair.indexOf('=') + 1).trim();

/** Base64 of "user:password", in printable characters: not a word that happens to be valid base64. */
const isBasicCredentials = (encoded: string): boolean =>
  /^[\x20-\x7e]*:[\x20-\x7e]*$/.test(Buffer.from(encoded, 'base64').toString('utf8'));

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
