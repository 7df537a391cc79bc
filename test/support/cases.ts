// Test-case fixtures shared by the runner tests.
import type { TestCase } from '../../src/cases/index.ts';

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
