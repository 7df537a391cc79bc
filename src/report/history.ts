// The trend: a few figures of every run, kept in the run store (files under .gauntlet/, or Redis shared by every
// runner), so each report can say how this run compares with the ones before it.
import { z } from 'zod';
import { jsonStore, type Store } from '../store/index.ts';
import type { TrendPoint } from './model.ts';

/** One trend per branch (a pull request's runs are not main's); one for runs that name none. */
const keyOf = (branch?: string) => (branch === undefined ? 'history:runs' : `history:runs:${branch}`);
/** Runs kept; older ones drop off. */
export const HISTORY_LENGTH = 30;

const Point = z
  .object({
    startedAt: z.string(),
    passed: z.number().int().min(0),
    failed: z.number().int().min(0),
    findings: z.number().int().min(0),
  })
  .strict();

const History = z.array(Point);

/** Earlier runs, oldest first; none when the store holds none (or only a damaged entry, which is started anew). */
export async function readHistory(store: Store, branch?: string): Promise<TrendPoint[]> {
  return (await jsonStore(store, History).get(keyOf(branch))) ?? [];
}

export async function appendHistory(store: Store, point: TrendPoint, branch?: string): Promise<void> {
  const history = await readHistory(store, branch);
  await jsonStore(store, History).set(keyOf(branch), [...history, point].slice(-HISTORY_LENGTH));
}
