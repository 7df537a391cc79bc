// bench:run — the generated API suite against the sample target, then the very same HTTP requests replayed with
// autocannon in the same process, against a fresh target in the same starting state (so sign-ups hash passwords
// again rather than meet "already registered"): Gauntlet's throughput, and its overhead as a ratio to the replay.
// Browser cases are left out: their requests come from Chromium, not from Gauntlet.
//   npm run bench:run [-- --cases 1000 --concurrency 4]
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { runTestCases } from '../../src/index.ts';
import { benchSuite, startBenchTarget } from './suite.ts';
import type { RecordedRequest } from './suite.ts';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '1000' }, concurrency: { type: 'string' } },
});
const size = Number(values.cases);
const concurrency = Number(values.concurrency ?? Math.min(64, availableParallelism() * 2));

const target = await startBenchTarget();
try {
  const suite = (await benchSuite(size)).filter((c) => c.kind === 'api');
  target.recording = true;
  const started = performance.now();
  const results = await runTestCases(suite, {
    target: new URL(target.url),
    concurrency,
    timeoutMs: 10_000,
    retries: 0,
  });
  const gauntletS = (performance.now() - started) / 1000;
  target.recording = false;
  const requests = target.recorded;
  const fresh = await startBenchTarget();
  const replayS = await replay(fresh.url, requests, concurrency).finally(() => fresh.close());
  const counts = new Map<string, number>();
  for (const { status } of results) counts.set(status, (counts.get(status) ?? 0) + 1);
  const statuses = [...counts].map(([status, count]) => `${count} ${status}`);
  console.log(`cases:               ${results.length} (${statuses.join(', ')}), concurrency ${concurrency}`);
  console.log(`HTTP requests:       ${requests.length}`);
  console.log(
    `Gauntlet:            ${gauntletS.toFixed(2)} s, ${(results.length / gauntletS).toFixed(1)} cases/s`,
  );
  console.log(
    `autocannon replay:   ${replayS.toFixed(2)} s, ${(requests.length / replayS).toFixed(0)} requests/s`,
  );
  console.log(`overhead ratio:      ${(gauntletS / replayS).toFixed(2)} (Gauntlet time / raw replay time)`);
} finally {
  await target.close();
}

/** The recorded requests, split in order over `connections` connections, each sending its share one by one. */
async function replay(url: string, requests: RecordedRequest[], connections: number): Promise<number> {
  const shares = Array.from({ length: connections }, (_, i) =>
    requests.filter((_, j) => j % connections === i),
  );
  const started = performance.now();
  await Promise.all(
    shares
      .filter((share) => share.length > 0)
      .map((share) =>
        autocannon({
          url,
          connections: 1,
          amount: share.length,
          requests: share.map(({ method, path, headers, body }) => {
            const { host: _host, 'content-length': _length, connection: _connection, ...rest } = headers;
            return {
              method: method as 'GET',
              path,
              headers: rest as Record<string, string>,
              ...(body !== undefined && { body }),
            };
          }),
        }),
      ),
  );
  return (performance.now() - started) / 1000;
}
