// Execution: test cases in, results out, with a bounded number of cases in flight.
import type { RunResult, TestCase } from '../cases/index.ts';
import { BUILT_IN_CHECKS, type Check } from './checks.ts';
import { mapWithConcurrency } from './pool.ts';
import { runTestCase } from './run-case.ts';

export interface RunOptions {
  target: URL;
  concurrency: number;
  timeoutMs: number;
  checks?: readonly Check[];
  /** Called after each case, with the results so far. */
  onResult?: (result: RunResult, done: number, total: number) => void;
}

export async function runTestCases(cases: readonly TestCase[], options: RunOptions): Promise<RunResult[]> {
  let done = 0;
  const caseOptions = {
    target: options.target,
    timeoutMs: options.timeoutMs,
    checks: options.checks ?? BUILT_IN_CHECKS,
  };
  return mapWithConcurrency(cases.length, options.concurrency, async (index) => {
    const result = await runTestCase(cases[index]!, caseOptions);
    options.onResult?.(result, ++done, cases.length);
    return result;
  });
}

export { BUILT_IN_CHECKS } from './checks.ts';
export type { Check } from './checks.ts';
export { targetUrl, OutsideTargetError, describeTransportError } from './http.ts';
