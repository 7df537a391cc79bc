// The bounds of gauntlet.yml's `limits` as the runner applies them: a case that asks for more work than they allow
// is refused before it sends anything, with the key that would allow it; nothing is silently cut short.
import { Limits } from '../cases/index.ts';
import type { TestCase } from '../cases/index.ts';

export type RunLimits = Limits;

export const DEFAULT_LIMITS: RunLimits = Limits.parse({});

/** Why the case asks for more than `limits` allow, or undefined when it does not. */
export function caseLimitProblem(testCase: TestCase, limits: RunLimits = DEFAULT_LIMITS): string | undefined {
  if (testCase.kind === 'ui') return undefined;
  let requests = 0;
  for (const [index, step] of testCase.steps.entries()) {
    const count = step.repeat?.count ?? 1;
    if (count > limits.maxRepeat) {
      return (
        `step ${index + 1} repeats its request ${count} times, more than limits.maxRepeat (${limits.maxRepeat}) ` +
        'allows; the case was not run (raise limits.maxRepeat in gauntlet.yml to run it)'
      );
    }
    requests += count;
  }
  if (requests > limits.maxRequestsPerCase) {
    return (
      `the case sends ${requests} requests, more than limits.maxRequestsPerCase (${limits.maxRequestsPerCase}) ` +
      'allows; the case was not run (raise limits.maxRequestsPerCase in gauntlet.yml to run it)'
    );
  }
  return undefined;
}
