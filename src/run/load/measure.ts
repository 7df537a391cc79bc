// What a load run measured, judged against the thresholds of its profile; shared by every load engine.
import type { LoadMeasurement, LoadProfile } from '../../cases/index.ts';

export type Measured = Omit<LoadMeasurement, 'thresholds'>;

type ThresholdName = LoadMeasurement['thresholds'][number]['name'];

/** Each threshold: the figure it looks at, whether that figure meets the limit, and what to say when it does not. */
const THRESHOLDS: Record<
  ThresholdName,
  {
    actual(m: Measured): number;
    holds(actual: number, limit: number): boolean;
    say(actual: number, limit: number): string;
  }
> = {
  p95Ms: {
    actual: (m) => m.latencyMs.p95,
    holds: (actual, limit) => actual < limit,
    say: (actual, limit) => `95% of requests took up to ${ms(actual)}; the budget is under ${ms(limit)}`,
  },
  p99Ms: {
    actual: (m) => m.latencyMs.p99,
    holds: (actual, limit) => actual < limit,
    say: (actual, limit) => `99% of requests took up to ${ms(actual)}; the budget is under ${ms(limit)}`,
  },
  maxErrorRate: {
    actual: (m) => m.errorRate,
    holds: (actual, limit) => actual <= limit,
    say: (actual, limit) => `${percent(actual)} of requests failed; at most ${percent(limit)} may`,
  },
  minRps: {
    actual: (m) => m.rps,
    holds: (actual, limit) => actual >= limit,
    say: (actual, limit) => `the target served ${actual.toFixed(1)} requests/s; it must sustain ${limit}`,
  },
};

/** Latencies must stay below their budget, the error rate at most its limit, the throughput at least its floor. */
export function judgeThresholds(measured: Measured, thresholds: LoadProfile['thresholds']): LoadMeasurement {
  const judged: LoadMeasurement['thresholds'] = [];
  for (const [name, rule] of Object.entries(THRESHOLDS) as [
    ThresholdName,
    (typeof THRESHOLDS)[ThresholdName],
  ][]) {
    const limit = thresholds[name];
    if (limit === undefined) continue;
    const actual = rule.actual(measured);
    judged.push({ name, limit, actual, passed: rule.holds(actual, limit) });
  }
  return { ...measured, thresholds: judged };
}

/** A sentence for each threshold that was not met. */
export function brokenThresholds(measurement: LoadMeasurement): { name: string; message: string }[] {
  return measurement.thresholds
    .filter((t) => !t.passed)
    .map((t) => ({ name: t.name, message: THRESHOLDS[t.name].say(t.actual, t.limit) }));
}

const ms = (value: number): string => `${Math.round(value * 10) / 10} ms`;
const percent = (value: number): string => `${Math.round(value * 10000) / 100}%`;

/** The value below which `p` percent of the sorted samples fall (nearest rank). */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
