// Hostile text in every literal string field and query value: SQL and NoSQL injection and path traversal. The
// service may accept or refuse it, but must not fail (5xx) or leak a database error (the no_sql_error check).
import type { Expectation } from '../../cases/index.ts';
import {
  mergeHint,
  request,
  stepAt,
  stepLabel,
  type CaseDraft,
  type Rule,
  type StepContext,
} from '../draft.ts';
import { fuzzableBodyFields, withField } from './body-fields.ts';
import { declaredParameters } from './declared-parameters.ts';

export interface Payload {
  label: string;
  /** The value sent in place of a string: NoSQL operators replace it by an object. */
  value: unknown;
}

export const INJECTION_PAYLOADS: readonly Payload[] = [
  { label: 'SQL injection', value: "' OR '1'='1' --" },
  { label: 'NoSQL operator injection', value: { $ne: null } },
  { label: 'path traversal', value: '../../../../etc/passwd' },
];

/** Query values can only carry text: the NoSQL payload goes as the bracket syntax many parsers expand. */
const QUERY_PAYLOADS: readonly Payload[] = [
  { label: 'SQL injection', value: "' OR '1'='1' --" },
  { label: 'path traversal', value: '../../../../etc/passwd' },
];

const TOLERANT: Expectation = { status: ['2xx', '3xx', '4xx'] };

export const injection: Rule = {
  name: 'rules/injection',
  draft(context) {
    const drafts: CaseDraft[] = [];
    const stringFields = fuzzableBodyFields(context).filter(([, value]) => typeof value === 'string');
    for (const [field] of stringFields) {
      for (const payload of INJECTION_PAYLOADS) {
        drafts.push(
          probe(context, this.name, `${payload.label} in "${field}"`, {
            example: withField(context, field, payload.value),
          }),
        );
      }
    }
    const query = context.step.api ? (context.step.query ?? {}) : {};
    // A query value the description says is a number or a flag gets a word as its wrong-type probe instead.
    const typed = new Set(
      declaredParameters(context)
        .filter((p) => p.place === 'query' && p.type !== 'string')
        .map((p) => p.name),
    );
    for (const [name, value] of Object.entries(query)) {
      if (typeof value !== 'string' || typed.has(name)) continue;
      for (const payload of QUERY_PAYLOADS) {
        drafts.push(
          probe(context, this.name, `${payload.label} in the "${name}" query value`, {
            query: { ...query, [name]: payload.value as string },
          }),
        );
      }
    }
    return drafts;
  },
};

function probe(
  context: StepContext,
  rule: string,
  what: string,
  override: Parameters<typeof mergeHint>[1],
): CaseDraft {
  return {
    title: `${stepLabel(context)}: resists ${what}`,
    rule,
    at: stepAt(context),
    tags: ['security'],
    priority: 'high',
    requests: [
      request(mergeHint(context.step, { ...override, capture: {}, expect: TOLERANT, repeat: undefined })),
    ],
  };
}
