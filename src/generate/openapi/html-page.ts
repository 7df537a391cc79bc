// A description URL that serves an HTML page (Swagger UI, Redoc) instead of the description: the page names the
// description's own URL, in its init script, a separate initializer script, a Redoc attribute or a <link>. That URL is
// followed once, on the page's origin only (the same rule as every file a description refers to).
import { fetchWithinOrigin } from './confined-read.ts';
import { ApiDescriptionError } from './errors.ts';

/** Scripts the page loads that may hold Swagger UI's configuration; the bundles themselves are never read. */
const MAX_SCRIPTS = 3;
const MAX_SCRIPT_BYTES = 2 ** 20;

/**
 * Whether a body is an HTML page, told from its first tag (the content type is not trusted: pages are served as
 * text/plain and descriptions as text/html). No YAML or JSON description starts with a tag.
 */
export function isHtmlPage(text: string): boolean {
  // Comments are skipped by hand: a pattern that repeats a lazy comment match backtracks exponentially on a page of
  // many comments and no tag, and the page is the server's to write.
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at]!)) at++;
    if (!text.startsWith('<!--', at)) break;
    const end = text.indexOf('-->', at + 4);
    if (end === -1) return false;
    at = end + 3;
  }
  return /^(?:<!doctype\s+html|<(?:html|head|body|meta|title|script|link|div|redoc)[\s/>])/i.test(
    text.slice(at, at + 64),
  );
}

/** The page's kind, as the note and errors name it. */
export function pageKind(html: string): string {
  if (/swagger-?ui/i.test(html)) return 'Swagger UI';
  if (/<redoc\b|\bRedoc\.init\b/i.test(html)) return 'Redoc';
  return 'HTML';
}

export interface DescriptionBehindPage {
  /** The description's URL, on the page's origin. */
  source: string;
  text: string;
  /** What to tell the user: which page came back and which URL is used instead. */
  note: string;
}

/**
 * The description an HTML page at `page` names, read from the page's origin; an ApiDescriptionError saying what came
 * back when the page names none, names one on another origin, or names one that is itself a page.
 */
export async function descriptionBehindPage(
  page: string,
  html: string,
  timeoutMs: number,
): Promise<DescriptionBehindPage> {
  const origin = new URL(page).origin;
  const kind = pageKind(html);
  const served = `served an HTML page${kind === 'HTML' ? '' : ` (${kind})`}`;
  const link = linkInPage(html) ?? (await linkInScripts(html, page, origin, timeoutMs));
  if (link === undefined) {
    throw new ApiDescriptionError(
      page,
      `${served}, not an OpenAPI description, and the page names none; give the description's own URL ` +
        `(often ${new URL('/openapi.json', origin).href} or ${new URL('/v3/api-docs', origin).href})`,
    );
  }
  const target = new URL(link, page);
  if (target.origin !== origin) {
    throw new ApiDescriptionError(
      page,
      `${served} naming its description at ${target.href}, on another origin than ${origin}; a description is read ` +
        `from the origin named only: give ${target.href} itself if you trust it`,
    );
  }
  let text: string;
  try {
    text = (
      await fetchWithinOrigin(target.href, {
        origin,
        timeoutMs,
        accept: 'application/yaml, application/json;q=0.9, */*;q=0.5',
      })
    ).toString('utf8');
  } catch (error) {
    throw new ApiDescriptionError(
      page,
      `${served} naming its description at ${target.href}, which cannot be fetched: ${(error as Error).message}`,
      undefined,
      { cause: error },
    );
  }
  if (isHtmlPage(text)) {
    throw new ApiDescriptionError(
      page,
      `${served} naming its description at ${target.href}, which is an HTML page too; give the description's own URL`,
    );
  }
  return {
    source: target.href,
    text,
    note: `${page} ${served}; using its description at ${target.href}`,
  };
}

