// What a prompt tells the model about a journey and its results, as YAML a model reads easily. Steps carry their
// index, which is how a proposal names the step it tests. Results are cut to what explains them (bodies clipped,
// headers left out), so a noisy response cannot crowd the journey out of the context window. Every excerpt goes
// through the request's PromptSafe once it is cut to size (so clearing it costs little, however large a response
// was) and before it is written as YAML (so its keys still say which values are credentials).
import { stringify } from 'yaml';
import type { Exchange, LoadedUserCase, RunResult } from '../../cases/index.ts';
import type { PromptSafe } from '../prompt-safe.ts';

const BODY_CHARS = 2000;
const MAX_RESULTS = 200;
const MAX_LISTED = 400;

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

const yaml = (value: unknown): string => stringify(value, { lineWidth: 0 }).trimEnd();

/** The user case, each step with its index first. */
export function journeyText(journey: LoadedUserCase, safe: PromptSafe): string {
  const { steps, ...rest } = safe.value(journey.userCase);
  return yaml({ ...rest, steps: steps.map((step, index) => ({ index, ...step })) });
}

/** A list, one item a line; a very long one is cut, saying how much was left out. */
export function listText(items: readonly string[], safe: PromptSafe): string {
  if (items.length === 0) return '(none)';
  const shown = safe.value(items.slice(0, MAX_LISTED).map((item) => clip(item, 300)));
  const more = items.length - shown.length;
  return shown.map((item) => `- ${item}`).join('\n') + (more > 0 ? `\n(… and ${more} more)` : '');
}

/** One failed case: what failed, and the exchanges that show it. */
export function failureText(result: RunResult, safe: PromptSafe): string {
  // The headers are not shown, but their credentials are learnt, to be withheld where a body or message repeats them.
  safe.value(result.evidence.map((e) => [e.request.headers, e.response?.headers]));
  const excerpt = {
    title: result.title,
    step: result.origin.step,
    status: result.status,
    ...(result.error && { error: clip(result.error, BODY_CHARS) }),
    failures: result.failures.map((f) => ({
      check: clip(f.check, 300),
      request: f.step,
      message: clip(f.message, BODY_CHARS),
    })),
    exchanges: result.evidence.map(exchangeExcerpt),
    ...(result.reproduction.curl && { curl: clip(result.reproduction.curl, BODY_CHARS) }),
  };
  return yaml(safe.value(excerpt));
}

function exchangeExcerpt(exchange: Exchange): Record<string, unknown> {
  const { request, response } = exchange;
  return {
    request: clip(`${request.method} ${request.url}`, BODY_CHARS),
    ...(request.body !== undefined && { requestBody: clip(request.body, BODY_CHARS) }),
    ...(response
      ? { status: response.status, responseBody: clip(response.body, BODY_CHARS) }
      : { response: 'none' }),
    ms: Math.round(exchange.durationMs),
  };
}

/** Every result in a line or two: the case, its step, how it ended and why. */
export function resultsText(results: readonly RunResult[], safe: PromptSafe): string {
  const shown = results.slice(0, MAX_RESULTS).map((r) => ({
    title: r.title,
    step: r.origin.step,
    status: r.status,
    ...(r.failures.length > 0 && { failures: r.failures.map((f) => clip(`${f.check}: ${f.message}`, 300)) }),
    ...(r.error && { error: clip(r.error, 300) }),
  }));
  const more = results.length - shown.length;
  return yaml(safe.value(shown)) + (more > 0 ? `\n# … and ${more} more results not shown` : '');
}
