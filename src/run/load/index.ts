// Chooses the load engine: k6 when asked for, or when one is on PATH and none was chosen; autocannon otherwise.
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadMeasurement, LoadTestCase } from '../../cases/index.ts';
import { EnvironmentError } from '../environment.ts';
import type { SentRequest } from '../http.ts';
import { measureLoad } from './autocannon.ts';
import { runK6 } from './k6.ts';

export type LoadEngine = 'auto' | 'autocannon' | 'k6';

export interface LoadOptions {
  target: URL;
  timeoutMs: number;
  loadEngine?: LoadEngine;
  /** The k6 executable; by default the one on PATH. */
  k6Path?: string;
  /** Where k6 scripts and summaries are written. */
  workDir?: string;
}

/** Puts a load case's last request (already sent once, and filled in as `request`) under its load. */
export async function measureUnderLoad(
  testCase: LoadTestCase,
  request: SentRequest,
  options: LoadOptions,
): Promise<LoadMeasurement> {
  const engine = options.loadEngine ?? 'auto';
  if (engine !== 'autocannon') {
    const measured = await runK6(testCase, {
      target: options.target,
      workDir: options.workDir ?? path.join(tmpdir(), 'gauntlet-k6'),
      ...(options.k6Path !== undefined && { k6Path: options.k6Path }),
    });
    if (measured) return measured;
    if (engine === 'k6') {
      throw new EnvironmentError('k6', 'the load engine is k6, but no k6 executable is on PATH');
    }
  }
  return measureLoad(request, testCase.load, options.timeoutMs);
}

export { toK6Script, K6ExportError } from './k6.ts';
