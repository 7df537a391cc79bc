// The user case: a journey written by people, and the hints that let Gauntlet test each of its steps.
import { z } from 'zod';
import { Expectation } from './expectation.ts';
import { UiStep } from './ui-step.ts';
import { FileUpload } from './file-upload.ts';
import { LoadProfile } from './load-profile.ts';

export const SkipChecks = z
  .array(z.string().regex(/^[a-z_]+$/))
  .describe('Built-in checks not to apply, by name (e.g. json_content_type).');

export const Priority = z.enum(['critical', 'high', 'medium', 'low']);
export const Tags = z.array(z.string().min(1));

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export const ApiOperation = z
  .string()
  .regex(
    new RegExp(`^(${HTTP_METHODS.join('|')}) /\\S*$`),
    'expected "METHOD /path", for example "POST /api/projects"',
  )
  .describe(
    'The operation a step exercises: "METHOD /path", path parameters in braces ("/api/projects/{projectId}").',
  );

const Json: z.ZodType<unknown> = z.unknown();
const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/** One request, as an author hints it. Every field is optional so titles can override only what differs. */
const RequestHintShape = {
  api: ApiOperation.optional(),
  operationId: z.string().min(1).optional().describe('An OpenAPI operationId, where a description is given.'),
  auth: z
    .string()
    .min(1)
    .optional()
    .describe('Identity (from gauntlet.yml) the request is made as; "none" for no credentials.'),
  authOptional: z
    .boolean()
    .optional()
    .describe(
      'The request is made as `auth`, but the endpoint is public: no check demands that it refuse a request ' +
        'without credentials, with made-up ones, or from another user.',
    ),
  params: z
    .record(z.string(), Scalar)
    .optional()
    .describe('Values for path parameters; a string may use {{capture}}, e.g. {{shopper.basketId}}.'),
  query: z.record(z.string(), Scalar).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  example: Json.optional().describe(
    'The JSON body; strings may use {{capture}}, {{<identity>.<capture>}} (captured at sign-in) and {{$uid}}.',
  ),
  rawBody: z.string().optional().describe('A body sent as is, instead of example (for malformed input).'),
  form: z
    .record(z.string(), Scalar)
    .optional()
    .describe('Form fields, sent urlencoded (or multipart, with files) instead of example.'),
  files: z
    .record(z.string(), FileUpload)
    .optional()
    .describe('Files sent as multipart/form-data by field name; a path is relative to this file.'),
  capture: z
    .record(z.string(), z.string())
    .optional()
    .describe('Values later requests use: name to "body.path", "headers.name" or "status".'),
  expect: Expectation.optional(),
  followRedirects: z.boolean().optional().describe('Follow redirects that stay on the target (default: no).'),
  repeat: z.number().int().min(1).max(1000).optional().describe('Send the request this many times.'),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .describe('How many repeats are in flight at once.'),
};
export const RequestHint = z.object(RequestHintShape).strict();

export const TitledCase = z
  .object({
    title: z.string().min(1),
    ...RequestHintShape,
    steps: z
      .array(RequestHint)
      .min(1)
      .optional()
      .describe("Several requests in order, instead of the step's single request."),
    priority: Priority.optional(),
    tags: Tags.optional(),
    ui: z
      .array(UiStep)
      .min(1)
      .optional()
      .describe('Browser steps, run in headless Chromium, instead of HTTP requests.'),
    load: LoadProfile.optional().describe(
      'Run the case as a load test: set-up requests once, then its last request under this load.',
    ),
    skip: z.string().min(1).optional().describe('Why this case cannot be tested against the target.'),
    skipChecks: SkipChecks.optional(),
  })
  .strict();

export const CaseEntry = z.union([
  z.string().min(1).describe('A test-case title not yet backed by data: listed as a coverage gap.'),
  TitledCase,
]);

export const Step = z
  .object({
    step: z.string().min(1),
    ...RequestHintShape,
    page: z
      .string()
      .startsWith('/')
      .optional()
      .describe('The UI page of this step, with example query values.'),
    acceptance: z.array(z.string().min(1)).optional(),
    skipChecks: SkipChecks.optional(),
    priority: Priority.optional(),
    tags: Tags.optional(),
    cases: z.array(CaseEntry).optional(),
  })
  .strict();

export const UserCase = z
  .object({
    product: z.string().min(1).optional(),
    role: z.string().min(1),
    journey: z.string().min(1),
    description: z.string().optional(),
    priority: Priority.optional(),
    tags: Tags.optional(),
    steps: z.array(Step).min(1),
  })
  .strict();

export type Priority = z.infer<typeof Priority>;
export type RequestHint = z.infer<typeof RequestHint>;
export type TitledCase = z.infer<typeof TitledCase>;
export type CaseEntry = z.infer<typeof CaseEntry>;
export type Step = z.infer<typeof Step>;
export type UserCase = z.infer<typeof UserCase>;
