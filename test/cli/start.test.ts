// `--start` and `--ready` of `gauntlet run` and `explore`: Gauntlet starts the service, waits for it, stops it at the
// end, keeps its output (redacted) in the artifacts, and reports what of a Node.js service's code the run reached;
// a service that does not start, or a ready URL off the target, is an input error (exit 2), never a finding.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunSummary } from '../../src/cases/index.ts';
import { cliWith, type CliOutput } from '../support/cli.ts';
import { freePort, isRunning } from '../support/free-port.ts';

const SERVER = 'test/fixtures/service/server.mjs';
const SECRET = 'hunter2-not-for-logs';

let dir: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-start-'));
  // Not the project's gauntlet.yml: its identities and description are the sample target's.
  config = path.join(dir, 'gauntlet.yml');
  await writeFile(config, 'timeoutMs: 10000\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function gauntlet(
  command: 'run' | 'explore',
  port: number,
  out: string,
  ...more: string[]
): Promise<CliOutput> {
  const base = `http://127.0.0.1:${port}`;
  return cliWith(
    { GAUNTLET_STORE_DIR: path.join(dir, 'store'), DB_PASSWORD: SECRET },
    command,
    '--config',
    config,
    '--no-cases',
    '--rules-only',
    // Served by the service itself: Gauntlet starts it before it reads the description.
    '--openapi',
    `${base}/openapi.json`,
    '--target',
    base,
    '--retries',
    '0',
    '--out',
    out,
    ...more,
  );
}

