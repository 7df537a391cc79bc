// Text Gauntlet did not write (an LLM's summary, the service's answers, titles and messages built from them, user
// cases) rendered inert in the Markdown of report.md, and so of a PR comment or a job summary. Whatever it holds,
// it shows as text: no image loads, no link to any host, no HTML, no hidden comment that could fake the sticky
// comment's marker, no @mention or issue reference that notifies anyone, no slash command for another bot and no
// workflow command (`::set-output`) at the start of a line. Links Gauntlet writes itself (--report-url) are added by
// the renderer around this text, never taken from it; the one exception is the target in the template's own
// summary, which the renderer names (`links`).
//
// URLs and e-mail addresses, which GitHub would link even as bare text, are shown in code, where nothing is linked.

/** What GitHub links on its own: URLs with a scheme, `www.` addresses, and e-mail addresses (up to a "<"). */
const LINKABLE = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:|xmpp:)[^\s<]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi;

/** A zero-width space: breaks a mention or reference for GitHub without changing what a reader sees. */
const BREAK = '\u200b';

export interface InertOptions {
  /** "html" for text inside an HTML block (a `<summary>`), where Markdown is not parsed but entities are. */
  in?: 'markdown' | 'html';
  /**
   * Links Gauntlet itself put in the text (the target, in the summary the template writes): left for GitHub to
   * link. Never the links of an LLM or of the service, though they name the same address.
   */
  links?: readonly string[];
}

/** Text in a Markdown line (or in an HTML block: `options.in`), made inert. */
export function inert(text: string, options: InertOptions = {}): string {
  const where = options.in ?? 'markdown';
  const links = new Set(options.links);
  const line = text.replace(/\r\n?|[\n\u2028\u2029\u0085\v\f]/g, ' ');
  let out = '';
  let last = 0;
  for (const match of line.matchAll(LINKABLE)) {
    // Punctuation that ends a sentence after an address is not part of it (GitHub's autolinker agrees).
    const address = match[0].replace(/[.,:;!?*_~'")\]]+$/, '');
    if (address === '') continue;
    const own = where === 'markdown' && links.has(address);
    out += plain(line.slice(last, match.index), where) + (own ? address : code(address, where));
    last = match.index + address.length;
  }
  out += plain(line.slice(last), where);
  // A bot reads a line that starts with "/" as a command, and a runner one that starts with "::"; the escape hides
  // the character from them and shows it to a reader. (A "#" or ">" there would make a heading or a quote.)
  const start = out.trimStart();
  if (where === 'markdown') return /^[/:#>]/.test(start) ? `\\${start}` : start;
  return /^[/:]/.test(start) ? `${BREAK}${start}` : start;
}

function plain(text: string, where: 'markdown' | 'html'): string {
  const escaped =
    where === 'markdown'
      ? // One pass, so no escape added here can be undone by a backslash in the text. "[" and "]" make no link
        // or image, "`" opens no code span, "<" no HTML and no autolink, "&" no entity that decodes into them.
        text.replace(/[\\`[\]<&]/g, (c) => (c === '<' ? '&lt;' : c === '&' ? '&amp;' : `\\${c}`))
      : escapeHtml(text);
  // @someone and #123 (or owner/repo#123) notify people and cross-link issues; a zero-width space breaks them.
  return escaped.replace(/@(?=[\w-]|$)/g, `@${BREAK}`).replace(/#(?=\d)/g, `#${BREAK}`);
}

function code(text: string, where: 'markdown' | 'html'): string {
  return where === 'markdown' ? inlineCode(text) : `<code>${escapeHtml(text)}</code>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text as Markdown inline code that nothing inside can close, whatever backticks it holds; no "<!--" either. */
export function inlineCode(text: string): string {
  const line = text.replace(/\r\n?|[\n\u2028\u2029\u0085\v\f]/g, ' ').replaceAll('<!--', `<${BREAK}!--`);
  const longest = Math.max(0, ...[...line.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  // A space on each side keeps a backtick at either end from joining the fence; Markdown drops one of each.
  const pad = line.startsWith('`') || line.endsWith('`') || line === '' ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/**
 * A code block that text cannot close: its fence is longer than any run of backticks inside (a response body that
 * holds a fence of its own stays inside this one). Nothing in a code block renders, but bots and runners read the
 * comment's raw lines: a line that would start with "/" or "::" starts with a zero-width space instead, and no
 * "<!--" is left to pass for the sticky comment's marker.
 */
export function codeBlock(text: string, language = ''): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const body = text.replace(/^(?=[ \t]*(?:\/|::))/gm, BREAK).replaceAll('<!--', `<${BREAK}!--`);
  return [`${fence}${language}`, body, fence];
}
