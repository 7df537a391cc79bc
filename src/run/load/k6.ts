// k6 as a load engine: a load case becomes a self-contained k6 script, and the summary k6 exports
// (`--summary-export`, its legacy JSON format) becomes a LoadMeasurement.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ApiStep, LoadMeasurement, LoadProfile, LoadTestCase } from '../../cases/index.ts';
import { EnvironmentError, unrunnableReason } from '../environment.ts';
import { RUNTIME } from './k6-runtime.ts';
import { judgeThresholds } from './measure.ts';

/** The tag on the request under load (set-up requests carry `gauntlet:setup`); thresholds look only at it. */
export const LOAD_TAG = 'gauntlet:load';
/** Exit code of `k6 run` when a threshold failed: a result, not an error. */
export const K6_THRESHOLDS_FAILED = 99;
/** A shared-iterations scenario stops after this long, whatever is left (the profile's durations stop at 1 h). */
const MAX_ITERATIONS_DURATION = '1h';
const TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];

/** A case that cannot be expressed as a k6 script. */
export class K6ExportError extends Error {}
/** k6 ran but gave no usable result, or its summary is not what k6 writes. */
export class K6Error extends Error {}

/** The k6 script for a load case: set-up steps in `setup()`, the last step under load in the default function. */
export function toK6Script(testCase: LoadTestCase): string {
  const steps = testCase.steps.map((step, i) => scriptStep(step, `${testCase.id} steps[${i}]`));
  const load = steps.pop()!;
  const { file, line, column } = testCase.origin;
  const options = k6Options(testCase.load);
  const rampOffset = options.scenarios.ramp ? testCase.load.requests! : 0;
  return [
    `// Gauntlet load case ${literal(testCase.title)} (${testCase.id}), from ${literal(`${file}:${line}:${column}`)}.`,
    `// Set-up steps run once in setup(); the last step, ${literal(load.name)}, is the request under load.`,
    '// Run it with: k6 run -e GAUNTLET_TARGET=http://localhost:3000 <this file>',
    "import http from 'k6/http';",
    "import { check } from 'k6';",
    "import encoding from 'k6/encoding';",
    "import exec from 'k6/execution';",
    '',
    `const SETUP_STEPS = /** @type {Step[]} */ (${literal(steps, 2)});`,
    `const LOAD_STEP = /** @type {Step} */ (${literal(load, 2)});`,
    `/** $i of the ramp-up's requests starts after those of the steady load, so no two requests share one. */`,
    `const RAMP_OFFSET = ${rampOffset};`,
    '',
    '// Thresholds that always pass (max>=0, rate>=0, count>=0) only make k6 keep the load-only sub-metric.',
    `export const options = ${literal(options, 2)};`,
    RUNTIME,
  ].join('\n');
}

interface ScriptStep {
  name: string;
  method: string;
  path: string;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
  form?: Record<string, string | number | boolean>;
  files?: Record<string, { text?: string; base64?: string; name: string; contentType: string }>;
  followRedirects?: boolean;
  as?: string;
  capture?: Record<string, string>;
  status?: (number | string)[];
  repeat?: number;
}

function scriptStep(step: ApiStep, where: string): ScriptStep {
  const { request } = step;
  const files: ScriptStep['files'] = {};
  for (const [field, file] of Object.entries(request.files ?? {})) {
    if (file.path !== undefined) {
      throw new K6ExportError(
        `${where}.request.files.${field}: a k6 script cannot read ${file.path} where it runs; ` +
          'give the file as text or base64 to load it with k6',
      );
    }
    files[field] = {
      ...(file.text !== undefined && { text: file.text }),
      ...(file.base64 !== undefined && { base64: file.base64 }),
      name: file.name ?? field,
      contentType: file.contentType ?? 'application/octet-stream',
    };
  }
  const status = step.expect.status;
  return {
    name: step.name,
    method: request.method,
    path: request.path,
    ...(request.query && { query: request.query }),
    ...(request.headers && { headers: request.headers }),
    ...(request.json !== undefined && { json: request.json }),
    ...(request.body !== undefined && { body: request.body }),
    ...(request.form && { form: request.form }),
    ...(request.files && { files }),
    ...(request.followRedirects && { followRedirects: true }),
    ...(step.as !== undefined && { as: step.as }),
    ...(step.capture && { capture: step.capture }),
    ...(status !== undefined && { status: Array.isArray(status) ? status : [status] }),
    ...(step.repeat && { repeat: step.repeat.count }),
  };
}

