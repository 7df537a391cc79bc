// Runs one test case step by step, carrying captured values forward, and records a verdict with its evidence.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { declaredOperation, fillTemplate, MissingValueError, placeholdersIn } from '../cases/index.ts';
import type {
  ApiStep,
  Exchange,
  Failure,
  LoadMeasurement,
  NotRun,
  RunResult,
  TestCase,
} from '../cases/index.ts';
import { checksFor } from './checks.ts';
import { EnvironmentError } from './environment.ts';
import type { BrowserPool } from './ui/browser.ts';
import { runUiCase, typedSecretSteps } from './ui/run-ui-case.ts';
import type { Check } from './checks.ts';
import { toCurl } from './curl.ts';
import { assertBodyWhole, judgeExpectation } from './expectations.ts';
import type { Verdict } from './expectations.ts';
import {
  describeCut,
  describeMultipart,
  describeTransportError,
  send,
  Session,
  toSentRequest,
} from './http.ts';
import { caseLimitProblem } from './limits.ts';
import type { RunLimits } from './limits.ts';
import type { Exchanged, SentRequest } from './http.ts';
import { measureUnderLoad } from './load/index.ts';
import type { LoadEngine } from './load/index.ts';
import { brokenThresholds } from './load/measure.ts';
import { mapWithConcurrency } from './pool.ts';
import { Redactor } from './redact.ts';
import { valueAt } from './value-path.ts';

export interface CaseRunOptions {
  target: URL;
  timeoutMs: number;
  /** Time allowed for the whole case, all its requests together. */
  caseTimeoutMs?: number;
  /** Origins besides the target that redirects may lead to. */
  origins?: readonly URL[];
  checks: readonly Check[];
  /** The browser UI cases run in. */
  browser?: BrowserPool;
  /** Where screenshots and traces of failed UI cases go. */
  artifactsDir?: string;
  /** What runs load cases: k6 when on PATH ('auto', the default), or always autocannon or k6. */
  loadEngine?: LoadEngine;
  k6Path?: string;
  /** What one case may send and read (gauntlet.yml `limits`); the defaults when not given. */
  limits?: RunLimits;
  /** The run's redactor: it hands each case the run's secrets and collects each case's, for the reports. */
  redactor?: Redactor;
}

class CaseTimedOut extends Error {}

const EXCERPT_FAILED = 2000;
const EXCERPT_PASSED = 300;
/** Of a repeated step, the evidence kept: enough to see the failure, not a hundred copies of it. */
const EVIDENCE_PER_STEP = 3;

class StepFailed extends Error {}
/** A step refused as its expectation allows (a 4xx it accepts): what it would capture is not there to go on with. */
class StepRefused extends Error {}

