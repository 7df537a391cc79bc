// Delta debugging of a failing API case down to a minimal reproduction: fewer steps, fewer body fields, query
// parameters and headers, simpler values. A smaller case is kept only when it, run as a case of its own, fails with
// the same signature; re-runs are bounded. UI and load cases are returned as they are: their steps are not data
// this can cut without changing what they measure.
import { failureSignature } from '../analyze/signature.ts';
import { placeholdersIn } from '../cases/index.ts';
import type { ApiStep, ApiTestCase, RunResult, TestCase } from '../cases/index.ts';
import { deriveCase, failingStepOf, isPlainObject, isSignIn } from './derive.ts';

/** Runs cases (each on its own: own identities, own unique values) and gives their results in case order. */
export type RunCases = (cases: readonly TestCase[]) => Promise<RunResult[]>;

export interface ShrinkOptions {
  /** At most this many re-runs for the failure (default 40), the first and the last confirmation included. */
  maxReruns?: number;
  /** Candidates run side by side (default 4); each is still a case of its own. */
  batch?: number;
  /** Stop trying smaller cases at this time (ms since the epoch, as `now` counts). */
  deadline?: number;
  now?: () => number;
}

export interface Shrunk {
  testCase: TestCase;
  result: RunResult;
  reruns: number;
  /** A smaller case fails the same way. */
  reduced: boolean;
  /** Why the case is returned as it was, when it is. */
  note?: string;
}

export const SHRINK_GENERATOR = 'explore/shrink';

export async function shrink(
  testCase: TestCase,
  result: RunResult,
  rerun: RunCases,
  options: ShrinkOptions = {},
): Promise<Shrunk> {
  const unchanged = (note: string, reruns = 0): Shrunk => ({
    testCase,
    result,
    reruns,
    reduced: false,
    note,
  });
  if (testCase.kind !== 'api') {
    const kind = testCase.kind === 'ui' ? 'UI' : 'Load';
    return unchanged(`${kind} cases are not shrunk: they are returned as they are`);
  }
  if (testCase.skip !== undefined) return unchanged('a skipped case is not shrunk');
  const signature = failureSignature(result);
  if (!signature) return unchanged(`the case did not fail (${result.status}), so there is nothing to shrink`);
  const shrinker = new Shrinker(testCase, result, signature.key, rerun, options);
  return shrinker.shrink();
}

class Shrinker {
  readonly #original: ApiTestCase;
  readonly #key: string;
  readonly #rerun: RunCases;
  readonly #max: number;
  readonly #batch: number;
  readonly #deadline: number;
  readonly #now: () => number;
  readonly #tried = new Set<string>();
  #current: ApiTestCase;
  #result: RunResult;
  #reruns = 0;

  constructor(
    original: ApiTestCase,
    result: RunResult,
    key: string,
    rerun: RunCases,
    options: ShrinkOptions,
  ) {
    this.#original = original;
    this.#current = original;
    this.#result = result;
    this.#key = key;
    this.#rerun = rerun;
    this.#max = Math.max(2, options.maxReruns ?? 40);
    this.#batch = Math.max(1, options.batch ?? 4);
    this.#now = options.now ?? Date.now;
    this.#deadline = options.deadline ?? Infinity;
    this.#tried.add(original.id);
  }

