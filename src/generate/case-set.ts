// The generated cases of a run, each test once: the same requests proposed twice (by people and a rule, by two
// providers, by a committed regression case and a new generation) are one test, and the first proposal keeps it.
import { contentId } from '../cases/index.ts';
import type { TestCase } from '../cases/index.ts';

export class CaseSet {
  readonly #cases = new Map<string, TestCase>();

  /** Adds the case unless the same test is already there; says whether it was added. */
  add(testCase: TestCase): boolean {
    const key = sameTestKey(testCase);
    if (this.#cases.has(key)) return false;
    this.#cases.set(key, testCase);
    return true;
  }

  get size(): number {
    return this.#cases.size;
  }

  values(): TestCase[] {
    return [...this.#cases.values()];
  }
}

/**
 * What makes two cases the same test: their requests, expectations and load; what the last request captures is
 * unused.
 */
function sameTestKey(testCase: TestCase): string {
  if (testCase.kind === 'ui') return testCase.id;
  const steps = testCase.steps.map((step, i) => {
    if (i < testCase.steps.length - 1) return step;
    const { capture: _unused, ...rest } = step;
    return rest;
  });
  const load = testCase.kind === 'load' ? testCase.load : undefined;
  return contentId('key', { skip: testCase.skip, title: testCase.skip && testCase.title, steps, load });
}