type Scenario = Record<string, unknown> & { executor: string };

/** k6 options for a profile. With both a ramp and a request count, the ramp is a scenario of its own. */
function k6Options(profile: LoadProfile): {
  scenarios: Record<string, Scenario>;
  thresholds: Record<string, string[]>;
  summaryTrendStats: string[];
  userAgent: string;
} {
  const { vus, durationS, requests, rampUpS, thresholds } = profile;
  const scenarios: Record<string, Scenario> = {};
  if (durationS !== undefined) {
    scenarios.load =
      rampUpS === undefined
        ? { executor: 'constant-vus', vus, duration: k6Duration(durationS) }
        : {
            executor: 'ramping-vus',
            startVUs: 1,
            stages: [
              { duration: k6Duration(rampUpS), target: vus },
              { duration: k6Duration(durationS), target: vus },
            ],
          };
  } else {
    const iterations = requests!;
    if (rampUpS !== undefined) {
      scenarios.ramp = {
        executor: 'ramping-vus',
        startVUs: 1,
        stages: [{ duration: k6Duration(rampUpS), target: vus }],
      };
    }
    scenarios.load = {
      executor: 'shared-iterations',
      // k6 refuses fewer iterations than VUs.
      vus: Math.min(vus, iterations),
      iterations,
      maxDuration: MAX_ITERATIONS_DURATION,
      ...(rampUpS !== undefined && { startTime: k6Duration(rampUpS) }),
    };
  }
  const latency = [
    ...(thresholds.p95Ms !== undefined ? [`p(95)<${thresholds.p95Ms}`] : []),
    ...(thresholds.p99Ms !== undefined ? [`p(99)<${thresholds.p99Ms}`] : []),
  ];
  return {
    scenarios,
    thresholds: {
      [`http_req_duration{${LOAD_TAG}}`]: latency.length > 0 ? latency : ['max>=0'],
      [`http_req_failed{${LOAD_TAG}}`]: [
        thresholds.maxErrorRate !== undefined ? `rate<=${thresholds.maxErrorRate}` : 'rate>=0',
      ],
      [`http_reqs{${LOAD_TAG}}`]: [
        thresholds.minRps !== undefined ? `rate>=${thresholds.minRps}` : 'count>=0',
      ],
    },
    summaryTrendStats: TREND_STATS,
    userAgent: 'gauntlet',
  };
}