describe('gauntlet run --start', () => {
  let port: number;
  let out: string;
  let result: CliOutput;
  let summary: RunSummary;

  beforeAll(async () => {
    port = await freePort();
    out = path.join(dir, 'run');
    result = await gauntlet(
      'run',
      port,
      out,
      '--start',
      `PORT=${port} node ${SERVER}`,
      '--ready',
      `http://127.0.0.1:${port}/health`,
    );
    summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
  });

  it('runs against the service it started, and stops it at the end', async () => {
    expect(result.code).not.toBe(2);
    expect(summary.results.length).toBeGreaterThan(0);
    expect(summary.results.every((r) => r.status !== 'error')).toBe(true);
    const log = await readFile(path.join(out, 'artifacts', 'service.log'), 'utf8');
    const pid = Number(/^pid (\d+)$/m.exec(log)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
    expect(result.stderr).toContain(`its output is in ${path.join(out, 'artifacts', 'service.log')}`);
  });

  it('keeps the output of the service, with the secrets of the run blotted out', async () => {
    const log = await readFile(path.join(out, 'artifacts', 'service.log'), 'utf8');
    expect(log).toContain('GET /openapi.json');
    expect(log).toContain('GET /items/');
    expect(log).toContain('DB_PASSWORD=[redacted]');
    expect(log).not.toContain(SECRET);
  });

  it("puts the service's line and branch coverage, by file of its own code, in results.json and the reports", async () => {
    const coverage = summary.serviceCoverage!;
    expect(coverage.command).toBe(`PORT=${port} node ${SERVER}`);
    expect(coverage.files.map((f) => f.file)).toEqual([SERVER]);
    expect(coverage.lines.covered).toBeGreaterThan(0);
    expect(coverage.lines.covered).toBeLessThanOrEqual(coverage.lines.total);
    expect(coverage.branches.total).toBeGreaterThan(0);
    const percent = (c: { covered: number; total: number }) => Math.floor((100 * c.covered) / c.total);
    const sentence = `Service code reached: ${percent(coverage.lines)}% of lines, ${percent(coverage.branches)}% of branches`;
    expect(await readFile(path.join(out, 'report.md'), 'utf8')).toContain(sentence);
    const page = await readFile(path.join(out, 'report.html'), 'utf8');
    expect(page).toContain(sentence);
    expect(page).toContain(`<td><code>${SERVER}</code></td>`);
  });
});

describe('gauntlet explore --start', () => {
  it("records which cases of each round reached new code of the service, and reports the service's coverage", async () => {
    const port = await freePort();
    const out = path.join(dir, 'explore');
    const result = await gauntlet(
      'explore',
      port,
      out,
      '--start',
      `PORT=${port} node ${SERVER}`,
      '--max-rounds',
      '2',
    );
    expect(result.code).not.toBe(2);
    const summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
    const later = summary.exploration!.rounds.filter((r) => r.round > 0);
    expect(later.length).toBeGreaterThan(0);
    const ids = new Set(summary.results.map((r) => r.caseId));
    for (const round of later) {
      expect(round.reachedNewCode).toBeDefined();
      for (const id of round.reachedNewCode!) expect(ids.has(id)).toBe(true);
    }
    expect(summary.serviceCoverage!.files.map((f) => f.file)).toEqual([SERVER]);
  });
});

describe('gauntlet run --start with a service that is not measured', () => {
  it('runs, stops it, and says its coverage is not measured when no Node.js inspector opened', async () => {
    const port = await freePort();
    const out = path.join(dir, 'unmeasured');
    // Its NODE_OPTIONS taken away, the node runs without an inspector, as a service in another language would.
    const result = await gauntlet(
      'run',
      port,
      out,
      '--start',
      `env -u NODE_OPTIONS PORT=${port} node ${SERVER}`,
    );
    expect(result.code).not.toBe(2);
    expect(result.stderr).toContain('opened no Node.js inspector: its code coverage is not measured');
    const summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
    expect(summary.serviceCoverage).toBeUndefined();
    expect(await readFile(path.join(out, 'report.md'), 'utf8')).not.toContain('Service code reached');
    const log = await readFile(path.join(out, 'artifacts', 'service.log'), 'utf8');
    expect(isRunning(Number(/^pid (\d+)$/m.exec(log)?.[1]))).toBe(false);
  });
});

describe('a service that cannot be used is an input error, never a finding', () => {
  it('names the command and its last lines when the service exits at once', async () => {
    const port = await freePort();
    const out = path.join(dir, 'crash');
    const result = await gauntlet('run', port, out, '--start', 'node test/fixtures/service/crash.mjs');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"node test/fixtures/service/crash.mjs" exited with code 3');
    expect(result.stderr).toContain('DATABASE_URL is not set');
    await expect(stat(path.join(out, 'results.json'))).rejects.toThrow();
  });

  it('says the service was not ready within --ready-timeout, and stops it', async () => {
    const port = await freePort();
    const out = path.join(dir, 'never');
    const command = 'node test/fixtures/service/never-ready.mjs';
    const result = await gauntlet('explore', port, out, '--start', command, '--ready-timeout', '1');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`"${command}" was not ready`);
    expect(result.stderr).toContain('within 1 s (--ready-timeout)');
    const log = await readFile(path.join(out, 'artifacts', 'service.log'), 'utf8');
    expect(isRunning(Number(/^pid (\d+)$/m.exec(log)?.[1]))).toBe(false);
  });

  it('refuses a --ready URL off the target and off this machine, starting nothing', async () => {
    const port = await freePort();
    const out = path.join(dir, 'off');
    const result = await gauntlet(
      'run',
      port,
      out,
      '--start',
      'node test/fixtures/service/never-ready.mjs',
      '--ready',
      'http://169.254.169.254/latest/meta-data/',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--ready http://169.254.169.254/latest/meta-data/ is a cloud metadata address',
    );
    await expect(stat(path.join(out, 'artifacts', 'service.log'))).rejects.toThrow();
  });

  it('refuses --ready without --start', async () => {
    const port = await freePort();
    const result = await gauntlet(
      'run',
      port,
      path.join(dir, 'alone'),
      '--ready',
      `http://127.0.0.1:${port}/`,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--ready needs --start');
  });
});
