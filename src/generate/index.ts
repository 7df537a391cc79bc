// Generation: user cases in, test cases out. Deterministic: the same input gives the same cases in the same order.
// `generateTestCases` is the rules alone, synchronous; `generate` adds committed regression cases and the LLM
// providers of the configuration, with their cache, budgets and fallback.
import type { GauntletConfig, LoadedUserCase, Origin, SourceError } from '../cases/index.ts';
import type { TestCase } from '../cases/index.ts';
import { assembleCase, GenerationError } from './assemble.ts';
import { CaseSet } from './case-set.ts';
import type { Rule } from './draft.ts';
import { draftJourney } from './rules-provider.ts';
import { RULES } from './rules/index.ts';
import type { ApiDescription } from './openapi/index.ts';
import type { DictionaryEntry } from './openapi/values/dictionary.ts';

export type Untested = Omit<Origin, 'generator' | 'parent'>;

export type Generated =
  { ok: true; cases: TestCase[]; untested: Untested[] } | { ok: false; errors: SourceError[] };

export interface GenerateOptions {
  rules?: readonly Rule[];
  /** The API description: rules use the schemas of the operations steps call. */
  description?: ApiDescription;
  /** Told as the rules get through the journeys' steps, all journeys counted together (for long generations). */
  onProgress?: (stepsDone: number, steps: number) => void;
  /** Value-dictionary entries an LLM proposed for names the table does not know (dictionary-proposals.ts). */
  proposed?: readonly DictionaryEntry[];
}

export function generateTestCases(
  sources: readonly LoadedUserCase[],
  config: GauntletConfig,
  options: GenerateOptions = {},
  into: CaseSet = new CaseSet(),
): Generated {
  const rules = options.rules ?? RULES;
  const errors: SourceError[] = [];
  const steps = sources.reduce((sum, source) => sum + source.userCase.steps.length, 0);
  let stepsBefore = 0;
  // Drafting a journey's steps comes before the first of them is assembled: the work starts here.
  options.onProgress?.(0, steps);
  for (const source of sources) {
    let reported = -1;
    for (const draft of draftJourney(
      source,
      config,
      rules,
      () => true,
      options.description,
      options.proposed,
    )) {
      if (options.onProgress && draft.stepIndex !== reported) {
        reported = draft.stepIndex;
        options.onProgress(stepsBefore + draft.stepIndex, steps);
      }
      const step = source.userCase.steps[draft.stepIndex]!;
      try {
        // The same requests are one test, whoever proposed them first (people before rules) keeps the title.
        into.add(assembleCase({ source, stepIndex: draft.stepIndex, step, config }, draft));
      } catch (error) {
        if (!(error instanceof GenerationError)) throw error;
        errors.push(error.error);
      }
    }
    stepsBefore += source.userCase.steps.length;
    options.onProgress?.(stepsBefore, steps);
  }
  if (errors.length > 0) return { ok: false, errors: dedupe(errors) };
  return { ok: true, cases: into.values(), untested: untestedTitles(sources) };
}

/** Titles written without test data: coverage gaps of the user-case matrix. */
function untestedTitles(sources: readonly LoadedUserCase[]): Untested[] {
  const untested: Untested[] = [];
  for (const source of sources) {
    const { userCase } = source;
    userCase.steps.forEach((step, stepIndex) => {
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
  return untested;
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
export { CaseSet } from './case-set.ts';
export { createRulesProvider, draftJourney, RULES_VERSION } from './rules-provider.ts';
export type { Rule, CaseDraft, StepContext } from './draft.ts';
export * from './provider.ts';
