// What running one test case established, with the evidence a person needs to act on it.
import { z } from 'zod';
import { LoadMeasurement } from './load-profile.ts';
import { Origin } from './test-case.ts';

export const RunStatus = z.enum(['passed', 'failed', 'error', 'flaky', 'skipped']);

export const Failure = z
  .object({
    check: z.string().describe('The expectation or built-in check that did not hold, e.g. "status".'),
    message: z.string(),
    step: z.number().int().min(0).describe('Index of the step in the test case.'),
  })
  .strict();

/**
 * Why a case was not run although it was meant to be: the machine lacks something it needs (a browser, k6). It says
 * nothing about the service, so it is never a finding, never retried and never fails the run.
 */
export const NotRun = z
  .object({
    reason: z
      .literal('environment')
      .describe('The machine, not the service or the case, kept it from running.'),
    need: z.enum(['browser', 'k6']).describe('What the machine lacks.'),
    fix: z.string().describe('How to provide it, in one sentence.'),
  })
  .strict();

export const Exchange = z
  .object({
    step: z.number().int().min(0),
    operation: z
      .string()
      .optional()
      .describe('The operation the step calls, as its case names it: "GET /api/items/{name}".'),
    request: z
      .object({
        method: z.string(),
        url: z.string(),
        headers: z.record(z.string(), z.string()),
        body: z.string().optional(),
      })
      .strict(),
    response: z
      .object({
        status: z.number().int(),
        headers: z.record(z.string(), z.string()),
        body: z.string(),
      })
      .strict()
      .optional(),
    durationMs: z.number().min(0),
  })
  .strict();

export const RunResult = z
  .object({
    caseId: z.string(),
    title: z.string(),
    kind: z.enum(['api', 'ui', 'load']),
    priority: z.string(),
    origin: Origin,
    status: RunStatus,
    durationMs: z.number().min(0),
    attempts: z.number().int().min(1).optional().describe('How often the case ran, when it was run again.'),
    passedOnAttempt: z
      .number()
      .int()
      .min(2)
      .optional()
      .describe(
        'A security or data-loss failure that a re-run did not show again: the attempt that passed. It stays failed.',
      ),
    failures: z.array(Failure),
    error: z
      .string()
      .optional()
      .describe('Why the case could not be judged (status "error") or was skipped.'),
    notRun: NotRun.optional().describe(
      'Set on a skipped case the machine could not run (no browser, no k6); `error` says what is missing.',
    ),
    evidence: z.array(Exchange).describe('Request and response excerpts, secrets redacted.'),
    artifacts: z
      .array(z.string())
      .optional()
      .describe('Files kept for a failure: a screenshot and a Playwright trace.'),
    timings: z
      .array(z.number().min(0))
      .optional()
      .describe('How long each HTTP response of the case took (ms), for the latency of the whole run.'),
    load: LoadMeasurement.optional().describe('What the load of a load case measured.'),
    reproduction: z
      .object({ curl: z.string().optional(), steps: z.array(z.string()).optional() })
      .strict()
      .describe('A one-line curl for the step that failed, or the step list of a UI case.'),
  })
  .strict();

export const GenerationSummary = z
  .object({
    seed: z.number().int(),
    providers: z.array(
      z
        .object({
          name: z.string(),
          cases: z.number().int().min(0).describe('Cases it added to the run.'),
          journeys: z.number().int().min(0),
          cached: z.number().int().min(0).describe('Journeys answered from the cache.'),
          failed: z.number().int().min(0),
          skipped: z.number().int().min(0).describe('Journeys skipped while its circuit breaker was open.'),
          dropped: z.number().int().min(0).describe('Proposed cases left out as invalid.'),
          errors: z.array(z.string()),
        })
        .strict(),
    ),
    usage: z
      .object({
        requests: z.number().int().min(0),
        promptTokens: z.number().int().min(0),
        completionTokens: z.number().int().min(0),
        costUsd: z.number().min(0),
      })
      .strict(),
    degraded: z.boolean().describe('Some journey got no LLM cases because of a failure or a budget.'),
    budget: z
      .object({ reached: z.enum(['cases', 'tokens', 'cost']), limit: z.number(), used: z.number() })
      .strict()
      .optional(),
    regression: z.number().int().min(0).describe('Committed regression cases in the run.'),
    notes: z.array(z.string()),
  })
  .strict();

