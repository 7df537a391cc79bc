// Runs the `gauntlet` command in-process and keeps what it printed, for tests of the CLI.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/program.ts';
import type { Env } from '../../src/cli/llm.ts';

export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** The store of the commands this test file runs: a folder of its own, not the project's `.gauntlet/store`. */
const STORE = mkdtempSync(path.join(tmpdir(), 'gauntlet-cli-store-'));

/**
 * The command in an environment of its own: no API key or Redis URL of the machine reaches a test, and the run
 * store (cache, history) is the test file's.
 */
export function cli(...argv: string[]): Promise<CliOutput> {
  return cliWith({ GAUNTLET_STORE_DIR: STORE }, ...argv);
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
