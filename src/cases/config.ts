// gauntlet.yml: how to reach the target as each identity the user cases name.
import { z } from 'zod';
import { RequestHint } from './user-case.ts';

/** A cookie name is an HTTP token (RFC 6265): no spaces, separators or "=". */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const Identity = z
  .object({
    steps: z.array(RequestHint).min(1).describe('Requests that sign in; their captures feed headers.'),
    headers: z
      .record(z.string(), z.string())
      .default({})
      .describe('Headers sent as this identity, e.g. "Bearer {{token}}".'),
    cookies: z
      .record(
        z.string().regex(COOKIE_NAME, "expected a cookie name (letters, digits and !#$%&'*+-.^_`|~)"),
        z.string(),
      )
      .optional()
      .describe('Cookies sent as this identity, by name, in a Cookie header, e.g. session: "{{sid}}".'),
    fresh: z
      .boolean()
      .default(false)
      .describe(
        'Each use creates a new account, so a second one is a different user (enables cross-user checks).',
      ),
  })
  .strict();

export const LlmProviderConfig = z
  .object({
    kind: z
      .literal('openai')
      .describe('The OpenAI API, or any server that speaks it (Azure, Ollama, vLLM, ...).'),
    name: z.string().min(1).optional().describe('How reports name it (default "openai/<model>").'),
    model: z.string().min(1).default('gpt-4.1-mini'),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('The API base URL (default: OPENAI_BASE_URL, else the OpenAI API).'),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .default('OPENAI_API_KEY')
      .describe(
        'The environment variable holding the API key; without it (and without baseUrl) the provider is off.',
      ),
    temperature: z.number().min(0).max(2).default(0),
    timeoutMs: z.number().int().min(1000).max(600000).default(60000).describe('Time allowed for one reply.'),
    maxRetries: z.number().int().min(0).max(10).default(3).describe('Retries on 429, 5xx and timeouts.'),
    responseFormat: z
      .enum(['json_schema', 'json_object'])
      .default('json_schema')
      .describe('Structured outputs (json_schema), or json_object for servers that lack them.'),
  })
  .strict();

export const GenerationConfig = z
  .object({
    seed: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Seed of generated values and of the LLM: same seed, same cases.'),
    providers: z
      .array(LlmProviderConfig)
      .default(() => [LlmProviderConfig.parse({ kind: 'openai' })])
      .describe('LLM providers tried in order for each journey, beyond the rules, which always run.'),
    budget: z
      .object({
        maxCases: z.number().int().min(0).optional().describe('Cases from LLM providers per run.'),
        maxTokens: z.number().int().min(0).optional().describe('Tokens (prompt and completion) per run.'),
        maxCostUsd: z.number().min(0).optional().describe('Estimated cost per run, from prices.'),
      })
      .strict()
      .default({ maxCases: 500, maxTokens: 2_000_000 }),
    prices: z
      .record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) }).strict())
      .default({})
      .describe('US dollars per million input and output tokens, by model or provider name.'),
    circuitBreaker: z
      .object({
        failures: z.number().int().min(1).max(100).default(3),
        coolDownS: z.number().min(0).max(86400).default(60),
      })
      .strict()
      .default({ failures: 3, coolDownS: 60 })
      .describe('After this many failures in a row a provider is skipped for the cool-down.'),
    cache: z.boolean().default(true).describe('Keep LLM generations in the store, keyed by their input.'),
    cacheTtlDays: z
      .number()
      .positive()
      .max(3650)
      .default(30)
      .describe('Days a cached LLM generation is kept before the journey is asked again.'),
  })
  .strict();

/**
 * Bounds on the work one test case may ask for, so that a hostile or mistaken case (an LLM's included) cannot tie
 * up a run or its machine. A case over a bound is refused before it runs, with the key to raise; a response over
 * maxResponseBytes is read that far and said to be cut. The user-case files are bounded too (maxUserCaseFileBytes,
 * maxUserCasesBytes): validation time grows with their size, and a file past the bound is refused unread.
 */