  async shrink(): Promise<Shrunk> {
    const original = this.#original;
    // A failure that does not come back when the case runs again alone cannot be cut down: nothing would tell.
    const [again] = await this.#runCounted([original]);
    if (failureSignature(again!)?.key !== this.#key) {
      return {
        testCase: original,
        result: this.#result,
        reruns: this.#reruns,
        reduced: false,
        note: 'the case did not fail the same way when run again alone, so it is kept as it is',
      };
    }
    this.#result = again!;
    // The steps after the one that failed never run; they go without a re-run of their own.
    const failing = failingStepOf(original, this.#result);
    if (this.#result.failures.length > 0 && failing < original.steps.length - 1) {
      this.#current = this.#make(original.steps.slice(0, failing + 1));
    }
    await this.#removeSteps();
    await this.#removeKeys('json');
    await this.#removeNestedKeys();
    await this.#removeKeys('query');
    await this.#removeKeys('headers');
    await this.#simplifyValues();

    if (this.#current === original) {
      return { testCase: original, result: this.#result, reruns: this.#reruns, reduced: false };
    }
    // The last word is a run of the minimal case by itself.
    const [confirmed] = await this.#runCounted([this.#current]);
    if (failureSignature(confirmed!)?.key !== this.#key) {
      return {
        testCase: original,
        result: this.#result,
        reruns: this.#reruns,
        reduced: false,
        note: 'the smaller case did not fail the same way when run again alone, so the original is kept',
      };
    }
    return { testCase: this.#current, result: confirmed!, reruns: this.#reruns, reduced: true };
  }

  /** Re-runs left for candidates: one is kept back for the confirmation of the minimal case. */
  get #left(): number {
    if (this.#now() >= this.#deadline) return 0;
    return this.#max - 1 - this.#reruns;
  }

  async #runCounted(cases: ApiTestCase[]): Promise<RunResult[]> {
    this.#reruns += cases.length;
    return this.#rerun(cases);
  }

  #make(steps: ApiStep[]): ApiTestCase {
    return deriveCase(this.#original, steps, { generator: SHRINK_GENERATOR, parent: this.#original.id });
  }

  /**
   * Runs candidates in order, a batch at a time, within the re-run budget; returns those that fail the same way
   * (only the first, with `first`). The current case becomes the first that does.
   */
  async #attempt(
    candidates: ApiTestCase[],
    first = true,
  ): Promise<{ testCase: ApiTestCase; result: RunResult }[]> {
    const fresh = candidates.filter((c) => {
      if (this.#tried.has(c.id)) return false;
      this.#tried.add(c.id);
      return true;
    });
    const hits: { testCase: ApiTestCase; result: RunResult }[] = [];
    for (let i = 0; i < fresh.length;) {
      const size = Math.min(this.#batch, this.#left, fresh.length - i);
      if (size <= 0) break;
      const slice = fresh.slice(i, i + size);
      i += size;
      const results = await this.#runCounted(slice);
      results.forEach((result, index) => {
        if (failureSignature(result)?.key === this.#key) hits.push({ testCase: slice[index]!, result });
      });
      if (first && hits.length > 0) break;
    }
    if (hits.length > 0) {
      this.#current = hits[0]!.testCase;
      this.#result = hits[0]!.result;
    }
    return first ? hits.slice(0, 1) : hits;
  }

  /** Zeller's ddmin over `items`, removing chunks: the smallest subset whose case still fails the same way. */
  async #ddmin<T>(items: T[], build: (kept: T[]) => ApiTestCase | undefined): Promise<void> {
    let kept = items;
    let n = 2;
    while (kept.length > 0 && this.#left > 0) {
      const chunks = split(kept, Math.min(n, kept.length));
      const candidates: { kept: T[]; testCase: ApiTestCase }[] = [];
      for (const chunk of chunks) {
        const rest = kept.filter((item) => !chunk.includes(item));
        const testCase = build(rest);
        if (testCase) candidates.push({ kept: rest, testCase });
      }
      const [hit] = await this.#attempt(candidates.map((c) => c.testCase));
      if (hit) {
        kept = candidates.find((c) => c.testCase === hit.testCase)!.kept;
        n = Math.max(n - 1, 2);
        continue;
      }
      if (n >= kept.length) break;
      n = Math.min(n * 2, kept.length);
    }
  }

  async #removeSteps(): Promise<void> {
    const base = this.#current;
    const failing = failingStepOf(base, this.#result);
    const removable = base.steps.map((_, i) => i).filter((i) => i < failing);
    if (removable.length === 0) return;
    await this.#ddmin(removable, (kept) => {
      const steps = base.steps.filter((_, i) => i === failing || kept.includes(i));
      return wellFormed(steps, base.steps) ? this.#make(steps) : undefined;
    });
  }

  #withFailingStep(base: ApiTestCase, change: (step: ApiStep) => ApiStep): ApiTestCase {
    const failing = failingStepOf(base, this.#result);
    const steps = base.steps.map((step, i) => (i === failing ? change(step) : step));
    return this.#make(steps);
  }

  async #removeKeys(part: 'json' | 'query' | 'headers'): Promise<void> {
    const base = this.#current;
    const step = base.steps[failingStepOf(base, this.#result)];
    const value = step?.request[part];
    if (!isPlainObject(value)) return;
    // Headers and values that carry an identity or a captured value stay: without them it is another request.
    const keys = Object.keys(value).filter(
      (key) => part !== 'headers' || placeholdersIn(value[key]).length === 0,
    );
    if (keys.length === 0) return;
    await this.#ddmin(keys, (kept) =>
      this.#withFailingStep(base, (s) => {
        const picked = Object.fromEntries(
          Object.entries(value).filter(([key]) => kept.includes(key) || !keys.includes(key)),
        );
        const { [part]: _dropped, ...request } = s.request;
        return {
          ...s,
          request:
            part === 'json' || Object.keys(picked).length > 0 ? { ...request, [part]: picked } : request,
        };
      }),
    );
  }

  async #removeNestedKeys(): Promise<void> {
    const json = this.#jsonOfFailingStep();
    if (!isPlainObject(json)) return;
    for (const [field, value] of Object.entries(json)) {
      if (!isPlainObject(value) || Object.keys(value).length === 0 || placeholdersIn(value).length > 0)
        continue;
      const base = this.#current;
      await this.#ddmin(Object.keys(value), (kept) =>
        this.#withFailingStep(base, (s) => ({
          ...s,
          request: {
            ...s.request,
            json: {
              ...(s.request.json as Record<string, unknown>),
              [field]: Object.fromEntries(Object.entries(value).filter(([key]) => kept.includes(key))),
            },
          },
        })),
      );
    }
  }

  #jsonOfFailingStep(): unknown {
    return this.#current.steps[failingStepOf(this.#current, this.#result)]?.request.json;
  }

  /** Each value toward the simplest of its kind (empty, zero), then halfway; all that still fail together. */
  async #simplifyValues(): Promise<void> {
    for (const level of [0, 1]) {
      const base = this.#current;
      const json = this.#jsonOfFailingStep();
      const changes = leavesOf(json)
        .map(({ path, value }) => ({ path, value: simplerValues(value)[level] }))
        .filter((c): c is { path: string[]; value: unknown } => c.value !== undefined);
      if (changes.length === 0 || this.#left <= 0) continue;
      const apply = (picked: typeof changes) =>
        this.#withFailingStep(base, (s) => ({
          ...s,
          request: { ...s.request, json: picked.reduce((j, c) => setAt(j, c.path, c.value), s.request.json) },
        }));
      const candidates = changes.map((change) => apply([change]));
      const hits = await this.#attempt(candidates, false);
      if (hits.length > 1) {
        const together = hits.map((hit) => changes[candidates.indexOf(hit.testCase)]!);
        const first = this.#current;
        const firstResult = this.#result;
        const [all] = await this.#attempt([apply(together)]);
        if (!all) {
          this.#current = first;
          this.#result = firstResult;
        }
      }
    }
  }
}

