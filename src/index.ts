// Gauntlet as a library: load user cases, generate test cases, run them against a URL or an in-process handler,
// and summarize the results; the same parts the `gauntlet` command is made of.
export { loadUserCases, loadConfig, formatSourceError, TestCase, RunSummary } from './cases/index.ts';
export type { GauntletConfig, LoadedUserCase, RunResult, SourceText } from './cases/index.ts';
export { generateTestCases } from './generate/index.ts';
export type { Generated } from './generate/index.ts';
export { runTestCases, BUILT_IN_CHECKS } from './run/index.ts';
export type { Check, RunOptions } from './run/index.ts';
export { summarize, exitCodeOf } from './report/index.ts';
