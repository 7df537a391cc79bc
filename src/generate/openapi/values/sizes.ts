// Size keywords (minLength, maxItems, minProperties…) as Gauntlet honours them. A description is hostile input: a
// negative, fractional or astronomical size would make generation loop, allocate without end or throw, so only a
// whole number from 0 to MAX_GENERATED_SIZE counts; any other is read as absent.

/** The most characters, items or properties a generated value is built with: a larger one no request could carry. */
export const MAX_GENERATED_SIZE = 100_000;

export function sizeKeyword(schema: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_GENERATED_SIZE
    ? value
    : undefined;
}
