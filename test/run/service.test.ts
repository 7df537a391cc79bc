// A service Gauntlet starts (`--start`): it is waited for, stopped with its whole process group, its output kept
// capped and redacted, and the code of a Node.js service it reaches is measured by line and branch.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coverageEnv, inspectorUrls, ServiceCoverage } from '../../src/run/coverage.ts';
import { Redactor } from '../../src/run/redact.ts';
import {
  SERVICE_LOG_LIMIT,
  ServiceStartError,
  startService,
  type RunningService,
} from '../../src/run/service.ts';
import { freePort, isRunning } from '../support/free-port.ts';

const SERVER = 'test/fixtures/service/server.mjs';
const SECRET = 'hunter2-not-for-logs';

let dir: string;
let service: RunningService | undefined;

afterEach(async () => {
  await service?.stop();
  service = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(command: string, readyUrl: URL, readyTimeoutMs = 60_000, env: NodeJS.ProcessEnv = {}) {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-service-'));
  const redactor = new Redactor();
  redactor.remember(SECRET);
  return startService({
    command,
    cwd: process.cwd(),
    readyUrl,
    readyTimeoutMs,
    logFile: path.join(dir, 'artifacts', 'service.log'),
    env: coverageEnv({ ...process.env, DB_PASSWORD: SECRET, ...env }, path.join(dir, 'v8')),
    redactor,
  });
}

const pidIn = (output: string): number => Number(/^pid (\d+)$/m.exec(output)?.[1]);

describe('a started service', () => {
  it('is ready once it answers, and is gone with its log kept, redacted, when stopped', async () => {
    const port = await freePort();
    service = await start(`PORT=${port} node ${SERVER}`, new URL(`http://127.0.0.1:${port}/health`));
    // Ready means answering: the first request after the wait gets its answer.
    const answer = await fetch(`http://127.0.0.1:${port}/items/7`);
    expect(answer.status).toBe(200);
    const pid = pidIn(service.output());
    expect(isRunning(pid)).toBe(true);

    await service.stop();
    expect(isRunning(pid)).toBe(false);
    const log = await readFile(service.logFile, 'utf8');
    expect(log).toContain('GET /items/7');
    expect(log).toContain('DB_PASSWORD=[redacted]');
    expect(log).not.toContain(SECRET);
  });

  it('keeps at most 5 MB of its output, and says it was cut', async () => {
    const port = await freePort();
    service = await start(
      `PORT=${port} node test/fixtures/service/chatty.mjs`,
      new URL(`http://127.0.0.1:${port}/`),
    );
    await service.stop();
    const log = await readFile(service.logFile, 'utf8');
    expect(Buffer.byteLength(log)).toBeLessThan(SERVICE_LOG_LIMIT + 100);
    expect(log).toContain('x'.repeat(1023));
    expect(log).toContain('[Gauntlet: output cut at 5 MB]');
  });

  it('measures the lines and branches of its own code, more of them when a request reaches more', async () => {
    const port = await freePort();
    service = await start(`PORT=${port} node ${SERVER}`, new URL(`http://127.0.0.1:${port}/health`));
    expect(inspectorUrls(service.output())).toHaveLength(1);
    const running = service;
    const coverage = new ServiceCoverage(process.cwd(), () => running.output());
    try {
      await coverage.take();
      await fetch(`http://127.0.0.1:${port}/items/7`).then((r) => r.text());
      const small = await coverage.take();
      const before = await coverage.summary();
      // The same request again reaches nothing new; a large id reaches the branch only it goes to.
      await fetch(`http://127.0.0.1:${port}/items/7`).then((r) => r.text());
      const again = await coverage.take();
      await fetch(`http://127.0.0.1:${port}/items/5000`).then((r) => r.text());
      const large = await coverage.take();
      const after = await coverage.finish();

      expect(small.newlyReached).toBeGreaterThan(0);
      expect(again.newlyReached).toBe(0);
      expect(large.newlyReached).toBeGreaterThan(0);
      // Only the service's own file: no node: internals, nothing of node_modules.
      expect(after.files.map((f) => f.file)).toEqual([SERVER]);
      const [file] = after.files;
      expect(file!.lines.total).toBe(before.files[0]!.lines.total);
      expect(file!.lines.covered).toBeGreaterThan(before.files[0]!.lines.covered);
      expect(file!.branches.covered).toBeGreaterThan(before.files[0]!.branches.covered);
      expect(file!.lines.covered).toBeLessThan(file!.lines.total);
      expect(after.lines).toEqual(file!.lines);
    } finally {
      coverage.close();
    }
  });

  it('is an error naming the command and its last lines when it exits before it is ready', async () => {
    const port = await freePort();
    const command = 'node test/fixtures/service/crash.mjs';
    const error = await start(command, new URL(`http://127.0.0.1:${port}/`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceStartError);
    const message = (error as Error).message;
    expect(message).toContain(`"${command}" exited with code 3`);
    expect(message).toContain('DATABASE_URL is not set');
    expect(await readFile(path.join(dir, 'artifacts', 'service.log'), 'utf8')).toContain('DATABASE_URL');
  });

  it('is an error, and is stopped, when it is not ready within the limit', async () => {
    const port = await freePort();
    const command = 'node test/fixtures/service/never-ready.mjs';
    const error = await start(command, new URL(`http://127.0.0.1:${port}/`), 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceStartError);
    expect((error as Error).message).toContain(`"${command}" was not ready`);
    expect((error as Error).message).toContain('warming up forever');
    const log = await readFile(path.join(dir, 'artifacts', 'service.log'), 'utf8');
    expect(isRunning(pidIn(log))).toBe(false);
  });
});

describe('the coverage environment', () => {
  it('opens the inspector on loopback only, after any --inspect the user had', () => {
    const env = coverageEnv({ NODE_OPTIONS: '--inspect=0.0.0.0:9229 --max-old-space-size=512' }, '/tmp/v8');
    expect(env.NODE_OPTIONS).toBe('--inspect=0.0.0.0:9229 --max-old-space-size=512 --inspect=127.0.0.1:0');
    expect(env.NODE_V8_COVERAGE).toBe('/tmp/v8');
  });

  it('uses no inspector that is not on 127.0.0.1', () => {
    const output = [
      'Debugger listening on ws://0.0.0.0:9229/8a1c-2b',
      'Debugger listening on ws://127.0.0.1:40123/8a1c-2c',
    ].join('\n');
    expect(inspectorUrls(output)).toEqual(['ws://127.0.0.1:40123/8a1c-2c']);
  });
});
