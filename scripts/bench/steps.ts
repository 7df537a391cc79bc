// bench:steps — how loading and generating grow with the number of steps of a user case. One journey of 10k, 20k,
// 40k and 80k steps, written as people write user cases (projects, tracks, comments, versions and exports of the
// sample target, an operator's logs and services, with captures, titled cases, pages and acceptance criteria), is
// loaded (parsed and validated) and generated from as `gauntlet validate` does it, with the repository's
// gauntlet.yml and OpenAPI description. Each size runs in a process of its own, so nothing is cached or warmed from
// the size before. The CPU time of each phase and its growth per doubling are printed: linear work doubles (×2.0);
// quadratic work quadruples. A size that uses more than --limit-s seconds of CPU is stopped, and larger ones are
// not tried.
//   npm run bench:steps [-- --sizes 10000,20000,40000,80000 --limit-s 120]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadConfig, loadUserCases } from '../../src/cases/index.ts';
import type { LoadedUserCase, SourceError } from '../../src/cases/index.ts';
import { generate } from '../../src/generate/generate.ts';
import { loadApiDescription, resolveOperationIds } from '../../src/generate/openapi/index.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,20000,40000,80000' },
    'limit-s': { type: 'string', default: '120' },
    child: { type: 'string' },
  },
});

/**
 * The steps of one block of the journey; `n` makes each block's names and data its own. Mostly reads, as journeys
 * are, with the writes that create what they read: about 4 cases a step with the sample's description.
 */
function block(n: number): Record<string, unknown>[] {
  const user = { auth: 'user' };
  const operator = { auth: 'operator' };
  const ok = { expect: { status: 200 } };
  return [
    {
      step: `Create Project ${n}`,
      api: 'POST /api/projects',
      ...user,
      ...(n % 4 === 0 && { page: `/projects?q=song${n}` }),
      example: { name: `Song ${n} {{$uid}}` },
      capture: { projectId: 'body.id' },
      expect: { status: 201, body: { id: { type: 'string' } } },
      acceptance: ['The project is created with the given name and appears in the project list'],
      priority: 'critical',
      tags: ['projects'],
      ...(n % 10 === 0 && {
        cases: [
          { title: `Create project ${n} with an empty name`, example: { name: '' }, expect: { status: 400 } },
          `Create project ${n} while offline`,
          { title: `Create project ${n} from a template`, skip: 'Templates are chosen in the browser.' },
        ],
      }),
    },
    {
      step: `Open Project ${n}`,
      api: 'GET /api/projects/{projectId}',
      ...user,
      expect: { status: 200, body: { name: { matches: `^Song ${n} ` } } },
      ...(n % 25 === 0 && { acceptance: ['The project opens with p95 < 300 ms'] }),
    },
    { step: `List Projects ${n}`, api: 'GET /api/projects', ...user, ...ok },
    ...(n % 4 === 1
      ? [
          {
            step: `Add Track ${n}`,
            api: 'POST /api/projects/{projectId}/tracks',
            ...user,
            example: { type: 'audio' },
            capture: { trackId: 'body.id' },
            expect: { status: 201 },
          },
          {
            step: `Comment ${n}`,
            api: 'POST /api/projects/{projectId}/comments',
            ...user,
            example: { text: `Nice take ${n}` },
            expect: { status: 201 },
          },
        ]
      : []),
    { step: `Read Comments ${n}`, api: 'GET /api/projects/{projectId}/comments', ...user, ...ok },
    { step: `List Tracks ${n}`, api: 'GET /api/projects/{projectId}/tracks', ...user, ...ok },
    { step: `List Versions ${n}`, api: 'GET /api/projects/{projectId}/versions', ...user, ...ok },
    {
      step: `Export ${n}`,
      api: 'GET /api/projects/{projectId}/export',
      ...user,
      query: { format: n % 2 ? 'wav' : 'mp3' },
      ...ok,
    },
    { step: `Save Project ${n}`, api: 'POST /api/projects/{projectId}/save', ...user, ...ok },
    { step: `Browse Templates ${n}`, api: 'GET /api/templates', ...ok },
    { step: `Read Tutorial ${n}`, api: 'GET /api/tutorial', ...user, ...ok },
    { step: `Who Am I ${n}`, api: 'GET /api/me', ...user, ...ok },
    {
      step: `Search Logs ${n}`,
      api: 'GET /api/jarvis/logs',
      ...operator,
      query: { q: `error ${n}`, limit: 50 },
      ...ok,
    },
    { step: `Dashboard ${n}`, api: 'GET /api/jarvis/dashboard', ...operator, ...ok },
    {
      step: `Service ${n}`,
      api: 'GET /api/jarvis/services/{name}',
      ...operator,
      params: { name: n % 2 ? 'api' : 'worker' },
      ...ok,
    },
    {
      step: `Delete Project ${n}`,
      api: 'DELETE /api/projects/{projectId}',
      ...user,
      expect: { status: 204 },
    },
  ];
}

