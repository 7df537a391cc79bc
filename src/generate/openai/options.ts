// The provider's settings: plain values the caller (the CLI, the action) reads from its configuration and passes in;
// the engine reads no environment variables. Checked once, with messages that name the setting to fix.
import type { RetryPolicy } from './retry.ts';
import { defaultSleep } from './retry.ts';

export interface OpenAiProviderOptions {
  /** The model, e.g. "gpt-4.1-mini", or the name a local server gives its model. */
  model: string;
  /** Sent as the bearer token. Local servers (Ollama, vLLM, LM Studio, llama.cpp) usually need none. */
  apiKey?: string;
  /** The API's base URL, ending in /v1 (default OpenAI's); Azure's v1 endpoint and local servers work here. */
  baseURL?: string;
  /** Shown as the generator of its cases; default "openai/<model>". */
  name?: string;
  /** Default 0: the same journey should give the same plan. */
  temperature?: number;
  /** Sent as `seed`, for models that sample reproducibly with one. */
  seed?: number;
  /** Each HTTP attempt's deadline; default 60000. */
  timeoutMs?: number;
  /** Attempts after the first on 429, 5xx and lost connections; default 3. */
  maxRetries?: number;
  /**
   * "json_schema" (default): structured outputs in strict mode. "json_object": JSON mode, for servers without
   * structured outputs; the schema is then written into the prompt.
   */
  responseFormat?: 'json_schema' | 'json_object';
  /** The field that limits completion tokens; default "max_completion_tokens" (older servers know "max_tokens"). */
  maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  /** The first backoff between attempts, doubled each retry; default 1000. */
  backoffMs?: number;
  /** The longest wait before a retry, asked for or not; default 30000. */
  maxRetryWaitMs?: number;
  /** Randomise backoffs (50–100%); default true. */
  jitter?: boolean;
  /** How to wait between attempts (tests pass one that records and returns at once). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface OpenAiSettings {
  model: string;
  apiKey: string | undefined;
  baseURL: string;
  name: string;
  temperature: number;
  seed: number | undefined;
  timeoutMs: number;
  responseFormat: 'json_schema' | 'json_object';
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  retry: RetryPolicy;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export function resolveOptions(options: OpenAiProviderOptions): OpenAiSettings {
  const fail = (message: string): never => {
    throw new Error(`OpenAI provider: ${message}`);
  };
  if (typeof options.model !== 'string' || options.model.trim() === '') {
    fail('model is required, e.g. "gpt-4.1-mini" or the name your server gives its model');
  }
  const baseURL = options.baseURL ?? OPENAI_BASE_URL;
  if (!URL.canParse(baseURL) || !/^https?:$/.test(new URL(baseURL).protocol)) {
    fail(`baseURL must be an http(s) URL such as ${OPENAI_BASE_URL}, got ${JSON.stringify(baseURL)}`);
  }
  const temperature = options.temperature ?? 0;
  if (!(temperature >= 0 && temperature <= 2))
    fail(`temperature must be between 0 and 2, got ${temperature}`);
  if (options.seed !== undefined && !Number.isSafeInteger(options.seed)) {
    fail(`seed must be an integer, got ${options.seed}`);
  }
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (!(timeoutMs > 0)) fail(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  const maxRetries = options.maxRetries ?? 3;
  if (!Number.isInteger(maxRetries) || maxRetries < 0)
    fail(`maxRetries must be 0 or more, got ${maxRetries}`);
  const backoffMs = options.backoffMs ?? 1000;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 30_000;
  if (!(backoffMs >= 0) || !(maxRetryWaitMs >= 0)) fail('backoffMs and maxRetryWaitMs must be 0 or more');
  const responseFormat = options.responseFormat ?? 'json_schema';
  if (responseFormat !== 'json_schema' && responseFormat !== 'json_object') {
    fail(`responseFormat must be "json_schema" or "json_object", got ${JSON.stringify(responseFormat)}`);
  }
  return {
    model: options.model,
    apiKey: options.apiKey,
    baseURL,
    name: options.name ?? `openai/${options.model}`,
    temperature,
    seed: options.seed,
    timeoutMs,
    responseFormat,
    maxTokensField: options.maxTokensField ?? 'max_completion_tokens',
    retry: {
      maxRetries,
      backoffMs,
      maxRetryWaitMs,
      jitter: options.jitter ?? true,
      sleep: options.sleep ?? defaultSleep,
    },
  };
}
