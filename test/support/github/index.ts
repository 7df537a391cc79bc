// The local GitHub for tests: a stateful emulator held to GitHub's own API description. See README.md.
export { startGitHubEmulator } from './emulator.ts';
export type { GitHubEmulator, StartOptions } from './emulator.ts';
export { ContractViolationError } from './inspection.ts';
export type { Delivery, RecordedRequest, Violation, ViolationKind } from './inspection.ts';
export type { FaultKind, FaultSpec } from './faults.ts';
export type { DeliveryOptions } from './webhooks/payloads.ts';
export type * from './state/records.ts';
