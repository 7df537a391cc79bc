// One name for an operation however its path parameters are called: "PATCH /projects/{id}" in a description and
// "PATCH /projects/{projectId}" in a user case are the same operation.
export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}').replace(/(.)\/+$/, '$1')}`;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * The operation a step names ("GET /api/items/{name}/{n}", as generated steps are named), when the request it sent
 * fits it: the same method, and a URL whose last path segments match the template's, a `{parameter}` standing for
 * any text. Otherwise undefined: a step named in words, or one a rule sent elsewhere, names no operation.
 */
export function declaredOperation(stepName: string, method: string, url: string): string | undefined {
  const space = stepName.indexOf(' ');
  const named = stepName.slice(0, space);
  const template = stepName.slice(space + 1);
  if (space < 0 || !METHODS.has(named) || named !== method.toUpperCase() || !template.startsWith('/')) return;
  if (/\s/.test(template)) return;
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return;
  }
  const wanted = segmentsOf(template);
  const sent = segmentsOf(pathname);
  if (sent.length < wanted.length) return;
  const tail = sent.slice(sent.length - wanted.length);
  return wanted.every((segment, i) => segmentFits(segment, decoded(tail[i]!)))
    ? `${named} ${template}`
    : undefined;
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Whether a sent segment fits a template segment: its literal pieces in order, a parameter taking one or more characters. */
function segmentFits(template: string, sent: string): boolean {
  const pieces = template.split(/\{[^{}]*\}/);
  if (pieces.length === 1) return template === sent;
  const first = pieces[0]!;
  const last = pieces.at(-1)!;
  if (!sent.startsWith(first) || !sent.endsWith(last)) return false;
  let at = first.length;
  const end = sent.length - last.length;
  for (const middle of pieces.slice(1, -1)) {
    const found = sent.indexOf(middle, at + 1);
    if (found < 0 || found + middle.length > end - 1) return false;
    at = found + middle.length;
  }
  return end - at >= 1;
}
