import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { TestCase } from '../../src/cases/index.ts';
import { parseShard, selectShard } from '../../src/run/index.ts';

const caseWithId = (id: string) => ({ id }) as TestCase;

describe('sharding a run', () => {
  it('parses i/n and refuses anything else', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    expect(parseShard(' 1/1 ')).toEqual({ index: 1, total: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/2/3', '-1/2'])
      expect(parseShard(bad)).toBeUndefined();
  });

  it('puts every case in exactly one shard, whatever the order of the cases', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[0-9a-f]{12}$/), { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        (hexes, total) => {
          const cases = hexes.map((hex) => caseWithId(`tc_${hex}`));
          const shards = Array.from({ length: total }, (_, i) => selectShard(cases, { index: i + 1, total }));
          expect(
            shards
              .flat()
              .map((c) => c.id)
              .sort(),
          ).toEqual(cases.map((c) => c.id).sort());
          const reversed = selectShard([...cases].reverse(), { index: 1, total }).map((c) => c.id);
          expect(reversed.sort()).toEqual(shards[0]!.map((c) => c.id).sort());
        },
      ),
      { numRuns: 100 },
    );
  });
});
