// Generation: user cases in, test cases out. Deterministic: the same input gives the same cases in the same order.
import { contentId } from '../cases/index.ts';
import type { GauntletConfig, LoadedUserCase, Origin, SourceError, TestCase } from '../cases/index.ts';
import { assembleCase, GenerationError } from './assemble.ts';
import type { Rule, StepContext } from './draft.ts';
import { RULES } from './rules/index.ts';

export type Untested = Omit<Origin, 'generator' | 'parent'>;

export type Generated =
  { ok: true; cases: TestCase[]; untested: Untested[] } | { ok: false; errors: SourceError[] };

export interface GenerateOptions {
  rules?: readonly Rule[];
}

export function generateTestCases(
  sources: readonly LoadedUserCase[],
  config: GauntletConfig,
  options: GenerateOptions = {},
): Generated {
  const rules = options.rules ?? RULES;
  const cases = new Map<string, TestCase>();
  const untested: Untested[] = [];
  const errors: SourceError[] = [];
  for (const source of sources) {
    const { userCase } = source;
    userCase.steps.forEach((step, stepIndex) => {
      const context: StepContext = { source, stepIndex, step, config };
      for (const rule of rules) {
        for (const draft of rule.draft(context)) {
          try {
            const testCase = assembleCase(context, draft);
            // The same requests are one test, whoever proposed them first (people before rules) keeps the title.
            const key = sameTestKey(testCase);
            if (!cases.has(key)) cases.set(key, testCase);
          } catch (error) {
            if (!(error instanceof GenerationError)) throw error;
            errors.push(error.error);
          }
        }
      }
      (step.cases ?? []).forEach((entry, index) => {
        if (typeof entry !== 'string') return;
        const at = source.steps[stepIndex]!.cases[index]!;
        untested.push({
          file: source.file,
          line: at.line,
          column: at.column,
          ...(userCase.product && { product: userCase.product }),
          role: userCase.role,
          journey: userCase.journey,
          step: step.step,
          title: entry,
        });
      });
    });
  }
  if (errors.length > 0) return { ok: false, errors: dedupe(errors) };
  return { ok: true, cases: [...cases.values()], untested };
}

/**
 * What makes two cases the same test: their requests, expectations and load; what the last request captures is
 * unused.
 */
function sameTestKey(testCase: TestCase): string {
  if (testCase.kind === 'ui') return testCase.id;
  const steps = testCase.steps.map((step, i) => {
    if (i < testCase.steps.length - 1) return step;
    const { capture: _unused, ...rest } = step;
    return rest;
  });
  const load = testCase.kind === 'load' ? testCase.load : undefined;
  return contentId('key', { skip: testCase.skip, title: testCase.skip && testCase.title, steps, load });
}

function dedupe(errors: SourceError[]): SourceError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.file}:${e.line}:${e.column}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export { RULES } from './rules/index.ts';
export type { Rule, CaseDraft, StepContext } from './draft.ts';
