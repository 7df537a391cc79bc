// Runs a UI case in a fresh browser context: data-driven steps, every request the page makes held to the target
// (page-guard.ts), and a screenshot and a Playwright trace kept for each failure.
import { confinedPath } from '../../generate/openapi/confined-read.ts';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { fillTemplate } from '../../cases/index.ts';
import type { Failure, RunResult, TestCase, UiStep } from '../../cases/index.ts';
import { OutsideTargetError, outsideReason } from '../origin-guard.ts';
import { Redactor } from '../redact.ts';
import type { BrowserPool } from './browser.ts';
import { startPageGuard } from './page-guard.ts';
import { redactTrace } from './trace-redact.ts';

/**
 * The check a page fails by trying to reach outside the target. A security finding: a page that sent a request
 * elsewhere once has sent it, so a retry that does not never washes it out.
 */
export const ESCAPE_CHECK = 'page_stays_on_target';

export interface UiRunOptions {
  target: URL;
  origins?: readonly URL[];
  timeoutMs: number;
  browser: BrowserPool;
  /** Where screenshots and traces of failed cases go. */
  artifactsDir?: string;
  /** The case's redactor: a kept trace is rewritten through it. */
  redactor?: Redactor;
}

type UiTestCase = Extract<TestCase, { kind: 'ui' }>;

/** The steps that type a secret: a `fill` of a field named like a credential (`label=Password`, `#api-key`). */
export function typedSecretSteps(steps: readonly UiStep[], redactor: Redactor): UiStep[] {
  return steps.filter(
    (step) => step.action === 'fill' && step.target !== undefined && redactor.isSecretName(step.target),
  );
}

export function describeUiStep(step: UiStep): string {
  const what = [step.target, step.value && JSON.stringify(step.value)].filter(Boolean).join(' ');
  return step.name ?? `${step.action} ${what}`.trim();
}

export async function runUiCase(
  testCase: UiTestCase,
  options: UiRunOptions,
  base: RunResultBase,
): Promise<RunResult> {
  const started = performance.now();
  const steps = fillTemplate(testCase.steps, new Map([['$uid', Math.random().toString(16).slice(2, 14)]]));
  const reproduction = { steps: testCase.steps.map(describeUiStep) };
  const allowed = [options.target, ...(options.origins ?? [])];
  // A case that itself asks for another origin (or a file:, javascript: URL) is a wrong case, not a finding about
  // the service: it is refused before the browser starts, as the HTTP runner refuses such a request.
  for (const [index, step] of steps.entries()) {
    if (step.action !== 'goto') continue;
    const url = new URL(step.target ?? '/', options.target);
    const reason = outsideReason(url, allowed);
    if (reason) {
      throw new OutsideTargetError(
        `steps[${index}] ${describeUiStep(testCase.steps[index]!)}: refused to open ${url.href} (${reason}); ` +
          `only ${allowed.map((origin) => origin.origin).join(', ')} may be reached`,
      );
    }
  }
  let current = 0;
  const escapes = new Map<string, number>();
  const guard = await startPageGuard(allowed, (refusal) => {
    if (!escapes.has(refusal)) escapes.set(refusal, current);
  });
  try {
    const browser = await options.browser.get();
    const context = await browser.newContext({ baseURL: options.target.href, ...guard.contextOptions });
    context.setDefaultTimeout(options.timeoutMs);
    await context.tracing.start({ screenshots: true, snapshots: true });
    await guard.attach(context);
    const page = await context.newPage();
    const failures: Failure[] = [];
    for (const [index, step] of steps.entries()) {
      current = index;
      try {
        await perform(page, step, options.target);
      } catch (error) {
        failures.push({
          check: 'ui',
          message: `${describeUiStep(testCase.steps[index]!)}: ${firstLine(error)}`,
          step: index,
        });
        break;
      }
    }
    // An escape comes first: a step that failed after it most likely failed because of it.
    if (escapes.size > 0) {
      failures.unshift({
        check: ESCAPE_CHECK,
        message: `the page tried to reach outside the target, and was stopped: ${[...escapes.keys()].join(', ')}`,
        step: Math.min(...escapes.values()),
      });
    }
    const artifacts: string[] = [];
    if (failures.length > 0 && options.artifactsDir) {
      await mkdir(options.artifactsDir, { recursive: true });
      const stem = path.join(options.artifactsDir, testCase.id);
      // The fields the case typed a secret into are masked; a password field shows dots anyway.
      const redactor = options.redactor ?? new Redactor();
      const mask = typedSecretSteps(steps, redactor).map((step) => locate(page, step));
      await page.screenshot({ path: `${stem}.png`, fullPage: true, mask }).then(
        () => artifacts.push(`${stem}.png`),
        () => {},
      );
      // The trace is written outside the artifacts and only its redacted copy is kept there.
      const raw = await mkdtemp(path.join(tmpdir(), 'gauntlet-trace-'));
      try {
        await context.tracing.stop({ path: path.join(raw, 'trace.zip') });
        const kept = await redactTrace(path.join(raw, 'trace.zip'), `${stem}.trace.zip`, redactor);
        if (kept) artifacts.push(`${stem}.trace.zip`);
      } finally {
        await rm(raw, { recursive: true, force: true });
      }
    } else {
      await context.tracing.stop();
    }
    await context.close();
    return {
      ...base,
      status: failures.length === 0 ? 'passed' : 'failed',
      durationMs: Math.round(performance.now() - started),
      failures,
      evidence: [],
      reproduction,
      ...(artifacts.length > 0 && { artifacts }),
    };
  } finally {
    await guard.close();
  }
}

export type RunResultBase = Pick<RunResult, 'caseId' | 'title' | 'kind' | 'priority' | 'origin'>;

async function perform(page: Page, step: UiStep, target: URL): Promise<void> {
  const value = step.value ?? '';
  switch (step.action) {
    case 'goto': {
      const response = await page.goto(new URL(step.target ?? '/', target).href);
      if (response && response.status() >= 500) throw new Error(`the page answered ${response.status()}`);
      return;
    }
    case 'fill':
      return locate(page, step).fill(value);
    case 'click':
      return locate(page, step).click();
    case 'select':
      return void (await locate(page, step).selectOption(value));
    case 'upload':
      // Only a regular file of the repository: a case may come from a pull request or an LLM (see http.ts).
      return locate(page, step).setInputFiles(await confinedPath(process.cwd(), value));
    case 'expectVisible':
      return locate(page, step).first().waitFor({ state: 'visible' });
    case 'expectText':
      return (step.target ? locate(page, step) : page.locator('body'))
        .filter({ hasText: value })
        .first()
        .waitFor();
    case 'expectNoText': {
      await page.waitForLoadState();
      const count = await page.getByText(value).count();
      if (count > 0) throw new Error(`the page shows "${value}", which it must not`);
      return;
    }
    case 'expectUrl':
      return page.waitForURL((url) => url.pathname + url.search === value || url.pathname === value);
  }
}

/** "label=E-mail", "placeholder=Search", or anything Playwright's selectors take ("role=button[name='Go']", CSS). */
function locate(page: Page, step: UiStep): Locator {
  const target = step.target;
  if (!target) throw new Error(`${step.action} needs a target`);
  if (target.startsWith('label=')) return page.getByLabel(target.slice(6), { exact: true });
  if (target.startsWith('placeholder=')) return page.getByPlaceholder(target.slice(12));
  return page.locator(target);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.replace(/^(locator|page)\.\w+: /, '');
}
