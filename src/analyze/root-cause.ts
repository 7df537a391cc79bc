// Root causes: the findings one fix removes. A finding is one failure on one operation (its signature). Two
// findings share a root cause when
// - a check that judges every answer of the service (a leaked stack trace, a missing credential check) fails the
//   same way on both operations: most likely one error handler or one middleware does it; or
// - both are broken access control on the same operation: whether a test came without credentials, with made-up
//   ones or as a user without the right, the operation let it in, because it checks nobody.
// A check of what one operation should answer keeps one cause per finding: two operations that both answer 201
// where 409 was expected are two bugs. Each cause is reported and recommended once, naming its operations.
import type { Finding } from './model.ts';
import { harmClass, harmOf, judgesWholeService, type HarmClass } from './risk.ts';
import { normalizeMessage } from './signature.ts';

export interface RootCause {
  /** The root-cause key of its first finding. */
  key: string;
  /** The harm of its first finding. */
  harm: HarmClass;
  /** Its findings in the order they came in (most serious first, when they came from `analyze`). */
  findings: Finding[];
  /** The operations it fails on, in the order of its findings, each once. */
  operations: string[];
  /** The checks that saw it, each once. */
  checks: string[];
  /** Results that fail this way, on every operation. */
  count: number;
}

/**
 * What two findings share when they have one cause. For a check that judges the whole service: the check, the class
 * of the status (a leak in a 400 and one in a 422 come from one handler; one in a 500 is told apart) and the message
 * without its particulars, whatever the operation. For a check of what one operation should answer: the finding's
 * own signature (check, operation, status, message), as the particulars taken out of its message ("expected status
 * 409, got 201" and "expected status 202, got 200" both read "expected status N, got N") may be all that tells two
 * bugs apart.
 */
export function rootCauseKey(finding: Pick<Finding, 'check' | 'operation' | 'status' | 'message'>): string {
  const message = normalizeMessage(finding.message);
  if (judgesWholeService(finding.check)) {
    const status = finding.status === undefined ? '-' : `${Math.floor(finding.status / 100)}xx`;
    return [finding.check, status, message].join(' | ');
  }
  return [finding.check, finding.operation, finding.status ?? '-', message].join(' | ');
}

/** The findings grouped by root cause, in the order of each cause's first finding; each finding in one cause. */
export function rootCausesOf(findings: readonly Finding[]): RootCause[] {
  // Union-find over the keys that link findings: each finding's root-cause key, and its operation when it is
  // broken access control. Findings whose keys end up joined share a cause.
  const parent = new Map<string, string>();
  const rootOf = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(key, root);
    return root;
  };
  const firstKeys = findings.map((finding) => {
    const keys = [`cause ${rootCauseKey(finding)}`];
    if (harmOf(finding) === 'access') keys.push(`access on ${finding.operation}`);
    for (const key of keys) if (!parent.has(key)) parent.set(key, key);
    const [root, ...others] = keys.map(rootOf);
    for (const other of others) if (other !== root) parent.set(other, root!);
    return keys[0]!;
  });
  const causes = new Map<string, RootCause & { seen: Set<string> }>();
  findings.forEach((finding, i) => {
    const root = rootOf(firstKeys[i]!);
    const cause = causes.get(root);
    if (!cause) {
      causes.set(root, {
        key: rootCauseKey(finding),
        harm: harmClass(harmOf(finding)),
        findings: [finding],
        operations: [finding.operation],
        checks: [finding.check],
        count: finding.count,
        seen: new Set([finding.operation]),
      });
      return;
    }
    cause.findings.push(finding);
    if (!cause.seen.has(finding.operation)) cause.operations.push(finding.operation);
    cause.seen.add(finding.operation);
    if (!cause.checks.includes(finding.check)) cause.checks.push(finding.check);
    cause.count += finding.count;
  });
  return [...causes.values()].map(({ seen: _, ...cause }) => cause);
}