export const Limits = z
  .object({
    maxRepeat: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(100)
      .describe('How often one step of a case may send its request (repeat).'),
    maxRequestsPerCase: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(500)
      .describe('Requests one case may send in all, repeats counted.'),
    maxResponseBytes: z
      .number()
      .int()
      .min(1024)
      .max(1_000_000_000)
      .default(5_000_000)
      .describe('Bytes of a response body read; the rest is dropped, and the case says the body was cut.'),
    maxRequestBodyBytes: z
      .number()
      .int()
      .min(1024)
      .max(1_000_000_000)
      .default(10_000_000)
      .describe('Bytes a request body (JSON, form or uploaded files) may have.'),
    maxUserCaseFileBytes: z
      .number()
      .int()
      .min(1024)
      .max(1_000_000_000)
      .default(5_000_000)
      .describe(
        'Bytes of one user-case file; a larger one is refused before it is read (split it into several files).',
      ),
    maxUserCasesBytes: z
      .number()
      .int()
      .min(1024)
      .max(10_000_000_000)
      .default(50_000_000)
      .describe('Bytes of all the user-case files of a run together; more are refused before any is read.'),
  })
  .strict();

export const GauntletConfig = z
  .object({
    identities: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'use lower-case letters, digits and dashes'), Identity)
      .default({}),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(600000)
      .default(10000)
      .describe('Time allowed for each response.'),
    caseTimeoutMs: z
      .number()
      .int()
      .min(100)
      .max(3600000)
      .default(120000)
      .describe('Time allowed for a whole test case.'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(64)
      .optional()
      .describe('Test cases in flight at once; by default twice the CPU count.'),
    origins: z
      .array(z.url({ protocol: /^https?$/ }))
      .default([])
      .describe('Origins besides the target that redirects may lead to (an auth server, say).'),
    browser: z
      .string()
      .min(1)
      .default('/usr/bin/chromium')
      .describe('The Chromium UI cases run in (the CHROMIUM_PATH environment variable overrides it).'),
    openapi: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The service's OpenAPI description (a file or URL; Swagger 2.0, OpenAPI 3.0 or 3.1): operations to " +
          'generate for, and responses are checked against it (3.x).',
      ),
    loadEngine: z
      .enum(['auto', 'autocannon', 'k6'])
      .default('auto')
      .describe('What runs load cases: k6 when it is on PATH (auto), or always autocannon, or always k6.'),
    latencyBudget: z
      .object({
        p95Ms: z.number().positive().describe('95% of all responses must arrive in less than this.'),
      })
      .strict()
      .optional()
      .describe('A budget for the response times of the whole run.'),
    generation: GenerationConfig.default(GenerationConfig.parse({})),
    store: z
      .object({
        dir: z
          .string()
          .min(1)
          .default('.gauntlet/store')
          .describe('Folder of the file store, the default store.'),
        redisUrlEnv: z
          .string()
          .regex(/^[A-Z_][A-Z0-9_]*$/)
          .default('GAUNTLET_REDIS_URL')
          .describe('The environment variable holding a Redis URL; when it is set, the store is on Redis.'),
        namespace: z.string().min(1).default('gauntlet:').describe('Prefix of the Redis keys.'),
      })
      .strict()
      .default({ dir: '.gauntlet/store', redisUrlEnv: 'GAUNTLET_REDIS_URL', namespace: 'gauntlet:' })
      .describe('Where the cache and run history are kept: files, or Redis when a URL is configured.'),
    regression: z
      .string()
      .min(1)
      .default('gauntlet-cases')
      .describe(
        'Folder of committed cases (gauntlet generate --save): run every time, as the regression suite.',
      ),
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe('Re-runs of a failed case before it counts as failed.'),
    limits: Limits.default(Limits.parse({})).describe(
      'Bounds on what one test case may send and read, and on the size of the user-case files; what is over one is ' +
        'refused, never cut short.',
    ),
  })
  .strict();

export type Identity = z.infer<typeof Identity>;

/**
 * The headers a request made as `identity` carries: its headers, and its cookies joined into the Cookie header
 * (after any Cookie header it names itself).
 */
export function identityRequestHeaders(
  identity: Pick<Identity, 'headers' | 'cookies'>,
): Record<string, string> {
  const cookies = Object.entries(identity.cookies ?? {}).map(([name, value]) => `${name}=${value}`);
  if (cookies.length === 0) return identity.headers;
  const headers = { ...identity.headers };
  const named = Object.keys(headers).find((name) => name.toLowerCase() === 'cookie');
  if (named === undefined) headers.cookie = cookies.join('; ');
  else headers[named] = [headers[named], ...cookies].join('; ');
  return headers;
}
export type Limits = z.infer<typeof Limits>;
export type GauntletConfig = z.infer<typeof GauntletConfig>;
export type LlmProviderConfig = z.infer<typeof LlmProviderConfig>;
export type GenerationConfig = z.infer<typeof GenerationConfig>;
