// A failed browser case's Playwright trace, redacted like every other file of a run. A trace holds what the
// browser sent and received (headers, cookies, form fields, bodies), what each step typed, and snapshots of the
// page's DOM with the values of its fields: all of it text, in JSON lines and resource files, so all of it passes
// through the case's redactor. First every secret the trace shows is learnt (credential headers and cookies, secret
// form and JSON fields, password fields, what was typed into a secret-named field), then every text entry is
// rewritten with those secrets and every secret-named value hidden. Images (the screencast, screenshots) are kept
// as they are: they show the page as it was drawn, password fields as dots.
import { readFile, writeFile } from 'node:fs/promises';
import { unzipSync, zipSync, type Unzipped, type Zippable } from 'fflate';
import { REDACTED, type Redactor } from '../redact.ts';

/** Trace files that are JSON, one event per line. */
const JSON_LINES = /(^|\/)[^/]*\.(trace|network)$/;
/** DOM attributes whose field holds a secret, whatever the field is called. */
const SECRET_AUTOCOMPLETE = /\b(current-password|new-password|one-time-code|cc-number|cc-csc)\b/;
/** Where Playwright's snapshots keep an input's current value. */
const VALUE_ATTRIBUTE = '__playwright_value_';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Writes the trace at `raw` to `out` with every secret of the case and of the trace itself hidden. Nothing is
 * written for a file that is not a zip: an unreadable trace is dropped, never kept as it was.
 */
export async function redactTrace(raw: string, out: string, redactor: Redactor): Promise<boolean> {
  let entries: Unzipped;
  try {
    entries = unzipSync(await readFile(raw));
  } catch {
    return false;
  }
  const texts = new Map<string, string>();
  for (const [name, bytes] of Object.entries(entries)) {
    const text = asText(bytes);
    if (text !== undefined) texts.set(name, text);
  }
  const lines = new Map<string, string[]>();
  for (const [name, text] of texts) if (JSON_LINES.test(name)) lines.set(name, text.split('\n'));
  const events = new Map<string, Json>();
  for (const line of [...lines.values()].flat()) {
    const event = parseLine(line);
    if (event === undefined) continue;
    events.set(line, event);
    // A value nested deeper than the stack allows (a hostile page's DOM) is read as text below.
    guarded(() => learn(event, redactor, texts));
  }
  const redacted: Zippable = {};
  for (const [name, bytes] of Object.entries(entries)) {
    const eventLines = lines.get(name);
    const text = texts.get(name);
    if (eventLines) {
      const redactLine = (line: string): string => {
        const event = events.get(line);
        const hidden = event === undefined ? undefined : guarded(() => JSON.stringify(hide(event, redactor)));
        return hidden ?? redactor.text(line);
      };
      redacted[name] = encode(eventLines.map(redactLine).join('\n'));
    } else if (text !== undefined) {
      // A body, a page, a style sheet: a JSON body with its secret fields hidden, any text redacted.
      redacted[name] = encode(redactor.body(text, Infinity));
    } else {
      redacted[name] = bytes;
    }
  }
  await writeFile(out, zipSync(redacted));
  return true;
}

/** Every secret an event shows: named pairs, requests and their bodies, secret fields of the DOM, typed values. */
function learn(value: Json, redactor: Redactor, texts: ReadonlyMap<string, string>): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) learn(item, redactor, texts);
    return;
  }
  const secret = secretKeys(value, redactor);
  // HAR's header and cookie lists: {"name": "Cookie", "value": "sid=…"}, the cookies inside remembered one by one.
  if (secret.has('value') && typeof value.name === 'string' && typeof value.value === 'string')
    redactor.rememberHeaders({ [value.name]: value.value });
  for (const key of secret) redactor.remember(value[key]);
  if (typeof value.url === 'string') redactor.rememberUrl(value.url);
  // A request's form or JSON body, inline or in a resource file; a response's JSON body, in a resource file.
  const body = typeof value.text === 'string' && value.text !== '' ? value.text : resourceOf(value, texts);
  if (body !== undefined && isBody(value)) redactor.rememberBody(body);
  for (const item of Object.values(value)) learn(item, redactor, texts);
}

/** An event with every secret hidden: secret-named pairs and secret fields whole, any other string redacted. */
function hide(value: Json, redactor: Redactor): Json {
  if (typeof value === 'string') return redactor.text(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => hide(item, redactor));
  const secret = secretKeys(value, redactor);
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, secret.has(key) ? REDACTED : hide(item, redactor)]),
  );
}

/**
 * The keys of an event's object that hold a secret whatever its length: the value of a secret-named pair (a header,
 * a cookie, a form field), of a secret field in a DOM snapshot, and what a step typed into a secret-named field
 * (`fill` with `internal:label="Password"i`).
 */
function secretKeys(value: { [key: string]: Json }, redactor: Redactor): Set<string> {
  const keys = new Set<string>();
  if (typeof value.name === 'string' && typeof value.value === 'string' && redactor.isSecretName(value.name))
    keys.add('value');
  if (isSecretField(value, redactor)) keys.add(VALUE_ATTRIBUTE);
  if (typeof value.selector === 'string' && redactor.isSecretName(value.selector)) {
    if (typeof value.value === 'string') keys.add('value');
    if (typeof value.text === 'string') keys.add('text');
  }
  return keys;
}

/** HAR's body types Gauntlet reads secrets from: forms and JSON (a page is not read as a form). */
const READ_BODIES = /json|x-www-form-urlencoded/i;

/** A request's postData or a response's content whose body is a form or JSON. */
function isBody(value: { [key: string]: Json }): boolean {
  return typeof value.mimeType === 'string' && READ_BODIES.test(value.mimeType);
}

/** The text of the resource file a HAR body names (`_file`, or `_sha1` in older traces). */
function resourceOf(value: { [key: string]: Json }, texts: ReadonlyMap<string, string>): string | undefined {
  const file = typeof value._file === 'string' ? value._file : value._sha1;
  if (typeof file !== 'string') return undefined;
  return texts.get(file.startsWith('resources/') ? file : `resources/${file}`);
}

/** The attributes of a DOM element whose value is a secret: a password field, or one named or marked as secret. */
function isSecretField(attributes: { [key: string]: Json }, redactor: Redactor): boolean {
  if (typeof attributes[VALUE_ATTRIBUTE] !== 'string') return false;
  const { type, name, id, autocomplete } = attributes;
  return (
    (typeof type === 'string' && type.toLowerCase() === 'password') ||
    (typeof name === 'string' && redactor.isSecretName(name)) ||
    (typeof id === 'string' && redactor.isSecretName(id)) ||
    (typeof autocomplete === 'string' && SECRET_AUTOCOMPLETE.test(autocomplete.toLowerCase()))
  );
}

function parseLine(line: string): Json | undefined {
  try {
    return JSON.parse(line) as Json;
  } catch {
    return undefined;
  }
}

/** What `work` gives, or nothing when it overflows the stack. */
function guarded<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** An entry's text, or nothing for an image or any other bytes that are not UTF-8. */
function asText(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
