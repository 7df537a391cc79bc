// The generation cache: what a provider proposed for a journey, kept in the run store under a hash of everything
// the proposal depends on (the user case, the provider and its model, the prompt version, the seed, and what the
// prompt is told of identities and operations). A second run over unchanged user cases asks no LLM anything.
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import { NO_USAGE, type ProviderReply, type StepDraft } from './provider.ts';

/** What the cache needs of the run store (`src/store`). */
export interface CacheStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttlSeconds?: number }): Promise<void>;
}

export interface CacheKeyParts {
  userCase: unknown;
  /**
   * Where the steps and their cases stand in the file: cached proposals point at them. Not the file's name, so a
   * user case that moves keeps its cache.
   */
  positions: unknown;
  provider: string;
  model?: string;
  endpoint?: string;
  version: string;
  seed: number;
  identities: readonly string[];
  operations: readonly string[];
}

export function cacheKey(parts: CacheKeyParts): string {
  const hash = createHash('sha256').update(stringify(parts)).digest('hex').slice(0, 32);
  return `generation:${parts.provider}:${hash}`;
}

/** The cached reply, or none when absent or unreadable (a damaged entry is generated anew, never trusted). */
export async function readCached(store: CacheStore, key: string): Promise<ProviderReply | undefined> {
  const text = await store.get(key);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as { drafts?: unknown; dropped?: unknown };
    if (!Array.isArray(value.drafts) || typeof value.dropped !== 'number') return undefined;
    if (!value.drafts.every(isDraft)) return undefined;
    // Served from the cache: no requests, no tokens.
    return { drafts: value.drafts, dropped: value.dropped, usage: NO_USAGE };
  } catch {
    return undefined;
  }
}

/** Keeps the reply; after `ttlSeconds` (when given) the store forgets it and the journey is asked again. */
export async function writeCached(
  store: CacheStore,
  key: string,
  reply: ProviderReply,
  ttlSeconds?: number,
): Promise<void> {
  await store.set(
    key,
    JSON.stringify({ drafts: reply.drafts, dropped: reply.dropped }),
    ttlSeconds === undefined ? undefined : { ttlSeconds },
  );
}

function isDraft(value: unknown): value is StepDraft {
  const draft = value as Partial<StepDraft>;
  return (
    typeof draft === 'object' &&
    draft !== null &&
    typeof draft.stepIndex === 'number' &&
    typeof draft.title === 'string' &&
    typeof draft.rule === 'string' &&
    Array.isArray(draft.requests) &&
    typeof draft.at?.line === 'number'
  );
}
