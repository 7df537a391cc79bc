// The generated, executable unit. Data only: a runner interprets it, nothing in it is ever executed as code.
import { z } from 'zod';
import { Expectation } from './expectation.ts';
import { Priority, SkipChecks, Tags } from './user-case.ts';
import { UiStep } from './ui-step.ts';
import { FileUpload } from './file-upload.ts';
import { LoadProfile } from './load-profile.ts';
import { PROBES } from './probes.ts';

export { UiStep, FileUpload };

export const HttpRequest = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']),
    path: z.string().startsWith('/').describe('Relative to the target; may hold {{capture}} placeholders.'),
    query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    json: z.unknown().optional(),
    body: z
      .string()
      .optional()
      .describe('A raw body, sent as application/json unless headers say otherwise.'),
    form: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe('Form fields: sent urlencoded, or as multipart parts when the request also has files.'),
    files: z
      .record(z.string(), FileUpload)
      .optional()
      .describe('Files sent as multipart/form-data, by field name.'),
    followRedirects: z
      .boolean()
      .optional()
      .describe('Follow redirects (up to 5) that stay on the target; by default the 3xx is the answer.'),
  })
  .strict();

export const ApiStep = z
  .object({
    name: z.string().min(1),
    request: HttpRequest,
    as: z
      .string()
      .min(1)
      .optional()
      .describe('The identity the request is made as; each keeps its own cookies within a case.'),
    capture: z.record(z.string(), z.string()).optional(),
    expect: Expectation,
    authOptional: z
      .literal(true)
      .optional()
      .describe(
        'The endpoint is public though the step is made as an identity: no probe asks it to refuse a request ' +
          'without credentials.',
      ),
    probe: z
      .enum(PROBES)
      .optional()
      .describe('What the request probes; a built-in check judges it (requires_auth, owner_only).'),
    repeat: z
      .object({ count: z.number().int().min(1).max(1000), concurrency: z.number().int().min(1).max(100) })
      .strict()
      .optional(),
  })
  .strict();

export const Origin = z
  .object({
    file: z.string(),
    line: z.number().int().min(1),
    column: z.number().int().min(1),
    product: z.string().optional(),
    role: z.string(),
    journey: z.string(),
    step: z.string(),
    title: z.string(),
    generator: z
      .string()
      .describe('The generator (and rule) that produced the case, e.g. "rules/malformed-json".'),
    parent: z.string().optional().describe('The id of the case this one follows up.'),
  })
  .strict();

const common = {
  id: z.string().regex(/^tc_[0-9a-f]{12}$/),
  title: z.string().min(1),
  priority: Priority,
  tags: Tags,
  origin: Origin,
  skip: z.string().optional().describe('Why the case is not run.'),
  skipChecks: SkipChecks.optional(),
};

export const TestCase = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('api'), steps: z.array(ApiStep) }).strict(),
  z.object({ ...common, kind: z.literal('ui'), steps: z.array(UiStep) }).strict(),
  z
    .object({
      ...common,
      kind: z.literal('load'),
      steps: z
        .array(ApiStep)
        .min(1)
        .describe(
          'Set-up steps run once (sign in, create what the load needs), then the last step under load.',
        ),
      load: LoadProfile,
    })
    .strict(),
]);

export type HttpRequest = z.infer<typeof HttpRequest>;
export type ApiStep = z.infer<typeof ApiStep>;
export type Origin = z.infer<typeof Origin>;
export type TestCase = z.infer<typeof TestCase>;
export type ApiTestCase = Extract<TestCase, { kind: 'api' }>;
export type LoadTestCase = Extract<TestCase, { kind: 'load' }>;
