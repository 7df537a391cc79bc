// Errors GitHub's GraphQL API reports inside a 200 answer, with a `type` (NOT_FOUND, UNPROCESSABLE, …). They
// are answers, not emulator gaps: unlike other execution errors they are not contract violations.
import { GitHubError } from '../errors.ts';

export class GraphqlFailure extends Error {
  readonly type: string;

  constructor(type: string, message: string) {
    super(message);
    this.type = type;
  }
}

/** The GraphQL form of a REST refusal raised by shared code (a 404 from a finder, a 422 from a validation). */
export function asGraphqlFailure(error: unknown): GraphqlFailure | undefined {
  if (error instanceof GraphqlFailure) return error;
  if (!(error instanceof GitHubError)) return undefined;
  const type = error.status === 404 ? 'NOT_FOUND' : error.status === 403 ? 'FORBIDDEN' : 'UNPROCESSABLE';
  const detail = error.errors?.map((e) => e.message ?? `${e.field ?? e.resource} ${e.code}`).join('; ');
  return new GraphqlFailure(type, detail ? `${error.message}: ${detail}` : error.message);
}
