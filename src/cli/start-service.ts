// `--start` and `--ready` of `run` and `explore`: the service is started before anything else (its description may
// be served by it), waited for, measured when it is Node.js, and stopped at the end however the command ends:
// a result, an error, or Ctrl-C.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServiceCoverage as ServiceCoverageSummary } from '../cases/index.ts';
import { coverageEnv, inspectorUrls, ServiceCoverage, type CoverageProbe } from '../run/coverage.ts';
import { outsideReason } from '../run/origin-guard.ts';
import { ServiceStartError, startService } from '../run/service.ts';
import { logTo, type CliIo } from './io.ts';
import { UsageError } from './usage-error.ts';

export const DEFAULT_READY_TIMEOUT_S = 60;

export interface StartOptions {
  target: URL;
  out: string;
  /** The command that starts the service: from the maintainer's command line, run through a shell. */
  start?: string;
  /** Ready when this answers below 500; the target when unset. */
  ready?: URL;
  /** Seconds to wait for it (default 60). */
  readyTimeout?: number;
}

/** What a run needs of the service Gauntlet started: coverage to steer exploration by, and to report. */
export interface StartedService {
  /** Unset when no Node.js process of the service opened an inspector. */
  probe?: CoverageProbe;
  /** Reads the coverage one last time; unset when the service is not Node.js. */
  coverage(): Promise<ServiceCoverageSummary | undefined>;
}

/** Runs `run` with the service started (when --start is given) and stops the service after it, whatever happens. */
export async function withStartedService(
  options: StartOptions,
  io: CliIo,
  run: (service?: StartedService) => Promise<number>,
): Promise<number> {
  if (options.start === undefined) {
    if (options.ready !== undefined)
      throw new UsageError('--ready needs --start: it says when the started service is ready');
    return run();
  }
  const readyUrl = options.ready ?? options.target;
  assertReadyUrl(readyUrl, options.target);
  const env = { ...process.env, ...io.env };
  const coverageDir = await mkdtemp(path.join(tmpdir(), 'gauntlet-service-coverage-'));
  const logFile = path.join(options.out, 'artifacts', 'service.log');
  const readyTimeoutS = options.readyTimeout ?? DEFAULT_READY_TIMEOUT_S;
  logTo(io)(
    `Starting the service: ${options.start} (ready when ${readyUrl.href} answers, within ${readyTimeoutS} s)`,
  );
  const service = await startService({
    command: options.start,
    cwd: process.cwd(),
    readyUrl,
    readyTimeoutMs: readyTimeoutS * 1000,
    logFile,
    env: coverageEnv(env, coverageDir),
    ...(io.redactor && { redactor: io.redactor }),
  }).catch(async (error: unknown) => {
    await rm(coverageDir, { recursive: true, force: true });
    if (error instanceof ServiceStartError) throw new UsageError(error.message);
    throw error;
  });
  const coverage = new ServiceCoverage(process.cwd(), () => service.output());
  // Ctrl-C (or a CI runner's SIGTERM) stops the service first, then ends Gauntlet as the signal would have.
  const onSignal = (signal: NodeJS.Signals) => {
    coverage.close();
    void service.stop().finally(() => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      process.kill(process.pid, signal);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const isNode = () => inspectorUrls(service.output()).length > 0;
  try {
    // Coverage starts now, before any case: the first reading after the inspector connects misses a block or two
    // run before it, which would make the first case measured look as if it reached new code.
    if (isNode()) await coverage.take();
    return await run({
      ...(isNode() && { probe: coverage }),
      coverage: async () => {
        if (!isNode()) {
          logTo(io)('The started service opened no Node.js inspector: its code coverage is not measured.');
          return undefined;
        }
        return { command: options.start!, ...(await coverage.finish()) };
      },
    });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    coverage.close();
    await service.stop();
    await rm(coverageDir, { recursive: true, force: true });
    logTo(io)(`Stopped the service; its output is in ${logFile}`);
  }
}

/** The ready URL is asked before any case runs: it must be the target's, or on this machine. */
function assertReadyUrl(ready: URL, target: URL): void {
  const reason = outsideReason(ready, [target]);
  if (reason === undefined || isLoopback(ready)) return;
  throw new UsageError(
    `--ready ${ready.href} is ${reason}: it must be on the target's origin (${target.origin}) or on this machine (loopback)`,
  );
}

function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/\.$/, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}
