// The LLM's part in the value dictionary: before journeys are made from an API description, the providers are asked,
// in order, for entries for the names of its parameters and fields that the table does not know. The first that
// answers gives them (cached in the run store like every generation); one that fails is a note and the next is
// asked; with none, the table alone chooses values, as it does with no LLM at all.
import type { CacheStore } from './cache.ts';
import type { ApiDescription, JsonSchema } from './openapi/index.ts';
import type { DictionaryEntry, ValueHints } from './openapi/values/dictionary.ts';
import { NO_USAGE, ProviderError, type Provider, type TokenUsage } from './provider.ts';
import { plural } from '../report/words.ts';

export interface DictionaryProposals {
  entries: DictionaryEntry[];
  /** Plain sentences for the run's notes: who proposed what, or why nobody did. */
  notes: string[];
  /** What the requests spent, by provider name. */
  spent: { provider: string; usage: TokenUsage }[];
}

/** How deep into a body's objects names are gathered: deeper fields are rarely the ones a service compares. */
const MAX_DEPTH = 3;

/** Every parameter and body field of the description, with what its schema says of it, each name once. */
export function descriptionHints(description: ApiDescription): ValueHints[] {
  const hints = new Map<string, ValueHints>();
  const add = (name: string, schema: unknown, text?: string) => {
    if (hints.has(name) || typeof schema !== 'object' || schema === null) return;
    const { format, pattern, description: own } = schema as JsonSchema;
    const said = text ?? (typeof own === 'string' ? own : undefined);
    hints.set(name, {
      name,
      ...(said !== undefined && { description: said }),
      ...(typeof format === 'string' && { format }),
      ...(typeof pattern === 'string' && { patterns: [pattern] }),
    });
  };
  const fields = (schema: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || typeof schema !== 'object' || schema === null) return;
    const { properties, items } = schema as JsonSchema;
    if (typeof properties === 'object' && properties !== null) {
      for (const [name, field] of Object.entries(properties)) {
        const { type } = (field ?? {}) as JsonSchema;
        if (type === 'string' || (Array.isArray(type) && type.includes('string'))) add(name, field);
        fields(field, depth + 1);
      }
    }
    fields(items, depth + 1);
  };
  for (const operation of description.operations) {
    for (const parameter of operation.parameters)
      add(parameter.name, parameter.schema, parameter.description);
    fields(operation.requestBody?.schema, 0);
  }
  return [...hints.values()];
}

/** Asks the providers that can, in order, until one answers; never fails the run. */
export async function proposeForDescription(
  description: ApiDescription,
  providers: readonly Provider[],
  store?: CacheStore,
): Promise<DictionaryProposals> {
  const hints = descriptionHints(description);
  const out: DictionaryProposals = { entries: [], notes: [], spent: [] };
  for (const provider of providers) {
    if (!provider.proposeDictionaryEntries) continue;
    try {
      const proposal = await provider.proposeDictionaryEntries(hints, store);
      out.spent.push({ provider: provider.name, usage: proposal.usage });
      out.entries = proposal.entries;
      if (proposal.entries.length > 0 || proposal.dropped > 0) {
        const dropped = proposal.dropped > 0 ? `; ${proposal.dropped} left out as unsound` : '';
        const cached = proposal.cached ? ' (from the cache)' : '';
        out.notes.push(
          `${provider.name} proposed value-dictionary entries for ${plural(proposal.entries.length, 'name')} the table does not know${cached}${dropped}.`,
        );
      }
      return out;
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      out.spent.push({ provider: provider.name, usage: error.usage ?? { ...NO_USAGE } });
      out.notes.push(
        `${provider.name} proposed no value-dictionary entries: ${error.message.replace(/\.$/, '')}.`,
      );
    }
  }
  return out;
}