export const OperationCoverage = z
  .object({
    source: z.string().describe('The OpenAPI description.'),
    operations: z.array(
      z
        .object({
          method: z.string(),
          path: z.string(),
          operationId: z.string(),
          cases: z.number().int().min(0),
          passed: z.number().int().min(0),
          failed: z.number().int().min(0),
        })
        .strict(),
    ),
    responses: z
      .object({
        checked: z.boolean(),
        note: z.string().describe('Against what responses were checked, or why they were not.'),
      })
      .strict()
      .optional()
      .describe('Whether answers were checked against the description (status, content type, body).'),
  })
  .strict();

export const ExplorationSummary = z
  .object({
    rounds: z
      .array(
        z
          .object({
            round: z.number().int().min(0).describe('0 is the generated run (its failures shrunk).'),
            cases: z.number().int().min(0),
            failures: z.number().int().min(0),
            newSignatures: z.array(z.string()).describe('Failure signatures first seen in the round.'),
            reruns: z.number().int().min(0).describe('Re-runs spent shrinking failures.'),
            durationMs: z.number().min(0),
            reachedNewCode: z
              .array(z.string())
              .optional()
              .describe("Ids of the round's cases that reached service code no earlier case had (--start)."),
            made: z
              .record(z.string(), z.number().int().min(0))
              .optional()
              .describe(
                'The round\'s cases by what made them ("explore/parameter", "explore/follow-up"…); unset for round 0.',
              ),
            statusChanges: z
              .number()
              .int()
              .min(0)
              .optional()
              .describe(
                "Parameter mutations whose status changed from their parent's, mutated further next round.",
              ),
          })
          .strict(),
      )
      .describe('The generated run (round 0) and the rounds after it.'),
    stopped: z
      .enum(['no-new-signature', 'nothing-to-try', 'max-cases', 'max-rounds', 'time', 'max-tokens'])
      .describe('Why exploration ended.'),
    findings: z
      .array(
        z
          .object({
            signature: z.string(),
            minimalCaseId: z.string().describe('The smallest case that fails this way when run alone.'),
            reduced: z
              .boolean()
              .describe('Whether shrinking made it smaller than the case that failed first.'),
            firstSeenRound: z.number().int().min(0),
            chain: z.array(z.string()).describe('Case ids from the generated case to the one that failed.'),
            note: z.string().optional(),
          })
          .strict(),
      )
      .describe('Every failure signature, with its minimal reproduction.'),
    notes: z.array(z.string()),
  })
  .strict();

/**
 * One finding of the run as results.json gives it to tools: written from the analysis when the file is written,
 * and recomputed from `results` whenever a results file is read back (`report`, `merge`, a base run), so a file
 * from an older Gauntlet without it reads the same.
 */
