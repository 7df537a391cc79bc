// What tests assert on: every request the emulator answered, in order, and every contract violation. A violation
// is a request GitHub would refuse (no such operation, parameters or body outside the description, a GraphQL
// document the schema rejects), an operation the emulator does not implement yet, or an answer of the emulator's
// that breaks the response schema. Any of them fails the test that caused it (see `assertNoViolations`).
import type { FaultKind } from './faults.ts';

export interface RecordedRequest {
  /** 1, 2, 3, … in the order the requests arrived. */
  seq: number;
  method: string;
  /** The path as sent, with its query, without the `/api/v3` prefix Probot adds. */
  path: string;
  /** The REST operationId, or `graphql`. */
  operationId: string | undefined;
  /** For GraphQL: the operation type and the root fields it selected (`minimizeComment`, `organization`, …). */
  graphql?: {
    type: 'query' | 'mutation' | 'subscription';
    fields: string[];
    variables: Record<string, unknown>;
  };
  /** Who called: an account login, `app` (the app's JWT), or `anonymous`. */
  caller: string;
  body: unknown;
  status: number;
  response: unknown;
  fault?: FaultKind;
}

export type ViolationKind =
  | 'unknown-operation'
  | 'invalid-request'
  | 'invalid-graphql'
  | 'unimplemented'
  | 'invalid-response'
  | 'emulator-error';

export interface Violation {
  kind: ViolationKind;
  /** One line: the request, the operation, and what is wrong. */
  message: string;
  method: string;
  path: string;
  body: unknown;
}

export interface Delivery {
  id: string;
  event: string;
  action: string | undefined;
  url: string;
  payload: Record<string, unknown>;
  /** The receiving app's answer. */
  status: number;
  response: string;
}

export class ContractViolationError extends Error {
  readonly violations: Violation[];

  constructor(violations: Violation[]) {
    const lines = violations.map((v) => `  - [${v.kind}] ${v.message}${excerpt(v.body)}`);
    super(`The GitHub emulator saw ${violations.length} contract violation(s):\n${lines.join('\n')}`);
    this.name = 'ContractViolationError';
    this.violations = violations;
  }
}

export class Inspection {
  readonly requests: RecordedRequest[] = [];
  readonly deliveries: Delivery[] = [];
  private readonly open: Violation[] = [];

  /** Requests for one REST operationId, or GraphQL requests that selected this root field. */
  calls(operation: string): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.operationId === operation || r.graphql?.fields.includes(operation) === true,
    );
  }

  /**
   * What clients changed, in order: successful REST writes and GraphQL mutations, as `operationId` or GraphQL field
   * names. The usual assertion for "what was created, in which order".
   */
  changes(): string[] {
    return this.requests
      .filter((r) => r.status < 400 && (r.graphql ? r.graphql.type === 'mutation' : r.method !== 'GET'))
      .flatMap((r) => r.graphql?.fields ?? [r.operationId ?? r.path]);
  }

  get violations(): readonly Violation[] {
    return this.open;
  }

  record(violation: Violation): void {
    this.open.push(violation);
  }

  /** Returns the violations seen so far and forgets them: for tests that cause violations on purpose. */
  takeViolations(): Violation[] {
    return this.open.splice(0);
  }

  /** Throws, naming each violation, if any was seen since the last call; then starts afresh. */
  assertNoViolations(): void {
    const violations = this.takeViolations();
    if (violations.length > 0) throw new ContractViolationError(violations);
  }

  /** Forgets requests, deliveries and violations, e.g. between tests that share one emulator. */
  reset(): void {
    this.requests.length = 0;
    this.deliveries.length = 0;
    this.open.length = 0;
  }
}

function excerpt(body: unknown): string {
  if (body === undefined || body === '') return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `\n      body: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}
