// Splitting a run across machines: each case belongs to exactly one of n shards, decided by its id alone, so every
// shard computes the same split from the same cases whatever their order.
import type { TestCase } from '../cases/index.ts';

export interface Shard {
  index: number;
  total: number;
}

/** Parses "2/3" (the second of three shards). */
export function parseShard(text: string): Shard | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const [index, total] = [Number(match[1]), Number(match[2])];
  return total >= 1 && index >= 1 && index <= total ? { index, total } : undefined;
}

export function inShard(testCase: TestCase, shard: Shard): boolean {
  return Number.parseInt(testCase.id.slice(3, 11), 16) % shard.total === shard.index - 1;
}

export function selectShard<T extends TestCase>(cases: readonly T[], shard: Shard): T[] {
  return cases.filter((testCase) => inShard(testCase, shard));
}
