// The LLM side of a run, made from the configuration and the environment: the providers that are switched on,
// and the store their proposals are cached in. The engine reads no environment variables; this is where they are.
import type { GauntletConfig, LlmProviderConfig } from '../cases/index.ts';
import { createOpenAiProvider } from '../generate/openai/index.ts';
import type { Provider } from '../generate/provider.ts';
import { FileStore, openStore, type Store } from '../store/index.ts';
import type { PrepareOptions } from './prepare.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * A provider is on when its key variable is set, or when it has a base URL (from the configuration or
 * OPENAI_BASE_URL): local servers (Ollama, vLLM, LM Studio, llama.cpp) need no key.
 */
export function activeProviders(config: GauntletConfig, seed: number, env: Env): Provider[] {
  return config.generation.providers.flatMap((entry) => {
    const apiKey = nonEmpty(env[entry.apiKeyEnv]);
    const baseURL = entry.baseUrl ?? nonEmpty(env.OPENAI_BASE_URL);
    if (apiKey === undefined && baseURL === undefined) return [];
    return [openAiProvider(entry, seed, apiKey, baseURL)];
  });
}

function openAiProvider(
  entry: LlmProviderConfig,
  seed: number,
  apiKey: string | undefined,
  baseURL: string | undefined,
): Provider {
  return createOpenAiProvider({
    model: entry.model,
    ...(apiKey !== undefined && { apiKey }),
    ...(baseURL !== undefined && { baseURL }),
    ...(entry.name !== undefined && { name: entry.name }),
    temperature: entry.temperature,
    seed,
    timeoutMs: entry.timeoutMs,
    maxRetries: entry.maxRetries,
    responseFormat: entry.responseFormat,
  });
}

/**
 * The run store: Redis when the variable named by `store.redisUrlEnv` holds a URL, files under `store.dir`
 * otherwise. A Redis that cannot be reached costs the shared cache, not the run: the files serve instead.
 */
export async function openRunStore(
  config: GauntletConfig,
  env: Env,
  log?: (line: string) => void,
): Promise<Store> {
  const redisUrl = nonEmpty(env[config.store.redisUrlEnv]);
  if (redisUrl === undefined) return new FileStore(config.store.dir);
  try {
    return await openStore({ redisUrl, namespace: config.store.namespace });
  } catch (error) {
    // The message names the server, its password masked.
    log?.(`${(error as Error).message}; keeping the generation cache in ${config.store.dir} instead`);
    return new FileStore(config.store.dir);
  }
}

/** What `prepare` needs to generate with LLMs, as `run` and `generate` use it. */
export function llmFromEnv(env: Env, log?: (line: string) => void): NonNullable<PrepareOptions['llm']> {
  return {
    providers: (config, seed) => activeProviders(config, seed, env),
    cache: (config) => openRunStore(config, env, log),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
