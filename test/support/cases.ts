// Test-case fixtures shared by the runner tests.
import type { ApiStep, ApiTestCase, TestCase } from '../../src/cases/index.ts';

/** Where a hand-made test case says it came from. */
export const originOf = (title: string): TestCase['origin'] => ({
  file: 'f.yml',
  line: 1,
  column: 1,
  role: 'R',
  journey: 'J',
  step: 'S',
  title,
  generator: 'test',
});

/** A hand-made API case of these steps, titled `title`; anything else of it given in `extra`. */
export const apiCase = (
  steps: ApiStep[],
  title = 'a case',
  extra: Partial<ApiTestCase> = {},
): ApiTestCase => ({
  id: 'tc_000000000000',
  title,
  kind: 'api',
  priority: 'medium',
  tags: [],
  origin: originOf(title),
  steps,
  ...extra,
});
