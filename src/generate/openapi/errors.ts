// A description Gauntlet cannot read: which source, where in it when that is known, and why.
import type { Position, SourceError } from '../../cases/index.ts';

export class ApiDescriptionError extends Error {
  readonly source: string;
  readonly position: Position | undefined;
  readonly reason: string;

  constructor(source: string, reason: string, position?: Position, options?: ErrorOptions) {
    super(`${source}${position ? `:${position.line}:${position.column}` : ''}: ${reason}`, options);
    this.name = 'ApiDescriptionError';
    this.source = source;
    this.position = position;
    this.reason = reason;
  }

  /** As the other problems of an input are reported; a problem of no known place is put at its start. */
  toSourceError(): SourceError {
    return { file: this.source, line: 1, column: 1, ...this.position, message: this.reason };
  }
}
