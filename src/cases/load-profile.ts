// How a load case loads the target, and what it must withstand. Shared by user-case hints and test cases.
import { z } from 'zod';

export const LoadThresholds = z
  .object({
    p95Ms: z.number().positive().optional().describe('95th percentile latency must stay under this (ms).'),
    p99Ms: z.number().positive().optional().describe('99th percentile latency must stay under this (ms).'),
    maxErrorRate: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Share of requests allowed to fail (non-2xx/3xx or no answer), 0 to 1.'),
    minRps: z.number().positive().optional().describe('Requests per second the target must sustain.'),
  })
  .strict();

export const LoadProfile = z
  .object({
    vus: z.number().int().min(1).max(1000).describe('Virtual users: connections sending requests at once.'),
    durationS: z.number().positive().max(3600).optional().describe('How long the steady load lasts.'),
    requests: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .optional()
      .describe('How many requests the steady load sends (instead of a duration).'),
    rampUpS: z
      .number()
      .positive()
      .max(3600)
      .optional()
      .describe('Rise from one virtual user to all of them over this time before the steady load.'),
    thresholds: LoadThresholds.default({ maxErrorRate: 0.01 }),
  })
  .strict()
  .refine((profile) => (profile.durationS === undefined) !== (profile.requests === undefined), {
    message: 'give either durationS or requests',
  });

/** What a load run measured, whichever engine ran it. */
export const LoadMeasurement = z
  .object({
    engine: z.enum(['autocannon', 'k6']),
    requests: z.number().int().min(0),
    errors: z.number().int().min(0).describe('Requests with a non-2xx/3xx status or no answer.'),
    errorRate: z.number().min(0).max(1),
    rps: z.number().min(0),
    latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() }).strict(),
    durationS: z.number().min(0),
    thresholds: z.array(
      z
        .object({
          name: z.enum(['p95Ms', 'p99Ms', 'maxErrorRate', 'minRps']),
          limit: z.number(),
          actual: z.number(),
          passed: z.boolean(),
        })
        .strict(),
    ),
  })
  .strict();

export type LoadThresholds = z.infer<typeof LoadThresholds>;
export type LoadProfile = z.infer<typeof LoadProfile>;
export type LoadMeasurement = z.infer<typeof LoadMeasurement>;
