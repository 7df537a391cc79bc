// Jest runs the TypeScript sources as native ES modules; swc only strips types.

/**
 * The coverage threshold belongs to the full run (`npm test`, and so `.ci/run`): a run of some test files covers
 * only their part of the sources, and `npm test -- test/cli` would fail on the global figure though its tests pass.
 * A run is partial when Jest is given a test path, or an option that chooses tests.
 */
const FULL_RUN_THRESHOLD = { global: { lines: 90 } };
const CHOOSING_TESTS =
  /^(-t|-o|-f|--testNamePattern|--testPathPatterns?|--findRelatedTests|--onlyChanged|--onlyFailures|--changedSince|--lastCommit|--selectProjects|--shard|--testMatch|--testRegex|--watch|--watchAll)(=|$)/;
/** Options whose value follows as the next argument, which is then no test path. */
const TAKING_A_VALUE =
  /^(-c|-w|--config|--maxWorkers|--testTimeout|--seed|--reporters|--outputFile|--coverageProvider|--coverageDirectory|--rootDir|--maxConcurrency)$/;

/**
 * @param {readonly string[]} args Jest's arguments
 * @returns {boolean} whether they choose some of the tests
 */
export function isPartialRun(args) {
  for (const [index, arg] of args.entries()) {
    if (CHOOSING_TESTS.test(arg)) return true;
    if (!arg.startsWith('-') && !TAKING_A_VALUE.test(args[index - 1] ?? '')) return true;
  }
  return false;
}

// process.argv is [node, jest's bin, ...Jest's arguments].
const partial = isPartialRun(process.argv.slice(2));

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'es6' } },
    ],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  collectCoverage: true,
  coverageProvider: 'v8',
  // The two model files hold types alone: stripped of them, nothing is left to run, and they would count as 0%.
  collectCoverageFrom: [
    'src/**/*.ts',
    'app/**/*.ts',
    'actions/**/*.ts',
    '!src/analyze/model.ts',
    '!src/report/model.ts',
  ],
  coverageReporters: ['text-summary', 'text', 'json-summary'],
  ...(!partial && { coverageThreshold: FULL_RUN_THRESHOLD }),
  // Two workers on the two cores of the CI machine: a run in one process takes past 20 minutes, and holds every test
  // file's modules in one heap.
  maxWorkers: 2,
  // A hang guard, not a speed limit: on a busy machine (CI beside other work) a real run against the sample target
  // can take minutes. No test sets a shorter one.
  testTimeout: 300_000,
};
