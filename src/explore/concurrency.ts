// The same create sent twice at once: each request must either do what one alone does or be refused (any 4xx: a
// 409 Conflict, or the 400 or 422 a service answers for a duplicate). A check-then-insert without a lock shows here,
// and nowhere a request at a time goes.
import type { ApiTestCase, StatusExpectation } from '../cases/index.ts';
import { deriveCase, isSignIn } from './derive.ts';

export const CONCURRENCY_GENERATOR = 'explore/concurrency';

/** The variant of a passing case whose last request creates something (a POST expecting 201); none otherwise. */
export function concurrencyVariant(testCase: ApiTestCase): ApiTestCase | undefined {
  const last = testCase.steps.at(-1);
  if (!last || last.request.method !== 'POST' || last.repeat || last.probe || isSignIn(last))
    return undefined;
  // A create says so: it expects 201 Created. Other POSTs (an edit, a restart) may rightly refuse a second one.
  const statuses = asList(last.expect.status ?? []);
  if (
    !statuses.includes(201) ||
    !statuses.every((s) => s === '2xx' || (typeof s === 'number' && s >= 200 && s < 300))
  ) {
    return undefined;
  }
  const { capture: _capture, ...rest } = last;
  const twice = {
    ...rest,
    expect: { status: [...statuses, '4xx' as const] },
    // The runner sends the requests of a repeated step side by side, each judged on its own.
    repeat: { count: 2, concurrency: 2 },
  };
  return deriveCase(testCase, [...testCase.steps.slice(0, -1), twice], {
    generator: CONCURRENCY_GENERATOR,
    title: `${last.name}: the same request twice at once is done once or refused (4xx)`,
    tags: ['concurrency'],
  });
}

function asList(status: StatusExpectation | []): (number | '1xx' | '2xx' | '3xx' | '4xx' | '5xx')[] {
  return Array.isArray(status) ? status : [status];
}