/** The description URL written in the page itself, by the first pattern that finds one. */
function linkInPage(html: string): string | undefined {
  return (
    attribute(tagsNamed(html, 'redoc'), 'spec-url') ??
    /\bRedoc\.init\(\s*(["'`])([^"'`]+)\1/.exec(html)?.[2] ??
    alternateLink(html) ??
    swaggerUiUrl(html)
  );
}

/**
 * Swagger UI's `url: "…"`, or the first of its `urls: [{ url: "…" }]` (a `configUrl` is a JSON file of the same
 * shape, read as a script is). Quoted keys too: springdoc's swagger-config is JSON.
 */
function swaggerUiUrl(script: string): string | undefined {
  return /["']?\burl["']?\s*:\s*(["'`])([^"'`]+)\1/.exec(script)?.[2];
}

/** `<link rel="alternate" type="application/json" href="…">` (or a YAML or OpenAPI type). */
function alternateLink(html: string): string | undefined {
  for (const tag of tagsNamed(html, 'link')) {
    const rel = attributeOf(tag, 'rel') ?? '';
    const type = attributeOf(tag, 'type') ?? '';
    if (/\balternate\b/i.test(rel) && /json|yaml|openapi/i.test(type)) return attributeOf(tag, 'href');
  }
  return undefined;
}

/**
 * The tags of one name, read by hand in one pass: a pattern such as `<link\b[^>]*>` scans to the end of the page for
 * every unclosed `<link`, and the page is the server's to write. Tags do not nest, so the search goes on after each.
 */
function tagsNamed(html: string, name: string): string[] {
  const lower = html.toLowerCase();
  const open = `<${name}`;
  const tags: string[] = [];
  for (let at = lower.indexOf(open); at !== -1; at = lower.indexOf(open, at + 1)) {
    if (/\w/.test(lower[at + open.length] ?? '')) continue;
    const end = lower.indexOf('>', at);
    if (end === -1) break;
    tags.push(html.slice(at, end + 1));
    at = end;
  }
  return tags;
}

/** The attribute of the first of the tags that has it. */
function attribute(tags: readonly string[], name: string): string | undefined {
  for (const tag of tags) {
    const value = attributeOf(tag, name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** An attribute's value in one tag, read by hand (quoted or not), for the same reason as `tagsNamed`. */
function attributeOf(tag: string, name: string): string | undefined {
  const lower = tag.toLowerCase();
  for (let at = lower.indexOf(name); at !== -1; at = lower.indexOf(name, at + 1)) {
    if (!/\s/.test(lower[at - 1] ?? '')) continue;
    let i = at + name.length;
    while (/\s/.test(tag[i] ?? '')) i++;
    if (tag[i] !== '=') continue;
    i++;
    while (/\s/.test(tag[i] ?? '')) i++;
    const quote = tag[i];
    if (quote === '"' || quote === "'") {
      const end = tag.indexOf(quote, i + 1);
      return end === -1 ? undefined : tag.slice(i + 1, end);
    }
    let end = i;
    while (end < tag.length && !/[\s>]/.test(tag[end]!)) end++;
    return end > i ? tag.slice(i, end) : undefined;
  }
  return undefined;
}

const CONFIG_URL = /\bconfigUrl\s*:\s*(["'`])([^"'`]+)\1/;

/**
 * Swagger UI 4 and later keep their configuration in a separate script (swagger-initializer.js); springdoc's in a
 * JSON file named by `configUrl`. Those of the page's origin are read, a few and small; bundles and other origins are
 * not.
 */
async function linkInScripts(
  html: string,
  page: string,
  origin: string,
  timeoutMs: number,
): Promise<string | undefined> {
  const scripts = tagsNamed(html, 'script')
    .flatMap((tag) => attributeOf(tag, 'src') ?? [])
    .filter((src) => !/bundle|preset|standalone|\.min\.js/i.test(src));
  const configUrl = CONFIG_URL.exec(html)?.[2];
  const queue = [...(configUrl ? [configUrl] : []), ...scripts];
  for (let read = 0; read < MAX_SCRIPTS && queue.length > 0;) {
    const url = new URL(queue.shift()!, page);
    if (url.origin !== origin) continue;
    read++;
    const script = await fetchWithinOrigin(url.href, { origin, timeoutMs, maxBytes: MAX_SCRIPT_BYTES }).then(
      (body) => body.toString('utf8'),
      () => '',
    );
    const found = swaggerUiUrl(script);
    if (found !== undefined) return found;
    // An initializer may name a configUrl (springdoc): the description's url is in that JSON.
    const nested = CONFIG_URL.exec(script)?.[2];
    if (nested !== undefined) queue.unshift(nested);
  }
  return undefined;
}
