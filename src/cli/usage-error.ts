// A problem with what the user asked for (exit code 2), as opposed to problems found in the target (exit code 1).
import type { SourceError } from '../cases/index.ts';
import { formatSourceError } from '../cases/index.ts';

export class UsageError extends Error {
  readonly details: string[];
  constructor(message: string, details: string[] = []) {
    super(message);
    this.details = details;
  }

  /** Every problem as `file:line:column: message`; past `shown` of them, how many more there are. */
  static fromSourceErrors(what: string, errors: readonly SourceError[], shown = Infinity): UsageError {
    const count = `${errors.length} problem${errors.length === 1 ? '' : 's'}`;
    const details = errors.slice(0, shown).map(formatSourceError);
    if (errors.length > shown) details.push(`…and ${errors.length - shown} more`);
    return new UsageError(`${what}: ${count}`, details);
  }
}