export async function runTestCase(testCase: TestCase, options: CaseRunOptions): Promise<RunResult> {
  const base = {
    caseId: testCase.id,
    title: testCase.title,
    kind: testCase.kind,
    priority: testCase.priority,
    origin: testCase.origin,
  };
  const redactor = (options.redactor ?? new Redactor()).forCase();
  if (testCase.kind === 'ui' && testCase.skip === undefined && options.browser) {
    rememberTypedSecrets(testCase, redactor);
    try {
      return redactor.result(
        await runUiCase(testCase, { ...options, browser: options.browser, redactor }, base),
      );
    } catch (error) {
      const message = redactor.text((error as Error).message.split('\n')[0]!);
      // No browser on the machine says nothing about the service: the case is not run, and the run goes on.
      const notRun = error instanceof EnvironmentError ? error.notRun : undefined;
      return {
        ...base,
        status: notRun ? 'skipped' : 'error',
        ...(notRun && { notRun }),
        durationMs: 0,
        failures: [],
        error: message,
        evidence: [],
        reproduction: {},
      };
    }
  }
  if (testCase.skip !== undefined || testCase.kind === 'ui') {
    const reason = testCase.skip ?? 'UI cases need a browser, and none was given';
    return {
      ...base,
      status: 'skipped',
      durationMs: 0,
      failures: [],
      error: reason,
      evidence: [],
      reproduction: {},
    };
  }
  const refused = caseLimitProblem(testCase, options.limits);
  if (refused !== undefined) {
    return {
      ...base,
      status: 'error',
      durationMs: 0,
      failures: [],
      error: refused,
      evidence: [],
      reproduction: {},
    };
  }
  const started = performance.now();
  const deadline = started + (options.caseTimeoutMs ?? Infinity);
  const checks = checksFor(options.checks, testCase.skipChecks);
  const vars = uniqueValues(testCase.steps);
  const session = new Session();
  const exchanges: { step: number; exchanged: Exchanged }[] = [];
  const failures: Failure[] = [];
  let error: string | undefined;
  let failedAt: Exchanged | undefined;
  let lastSent: SentRequest | undefined;
  const timings: number[] = [];
  let load: LoadMeasurement | undefined;
  let notRun: NotRun | undefined;
  let refusedAt: string | undefined;

  try {
    for (const [index, step] of testCase.steps.entries()) {
      const count = step.repeat?.count ?? 1;
      const results = await mapWithConcurrency(count, step.repeat?.concurrency ?? 1, async (i) => {
        const request = fillTemplate(step.request, new Map([...vars, ['$i', i]]));
        const left = deadline - performance.now();
        if (left <= 0) throw new CaseTimedOut();
        const maxBodyBytes = options.limits?.maxRequestBodyBytes;
        lastSent = await toSentRequest(options.target, request, step.as, maxBodyBytes);
        redactor.rememberRequest(lastSent);
        const exchanged = await send(
          lastSent,
          Math.ceil(Math.min(options.timeoutMs, left)),
          options.origins,
          session,
          options.limits?.maxResponseBytes,
        );
        // What was sent may carry more than what was asked: the session's cookies.
        redactor.rememberRequest(exchanged.request);
        redactor.rememberResponse(exchanged.response);
        return { exchanged, verdicts: judge(step, exchanged, checks) };
      });
      const failing = results.filter((r) => r.verdicts.length > 0);
      const kept = [...failing, ...results.filter((r) => r.verdicts.length === 0)].slice(
        0,
        EVIDENCE_PER_STEP,
      );
      for (const { exchanged } of kept) exchanges.push({ step: index, exchanged });
      for (const { exchanged } of results) timings.push(Math.round(exchanged.durationMs * 100) / 100);
      if (failing.length > 0) {
        failedAt = failing[0]!.exchanged;
        failures.push(...summarizeVerdicts(failing, count, index));
        throw new StepFailed();
      }
      capture(step, results[0]!.exchanged, vars, index, failures, redactor);
      if (failures.length > 0) {
        failedAt = results[0]!.exchanged;
        throw new StepFailed();
      }
    }
  } catch (caught) {
    if (caught instanceof StepRefused) refusedAt = caught.message;
    else if (caught instanceof MissingValueError) error = caught.message;
    else if (caught instanceof CaseTimedOut || performance.now() >= deadline) {
      error = `the case ran out of its ${options.caseTimeoutMs} ms`;
    } else if (!(caught instanceof StepFailed)) error = describeTransportError(caught, options.timeoutMs);
  }

  // A load case's last request has just passed once on its own; now it goes under load.
  if (testCase.kind === 'load' && error === undefined && failures.length === 0 && lastSent) {
    const url = new URL(lastSent.url);
    const cookie = session.cookieHeaderFor(url, lastSent.as);
    const underLoad = cookie ? { ...lastSent, headers: { ...lastSent.headers, cookie } } : lastSent;
    try {
      load = await measureUnderLoad(testCase, underLoad, {
        target: options.target,
        timeoutMs: options.timeoutMs,
        ...(options.loadEngine && { loadEngine: options.loadEngine }),
        ...(options.k6Path !== undefined && { k6Path: options.k6Path }),
        ...(options.artifactsDir !== undefined && { workDir: path.join(options.artifactsDir, 'k6') }),
      });
      const step = testCase.steps.length - 1;
      for (const broken of brokenThresholds(load)) {
        failures.push({ check: `load.${broken.name}`, message: broken.message, step });
      }
    } catch (caught) {
      error = (caught as Error).message;
      if (caught instanceof EnvironmentError) notRun = caught.notRun;
    }
  }

  const status =
    notRun || refusedAt !== undefined
      ? 'skipped'
      : error !== undefined
        ? 'error'
        : failures.length > 0
          ? 'failed'
          : 'passed';
  // A load case not run for want of k6 passed its steps: its evidence is a passed case's.
  const judged = status === 'failed' || status === 'error';
  const limit = judged ? EXCERPT_FAILED : EXCERPT_PASSED;
  const evidence = (judged ? exchanges : exchanges.slice(-1)).map((e) =>
    toEvidence(e.step, e.exchanged, redactor, limit, testCase.steps[e.step]?.name),
  );
  const reproduction = failedAt ? { curl: redactor.text(toCurl(redactedRequest(failedAt, redactor))) } : {};
  return redactor.result({
    ...base,
    status,
    durationMs: Math.round(performance.now() - started),
    failures,
    ...(error !== undefined ? { error } : refusedAt !== undefined && { error: refusedAt }),
    ...(notRun && { notRun }),
    evidence,
    ...(timings.length > 0 && { timings }),
    ...(load && { load }),
    reproduction,
  });
}

