// The shape of a reply, `{ "cases": [...] }`, as the model is asked for it (the wire schema, derived from the zod
// ProposedCase) and as it is read back: parsed, checked at the top level, and each case decoded from its wire form.
import { z } from 'zod';
import { ProposedCase } from '../provider.ts';
import { toWireSchema, type JsonSchema } from './wire-schema.ts';

/** The name of the schema in `response_format.json_schema`. */
export const REPLY_SCHEMA_NAME = 'test_cases';

const CASE_WIRE = toWireSchema(z.toJSONSchema(ProposedCase, { io: 'input' }) as JsonSchema);

/** The wire schema of a reply of at most `maxCases` cases. */
export function replySchema(maxCases: number): JsonSchema {
  return {
    type: 'object',
    properties: {
      cases: {
        type: 'array',
        description: 'The proposed test cases.',
        items: CASE_WIRE.schema,
        maxItems: maxCases,
      },
    },
    required: ['cases'],
    additionalProperties: false,
  };
}

/** One case from its wire form to the ProposedCase shape (still to be checked); may throw WireDecodeError. */
export const decodeCase = (wire: unknown): unknown => (CASE_WIRE.decode ? CASE_WIRE.decode(wire) : wire);

export type ParsedReply = { ok: true; cases: unknown[] } | { ok: false; error: string };

/** The reply's cases, or why the reply as a whole is not one (it is then worth asking for a corrected one). */
export function parseReply(content: string): ParsedReply {
  let value: unknown;
  try {
    value = JSON.parse(withoutFence(content));
  } catch (error) {
    return { ok: false, error: `the reply is not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'the reply must be a JSON object {"cases": [...]}' };
  }
  const { cases } = value as { cases?: unknown };
  if (!Array.isArray(cases)) {
    return { ok: false, error: 'the reply must have a "cases" array at the top level' };
  }
  return { ok: true, cases };
}

/** Servers without a JSON mode often wrap JSON in a Markdown code fence; the fence is not the reply. */
function withoutFence(content: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/i.exec(content);
  return fenced ? fenced[1]! : content;
}
