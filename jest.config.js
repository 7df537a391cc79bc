// Jest runs the TypeScript sources as native ES modules; swc only strips types.
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
  coverageThreshold: { global: { lines: 90 } },
  testTimeout: 30000,
};
