// Values from the API description's schema of the request body: the fields the description requires alone, each
// required field left out, an unknown field, and each field's boundaries and invalid values. What the schema calls
// invalid must be refused with a 4xx (the service enforces its own contract); what it allows must not crash it.
import type { Expectation } from '../../cases/index.ts';
import { edgeValuesFor, MISSING } from '../openapi/index.ts';
import type { JsonSchema } from '../openapi/index.ts';
import { hasJsonBody, mergeHint, request, stepAt, stepLabel, type CaseDraft, type Rule } from '../draft.ts';

const REFUSED: Expectation = { status: '4xx' };
const TOLERATED: Expectation = { status: ['2xx', '3xx', '4xx'] };

export const schemaValues: Rule = {
  name: 'rules/schema-values',
  draft(context) {
    const operation = context.operation;
    const schema = operation?.requestBody?.schema;
    const hint = mergeHint(context.step);
    if (!operation || !schema || !hasJsonBody(hint) || !isObjectSchema(schema)) return [];
    const example = hint.example;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    const drafts: CaseDraft[] = [];
    const draft = (
      what: string,
      body: Record<string, unknown>,
      expect: Expectation,
      tags: string[],
    ): void => {
      drafts.push({
        title: `${stepLabel(context)}: ${what}`,
        rule: this.name,
        at: stepAt(context),
        tags,
        requests: [
          request(mergeHint(context.step, { example: body, capture: {}, expect, repeat: undefined })),
        ],
      });
    };

    const requiredOnly = Object.fromEntries(Object.entries(example).filter(([name]) => required.has(name)));
    if (
      Object.keys(requiredOnly).length < Object.keys(example).length &&
      [...required].every((r) => r in example)
    ) {
      // The step's status only: what it expects of the body may be about the fields left out.
      draft(
        'works with only the fields the description requires',
        requiredOnly,
        { status: hint.expect?.status ?? '2xx' },
        ['positive'],
      );
    }
    for (const name of required) {
      if (!(name in example)) continue;
      const { [name]: _left, ...without } = example;
      draft(`refuses a body without the required "${name}"`, without, REFUSED, ['negative']);
    }
    if (schema.additionalProperties === false) {
      draft(
        'refuses a field the description does not know',
        { ...example, gauntletUnknownField: 1 },
        REFUSED,
        ['negative'],
      );
    }
    for (const [name, property] of Object.entries(properties)) {
      for (const edge of edgeValuesFor(property, name, {
        seed: context.config.generation.seed,
        ...(context.proposed && { proposed: context.proposed }),
      })) {
        // A field left out is the required-field case above; a number beyond a double's range has no JSON value.
        if (edge.value === MISSING || edge.json !== undefined) continue;
        draft(
          `${edge.valid ? 'copes with' : 'refuses'} ${edge.label}`,
          { ...example, [name]: edge.value },
          edge.valid ? TOLERATED : REFUSED,
          [edge.kind === 'boundary' ? 'edge-case' : 'negative'],
        );
      }
    }
    return drafts;
  },
};

function isObjectSchema(schema: JsonSchema): boolean {
  return schema.type === 'object' || (schema.type === undefined && typeof schema.properties === 'object');
}