export const ResultFinding = z
  .object({
    id: z
      .string()
      .describe('"F-" and 8 hex digits; the same signature gives the same id on every run and branch.'),
    risk: z.enum(['high', 'medium', 'low']),
    harm: z
      .enum(['access', 'injection', 'data-loss', 'crash', 'exposure', 'wrong-answer', 'contract', 'slowdown'])
      .describe('What harm it stands for, which sets its place in the risk order.'),
    kind: z.enum(['security', 'data-loss', 'crash', 'performance', 'contract', 'behaviour']),
    label: z.string().describe('What its check saw, in a few words, e.g. "JSON content type".'),
    words: z
      .string()
      .describe('The same as a phrase for a sentence: "a JSON body sent with another content type".'),
    check: z.string(),
    signature: z.string().describe('check | operation | status | message: one failure on one operation.'),
    operation: z.string().describe('Where it failed: "POST /api/projects/{}", or "UI <step>".'),
    operations: z
      .array(z.string())
      .describe('Every operation its root cause fails on (one fix removes them all), this one among them.'),
    rootCause: z
      .string()
      .describe('The id of the first finding of its root cause (itself when it leads it).'),
    status: z.number().int().optional().describe('The status the failing step got.'),
    message: z.string(),
    state: z
      .enum(['new', 'still-failing', 'fixed'])
      .optional()
      .describe('Against the base run, when there was one: new, failing on the base too, or fixed here.'),
    priority: z.string().optional(),
    journeys: z.array(z.string()),
    count: z.number().int().min(0).describe('Results that fail this way (0 for a fixed finding).'),
    caseIds: z.array(z.string()),
    firstSeenRound: z.number().int().min(0).optional(),
    reproduction: z
      .object({
        caseId: z.string(),
        title: z.string(),
        file: z.string(),
        line: z.number().int().min(1),
        column: z.number().int().min(1).optional(),
        location: z
          .string()
          .describe('"file:line:col" of the user case the smallest failing test comes from.'),
        curl: z.string().optional(),
        steps: z.array(z.string()).optional(),
      })
      .strict()
      .describe('The smallest failing test: a curl line for an HTTP step, the steps of a UI case.'),
  })
  .strict();

const CoverageCounts = z
  .object({ covered: z.number().int().min(0), total: z.number().int().min(0) })
  .strict();

export const ServiceCoverage = z
  .object({
    command: z.string().describe('The command Gauntlet started the service with (--start).'),
    lines: CoverageCounts,
    branches: CoverageCounts,
    files: z
      .array(z.object({ file: z.string(), lines: CoverageCounts, branches: CoverageCounts }).strict())
      .describe("The service's own files (not its dependencies), relative to the project directory."),
  })
  .strict();

export const RunSummary = z
  .object({
    tool: z.literal('gauntlet'),
    version: z.string(),
    target: z.string(),
    startedAt: z.string(),
    durationMs: z.number().min(0),
    totals: z.record(RunStatus, z.number().int().min(0)),
    untested: z
      .array(Origin.omit({ generator: true, parent: true }))
      .describe('Test-case titles written in user cases that no generated case covers yet.'),
    latency: z
      .object({
        responses: z.number().int().min(0),
        p50Ms: z.number().min(0),
        p95Ms: z.number().min(0),
        p99Ms: z.number().min(0),
        budgetP95Ms: z.number().positive().optional(),
        withinBudget: z.boolean().optional(),
      })
      .strict()
      .optional()
      .describe('Response times over every HTTP response of the run, and the p95 budget of gauntlet.yml.'),
    generation: GenerationSummary.optional().describe('How the cases were made: providers, tokens, cost.'),
    operations: OperationCoverage.optional().describe('Which operations of the OpenAPI description ran.'),
    exploration: ExplorationSummary.optional().describe(
      'What `gauntlet explore` found after the generated run.',
    ),
    serviceCoverage: ServiceCoverage.optional().describe(
      'Lines and branches of the Node.js service Gauntlet started (--start) that the run reached.',
    ),
    findings: z
      .array(ResultFinding)
      .optional()
      .describe(
        'Every finding, most serious first, then the fixed ones; written with the file, recomputed when it is read.',
      ),
    results: z.array(RunResult),
  })
  .strict();

export type RunStatus = z.infer<typeof RunStatus>;
export type Failure = z.infer<typeof Failure>;
export type Exchange = z.infer<typeof Exchange>;
export type NotRun = z.infer<typeof NotRun>;
export type RunResult = z.infer<typeof RunResult>;
export type RunSummary = z.infer<typeof RunSummary>;
export type ResultFinding = z.infer<typeof ResultFinding>;
export type GenerationSummary = z.infer<typeof GenerationSummary>;
export type OperationCoverage = z.infer<typeof OperationCoverage>;
export type ExplorationSummary = z.infer<typeof ExplorationSummary>;
export type ServiceCoverage = z.infer<typeof ServiceCoverage>;
