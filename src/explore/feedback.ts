// Response feedback between exploration rounds: what the responses so far held (ids, names, words, by field name)
// becomes the next round's parameter values, and a mutation that changed its parent's status (200 → 404, 400 → 200)
// is kept as a parent of the next round, since it reached a branch of the service its parent did not. Each such
// change is kept once per operation, slot and pair of statuses, so the rounds it feeds end by themselves.
import type { ApiTestCase, RunResult, TestCase } from '../cases/index.ts';
import type { ApiDescription } from '../generate/openapi/description.ts';
import { isApiCase } from './derive.ts';
import { parameterMutations } from './parameters.ts';
import { ResponseValues } from './response-values.ts';

export interface FeedbackOptions {
  description?: ApiDescription;
  seed: number;
  /** Names never mutated: the description's API-key names. */
  secretNames?: readonly string[];
  /** Passing cases of one operation mutated per round, besides the status changes (default 2). */
  perOperation?: number;
  /** Mutations of one case at most (default 40); fewer when many cases share a round's limit. */
  perCase?: number;
}

interface MutationOrigin {
  parent: string;
  slot: string;
  operation: string;
}

export class ParameterFeedback {
  readonly seen = new ResponseValues();
  private readonly statusOf = new Map<string, number>();
  private readonly origins = new Map<string, MutationOrigin>();
  private readonly transitions = new Set<string>();
  private readonly mutated = new Set<string>();
  /** Mutations whose status differed from their parent's, in the last round observed: the next parents. */
  private changed: ApiTestCase[] = [];
  /** Parents a round's limit did not reach: mutated first in the next round. */
  private pending: ApiTestCase[] = [];

  private readonly options: FeedbackOptions;

  constructor(options: FeedbackOptions) {
    this.options = options;
  }

  /**
   * Learns from a round: the values its responses held and the statuses its cases got. Returns the mutations whose
   * status changed in a way not seen before: they are the next round's first parents.
   */
  observe(cases: readonly TestCase[], results: readonly RunResult[]): ApiTestCase[] {
    this.seen.addResults(results);
    const changed: ApiTestCase[] = [];
    results.forEach((result, i) => {
      const testCase = cases[i]!;
      const status = result.evidence.at(-1)?.response?.status;
      if (status === undefined) return;
      this.statusOf.set(testCase.id, status);
      const origin = this.origins.get(testCase.id);
      const before = origin && this.statusOf.get(origin.parent);
      if (!origin || before === undefined || before === status || !isApiCase(testCase)) return;
      // A failure is followed up as a failure; only a case that passed in its new state grows mutations.
      if (result.status !== 'passed') return;
      const key = `${origin.operation}\n${origin.slot}\n${before}\n${status}`;
      if (this.transitions.has(key)) return;
      this.transitions.add(key);
      changed.push(testCase);
    });
    this.changed = changed;
    return changed;
  }

  /**
   * The round's parameter mutations, at most `limit`: of the status changes last observed, then of parents left over
   * from an earlier round, then of up to `perOperation` of the passing cases given, per operation, those that
   * answered 2xx first. Parents share the limit evenly; a parent the limit did not reach waits for the next round.
   * A case is mutated once.
   */
  mutations(passing: readonly ApiTestCase[], limit: number): { testCase: ApiTestCase; parent: string }[] {
    const perOperation = this.options.perOperation ?? 2;
    const taken = new Map<string, number>();
    const success = (c: ApiTestCase) => {
      const status = this.statusOf.get(c.id);
      return status !== undefined && status >= 200 && status < 300;
    };
    const ordered = [...passing.filter(success), ...passing.filter((c) => !success(c))];
    const parents = [...this.changed, ...this.pending];
    for (const testCase of ordered) {
      const operation = testCase.steps.at(-1)?.name ?? '';
      const count = taken.get(operation) ?? 0;
      if (count >= perOperation || this.mutated.has(testCase.id)) continue;
      taken.set(operation, count + 1);
      parents.push(testCase);
    }
    const unique = [...new Map(parents.map((p) => [p.id, p])).values()].filter(
      (p) => !this.mutated.has(p.id),
    );
    // Every parent gets a few values per slot at least; the limit decides how many parents that reaches.
    const share = Math.max(MIN_PER_PARENT, Math.floor(limit / Math.max(1, unique.length)));
    const perCase = Math.min(this.options.perCase ?? 40, share);
    const out: { testCase: ApiTestCase; parent: string }[] = [];
    this.pending = [];
    for (const parent of unique) {
      if (out.length >= limit) {
        this.pending.push(parent);
        continue;
      }
      this.mutated.add(parent.id);
      const mutations = parameterMutations(parent, {
        ...(this.options.description && { description: this.options.description }),
        ...(this.options.secretNames && { secretNames: this.options.secretNames }),
        perCase: Math.min(perCase, limit - out.length),
        seen: this.seen,
        seed: this.options.seed,
      });
      for (const { testCase, slot } of mutations) {
        this.origins.set(testCase.id, { parent: parent.id, slot, operation: parent.steps.at(-1)!.name });
        out.push({ testCase, parent: parent.id });
      }
    }
    return out;
  }
}

/** Fewer values than this per parent would not try each slot of a request even once. */
const MIN_PER_PARENT = 8;
