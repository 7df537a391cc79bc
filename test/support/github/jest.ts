// Jest wiring for test files that use the local GitHub: one emulator per file (its start is the expensive part),
// emptied before each test, and a contract violation fails the test that caused it, even when the code under test
// swallowed the error.
import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import { startGitHubEmulator } from './emulator.ts';
import type { GitHubEmulator, StartOptions } from './emulator.ts';

/** Registers the hooks; call the returned function inside tests to reach the running emulator. */
export function useGitHubEmulator(options: StartOptions = {}): () => GitHubEmulator {
  let emulator: GitHubEmulator | undefined;
  beforeAll(async () => {
    emulator = await startGitHubEmulator(options);
  });
  beforeEach(() => emulator?.reset());
  afterEach(() => emulator?.inspect.assertNoViolations());
  afterAll(() => emulator?.close());
  return () => {
    if (!emulator)
      throw new Error('the GitHub emulator is not running: use it inside tests, not at module level');
    return emulator;
  };
}
