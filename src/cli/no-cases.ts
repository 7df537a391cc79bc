// Why a run has no test case to run. Zero cases is almost always a mistake (a wrong folder, a description with no
// operation, every case marked skip), so such a run fails with the reason unless --pass-with-no-tests accepts it, as
// Jest does. A shard left empty because the suite has fewer cases than shards is no mistake: a part of a small suite.
import type { TestCase } from '../cases/index.ts';
import type { Shard } from '../run/index.ts';
import type { Prepared } from './prepare.ts';
import { noUserCaseFiles } from './sources.ts';

export interface NothingToRun {
  /** Why there is nothing to run, a clause after "no test cases to run: ". */
  reason: string;
  /** What to do about it, when it is a mistake; unset for an empty shard of a suite that has cases. */
  advice?: string;
}

/** Why `selected` (the cases of this run, after sharding) holds nothing to run; undefined when it does. */
export function nothingToRun(
  prepared: Pick<Prepared, 'cases' | 'journeys' | 'userCasesAt' | 'untested' | 'description'>,
  selected: readonly TestCase[],
  shard?: Shard,
): NothingToRun | undefined {
  const { cases } = prepared;
  const runnable = cases.filter((testCase) => testCase.skip === undefined);
  if (runnable.length > 0) {
    if (selected.some((testCase) => testCase.skip === undefined) || !shard) return undefined;
    return {
      reason:
        `shard ${shard.index} of ${shard.total} got none of the ${runnable.length} cases to run; ` +
        'the other shards run them',
    };
  }
  if (cases.length > 0) {
    const [first] = cases;
    return {
      reason: `all ${cases.length} test cases are marked skip (the first, "${first!.title}": ${first!.skip})`,
      advice: 'remove skip from the cases that can run against this target',
    };
  }
  if (prepared.journeys === 0) {
    if (prepared.userCasesAt !== undefined) {
      return {
        reason: noUserCaseFiles(prepared.userCasesAt),
        advice: 'name the right file or folder with --cases',
      };
    }
    const source = prepared.description ? ` ${prepared.description.source}` : '';
    return {
      reason: `the OpenAPI description${source} has no operation to test`,
      advice: 'check --openapi (or openapi in gauntlet.yml), or write user cases',
    };
  }
  const untested = prepared.untested.length;
  return {
    reason:
      `the ${prepared.journeys} journeys give no test case` +
      (untested > 0 ? ` (${untested} titles have no test data yet)` : ''),
    advice: 'give the journeys steps with requests (api) or titled cases with data',
  };
}
