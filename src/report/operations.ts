// Which operations of the API description the run exercised: every request of every case that ran, matched to
// an operation by method and path template (parameter names aside), with the verdicts of the cases that used it.
import { operationKey } from '../cases/index.ts';
import type { OperationCoverage, RunResult, TestCase } from '../cases/index.ts';

export interface DescribedOperation {
  method: string;
  path: string;
  operationId: string;
}

export function operationCoverage(
  source: string,
  operations: readonly DescribedOperation[],
  cases: readonly TestCase[],
  results: readonly RunResult[],
): OperationCoverage {
  const statusOf = new Map(results.map((r) => [r.caseId, r.status]));
  const index = new Map(operations.map((o, i) => [operationKey(o.method, o.path), i]));
  const counts = operations.map(() => ({ cases: 0, passed: 0, failed: 0 }));
  for (const testCase of cases) {
    const status = statusOf.get(testCase.id);
    if (status === undefined || status === 'skipped' || testCase.kind === 'ui') continue;
    const used = new Set<number>();
    for (const step of testCase.steps) {
      // A step is named after the operation it calls: "POST /api/projects/{projectId}/tracks".
      const [method = '', path = ''] = step.name.replace(/^sign in as [^:]+: /, '').split(' ');
      const found = index.get(operationKey(method, path));
      if (found !== undefined) used.add(found);
    }
    for (const i of used) {
      counts[i]!.cases++;
      if (status === 'passed' || status === 'flaky') counts[i]!.passed++;
      else counts[i]!.failed++;
    }
  }
  return {
    source,
    operations: operations.map((o, i) => ({
      method: o.method,
      path: o.path,
      operationId: o.operationId,
      ...counts[i]!,
    })),
  };
}
