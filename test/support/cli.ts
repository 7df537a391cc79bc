// Runs the `gauntlet` command in-process and keeps what it printed, for tests of the CLI.
import { runCli } from '../../src/cli/program.ts';
import type { Env } from '../../src/cli/llm.ts';

export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command in an empty environment: no API key or Redis URL of the machine reaches a test. */
export function cli(...argv: string[]): Promise<CliOutput> {
  return cliWith({}, ...argv);
}

/** The command with the environment given (OPENAI_BASE_URL, GAUNTLET_REDIS_URL…). */
export async function cliWith(env: Env, ...argv: string[]): Promise<CliOutput> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => void (stdout += text) },
    stderr: { write: (text: string) => void (stderr += text) },
    env,
  });
  return { code, stdout, stderr };
}
