// The service under test, when Gauntlet starts it (`--start`): its command runs through a shell in its own process
// group, Gauntlet waits until the ready URL answers, and stops the whole group at the end, whatever ended the run.
// Its output is the service's, not ours: it is capped and redacted before it is kept in the run's artifacts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redactor } from './redact.ts';

/** More of the service's output is not kept: a chatty service must not fill the disk of a CI machine. */
export const SERVICE_LOG_LIMIT = 5 * 1024 * 1024;
/** Lines of its output an error shows when the service does not get ready. */
const ERROR_LINES = 15;
/** Time between two looks at the ready URL. */
const POLL_MS = 200;
/** Time a look at the ready URL may take before it counts as "not ready yet". */
const PROBE_MS = 2000;

export class ServiceStartError extends Error {}

export interface ServiceOptions {
  /** A shell command line, from the maintainer's command line: trusted. */
  command: string;
  /** Where it runs: the project directory. */
  cwd: string;
  /** Ready once a GET of it answers with a status below 500. */
  readyUrl: URL;
  readyTimeoutMs: number;
  /** Where its output is written when it stops. */
  logFile: string;
  /** Its environment (the parent's, plus what coverage needs). */
  env: NodeJS.ProcessEnv;
  /** Hides the run's secrets in the kept output; the service may print what it was sent. */
  redactor?: Redactor;
  /** Time between SIGTERM and SIGKILL (default 5 s). */
  graceMs?: number;
}

export interface RunningService {
  /** The process group's id (the shell's pid). */
  readonly pid: number;
  readonly logFile: string;
  /** Everything it printed so far (capped), for the inspector URLs of the node processes it started. */
  output(): string;
  /** SIGTERM to the group, SIGKILL after the grace period; writes the log. Safe to call more than once. */
  stop(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const child = spawn('sh', ['-c', options.command], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = new CappedLog();
  child.stdout!.on('data', (chunk: Buffer) => log.add(chunk));
  child.stderr!.on('data', (chunk: Buffer) => log.add(chunk));
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) =>
      resolve(signal ? `was stopped by ${signal}` : `exited with code ${code}`),
    );
    child.once('error', (error) => resolve(`could not be started (${error.message})`));
  });
  let stopping: Promise<void> | undefined;
  const service: RunningService = {
    pid: child.pid ?? -1,
    logFile: options.logFile,
    output: () => log.text(),
    stop: () =>
      (stopping ??= stopGroup(child, exited, options.graceMs ?? 5000).then(() => {
        process.removeListener('exit', onExit);
        return writeLog();
      })),
  };
  const writeLog = async () => {
    await mkdir(path.dirname(options.logFile), { recursive: true });
    const text = log.text();
    await writeFile(options.logFile, options.redactor ? options.redactor.text(text) : text);
  };
  // A Gauntlet that ends any other way (an uncaught error, process.exit) leaves no service behind.
  const onExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', onExit);

  const failed = await waitUntilReady(options.readyUrl, options.readyTimeoutMs, exited);
  if (failed !== undefined) {
    await service.stop();
    const shown = options.redactor
      ? options.redactor.text(log.lastLines(ERROR_LINES))
      : log.lastLines(ERROR_LINES);
    throw new ServiceStartError(
      `the service started with "${options.command}" ${failed}` +
        (shown.trim() === '' ? '; it printed nothing' : `; its last lines:\n${indent(shown)}`) +
        `\n(its whole output is in ${options.logFile})`,
    );
  }
  return service;
}

/** Undefined once ready; otherwise why it never got ready. */
async function waitUntilReady(
  url: URL,
  timeoutMs: number,
  exited: Promise<string>,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let gone: string | undefined;
  void exited.then((why) => (gone = why));
  for (;;) {
    if (gone !== undefined) return `${gone} before ${url.href} answered`;
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(PROBE_MS) });
      await response.body?.cancel();
      if (response.status < 500) return undefined;
    } catch {
      // Not listening yet.
    }
    if (gone !== undefined) return `${gone} before ${url.href} answered`;
    if (Date.now() >= deadline)
      return `was not ready: ${url.href} did not answer below 500 within ${Math.round(timeoutMs / 1000)} s (--ready-timeout)`;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function stopGroup(child: ChildProcess, exited: Promise<string>, graceMs: number): Promise<void> {
  if (child.pid === undefined) return;
  killGroup(child, 'SIGTERM');
  // The shell may be gone while what it started still runs: wait for the group, not the shell.
  const deadline = Date.now() + graceMs;
  while (groupAlive(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (groupAlive(child.pid)) killGroup(child, 'SIGKILL');
  await exited;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/** The output up to the limit, and always its last part, for the error of a service that did not start. */
class CappedLog {
  readonly #chunks: Buffer[] = [];
  #bytes = 0;
  #cut = false;
  #tail = '';

  add(chunk: Buffer): void {
    this.#tail = (this.#tail + chunk.toString('utf8')).slice(-16_384);
    const room = SERVICE_LOG_LIMIT - this.#bytes;
    if (room <= 0) {
      this.#cut = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept !== chunk) this.#cut = true;
    this.#chunks.push(kept);
    this.#bytes += kept.length;
  }

  text(): string {
    const text = Buffer.concat(this.#chunks).toString('utf8');
    return this.#cut ? `${text}\n[Gauntlet: output cut at ${SERVICE_LOG_LIMIT / 1024 / 1024} MB]\n` : text;
  }

  lastLines(count: number): string {
    return this.#tail
      .split('\n')
      .slice(-count - 1)
      .join('\n');
  }
}
