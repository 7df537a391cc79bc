// bench:memory — a 10,000-case run, sampling Gauntlet's resident set size as cases finish. The sample target runs
// in a process of its own, so its growing state (every sign-up is kept) is not counted. Results are kept (with
// trimmed evidence), so memory grows by their size and nothing else.
//   npm run bench:memory [-- --cases 10000]
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { runTestCases } from '../../src/index.ts';
import { benchSuite, startTargetProcess } from './suite.ts';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '10000' } } });
const size = Number(values.cases);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

const target = await startTargetProcess();
try {
  const suite = (await benchSuite(size)).filter((c) => c.kind !== 'ui');
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  globalThis.gc?.();
  const marks: string[] = [`start ${mb(peak)}/${mb(process.memoryUsage().heapUsed)}`];
  const started = performance.now();
  await runTestCases(suite, {
    target: new URL(target.url),
    concurrency: Math.min(64, availableParallelism() * 2),
    timeoutMs: 10_000,
    retries: 0,
    onResult: (_result, done, total) => {
      if (done % Math.ceil(total / 10) !== 0 && done !== total) return;
      // Live heap after a full collection: what the kept results really hold, garbage aside.
      globalThis.gc?.();
      marks.push(`${done} ${mb(process.memoryUsage().rss)}/${mb(process.memoryUsage().heapUsed)}`);
    },
  });
  clearInterval(sampler);
  console.log(
    `cases:     ${suite.length} in ${((performance.now() - started) / 1000).toFixed(1)} s (browser cases left out)`,
  );
  console.log(`RSS/heap:  ${marks.join(' · ')}`);
  console.log(`peak RSS:  ${mb(peak)}`);
} finally {
  await target.close();
}