function judge(step: ApiStep, exchanged: Exchanged, checks: readonly Check[]): Verdict[] {
  const verdicts = judgeExpectation(step.expect, exchanged);
  for (const check of checks) {
    const message = check.check(exchanged, step);
    if (message) verdicts.push({ check: check.name, message });
  }
  return verdicts;
}

/** One failure per check; for a repeated request, the slowest example and how many of the requests failed it. */
function summarizeVerdicts(
  failing: { exchanged: Exchanged; verdicts: Verdict[] }[],
  count: number,
  step: number,
): Failure[] {
  const slowestFirst = [...failing].sort((a, b) => b.exchanged.durationMs - a.exchanged.durationMs);
  const byCheck = new Map<string, { message: string; times: number }>();
  for (const { verdicts } of slowestFirst) {
    for (const verdict of verdicts) {
      const entry = byCheck.get(verdict.check) ?? { message: verdict.message, times: 0 };
      entry.times++;
      byCheck.set(verdict.check, entry);
    }
  }
  return [...byCheck].map(([check, { message, times }]) => ({
    check,
    message: count > 1 ? `${message} (in ${times} of ${count} requests)` : message,
    step,
  }));
}

/** Fresh values for {{$uid}} (and {{$uid-2}} for a second account), the same throughout one run of the case. */
function uniqueValues(steps: readonly ApiStep[]): Map<string, unknown> {
  const uid = randomBytes(6).toString('hex');
  const vars = new Map<string, unknown>([['$uid', uid]]);
  for (const name of placeholdersIn(steps.map((s) => s.request))) {
    const suffix = /^\$uid-(\d+)$/.exec(name);
    if (suffix) vars.set(name, `${uid}-${suffix[1]}`);
  }
  return vars;
}

function capture(
  step: ApiStep,
  exchanged: Exchanged,
  vars: Map<string, unknown>,
  index: number,
  failures: Failure[],
  redactor: Redactor,
): void {
  for (const [name, source] of Object.entries(step.capture ?? {})) {
    const [where, ...rest] = source.split('.');
    const path = rest.join('.');
    let found: { found: boolean; value?: unknown };
    if (where === 'status') found = { found: true, value: exchanged.response.status };
    else if (where === 'headers') found = valueAt(exchanged.response.headers, path.toLowerCase());
    else found = valueAt(exchanged.response.json, path);
    if (!found.found) {
      const { status } = exchanged.response;
      if (status >= 400 && status < 500) {
        throw new StepRefused(
          `step ${index + 1} was refused (${status}), which it accepts; without ${source} the case cannot go on`,
        );
      }
      if (where !== 'status' && where !== 'headers') {
        assertBodyWhole(exchanged, `the capture ${source}`);
      }
      failures.push({
        check: 'capture',
        message: `expected ${source} in the response, to use as {{${name}}}`,
        step: index,
      });
      continue;
    }
    vars.set(name, found.value);
    if (redactor.isSecretName(name) || redactor.isSecretName(path)) redactor.rememberLeaves(found.value);
  }
}

function redactedRequest(exchanged: Exchanged, redactor: Redactor) {
  const { request } = exchanged;
  return {
    ...request,
    headers: redactor.headers(request.headers),
    ...(request.body !== undefined && { body: redactor.body(request.body, Infinity) }),
  };
}

function toEvidence(
  step: number,
  exchanged: Exchanged,
  redactor: Redactor,
  limit: number,
  stepName = '',
): Exchange {
  const { request, response, durationMs } = exchanged;
  const operation = declaredOperation(stepName, request.method, request.url);
  return {
    step,
    ...(operation !== undefined && { operation: redactor.text(operation) }),
    request: {
      method: request.method,
      url: redactor.text(request.url),
      headers: redactor.headers(request.headers),
      ...(request.body !== undefined && { body: redactor.body(request.body, limit) }),
      ...(request.multipart && { body: redactor.text(describeMultipart(request.multipart)) }),
    },
    response: {
      status: response.status,
      headers: redactor.headers(response.headers),
      body: redactor.body(response.body, limit) + describeCut(response),
    },
    durationMs: Math.round(durationMs),
  };
}

/** What a UI case types into a password or token field is a secret of the case, whatever the page does with it. */
function rememberTypedSecrets(testCase: TestCase, redactor: Redactor): void {
  if (testCase.kind !== 'ui') return;
  for (const step of typedSecretSteps(testCase.steps, redactor)) redactor.remember(step.value);
}
