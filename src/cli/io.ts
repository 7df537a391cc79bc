// What the command line writes to and reads from: its two streams and its environment; and the redactor that
// stands between the run and both streams, so no secret is printed.
import { Redactor } from '../run/index.ts';
import type { Env } from './llm.ts';
import type { ProgressSink } from './progress.ts';

export interface CliIo {
  stdout: ProgressSink;
  stderr: ProgressSink;
  /** The environment (API keys, OPENAI_BASE_URL, the Redis URL); process.env when not given. */
  env?: Env;
  /** Every secret the command knows of; set by `guardedIo`, which redacts both streams with it. */
  redactor?: Redactor;
}

/** Plain progress and warning lines, on standard error. */
export function logTo(io: CliIo): (line: string) => void {
  return (line) => io.stderr.write(`${line}\n`);
}

/** Variables named like secrets that are not: the working directory would blot out every path. */
const NOT_SECRET_VARIABLES = new Set(['PWD', 'OLDPWD']);

/**
 * The streams of a command, redacted: the secrets of the environment (variables named like secrets: tokens, API
 * keys, passwords; URLs' passwords) and of the arguments (a URL's user info, `?api_key=…`) are known before anything is printed, and
 * the run adds what it sees.
 */
export function guardedIo(io: CliIo, argv: readonly string[]): CliIo {
  const redactor = io.redactor ?? new Redactor();
  for (const [name, value] of Object.entries(io.env ?? process.env)) {
    if (value === undefined || NOT_SECRET_VARIABLES.has(name)) continue;
    if (redactor.isSecretName(name)) redactor.remember(value);
    // GAUNTLET_REDIS_URL=redis://:password@host: a password whatever the variable is called.
    else if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(value)) redactor.rememberUrl(value);
  }
  for (const arg of argv) {
    // "--target=http://user:pass@host" as well as "--target" "http://user:pass@host".
    const url = arg.startsWith('--') ? arg.slice(arg.indexOf('=') + 1) : arg;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) redactor.rememberUrl(url);
  }
  const guard = (sink: ProgressSink): ProgressSink => ({
    write: (text: string) => sink.write(redactor.text(text)),
    ...(sink.isTTY !== undefined && { isTTY: sink.isTTY }),
  });
  return { ...io, stdout: guard(io.stdout), stderr: guard(io.stderr), redactor };
}
