// Text cut to the sizes GitHub accepts (a comment, a check run's summary, an annotation's title), so that a long
// report is shortened by Gauntlet, cleanly and saying so, instead of refused by GitHub with a 422.

const encoder = new TextEncoder();

/**
 * Plain text in at most `max` characters (UTF-16 code units, which are never fewer than the characters GitHub
 * counts) or, with `unit: 'bytes'`, UTF-8 bytes; a cut ends in "…" and never splits a character.
 */
export function fitPlain(text: string, max: number, unit: 'chars' | 'bytes' = 'chars'): string {
  const size = (s: string) => (unit === 'bytes' ? encoder.encode(s).length : s.length);
  if (size(text) <= max) return text;
  const room = max - size('…');
  let out = '';
  let used = 0;
  for (const char of text) {
    const width = size(char);
    if (used + width > room) break;
    out += char;
    used += width;
  }
  return `${out}…`;
}

/**
 * Markdown in at most `max` characters (UTF-16 code units). A cut falls at the end of a line, closes the code
 * fence and the `<details>` blocks the kept part leaves open (so the note is not swallowed by them), and ends
 * with `note` in its own paragraph.
 */
export function fitMarkdown(text: string, max: number, note: string): string {
  if (text.length <= max) return text;
  const ending = `\n\n${note}`;
  let room = max - ending.length;
  // Closing what is open takes room too: cut again until the kept part and its closers fit.
  for (;;) {
    const kept = keptLines(text, room);
    const closers = closersOf(kept);
    const out = `${kept}${closers}${ending}`;
    if (out.length <= max || room <= 0) return out.length <= max ? out : fitPlain(note, max);
    room -= out.length - max;
  }
}

/** The longest run of whole lines within `room` characters (a single line longer than that is cut inside). */
function keptLines(text: string, room: number): string {
  if (room <= 0) return '';
  const head = text.slice(0, room);
  const end = head.lastIndexOf('\n');
  if (end > 0) return head.slice(0, end);
  // No whole line fits: cut the first line, not inside a surrogate pair.
  return fitPlain(text.split('\n')[0]!, room);
}

/** What closes the fences and `<details>` left open at the end of `markdown`. */
function closersOf(markdown: string): string {
  let fence: string | null = null;
  let details = 0;
  for (const line of markdown.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      // A fence closes with a line of the same character, at least as long, and nothing after it.
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker)
        fence = null;
      continue;
    }
    if (marker) fence = marker;
    else if (/^\s*<details[\s>]/i.test(line)) details += 1;
    else if (/^\s*<\/details>/i.test(line) && details > 0) details -= 1;
  }
  return `${fence ? `\n${fence}` : ''}${'\n</details>'.repeat(details)}`;
}
