// gauntlet.yml: how to reach the target as each identity the user cases name.
import { z } from 'zod';
import { RequestHint } from './user-case.ts';

export const Identity = z
  .object({
    steps: z.array(RequestHint).min(1).describe('Requests that sign in; their captures feed headers.'),
    headers: z
      .record(z.string(), z.string())
      .describe('Headers sent as this identity, e.g. "Bearer {{token}}".'),
    fresh: z
      .boolean()
      .default(false)
      .describe(
        'Each use creates a new account, so a second one is a different user (enables cross-user checks).',
      ),
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
      .describe("The service's OpenAPI 3 description (a file path): responses are checked against it."),
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
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe('Re-runs of a failed case before it counts as failed.'),
  })
  .strict();

export type Identity = z.infer<typeof Identity>;
export type GauntletConfig = z.infer<typeof GauntletConfig>;
