// Stable ids: the same test content always gets the same id, whatever file or line it came from.
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

export function contentId(prefix: string, content: unknown): string {
  const canonical = stringify(content) ?? '';
  return `${prefix}_${createHash('sha256').update(canonical).digest('hex').slice(0, 12)}`;
}
