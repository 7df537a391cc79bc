// The embedded load engine: autocannon sends the request from many connections at once; every response time is
// kept so percentiles are exact, and a ramp runs as rising stages before the steady load.
import autocannon from 'autocannon';
import type { LoadProfile } from '../../cases/index.ts';
import type { SentRequest } from '../http.ts';
import { judgeThresholds, percentile } from './measure.ts';
import type { Measured } from './measure.ts';
import type { LoadMeasurement } from '../../cases/index.ts';

/** Stages a ramp rises through, at most; each adds a share of the virtual users. */
const RAMP_STAGES = 5;

interface Stage {
  connections: number;
  durationS?: number;
  amount?: number;
}

export function stagesOf(profile: LoadProfile): Stage[] {
  const stages: Stage[] = [];
  if (profile.rampUpS !== undefined) {
    const count = Math.min(profile.vus, RAMP_STAGES);
    for (let k = 1; k <= count; k++) {
      stages.push({
        connections: Math.max(1, Math.round((profile.vus * k) / (count + 1))),
        durationS: profile.rampUpS / count,
      });
    }
  }
  stages.push(
    profile.requests !== undefined
      ? { connections: profile.vus, amount: profile.requests }
      : { connections: profile.vus, durationS: profile.durationS! },
  );
  return stages;
}

class Recorder {
  #times = new Float64Array(1024);
  count = 0;
  failed = 0;

  record(status: number, ms: number): void {
    if (this.count === this.#times.length) {
      const grown = new Float64Array(this.#times.length * 2);
      grown.set(this.#times);
      this.#times = grown;
    }
    this.#times[this.count++] = ms;
    if (status >= 400) this.failed++;
  }

  sorted(): Float64Array {
    return this.#times.slice(0, this.count).sort();
  }
}

/** Puts the request under the profile's load and measures it. */
export async function measureLoad(
  request: SentRequest,
  profile: LoadProfile,
  timeoutMs: number,
): Promise<LoadMeasurement> {
  if (request.multipart) throw new Error('a load request cannot upload files; send a form or JSON body');
  const recorder = new Recorder();
  let transportErrors = 0;
  const started = performance.now();
  for (const stage of stagesOf(profile)) {
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: request.url,
          method: request.method as 'GET',
          headers: request.headers,
          ...(request.body !== undefined && { body: request.body }),
          connections: stage.connections,
          ...(stage.amount !== undefined ? { amount: stage.amount } : { duration: stage.durationS! }),
          timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
        },
        (error, done) => (error ? reject(error as Error) : resolve(done)),
      );
      instance.on('response', (_client, status, _bytes, ms) => recorder.record(status, ms));
    });
    transportErrors += result.errors;
  }
  const durationS = (performance.now() - started) / 1000;
  const sorted = recorder.sorted();
  const requests = recorder.count + transportErrors;
  const errors = recorder.failed + transportErrors;
  const measured: Measured = {
    engine: 'autocannon',
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    rps: durationS === 0 ? 0 : requests / durationS,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.length === 0 ? 0 : sorted[sorted.length - 1]!,
    },
    durationS,
  };
  return judgeThresholds(measured, profile.thresholds);
}
