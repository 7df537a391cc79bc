// What a request step must observe. Shared by user-case hints (what authors write) and test cases (what runs),
// so the two can never drift apart.
import { z } from 'zod';
import { patternProblem } from '../run/safe-regex.ts';

export const StatusClass = z.enum(['1xx', '2xx', '3xx', '4xx', '5xx']);
const StatusCode = z.number().int().min(100).max(599);
const StatusPattern = z.union([StatusCode, StatusClass]);
export const StatusExpectation = z
  .union([StatusPattern, z.array(StatusPattern).min(1)])
  .describe('An HTTP status (201), a class ("4xx"), or a list of them; any one may match.');

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const ValueMatcher = z.union([
  Scalar,
  z
    .object({
      eq: z.unknown().optional(),
      gte: z.number().optional(),
      lte: z.number().optional(),
      gt: z.number().optional(),
      lt: z.number().optional(),
      type: z.enum(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']).optional(),
      exists: z.boolean().optional(),
      length: z.number().int().min(0).optional(),
      minLength: z.number().int().min(0).optional(),
      matches: z
        .string()
        .superRefine((pattern, context) => {
          // Refused where it is written: at run time it would only make the case an error.
          const problem = patternProblem(pattern);
          if (problem) context.addIssue({ code: 'custom', message: problem });
        })
        .optional()
        .describe(
          'A regular expression (RE2 syntax: no lookaround or back-references) the value, as text, must match.',
        ),
      oneOf: z.array(Scalar).min(1).optional(),
    })
    .strict()
    .describe('Conditions on one value; all given conditions must hold.'),
]);

export const Expectation = z
  .object({
    status: StatusExpectation.optional(),
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe('Header name (any case) to a text the header value must contain.'),
    body: z
      .record(z.string(), ValueMatcher)
      .optional()
      .describe(
        'Path into the JSON body ("user.id", "items.0.name", "length"; "" for the body itself) to a value or matcher.',
      ),
    bodyContains: z.array(z.string()).optional(),
    bodyNotContains: z.array(z.string()).optional(),
    maxMs: z.number().int().positive().optional().describe('Each response must arrive within this many ms.'),
  })
  .strict();

export type StatusExpectation = z.infer<typeof StatusExpectation>;
export type ValueMatcher = z.infer<typeof ValueMatcher>;
export type Expectation = z.infer<typeof Expectation>;
