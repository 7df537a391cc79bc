// bench:action — how soon the root action gets to work. The action is its committed bundle (dist/run/index.js), run
// as a runner runs it (INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), with nothing installed:
// measured are its start (an input it refuses: loading the bundle, reading the inputs) and a whole run of one user
// case against a loopback service. The baseline is what the composite action it replaced did before every use:
// `npm ci --omit=dev` of the project's dependencies, measured here in the same process, from npm's cache.
//   npm run bench:action [-- --runs 5]
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Math.max(1, Number(values.runs));
const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

const work = await mkdtemp(path.join(tmpdir(), 'gauntlet-bench-action-'));
const service = http.createServer((_request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end('{"status":"ok"}');
});
await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
const target = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
await writeFile(
  path.join(work, 'health.yml'),
  'role: Listener\njourney: Checks\nsteps:\n  - step: Health\n    api: GET /health\n    expect: { status: 200 }\n',
);

/** Milliseconds of one run of the bundle with these inputs; the step's exit code does not matter here. */
async function actionMs(inputs: Record<string, string>): Promise<number> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: path.join(work, 'output'),
    GITHUB_STEP_SUMMARY: path.join(work, 'summary'),
    GAUNTLET_STORE_DIR: path.join(work, 'store'),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  await Promise.all([writeFile(env.GITHUB_OUTPUT!, ''), writeFile(env.GITHUB_STEP_SUMMARY!, '')]);
  const started = performance.now();
  await run(process.execPath, [path.join(ROOT, 'dist/run/index.js')], { cwd: work, env }).catch(() => {});
  return performance.now() - started;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(inputs: Record<string, string>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await actionMs(inputs));
  return median(samples);
}

try {
  const start = await measure({ command: 'none', target });
  const whole = await measure({
    command: 'run',
    target,
    cases: 'health.yml',
    out: 'reports',
    'fail-on': 'new',
    retries: '0',
  });
  // The baseline: the install the composite action ran at every use, from npm's cache (no download counted).
  const project = path.join(work, 'install');
  await cp(path.join(ROOT, 'package.json'), path.join(project, 'package.json'));
  await cp(path.join(ROOT, 'package-lock.json'), path.join(project, 'package-lock.json'));
  const installStarted = performance.now();
  await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: project,
  });
  const install = performance.now() - installStarted;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`| measure | median of ${RUNS} | against the install |`);
  console.log('| --- | --- | --- |');
  console.log(
    `| start (load the bundle, read the inputs) | ${seconds(start)} | ×${(install / start).toFixed(1)} sooner |`,
  );
  console.log(`| a run of one user case | ${seconds(whole)} | ×${(install / whole).toFixed(1)} sooner |`);
  console.log(`| baseline: \`npm ci --omit=dev\` from npm's cache (once) | ${seconds(install)} | |`);
} finally {
  service.close();
  await rm(work, { recursive: true, force: true });
}
