// A case made from another: new steps, a fresh content id, and an origin that names its parent and who made it.
import { contentId } from '../cases/index.ts';
import type { ApiStep, ApiTestCase, Expectation, Origin, TestCase } from '../cases/index.ts';

/** What a mutation may answer: anything but a server error (the built-in checks judge the rest). */
export const NOT_A_SERVER_ERROR: Expectation = { status: ['2xx', '3xx', '4xx'] };

export function deriveCase(
  parent: ApiTestCase,
  steps: ApiStep[],
  made: { generator: string; parent?: string; title?: string; tags?: string[] },
): ApiTestCase {
  const origin: Origin = {
    ...parent.origin,
    generator: made.generator,
    parent: made.parent ?? parent.id,
    ...(made.title !== undefined && { title: made.title }),
  };
  return {
    ...parent,
    id: contentId('tc', { kind: 'api', steps }),
    title: made.title ?? parent.title,
    tags: made.tags ? [...new Set([...parent.tags, ...made.tags])] : parent.tags,
    origin,
    steps,
  };
}

/** Gives a case made elsewhere (by assembleCase, say) the parent and generator of a follow-up. */
export function adopt(testCase: TestCase, parent: string, generator: string): TestCase {
  return { ...testCase, origin: { ...testCase.origin, parent, generator } };
}

export function isApiCase(testCase: TestCase): testCase is ApiTestCase {
  return testCase.kind === 'api' && testCase.skip === undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The step a failed result failed at; the last step with evidence when it erred. */
export function failingStepOf(
  testCase: ApiTestCase,
  failed: { failures: { step: number }[]; evidence: { step: number }[] },
): number {
  return failed.failures[0]?.step ?? failed.evidence.at(-1)?.step ?? testCase.steps.length - 1;
}

/** Sign-in steps are named by assembleCase as "sign in as <identity>: …". */
export function isSignIn(step: ApiStep): boolean {
  return step.name.startsWith('sign in as ');
}
