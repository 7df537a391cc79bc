// Seeded randomness for generated values: the same seed gives the same values, and each place in a value has its
// own stream, so adding a field to a schema does not change the values of the others.

export type Random = () => number;

/** A stream of numbers in [0, 1) for `seed` at `place` (a path such as "body.tracks.0.name"). */
export function randomAt(seed: number, place: string): Random {
  return mulberry32(fnv1a(`${seed}:${place}`));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** An integer in [lo, hi]. */
export function between(random: Random, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mulberry32: tiny, fast and good enough for test data (not for anything secret). */
function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
