// Execution: test cases in, results out, with a bounded number of cases in flight.
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { kindOf } from '../analyze/analyze.ts';
import type { RunResult, TestCase } from '../cases/index.ts';
import { BUILT_IN_CHECKS, type Check } from './checks.ts';
import type { OpenApiDescription } from './openapi.ts';
import { mapWithConcurrency } from './pool.ts';
import { browserPool } from './ui/browser.ts';
import type { LoadEngine } from './load/index.ts';
import type { Redactor } from './redact.ts';
import { runTestCase } from './run-case.ts';
import type { CaseRunOptions } from './run-case.ts';
import type { RunLimits } from './limits.ts';

export interface RunOptions {
  /** The service: its base URL, or a Node HTTP handler (an Express app, say) that Gauntlet serves on loopback. */
  target: URL | RequestListener;
  concurrency: number;
  timeoutMs: number;
  caseTimeoutMs?: number;
  /** Origins besides the target that redirects may lead to. */
  origins?: readonly URL[];
  checks?: readonly Check[];
  /** The service's OpenAPI description: its checks join the built-in ones. */
  openapi?: OpenApiDescription;
  /** How often a failed case is run again before it is called failed; passing on a re-run makes it flaky. */
  retries?: number;
  /** Start no new case after the first failure; the cases not run are reported as skipped. */
  failFast?: boolean;
  /** The Chromium UI cases run in; it is started only if a UI case is run. */
  browserPath?: string;
  /** Where screenshots and traces of failed UI cases go. */
  artifactsDir?: string;
  /** What runs load cases: k6 when on PATH ('auto', the default), or always autocannon or k6. */
  loadEngine?: LoadEngine;
  /** The k6 executable, when not the one on PATH. */
  k6Path?: string;
  /** Hunts every secret the run sees; the reports written after the run use it too. */
  redactor?: Redactor;
  /** What one case may send and read (gauntlet.yml `limits`); the defaults when not given. */
  limits?: RunLimits;
  /** Called after each case, with the results so far. */
  onResult?: (result: RunResult, done: number, total: number) => void;
}

export async function runTestCases(cases: readonly TestCase[], options: RunOptions): Promise<RunResult[]> {
  if (typeof options.target !== 'function') return runAgainst(options.target, cases, options);
  const server = createServer(options.target);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  try {
    const { port } = server.address() as AddressInfo;
    return await runAgainst(new URL(`http://127.0.0.1:${port}/`), cases, options);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function runAgainst(
  target: URL,
  cases: readonly TestCase[],
  options: RunOptions,
): Promise<RunResult[]> {
  let done = 0;
  const caseOptions = {
    target,
    timeoutMs: options.timeoutMs,
    ...(options.caseTimeoutMs !== undefined && { caseTimeoutMs: options.caseTimeoutMs }),
    ...(options.origins && { origins: options.origins }),
    ...(options.artifactsDir && { artifactsDir: options.artifactsDir }),
    ...(options.loadEngine && { loadEngine: options.loadEngine }),
    ...(options.k6Path !== undefined && { k6Path: options.k6Path }),
    ...(options.limits && { limits: options.limits }),
    ...(options.redactor && { redactor: options.redactor }),
    checks: [...(options.checks ?? BUILT_IN_CHECKS), ...(options.openapi?.checks(target) ?? [])],
  };
  const browser = options.browserPath ? browserPool(options.browserPath) : undefined;
  let stopped = false;
  try {
    const results: RunResult[] = new Array<RunResult>(cases.length);
    const runOne = async (index: number) => {
      const testCase = cases[index]!;
      const result = stopped
        ? notRun(testCase)
        : await runWithRetries(
            testCase,
            { ...caseOptions, ...(browser && { browser }) },
            options.retries ?? 2,
          );
      if (options.failFast && isProblem(result)) stopped = true;
      options.onResult?.(result, ++done, cases.length);
      results[index] = result;
    };
    const indexes = cases.map((_, index) => index);
    const functional = indexes.filter((index) => cases[index]!.kind !== 'load');
    const load = indexes.filter((index) => cases[index]!.kind === 'load');
    await mapWithConcurrency(functional.length, options.concurrency, (k) => runOne(functional[k]!));
    // Load cases last and one at a time: what they measure is the service, not the rest of the run's traffic.
    await mapWithConcurrency(load.length, 1, (k) => runOne(load[k]!));
    return results;
  } finally {
    await browser?.close();
  }
}

const isProblem = (result: RunResult): boolean => result.status === 'failed' || result.status === 'error';

/**
 * A case that fails is run again; if a later attempt passes, the first attempt's failure is kept, marked flaky.
 * A security or data-loss failure is the exception: a service that leaked data to an anonymous request once has
 * leaked it, so such a failure stays failed whatever a re-run shows, and the result says which attempt passed.
 */
async function runWithRetries(
  testCase: TestCase,
  options: CaseRunOptions,
  retries: number,
): Promise<RunResult> {
  const first = await runTestCase(testCase, options);
  // A load verdict is already a statistic over many requests: running it again would only pick the luckier run.
  if (!isProblem(first) || testCase.kind === 'load') return first;
  for (let attempt = 2; attempt <= retries + 1; attempt++) {
    const again = await runTestCase(testCase, options);
    if (again.status !== 'passed') continue;
    if (seriousOnce(first)) return { ...first, attempts: attempt, passedOnAttempt: attempt };
    return { ...first, status: 'flaky', attempts: attempt };
  }
  return { ...first, attempts: retries + 1 };
}

/** A failure that retries never wash out: one the analysis would call a security or data-loss finding. */
function seriousOnce(result: RunResult): boolean {
  return result.failures.some((failure) => {
    const kind = kindOf(failure.check, [result]);
    return kind === 'security' || kind === 'data-loss';
  });
}

function notRun(testCase: TestCase): RunResult {
  return {
    caseId: testCase.id,
    title: testCase.title,
    kind: testCase.kind,
    priority: testCase.priority,
    origin: testCase.origin,
    status: 'skipped',
    durationMs: 0,
    failures: [],
    error: 'not run: the run stopped at the first failure (fail fast)',
    evidence: [],
    reproduction: {},
  };
}

export { BUILT_IN_CHECKS } from './checks.ts';
export { Redactor, REDACTED } from './redact.ts';
export { isSecretName, securitySchemeNames } from './secret-names.ts';
export { OpenApiDescription, OpenApiVersionError, OPENAPI_CHECK_NAMES } from './openapi.ts';
export type { Check } from './checks.ts';
export { targetUrl, OutsideTargetError, describeTransportError } from './http.ts';
export { outsideReason } from './origin-guard.ts';
export { parseShard, selectShard } from './shard.ts';
export { toK6Script, K6ExportError } from './load/index.ts';
export type { LoadEngine } from './load/index.ts';
export type { Shard } from './shard.ts';
export { EnvironmentError, NEED_FIXES } from './environment.ts';
export type { EnvironmentNeed } from './environment.ts';
