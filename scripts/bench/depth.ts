// bench:depth — how deep a first run reaches into services known only by their API description. Each service is
// started under c8 (V8 coverage of the service's own code), then `gauntlet run --rules-only --no-cases --openapi …`
// and `gauntlet explore` (same options) run against it, with no LLM. Printed per service: line and branch coverage
// of its code after the run and after explore, cases, wall time and findings. The sample target runs without its
// planted faults, so it is a correct service: any finding there is a false one, and must be 0.
//   npm run bench:depth [-- --max-cases 500]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCli } from '../../src/cli/program.ts';
import { RunSummary } from '../../src/cases/index.ts';
import { THIRD_PARTY_DESCRIPTION } from '../../test/support/third-party/index.ts';

const { values } = parseArgs({ options: { 'max-cases': { type: 'string', default: '500' } } });
const ROOT = path.resolve(import.meta.dirname, '../..');

interface Service {
  name: string;
  /** Whether it is known to be correct: its findings must be 0. */
  correct: boolean;
  main: string;
  description: string;
  /** c8 --include globs: the service's own code. */
  include: string[];
  env?: Record<string, string>;
  /** gauntlet.yml for the run, beside `retries: 0`: how it signs in, where it can. */
  config?: string;
}

const petstoreLib = path.relative(
  ROOT,
  path.join(path.dirname(path.dirname(THIRD_PARTY_DESCRIPTION)), 'lib'),
);

const SERVICES: Service[] = [
  {
    name: 'sample target (AI DAWG, no faults)',
    correct: true,
    main: 'examples/aidawg/main.ts',
    description: 'examples/aidawg/openapi.yaml',
    include: ['examples/aidawg/**'],
    env: { PORT: '0', AIDAWG_FAULTS: '' },
    // One identity, as a new user would write it: secured operations are called signed in.
    config: [
      'identities:',
      '  user:',
      '    fresh: true',
      '    steps:',
      '      - api: POST /api/auth/signup',
      "        example: { email: 'bench-{{$uid}}@example.test', password: 'bench-pass-1', name: Bench }",
      '        capture: { token: body.token }',
      "    headers: { authorization: 'Bearer {{token}}' }",
    ].join('\n'),
  },
  {
    name: 'Swagger Petstore (swagger-express-middleware, third party)',
    correct: false,
    main: 'scripts/bench/third-party-main.ts',
    description: path.relative(ROOT, THIRD_PARTY_DESCRIPTION),
    include: [`${petstoreLib}/**`],
  },
];

interface Coverage {
  lines: number;
  branches: number;
}

interface Row {
  service: string;
  phase: string;
  cases: number;
  seconds: number;
  findings: number;
  falseFindings: number | '—';
  coverage: Coverage;
}

async function measure(service: Service, work: string, command: 'run' | 'explore'): Promise<Row> {
  const reports = path.join(work, `c8-${command}`);
  const child = spawn(
    path.join(ROOT, 'node_modules/.bin/c8'),
    [
      '--reporter=json-summary',
      `--reports-dir=${reports}`,
      '--exclude-node-modules=false',
      ...service.include.map((glob) => `--include=${glob}`),
      process.execPath,
      service.main,
    ],
    { cwd: ROOT, env: { ...process.env, ...service.env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await listeningUrl(child);
  const out = path.join(work, command);
  const config = path.join(work, 'gauntlet.yml');
  await writeFile(config, `retries: 0\n${service.config ?? ''}\n`);
  const started = performance.now();
  const args = [command, '--rules-only', '--no-cases', '--openapi', service.description];
  args.push('--target', url, '--config', config, '--out', out, '--seed', '1');
  if (command === 'explore') args.push('--max-cases', values['max-cases']);
  const quiet = { write: () => undefined };
  await runCli(args, { stdout: quiet, stderr: quiet, env: { GAUNTLET_STORE_DIR: path.join(work, 'store') } });
  const seconds = (performance.now() - started) / 1000;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
  const findings = (summary.findings ?? []).filter((f) => f.state !== 'fixed').length;
  const total = JSON.parse(await readFile(path.join(reports, 'coverage-summary.json'), 'utf8')).total as {
    lines: { pct: number };
    branches: { pct: number };
  };
  return {
    service: service.name,
    phase: command,
    cases: summary.results.length,
    seconds,
    findings,
    falseFindings: service.correct ? findings : '—',
    coverage: { lines: total.lines.pct, branches: total.branches.pct },
  };
}

/** The service's URL, from the line it prints once it listens ("… listening on http://127.0.0.1:…"). */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/i.exec(seen);
      if (found) resolve(found[1]!);
    });
    child.once('exit', (code) =>
      reject(new Error(`the service ended (code ${code}) before listening:\n${seen}`)),
    );
  });
}

const rows: Row[] = [];
for (const service of SERVICES) {
  const work = await mkdtemp(path.join(tmpdir(), 'gauntlet-bench-depth-'));
  try {
    for (const command of ['run', 'explore'] as const) rows.push(await measure(service, work, command));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

console.log('| service | command | lines | branches | cases | wall time | findings | false findings |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) {
  console.log(
    `| ${row.service} | ${row.phase} | ${row.coverage.lines.toFixed(1)}% | ${row.coverage.branches.toFixed(1)}% | ` +
      `${row.cases} | ${row.seconds.toFixed(1)} s | ${row.findings} | ${row.falseFindings} |`,
  );
}
const wrong = rows.filter((row) => typeof row.falseFindings === 'number' && row.falseFindings > 0);
if (wrong.length > 0) {
  console.error(
    `bench:depth: findings on a correct service: ${wrong.map((r) => `${r.service} (${r.phase})`).join(', ')}`,
  );
  process.exitCode = 1;
}
