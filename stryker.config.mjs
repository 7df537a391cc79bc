// Mutation testing of the trust modules (`npm run mutation`): it shows which bugs their tests would let through.
// Local only, not part of CI; incremental, so a second run re-tests only the mutants whose code or tests changed.
//
// Scope a run to one module and its own tests (the way to run it while working; the whole scope runs most of the
// suite for every mutant and takes hours):
//   npm run mutation -- --mutate src/run/origin-guard.ts
// A module's own tests are found by name: src/run/checks.ts → test/run/checks.test.ts and test/run/checks-*.test.ts.
// Name others with MUTATION_TESTS (comma-separated paths or globs, relative to the repository):
//   MUTATION_TESTS=test/run/redact.test.ts,test/run/redact-property.test.ts npm run mutation -- --mutate src/run/redact.ts
// After adding tests, add --force once: incremental mode keeps the old verdict of mutants that run at load time
// (module-level constants such as a regular expression), so they can stay "survived" though a new test kills them.
// Stryker's own --testFiles is refused: with the jest runner (10.0) it passes file names where test names are
// expected, so mutants that run at load time run no test at all and are all reported as survivors.
import { globSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The values of a command-line option (`--name v`, `--name=v`, `-n v`), comma-separated or repeated. */
function optionValues(argv, long, short) {
  const values = [];
  argv.forEach((arg, index) => {
    if (arg.startsWith(`${long}=`)) values.push(...arg.slice(long.length + 1).split(','));
    else if (arg === long || arg === short) values.push(...(argv[index + 1] ?? '').split(','));
  });
  return values.filter((value) => value !== '');
}

/** The test files of the modules named by --mutate, by the naming convention above; [] for globs or no --mutate. */
function conventionalTests(mutate) {
  const files = mutate.map((pattern) => pattern.replace(/:[\d:-]+$/, '')); // "src/x.ts:8-12": lines 8 to 12
  if (files.length === 0 || files.some((file) => /[*?{[!]/.test(file))) return [];
  return files.flatMap((file) => {
    const name = basename(file, '.ts');
    const folder = join('test', dirname(file).replace(/^src(\/|$)/, ''));
    const found = globSync(`${folder}/{${name},${name}-*}.test.ts`);
    if (found.length > 0) return found;
    // Unscoped, the run would start most of the suite for every mutant: on a shared machine, ask first.
    throw new Error(
      `npm run mutation: no ${folder}/${name}.test.ts or ${name}-*.test.ts for ${file}; ` +
        'name its tests with MUTATION_TESTS=<files> (MUTATION_TESTS=all runs every test that imports it)',
    );
  });
}

const argv = process.argv.slice(2);
if (optionValues(argv, '--testFiles', '-t').length > 0) {
  throw new Error(
    'npm run mutation: use MUTATION_TESTS=<test files> instead of --testFiles (see stryker.config.mjs for why)',
  );
}
const mutate = optionValues(argv, '--mutate', '-m');
const named = (process.env.MUTATION_TESTS ?? '').split(',').filter((file) => file !== '');
const testFiles = named.length === 0 ? conventionalTests(mutate) : named.includes('all') ? [] : named;
// One incremental file per scope: a run of one module must not drop what a run of another remembered.
const scope = mutate.map((pattern) => pattern.replace(/\.ts\b/g, '').replace(/[^\w.-]+/g, '_')).join('+');
if (testFiles.length > 0) console.log(`Mutation testing with the tests in ${testFiles.join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  // Jest runs the sources as native ES modules (see the "test" script); Stryker's workers must do the same.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    config: testFiles.length > 0 ? { testMatch: testFiles.map((file) => `<rootDir>/${file}`) } : {},
    // Unscoped, each mutant runs only the test files that import its module.
    enableFindRelatedTests: testFiles.length === 0,
  },
  // Each mutant runs only the tests that reached it; this works with jest's ESM mode.
  coverageAnalysis: 'perTest',
  mutate: [
    'src/run/**/*.ts',
    'src/analyze/**/*.ts',
    '!src/analyze/model.ts',
    'src/cases/load.ts',
    'src/cases/yaml-source.ts',
    'src/generate/openapi/load-description.ts',
  ],
  ignorePatterns: ['coverage', 'reports', '.gauntlet', 'dist'],
  incremental: true,
  incrementalFile: `reports/mutation/incremental${scope ? `-${scope}` : ''}.json`,
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  // The machine running this is usually shared; raise it with --concurrency on a free one.
  concurrency: 1,
  // Real servers and Chromium start inside tests: give a mutant that slows them room before calling it a timeout.
  timeoutMS: 20000,
  cleanTempDir: 'always',
};
