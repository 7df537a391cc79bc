// What the command line writes to and reads from: its two streams and its environment.
import type { Env } from './llm.ts';
import type { ProgressSink } from './progress.ts';

export interface CliIo {
  stdout: ProgressSink;
  stderr: ProgressSink;
  /** The environment (API keys, OPENAI_BASE_URL, the Redis URL); process.env when not given. */
  env?: Env;
}

/** Plain progress and warning lines, on standard error. */
export function logTo(io: CliIo): (line: string) => void {
  return (line) => io.stderr.write(`${line}\n`);
}
