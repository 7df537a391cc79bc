// GitHub's refusals, in the shape GitHub sends them: `{ message, documentation_url, status }`, plus `errors` on the
// 422s where GitHub names the resource, field and code.

export const REST_DOCS = 'https://docs.github.com/rest';

export interface ErrorDetail {
  resource: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  field?: string;
  message?: string;
}

/** Thrown by handlers; the server turns it into GitHub's answer for the operation that was called. */
export class GitHubError extends Error {
  readonly status: number;
  readonly errors: ErrorDetail[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    options: { errors?: ErrorDetail[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

export const notFound = (): GitHubError => new GitHubError(404, 'Not Found');

/** The value, or GitHub's 404 when there is none. */
export function orNotFound<T>(value: T | undefined): T {
  if (value === undefined) throw notFound();
  return value;
}

export const validationFailed = (...errors: ErrorDetail[]): GitHubError =>
  new GitHubError(422, 'Validation Failed', { errors });

export interface ErrorBody {
  message: string;
  documentation_url: string;
  status: string;
  errors?: ErrorDetail[];
}

export function errorBody(error: GitHubError, documentationUrl: string): ErrorBody {
  return {
    message: error.message,
    documentation_url: documentationUrl,
    status: String(error.status),
    ...(error.errors ? { errors: error.errors } : {}),
  };
}
