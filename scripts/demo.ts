// The demo: starts the sample target (examples/aidawg), runs `gauntlet run` against it, and says where the report is.
// AIDAWG_FAULTS=all (or F1,F3,...) switches on the target's documented faults, which the report should then point at.
import { startAidawg } from '../examples/aidawg/server.ts';
import { parseFaults } from '../examples/aidawg/faults.ts';
import { runCli } from '../src/cli/program.ts';

let faults;
try {
  faults = parseFaults(process.env.AIDAWG_FAULTS ?? '');
} catch (error) {
  console.error(`demo: ${(error as Error).message}`);
  process.exit(2);
}
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
