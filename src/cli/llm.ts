// The LLM side of a run, made from the configuration and the environment: the providers that are switched on,
// and the store their proposals are cached in. The engine reads no environment variables; this is where they are.
import type { GauntletConfig, LlmProviderConfig } from '../cases/index.ts';
import { createOpenAiProvider, type OpenAiProviderOptions } from '../generate/openai/index.ts';
import { createOpenAiNarrativeWriter } from '../generate/openai/narrative-writer.ts';
import type { NarrativeWriter } from '../report/index.ts';
import type { Provider } from '../generate/provider.ts';
import { FileStore, openStore, type Store } from '../store/index.ts';
import type { PrepareOptions } from './prepare.ts';
import { UsageError } from './usage-error.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * A provider is on when its key variable is set, or when it has a base URL (from the configuration or
 * OPENAI_BASE_URL): local servers (Ollama, vLLM, LM Studio, llama.cpp) need no key.
 */
export function activeProviders(config: GauntletConfig, seed: number, env: Env): Provider[] {
  return activeEntries(config, env).map((active) => createOpenAiProvider(openAiOptions(active, seed)));
}

/**
 * The report's summary and recommendations by the first provider that is on; none without one. What it writes is
 * checked against the findings before the report uses it.
 */
export function narrativeWriter(config: GauntletConfig, seed: number, env: Env): NarrativeWriter | undefined {
  const [first] = activeEntries(config, env);
  return first && createOpenAiNarrativeWriter(openAiOptions(first, seed));
}

interface ActiveEntry {
  entry: LlmProviderConfig;
  apiKey: string | undefined;
  baseURL: string | undefined;
}

function activeEntries(config: GauntletConfig, env: Env): ActiveEntry[] {
  return config.generation.providers.flatMap((entry) => {
    const apiKey = nonEmpty(env[entry.apiKeyEnv]);
    const baseURL = entry.baseUrl ?? nonEmpty(env.OPENAI_BASE_URL);
    if (baseURL !== undefined && !/^https?:\/\/[^/]/.test(baseURL)) {
      throw new UsageError(
        `OPENAI_BASE_URL must be an http(s) URL such as http://127.0.0.1:11434/v1, got ${JSON.stringify(baseURL)}`,
      );
    }
    return apiKey === undefined && baseURL === undefined ? [] : [{ entry, apiKey, baseURL }];
  });
}

function openAiOptions({ entry, apiKey, baseURL }: ActiveEntry, seed: number): OpenAiProviderOptions {
  return {
    model: entry.model,
    ...(apiKey !== undefined && { apiKey }),
    ...(baseURL !== undefined && { baseURL }),
    ...(entry.name !== undefined && { name: entry.name }),
    temperature: entry.temperature,
    seed,
    timeoutMs: entry.timeoutMs,
    maxRetries: entry.maxRetries,
    responseFormat: entry.responseFormat,
  };
}

/**
 * The run store: Redis when the variable named by `store.redisUrlEnv` holds a URL, files under `store.dir` (or
 * GAUNTLET_STORE_DIR) otherwise. A Redis that cannot be reached costs the shared cache, not the run: the files serve
 * instead.
 */
export async function openRunStore(
  config: GauntletConfig,
  env: Env,
  log?: (line: string) => void,
): Promise<Store> {
  const redisUrl = nonEmpty(env[config.store.redisUrlEnv]);
  const dir = nonEmpty(env.GAUNTLET_STORE_DIR) ?? config.store.dir;
  if (redisUrl === undefined) return new FileStore(dir);
  try {
    return await openStore({ redisUrl, namespace: config.store.namespace });
  } catch (error) {
    // The message names the server, its password masked.
    log?.(`${(error as Error).message}; keeping the generation cache in ${dir} instead`);
    return new FileStore(dir);
  }
}

/** What `prepare` needs to generate with LLMs, as `run` and `generate` use it. */
export function llmFromEnv(env: Env, log?: (line: string) => void): NonNullable<PrepareOptions['llm']> {
  return {
    providers: (config, seed) => activeProviders(config, seed, env),
    cache: (config) => openRunStore(config, env, log),
  };
}

/** An environment variable's value; an empty one is no value. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
