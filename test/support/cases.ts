// Test-case fixtures shared by the runner tests.
import type { ApiStep, ApiTestCase, TestCase } from '../../src/cases/index.ts';
import type { Exchanged } from '../../src/run/http.ts';

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

/** An exchange as the runner records it, for judging a response without sending one: JSON bodies parsed. */
export function exchangeOf(response: Partial<Exchanged['response']> = {}, durationMs = 5): Exchanged {
  const body = response.body ?? '';
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return {
    request: { method: 'GET', url: 'http://127.0.0.1/x', headers: {} },
    response: { status: 200, headers: {}, body, ...(json !== undefined && { json }), ...response },
    durationMs,
  };
}
