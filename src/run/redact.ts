// Secrets never reach a report: credentials in headers, secret-looking JSON fields, and every secret value seen.
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);
const SECRET_FIELD = /pass(word)?|secret|token|api[-_]?key|authorization|cookie|session/i;
export const REDACTED = '[redacted]';

/** Collects secret values as a run goes, so they can be blotted out wherever they reappear. */
export class Redactor {
  readonly #secrets = new Set<string>();

  remember(value: unknown): void {
    if (typeof value === 'string' && value.length >= 6) this.#secrets.add(value);
  }

  /** Remembers header and JSON values that are secrets by name. */
  rememberFrom(headers: Record<string, string>, json: unknown): void {
    for (const [name, value] of Object.entries(headers)) {
      if (!SECRET_HEADERS.has(name)) continue;
      this.remember(value);
      // "Bearer abc" and "sid=abc; Path=/" hold the secret after a space or an equals sign.
      for (const part of value.split(/[\s;=,]+/)) if (part.length >= 16) this.remember(part);
    }
    visitFields(json, (key, value) => {
      if (SECRET_FIELD.test(key)) this.remember(value);
    });
  }

  headers(headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        SECRET_HEADERS.has(name) ? REDACTED : this.text(value),
      ]),
    );
  }

  /** A body excerpt: secret fields and known secret values replaced, cut to `limit` characters. */
  body(body: string, limit: number): string {
    let text = body;
    try {
      text = JSON.stringify(redactFields(JSON.parse(body)));
    } catch {
      // Not JSON: only known secret values are replaced below.
    }
    text = this.text(text);
    return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
  }

  text(text: string): string {
    let result = text;
    for (const secret of this.#secrets) result = result.split(secret).join(REDACTED);
    return result;
  }
}

function redactFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactFields);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_FIELD.test(k) && typeof v !== 'object' ? REDACTED : redactFields(v),
      ]),
    );
  }
  return value;
}

function visitFields(value: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(value)) value.forEach((item) => visitFields(item, visit));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      visit(k, v);
      visitFields(v, visit);
    }
  }
}
