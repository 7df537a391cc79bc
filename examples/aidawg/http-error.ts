// Errors a handler throws to answer with a status and a JSON message; anything else is a 500.
import type { z } from 'zod';

export class HttpError extends Error {
  readonly status: number;
  readonly issues?: unknown[];
  constructor(status: number, message: string, issues?: unknown[]) {
    super(message);
    this.status = status;
    if (issues) this.issues = issues;
  }
}

/** Parses request input with a schema, or answers 400 with what is wrong. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0]!;
  throw new HttpError(400, `${first.path || 'body'}: ${first.message}`, issues);
}
