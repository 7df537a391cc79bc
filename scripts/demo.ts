// The demo: starts the sample target (examples/aidawg), runs `gauntlet run` against it, and says where the report is.
// AIDAWG_FAULTS=all (or F1,F3,...) switches on the target's documented faults, which the report should then point at.
//
// The UI cases need Chromium. On a bare Debian machine, as root, the demo installs Debian's `chromium` as
// scripts/test.sh does (the browser the tests use; Playwright's own download needs hosts besides the npm registry,
// and a Chromium from an npm package is built for another distribution). Where it cannot, the run goes on and
// reports the UI cases as not run. GAUNTLET_DEMO_NO_INSTALL=1 installs nothing.
import { spawnSync } from 'node:child_process';
import { startAidawg } from '../examples/aidawg/server.ts';
import { parseFaults } from '../examples/aidawg/faults.ts';
import { runCli } from '../src/cli/program.ts';
import { unrunnableReason } from '../src/run/environment.ts';

/** Where Debian's package puts Chromium, and where Gauntlet looks when neither CHROMIUM_PATH nor gauntlet.yml say. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Installs Debian's Chromium when the run will look for it there, it is not there, and this is root with apt-get.
 * A failed install is said and passed over: the run then reports the UI cases as not run, with how to fix that.
 */
function installChromiumIfMissing(): void {
  const browser = process.env.CHROMIUM_PATH ?? DEBIAN_CHROMIUM;
  if (process.env.GAUNTLET_DEMO_NO_INSTALL || browser !== DEBIAN_CHROMIUM) return;
  if (unrunnableReason(browser) === undefined || process.getuid?.() !== 0) return;
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).error) return;
  console.log('Installing Chromium for the UI cases (apt-get install chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', 'chromium'],
  ]) {
    const step = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (step.status === 0) continue;
    const how = step.error ? step.error.message : `exited with code ${step.status ?? step.signal}`;
    console.log(`Chromium could not be installed (apt-get ${args[0]} ${how}); the UI cases will not be run.`);
    return;
  }
}

let faults;
try {
  faults = parseFaults(process.env.AIDAWG_FAULTS ?? '');
} catch (error) {
  console.error(`demo: ${(error as Error).message}`);
  process.exit(2);
}
installChromiumIfMissing();
const target = await startAidawg({ faults });
const faultList = faults.size ? [...faults].join(', ') : 'none';
console.log(`Started the sample target AI DAWG at ${target.url} (faults: ${faultList})`);
console.log(`$ gauntlet run --target ${target.url} --cases user-cases --out reports\n`);
try {
  const code = await runCli(['run', '--target', target.url, '--cases', 'user-cases', '--out', 'reports'], {
    stdout: process.stdout,
    stderr: process.stderr,
  });
  if (code === 2) process.exitCode = 2;
  else if (code === 1 && faults.size === 0) process.exitCode = 1;
  else if (code === 1)
    console.log('\nThe problems above are the faults switched on in the target; the report explains each.');
  console.log('\nRead reports/report.md, or open reports/report.html in a browser.');
} finally {
  await target.close();
}
