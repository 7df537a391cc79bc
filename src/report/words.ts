// Small words shared by the renderers: counts, sentences, clipped lines, durations.

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/** The text as a sentence: capitalized, with a full stop unless it ends in one. */
export function sentence(text: string): string {
  return `${capitalize(text)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

/** The first line of the text, cut to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const line = text.split('\n')[0]!;
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** "a", "a and b", "a, b and c". */
export function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "a, b and c", or past `shown` items "a, b, c and 13 more". */
export function listedSome(items: readonly string[], shown: number): string {
  return items.length <= shown
    ? listed(items)
    : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

/** Rounded to a tenth. */
export const tenth = (value: number): number => Math.round(value * 10) / 10;

export const ms = (value: number): string => `${tenth(value)} ms`;

/** "2026-11-25 10:00 UTC" */
export function when(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : iso;
}
