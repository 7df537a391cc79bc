// Markup for the HTML report: text interpolated into `html` is escaped, whoever wrote it; only what `html` built goes
// in as it is.
export class Markup {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
}

export type Content = Markup | string | number | boolean | undefined | readonly Content[];

export function html(strings: TemplateStringsArray, ...values: Content[]): Markup {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += contentOf(value) + strings[i + 1]!;
  });
  return new Markup(out);
}

/** `html` for SVG. */
export const svg = html;

function contentOf(value: Content): string {
  if (value instanceof Markup) return value.value;
  if (typeof value === 'string' || typeof value === 'number') return escapeHtml(String(value));
  if (value === undefined || typeof value === 'boolean') return '';
  return value.map(contentOf).join('');
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Safe in text and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
