// Reads "user.id", "items.0.name" or "items.length" out of parsed JSON.
export function valueAt(root: unknown, path: string): { found: boolean; value?: unknown } {
  let current: unknown = root;
  for (const part of path.split('.').filter(Boolean)) {
    if (Array.isArray(current) && part === 'length') {
      current = current.length;
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, part)) {
      current = (current as Record<string, unknown>)[part];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}
