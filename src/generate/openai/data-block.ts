// Untrusted text in a prompt: journeys, titles, results and response bodies are written by others (a pull request
// can change a journey), so they go into the user message as data blocks, never as instructions:
//
//   <data-1f2e3d4c5b6a name="journey">
//   …text…
//   </data-1f2e3d4c5b6a>
//
// The tag ends in a hash of everything the blocks hold, so text inside cannot predict it and close its block early
// (it would have to contain the hash of itself); and any "<data" inside is escaped as "&lt;data" all the same, so no
// block can be opened or closed from inside by any tag. The hash keeps prompts deterministic, which a seeded model
// needs to give the same answer twice.
//
// Every block's text goes through the request's PromptSafe as it is written, so no credential or identity data
// reaches the model whatever a caller forgot to clear before.
import { createHash } from 'node:crypto';
import type { PromptSafe } from '../prompt-safe.ts';

export interface DataBlock {
  /** What the block holds, e.g. "journey"; a word, never user text. */
  name: string;
  text: string;
}

export function escapeData(text: string): string {
  return text.replace(/<(\/?)(data)/gi, '&lt;$1$2');
}

/** The tag of a set of blocks: `data-` and 12 hex digits of a hash of their content. */
export function dataTag(blocks: readonly DataBlock[]): string {
  const hash = createHash('sha256');
  for (const block of blocks) hash.update(block.name).update('\0').update(block.text).update('\0');
  return `data-${hash.digest('hex').slice(0, 12)}`;
}

export function renderDataBlocks(blocks: readonly DataBlock[], safe: PromptSafe): string {
  const cleared = blocks.map((b) => ({ name: b.name, text: safe.text(b.text) }));
  const tag = dataTag(cleared);
  return cleared.map((b) => `<${tag} name="${b.name}">\n${escapeData(b.text)}\n</${tag}>`).join('\n\n');
}
