// OpenAI's refusals, in the shape OpenAI sends them: `{ error: { message, type, param, code } }`. The official
// client reads `error.message`, `type`, `param` and `code` from this body into its APIError.

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Thrown while a request is checked; the server answers with it and records it as a violation. */
export class OpenAiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;

  constructor(
    status: number,
    message: string,
    options: { type?: string; param?: string | null; code?: string | null } = {},
  ) {
    super(message);
    this.status = status;
    this.type = options.type ?? 'invalid_request_error';
    this.param = options.param ?? null;
    this.code = options.code ?? null;
  }

  body(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** A 400 about one field of the request body, as OpenAI words its type errors. */
export const invalidField = (param: string, message: string, code: string | null = null): OpenAiError =>
  new OpenAiError(400, message, { param, code });
