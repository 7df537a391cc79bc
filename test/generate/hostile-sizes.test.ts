// Size keywords a hostile description writes: negative, fractional or astronomical lengths, item and property
// counts. Generation must neither throw, loop nor allocate without end (a minItems of a billion once filled the heap
// of the test run): such a size is read as absent, and values stay within what a request can carry.
import { describe, expect, it } from '@jest/globals';
import { edgeValuesFor, exampleFor } from '../../src/generate/openapi/index.ts';
import { MAX_GENERATED_SIZE, sizeKeyword } from '../../src/generate/openapi/values/sizes.ts';

const HOSTILE = [-1, -0.5, 2.5, 1e9, 1e12, Number.MAX_SAFE_INTEGER, Infinity, NaN];

/** The largest string or array anywhere in a value. */
function largest(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(largest));
  if (value !== null && typeof value === 'object') {
    return Math.max(Object.keys(value).length, ...Object.values(value).map(largest));
  }
  return 0;
}

describe('size keywords of a hostile description', () => {
  it.each(HOSTILE)('%s is no size at all', (size) => {
    for (const key of ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties']) {
      expect(sizeKeyword({ [key]: size }, key)).toBeUndefined();
    }
  });

  it('keeps a whole number from 0 to the largest size', () => {
    expect(sizeKeyword({ minLength: 0 }, 'minLength')).toBe(0);
    expect(sizeKeyword({ maxItems: MAX_GENERATED_SIZE }, 'maxItems')).toBe(MAX_GENERATED_SIZE);
    expect(sizeKeyword({ maxItems: MAX_GENERATED_SIZE + 1 }, 'maxItems')).toBeUndefined();
  });

  it.each(HOSTILE)('builds values and edge values for strings, lists and objects sized %s', (size) => {
    const schemas = [
      { type: 'string', minLength: size },
      { type: 'string', maxLength: size },
      { type: 'string', minLength: size, maxLength: size },
      { type: 'array', items: { type: 'string' }, minItems: size },
      { type: 'array', items: { type: 'integer' }, maxItems: size },
      { type: 'object', minProperties: size },
    ];
    for (const schema of schemas) {
      expect(largest(exampleFor(schema, { seed: 1 }))).toBeLessThanOrEqual(MAX_GENERATED_SIZE);
      for (const edge of edgeValuesFor(schema, 'field', { seed: 1 })) {
        expect(largest(edge.value)).toBeLessThanOrEqual(MAX_GENERATED_SIZE + 1);
      }
    }
  });
});
