// A problem with what the user asked for (exit code 2), as opposed to problems found in the target (exit code 1).
import type { SourceError } from '../cases/index.ts';
import { formatSourceError } from '../cases/index.ts';

/**
 * Characters of one printed line of an error. Messages may quote the user's text (the YAML parser quotes the line it
 * stopped at), and a minified or binary file has lines of megabytes: past this, a line is cut and says so.
 */
export const MAX_ERROR_LINE = 500;

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

  /** What the command prints: `gauntlet: message`, then each detail, every line at most MAX_ERROR_LINE long. */
  printed(): string {
    return [`gauntlet: ${this.message}`, ...this.details]
      .flatMap((text) => text.split('\n'))
      .map((line) => `${capLine(line)}\n`)
      .join('');
  }
}

/** The line, or its first MAX_ERROR_LINE characters and how many were left out. */
export function capLine(line: string): string {
  if (line.length <= MAX_ERROR_LINE) return line;
  // A cut between the two halves of a surrogate pair would print half a character.
  const end = /[\uD800-\uDBFF]/.test(line[MAX_ERROR_LINE - 1]!) ? MAX_ERROR_LINE - 1 : MAX_ERROR_LINE;
  return `${line.slice(0, end)}… (${line.length - end} more characters)`;
}