function k6Duration(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

/** A value as JavaScript source: JSON, with the two line separators JSON allows in strings escaped. */
function literal(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16)}`,
  );
}

// ---- The summary k6 exports ----

const Metric = z.record(z.string(), z.unknown());
const Summary = z.object({ metrics: z.record(z.string(), Metric) });

/**
 * A LoadMeasurement from the file `k6 run --summary-export` wrote: metric name to its values (trends: med,
 * p(95)…; counters: count, rate; rates: passes, fails, value). The `{gauntlet:load}` sub-metrics, which leave
 * the set-up requests out, are read when present.
 */
export function parseK6Summary(json: unknown, profile: LoadProfile): LoadMeasurement {
  const parsed = Summary.safeParse(json);
  if (!parsed.success)
    throw new K6Error('k6 summary: expected an object with "metrics", as --summary-export writes');
  const { metrics } = parsed.data;
  const pick = (name: string): { key: string; values: Record<string, unknown> } => {
    for (const key of [`${name}{${LOAD_TAG}}`, name]) {
      const values = metrics[key];
      if (values) return { key, values };
    }
    throw new K6Error(`k6 summary: metrics has no "${name}"`);
  };
  const number = (metric: { key: string; values: Record<string, unknown> }, ...stats: string[]): number => {
    for (const stat of stats) {
      const value = metric.values[stat];
      if (typeof value === 'number' && Number.isFinite(value)) return value;
    }
    throw new K6Error(`k6 summary: metrics["${metric.key}"] has no number "${stats.join('" or "')}"`);
  };
  const reqs = pick('http_reqs');
  const duration = pick('http_req_duration');
  const failed = pick('http_req_failed');
  const requests = number(reqs, 'count');
  const rps = number(reqs, 'rate');
  const errorRate = number(failed, 'value');
  const latencyMs = {
    p50: number(duration, 'med', 'p(50)'),
    p95: number(duration, 'p(95)'),
    p99: number(duration, 'p(99)'),
    max: number(duration, 'max'),
  };
  return judgeThresholds(
    {
      engine: 'k6',
      requests,
      // http_req_failed counts a failed request as a "pass" of the rate metric: its value is 1.
      errors: number(failed, 'passes'),
      errorRate,
      rps,
      latencyMs,
      // The export keeps no run time, but k6 derives every rate from it: count / rate gives it back.
      durationS: rps > 0 ? requests / rps : 0,
    },
    profile.thresholds,
  );
}

// ---- Running k6 ----

/** The k6 executable on a PATH-style list of directories, if there is one. */
export function findK6(pathEnv: string = process.env.PATH ?? ''): string | undefined {
  const names = process.platform === 'win32' ? ['k6.exe', 'k6'] : ['k6'];
  for (const dir of pathEnv.split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (unrunnableReason(candidate) === undefined) return candidate;
    }
  }
  return undefined;
}

export interface K6RunOptions {
  target: URL;
  /** The k6 executable; by default the one on PATH. */
  k6Path?: string;
  /** Where the script and the summary are written. */
  workDir: string;
  /** By default the profile's own length plus two minutes for set-up and k6's graceful stop. */
  timeoutMs?: number;
}

/** Runs a load case with k6; undefined when there is no k6 to run it with. Failed thresholds are a result. */
export async function runK6(
  testCase: LoadTestCase,
  options: K6RunOptions,
): Promise<LoadMeasurement | undefined> {
  let k6 = findK6();
  if (options.k6Path !== undefined) {
    // A k6 the machine does not have is the machine's problem: the case is reported as not run.
    if (unrunnableReason(options.k6Path) !== undefined) {
      throw new EnvironmentError('k6', `no k6 executable at ${options.k6Path}`);
    }
    k6 = options.k6Path;
  }
  if (k6 === undefined) return undefined;
  const script = toK6Script(testCase);
  await mkdir(options.workDir, { recursive: true });
  const scriptFile = path.join(options.workDir, `${testCase.id}.k6.js`);
  const summaryFile = path.join(options.workDir, `${testCase.id}.k6-summary.json`);
  await writeFile(scriptFile, script);
  await rm(summaryFile, { force: true });
  const profile = testCase.load;
  const timeoutMs =
    options.timeoutMs ?? ((profile.rampUpS ?? 0) + (profile.durationS ?? 3600)) * 1000 + 120_000;
  const target = options.target.href.replace(/\/+$/, '');
  const args = [
    'run',
    '--quiet',
    '--summary-export',
    summaryFile,
    '--env',
    `GAUNTLET_TARGET=${target}`,
    scriptFile,
  ];
  const exit = await run(k6, args, { ...process.env, GAUNTLET_TARGET: target }, timeoutMs);
  if (exit.timedOut) throw new K6Error(`k6 did not finish within ${timeoutMs} ms; it was stopped`);
  if (exit.code !== 0 && exit.code !== K6_THRESHOLDS_FAILED) {
    const detail = exit.stderr.trim() ? `: ${exit.stderr.trim()}` : '';
    throw new K6Error(
      `k6 failed (${exit.code === null ? `signal ${exit.signal}` : `exit code ${exit.code}`})${detail}`,
    );
  }
  let text: string;
  try {
    text = await readFile(summaryFile, 'utf8');
  } catch {
    throw new K6Error(`k6 exited with code ${exit.code} but wrote no summary to ${summaryFile}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new K6Error(`k6 summary: ${summaryFile} is not JSON`);
  }
  return parseK6Summary(json, profile);
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command to its end; keeps the last few kB of its stderr for the error a person reads. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new EnvironmentError('k6', `cannot start k6 (${command}): ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, timedOut });
    });
  });
}
