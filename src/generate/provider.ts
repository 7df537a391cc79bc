// The provider interface: what every source of generated cases (the rules, an LLM) offers the generator.
// Providers propose cases as data for the steps of a journey; the generator turns proposals into test cases
// (identities, prerequisites, ids), so nothing a provider returns is ever executed.
import { z } from 'zod';
import { Priority, RequestHint, Tags } from '../cases/index.ts';
import type { LoadedUserCase, RunResult } from '../cases/index.ts';
import type { CaseDraft } from './draft.ts';
import type { CacheStore } from './cache.ts';
import type { ValueHints } from './openapi/values/dictionary.ts';
import type { EntryProposal } from './openapi/values/llm-entries.ts';

/**
 * One case as an LLM may propose it: the requests, in order, for one step of the journey. Derived from the
 * user-case request hint, so a proposal can say no more than an author could write by hand (and less: no files).
 */
export const ProposedCase = z
  .object({
    step: z.number().int().min(0).describe('Index (from 0) of the journey step the case tests.'),
    title: z.string().min(1).max(200).describe('What the case shows, in plain words.'),
    category: z
      .enum(['happy-path', 'edge-case', 'error', 'security', 'performance'])
      .describe('What kind of case it is.'),
    priority: Priority,
    tags: Tags.max(8),
    // No file uploads: a path in a proposal would read a file of the machine Gauntlet runs on.
    requests: z
      .array(RequestHint.omit({ files: true }))
      .min(1)
      .max(10)
      .describe('The requests, in order; paths are relative.'),
  })
  .strict();
export type ProposedCase = z.infer<typeof ProposedCase>;

/** A draft for one step of the journey the request was about. */
export interface StepDraft extends CaseDraft {
  stepIndex: number;
}

export interface TokenUsage {
  /** Calls made to the model's API, retries included. */
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

export interface ProviderReply {
  drafts: StepDraft[];
  /** Proposed cases that were not valid (wrong shape, unknown step, another host) and were left out. */
  dropped: number;
  usage: TokenUsage;
}

/** What every request to a provider carries. */
export interface RequestContext {
  /** Names of the identities of gauntlet.yml, which requests may use as `auth`. */
  identities: string[];
  /** Operations the service offers ("METHOD /path"), from its OpenAPI description when one is given. */
  operations: string[];
  /** At most this many cases. */
  maxCases: number;
  /** At most this many completion tokens for this request. */
  maxTokens?: number;
  signal?: AbortSignal;
}

/** A test plan for a journey: happy paths, edge cases, errors, security and performance. */
export interface PlanRequest extends RequestContext {
  journey: LoadedUserCase;
  /** Titles of the cases already generated for the journey, so the provider goes further than they do. */
  existing: string[];
}

/** Follow-up cases for a failure: isolate its root cause, its boundaries, its error handling, related operations. */
export interface FollowUpRequest extends RequestContext {
  journey: LoadedUserCase;
  failure: RunResult;
}

/** Edge cases the previous results have not tried yet. */
export interface ExploreRequest extends RequestContext {
  journey: LoadedUserCase;
  results: RunResult[];
}

export interface Provider {
  /** Shown as the generator of its cases, e.g. "rules" or "openai/gpt-4.1-mini". */
  readonly name: string;
  /** Part of the cache key: a new version of the prompts or rules generates anew. */
  readonly version: string;
  /** The model it asks, when it asks one; part of the cache key too. */
  readonly model?: string;
  /** Where it asks it (the API's base URL) and how (temperature): another server's answers are not this one's. */
  readonly endpoint?: string;
  plan(request: PlanRequest): Promise<ProviderReply>;
  followUp(request: FollowUpRequest): Promise<ProviderReply>;
  explore(request: ExploreRequest): Promise<ProviderReply>;
  /**
   * Value-dictionary entries for the names of `hints` the table does not know (values/llm-entries.ts), cached in
   * `store`; a provider that cannot propose them leaves this out.
   */
  proposeDictionaryEntries?(hints: readonly ValueHints[], store?: CacheStore): Promise<EntryProposal>;
}

/** Why a provider gave no usable reply; the generator falls back to the next provider and says so. */
export class ProviderError extends Error {
  readonly reason: 'timeout' | 'unavailable' | 'rate-limited' | 'invalid-reply' | 'refused';
  /** What the failed request spent (attempts, and the tokens of replies that could not be used): billed all the same. */
  usage?: TokenUsage;
  constructor(
    reason: ProviderError['reason'],
    message: string,
    options?: ErrorOptions & { usage?: TokenUsage },
  ) {
    super(message, options);
    this.name = 'ProviderError';
    this.reason = reason;
    if (options?.usage) this.usage = options.usage;
  }
}

export const NO_USAGE: TokenUsage = { requests: 0, promptTokens: 0, completionTokens: 0 };

/** Adds what `more` spent to `into`. */
export function addTokenUsage(into: TokenUsage, more: TokenUsage): void {
  into.requests += more.requests;
  into.promptTokens += more.promptTokens;
  into.completionTokens += more.completionTokens;
}
