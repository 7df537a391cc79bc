// Coverage as exploration's compass, when Gauntlet started a Node.js service: each case of a round runs on its own
// and the service's coverage is read after it, so the cases that reached code no earlier case reached are known;
// the next round mutates those first, and keeps mutating them though explorers made them.
import type { RunResult, TestCase } from '../cases/index.ts';
import type { CoverageProbe } from '../run/coverage.ts';
import type { RunCases } from './shrink.ts';

export interface MeasuredRound {
  results: RunResult[];
  /** Ids of the round's cases that reached new code, in run order; unset without a probe. */
  reachedNewCode?: string[];
}

/** Runs a round's cases; with a probe, one at a time, reading the coverage after each. */
export async function runMeasuringCoverage(
  cases: readonly TestCase[],
  run: RunCases,
  probe: CoverageProbe | undefined,
): Promise<MeasuredRound> {
  if (!probe) return { results: await run(cases) };
  // What ran since the last reading (the shrinking of last round's failures) is nobody's in this round.
  await probe.take();
  const results: RunResult[] = [];
  const reachedNewCode: string[] = [];
  for (const testCase of cases) {
    results.push(...(await run([testCase])));
    if ((await probe.take()).newlyReached > 0) reachedNewCode.push(testCase.id);
  }
  return { results, reachedNewCode };
}

/** The cases that reached new code first, each group in its own order. */
export function newCodeFirst<T extends { id: string }>(
  cases: readonly T[],
  reachedNewCode: ReadonlySet<string>,
): T[] {
  return [
    ...cases.filter((c) => reachedNewCode.has(c.id)),
    ...cases.filter((c) => !reachedNewCode.has(c.id)),
  ];
}