/** The text of a user case of `steps` steps. */
function userCaseText(steps: number): string {
  const all: Record<string, unknown>[] = [];
  for (let n = 0; all.length < steps; n++) all.push(...block(n));
  // Written out in full, as people write them: no anchors and aliases for the values steps share.
  return stringify(
    {
      product: 'AI DAWG',
      role: 'Music Producer',
      journey: 'A very long session',
      priority: 'high',
      tags: ['aidawg', 'bench'],
      steps: all.slice(0, steps),
    },
    { aliasDuplicateObjects: false },
  );
}

interface Figures {
  steps: number;
  megabytes: number;
  loadMs: number;
  generateMs: number;
  cases: number;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** One size, in this process: load as `gauntlet validate` does (parse, validate, resolve), then generate. */
async function measure(steps: number): Promise<Figures> {
  const configText = await readFile('gauntlet.yml', 'utf8');
  const config = loadConfig({ path: 'gauntlet.yml', text: configText });
  if (!config.ok) throw new Error(config.errors.map((e) => e.message).join('\n'));
  const description = await loadApiDescription(config.value.openapi!);
  const text = userCaseText(steps);
  const fail = (errors: readonly SourceError[]): never => {
    throw new Error(errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  };

  const loadStarted = process.cpuUsage();
  const loaded = loadUserCases([{ path: 'user-cases/bench.yml', text }]);
  if (!loaded.ok) return fail(loaded.errors);
  const resolved = resolveOperationIds(loaded.value, description);
  if (!resolved.ok) return fail(resolved.errors as SourceError[]);
  const loadMs = cpuMs(loadStarted);

  const generateStarted = process.cpuUsage();
  const generated = await generate(resolved.value as LoadedUserCase[], config.value, {
    seed: config.value.generation.seed,
    regression: [],
    description,
    operations: description.operations.map((o) => `${o.method} ${o.path}`),
  });
  if (!generated.ok) return fail(generated.errors);
  const generateMs = cpuMs(generateStarted);
  return {
    steps,
    megabytes: Buffer.byteLength(text) / 1_000_000,
    loadMs,
    generateMs,
    cases: generated.cases.length,
  };
}

/**
 * The CPU time a process has used so far, from /proc on Linux; on a machine busy with other work a limit on the
 * wall time would stop a size for what the others do. Elsewhere, the wall time since `since`.
 */
function secondsUsed(pid: number, since: number): number {
  try {
    // Fields 14 and 15 (user and system time, in clock ticks of 1/100 s), after the command in parentheses.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return (performance.now() - since) / 1000;
  }
}

/** Runs one size in a child process; undefined when it went past the limit and was stopped. */
function measureApart(steps: number, limitMs: number): Promise<Figures | undefined> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [process.argv[1]!, '--child', String(steps)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let stopped = false;
    const timer = setInterval(() => {
      if (secondsUsed(child.pid!, started) * 1000 <= limitMs) return;
      stopped = true;
      child.kill();
    }, 1000);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (stopped) resolve(undefined);
      else if (code !== 0) reject(new Error(`the ${steps}-step measure exited ${code}:\n${out}`));
      else resolve(JSON.parse(out) as Figures);
    });
  });
}

if (values.child !== undefined) {
  process.stdout.write(JSON.stringify(await measure(Number(values.child))));
} else {
  const sizes = values.sizes.split(',').map(Number);
  const limitMs = Number(values['limit-s']) * 1000;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(9);
  const growth = (now: number, before: number | undefined) =>
    (before === undefined ? '' : `×${(now / before).toFixed(2)}`).padStart(6);
  console.log('One user case of N steps: load (parse + validate) and generate (rules), CPU time');
  console.log(
    `${'steps'.padStart(7)} ${'MB'.padStart(5)} ${'load'.padStart(9)} ${'growth'} ${'generate'.padStart(9)} ` +
      `${'growth'} ${'cases'.padStart(9)}`,
  );
  let previous: Figures | undefined;
  for (const steps of sizes) {
    const figures = await measureApart(steps, limitMs);
    if (!figures) {
      console.log(
        `${steps.toLocaleString('en').padStart(7)}  stopped after ${limitMs / 1000} s of CPU time` +
          (sizes.at(-1) === steps ? '' : '; larger sizes not tried'),
      );
      break;
    }
    console.log(
      `${steps.toLocaleString('en').padStart(7)} ${figures.megabytes.toFixed(1).padStart(5)} ` +
        `${seconds(figures.loadMs)} ${growth(figures.loadMs, previous?.loadMs)} ` +
        `${seconds(figures.generateMs)} ${growth(figures.generateMs, previous?.generateMs)} ` +
        `${figures.cases.toLocaleString('en').padStart(9)}`,
    );
    previous = figures;
  }
  console.log('Growth is per doubling of the steps: ×2.0 is linear, ×4.0 quadratic.');
}
