// A problem with what the user asked for (exit code 2), as opposed to problems found in the target (exit code 1).
import type { SourceError } from '../cases/index.ts';
import { formatSourceError } from '../cases/index.ts';

export class UsageError extends Error {
  readonly details: string[];
  constructor(message: string, details: string[] = []) {
    super(message);
    this.details = details;
  }

  static fromSourceErrors(what: string, errors: readonly SourceError[]): UsageError {
    const count = `${errors.length} problem${errors.length === 1 ? '' : 's'}`;
    return new UsageError(`${what}: ${count}`, errors.map(formatSourceError));
  }
}