/** Every remaining step gets the values it uses from an earlier remaining step, and the sign-in of its identity. */
export function wellFormed(steps: readonly ApiStep[], all: readonly ApiStep[]): boolean {
  const captured = new Set<string>();
  for (const step of steps) {
    const needed = placeholdersIn(step.request).filter((name) => !name.startsWith('$'));
    if (needed.some((name) => !captured.has(name))) return false;
    if (step.as !== undefined && !isSignIn(step)) {
      const signIns = all.filter((s) => isSignIn(s) && s.as === step.as);
      if (signIns.some((s) => !steps.includes(s))) return false;
    }
    for (const name of Object.keys(step.capture ?? {})) captured.add(name);
  }
  return true;
}

function split<T>(items: T[], parts: number): T[][] {
  const chunks: T[][] = [];
  const size = items.length / parts;
  for (let i = 0; i < parts; i++) chunks.push(items.slice(Math.round(i * size), Math.round((i + 1) * size)));
  return chunks.filter((c) => c.length > 0);
}

/** The values in a JSON body a simpler value may replace: texts, numbers and lists (with their paths). */
function leavesOf(value: unknown, path: string[] = []): { path: string[]; value: unknown }[] {
  if (isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, v]) => leavesOf(v, [...path, key]));
  }
  return path.length > 0 ? [{ path, value }] : [];
}

/** Simpler values of the same kind, simplest first: "" then half the text, 0 then half the number, [] then half. */
function simplerValues(value: unknown): unknown[] {
  if (typeof value === 'string') {
    if (value === '' || placeholdersIn(value).length > 0) return [];
    return value.length > 1 ? ['', value.slice(0, Math.ceil(value.length / 2))] : [''];
  }
  if (typeof value === 'number') {
    if (value === 0) return [];
    const half = Math.trunc(value / 2);
    return half !== 0 && half !== value ? [0, half] : [0];
  }
  if (Array.isArray(value)) {
    if (value.length === 0 || placeholdersIn(value).length > 0) return [];
    return value.length > 1 ? [[], value.slice(0, Math.ceil(value.length / 2))] : [[]];
  }
  return [];
}

function setAt(json: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const object = isPlainObject(json) ? json : {};
  return { ...object, [head!]: setAt(object[head!], rest, value) };
}
