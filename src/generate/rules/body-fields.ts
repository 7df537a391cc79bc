// The top-level fields of a step's example body that hold literal values (not {{placeholders}}).
import { placeholdersIn } from '../../cases/index.ts';
import { hasJsonBody, mergeHint, type StepContext } from '../draft.ts';

export function literalBodyFields(context: StepContext): [string, unknown][] {
  const hint = mergeHint(context.step);
  if (!context.step.api || !hasJsonBody(hint)) return [];
  return Object.entries(hint.example).filter(([, value]) => placeholdersIn(value).length === 0);
}

/** The example body with one field replaced. */
export function withField(context: StepContext, field: string, value: unknown): Record<string, unknown> {
  const hint = mergeHint(context.step);
  return { ...(hint.example as Record<string, unknown>), [field]: value };
}
