// Lookups over a journey's steps that generation needs for every step (the first step on a path, the steps that
// capture a value), made once per journey. Scanning the steps again for each step made generation quadratic: a
// 40,000-step journey took half a minute and 80,000 did not finish. A journey's steps are data that nothing changes
// once loaded, so the lookup is kept with the steps array it was made from.
import type { Step } from '../cases/index.ts';

/** `build`, made at most once for each steps array it is asked about. */
export function perJourney<T>(build: (steps: readonly Step[]) => T): (steps: readonly Step[]) => T {
  const made = new WeakMap<readonly Step[], T>();
  return (steps) => {
    let lookup = made.get(steps);
    if (lookup === undefined) {
      lookup = build(steps);
      made.set(steps, lookup);
    }
    return lookup;
  };
}

/** The first index at which each key occurs; steps without a key (undefined) are left out. */
export function firstIndexBy(
  steps: readonly Step[],
  keyOf: (step: Step) => string | undefined,
): ReadonlyMap<string, number> {
  const first = new Map<string, number>();
  steps.forEach((step, index) => {
    const key = keyOf(step);
    if (key !== undefined && !first.has(key)) first.set(key, index);
  });
  return first;
}
