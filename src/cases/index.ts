// The model: user cases people write, test cases Gauntlet generates, results it records.
export * from './expectation.ts';
export * from './own-value.ts';
export * from './user-case.ts';
export * from './test-case.ts';
export type { UiStep } from './ui-step.ts';
export * from './run-result.ts';
export * from './load-profile.ts';
export { HEADER_INJECTION_PROBE, INJECTED_HEADER, MARKUP_PROBE, PROBES } from './probes.ts';
export type { Probe } from './probes.ts';
export * from './config.ts';
export { contentId } from './id.ts';
export { loadUserCases, loadConfig } from './load.ts';
export type { LoadedUserCase, Loaded, SourceText } from './load.ts';
export { formatSourceError, formatPath, parseYamlDocuments } from './yaml-source.ts';
export type { Position, SourceError } from './yaml-source.ts';
export { fillTemplate, placeholdersIn, renamePlaceholders, MissingValueError } from './template.ts';
export type { Vars } from './template.ts';
export { declaredOperation, operationKey } from './operation-key.ts';
