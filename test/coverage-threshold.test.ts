// The coverage threshold applies to the full run only: `npm test -- test/cli` passes when its tests pass, while
// `npm test` (and so `.ci/run`) still fails below 90% of lines.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

interface JestConfigModule {
  isPartialRun(args: readonly string[]): boolean;
}

// jest.config.js is JavaScript, outside the type-checked sources: its one export is typed here.
const { isPartialRun } = (await import(
  pathToFileURL(path.resolve('jest.config.js')).href
)) as JestConfigModule;

describe('the coverage threshold', () => {
  it('applies to a run of every test, whatever options it has', () => {
    expect(isPartialRun([])).toBe(false);
    expect(isPartialRun(['--ci', '--coverage'])).toBe(false);
    expect(isPartialRun(['--maxWorkers', '2', '--testTimeout', '60000'])).toBe(false);
  });

  it('does not apply to a run of some tests: a path, a name pattern or changed files', () => {
    expect(isPartialRun(['test/cli'])).toBe(true);
    expect(isPartialRun(['--coverage=false', 'test/cli/edges.test.ts'])).toBe(true);
    expect(isPartialRun(['--maxWorkers', '2', 'test/cli'])).toBe(true);
    expect(isPartialRun(['-t', 'refuses'])).toBe(true);
    expect(isPartialRun(['--testNamePattern=refuses'])).toBe(true);
    expect(isPartialRun(['--testPathPatterns', 'cli'])).toBe(true);
    expect(isPartialRun(['--onlyChanged'])).toBe(true);
  });

  it('is in the configuration Jest resolves for `npm test`, and not for `npm test -- test/cli`', async () => {
    const threshold = async (...args: string[]): Promise<unknown> => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          '--experimental-vm-modules',
          '--no-warnings',
          'node_modules/jest/bin/jest.js',
          ...args,
          '--showConfig',
        ],
        { maxBuffer: 16 * 2 ** 20, timeout: 120_000 },
      );
      return (JSON.parse(stdout) as { globalConfig: { coverageThreshold?: unknown } }).globalConfig
        .coverageThreshold;
    };
    expect(await threshold()).toEqual({ global: { lines: 90 } });
    expect(await threshold('test/cli')).toBeUndefined();
  });
});
