// The top-level fields of a step's example body, each a place for edge values and payloads. A field holding a
// {{placeholder}} (a unique e-mail, a captured token) is one too: the placeholder's value is the happy path, and a
// payload replaces it whole.
import { hasJsonBody, mergeHint, type StepContext } from '../draft.ts';

export function fuzzableBodyFields(context: StepContext): [string, unknown][] {
  const hint = mergeHint(context.step);
  if (!context.step.api || !hasJsonBody(hint)) return [];
  return Object.entries(hint.example);
}

/** The example body with one field replaced. */
export function withField(context: StepContext, field: string, value: unknown): Record<string, unknown> {
  const hint = mergeHint(context.step);
  return { ...(hint.example as Record<string, unknown>), [field]: value };
}
