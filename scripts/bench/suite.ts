// What the benchmarks run: the project's generated suite (load cases left out: they measure the target, not
// Gauntlet), repeated to the size asked for with fresh ids, and the sample target served in-process with every
// request it receives recorded.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateTestCases, loadConfig, loadUserCases } from '../../src/index.ts';
import type { TestCase } from '../../src/cases/index.ts';
import { readConfigSource, readUserCaseSources } from '../../src/cli/sources.ts';
import { createAidawgApp } from '../../examples/aidawg/server.ts';

export async function benchSuite(size?: number): Promise<TestCase[]> {
  const loaded = loadUserCases(await readUserCaseSources('user-cases'));
  const config = loadConfig(await readConfigSource('gauntlet.yml', true));
  if (!loaded.ok || !config.ok) throw new Error('the project user cases or gauntlet.yml do not load');
  const generated = generateTestCases(loaded.value, config.value);
  if (!generated.ok) throw new Error('the project user cases do not generate');
  const base = generated.cases.filter((c) => c.kind !== 'load');
  const wanted = size ?? base.length;
  return Array.from({ length: wanted }, (_, i) => {
    const testCase = base[i % base.length]!;
    const round = Math.floor(i / base.length);
    return round === 0
      ? testCase
      : { ...testCase, id: `tc_${(i + 0x100000).toString(16).padStart(12, '0')}` };
  });
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body?: string;
}

export interface BenchTarget {
  url: string;
  /** Every request received while recording is on. */
  recorded: RecordedRequest[];
  recording: boolean;
  close(): Promise<void>;
}

export async function startBenchTarget(): Promise<BenchTarget> {
  const app = createAidawgApp({ faults: new Set(), operatorPassword: 'aidawg-operator' });
  const target: Pick<BenchTarget, 'recorded' | 'recording'> = { recorded: [], recording: false };
  const server = createServer((req, res) => {
    if (target.recording) {
      const entry: RecordedRequest = { method: req.method!, path: req.url!, headers: { ...req.headers } };
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (chunks.length > 0) entry.body = Buffer.concat(chunks).toString('latin1');
      });
      target.recorded.push(entry);
    }
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(target, {
    url: `http://127.0.0.1:${port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** The sample target in a child process, on a free loopback port. */
export async function startTargetProcess(): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['examples/aidawg/main.ts'], {
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!.setEncoding('utf8'), 'data')) as [string];
  const url = /listening on (\S+)/.exec(line)?.[1];
  if (!url) throw new Error(`the sample target did not start: ${line}`);
  return {
    url,
    close: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
