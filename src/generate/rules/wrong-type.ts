// A field sent with a value of another type must be refused with a 4xx (negative data rejection).
import { mergeHint, request, stepAt, stepLabel, type CaseDraft, type Rule } from '../draft.ts';
import { fuzzableBodyFields, withField } from './body-fields.ts';

/** A value no API accepts where `value`'s type is expected: never a type a lenient union would also take. */
export function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'string') return true;
  if (typeof value === 'number') return `${value}`;
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return 'not-a-list';
  if (value !== null && typeof value === 'object') return 'not-an-object';
  return { unexpected: 'object' };
}

export const wrongType: Rule = {
  name: 'rules/wrong-type',
  draft(context) {
    return fuzzableBodyFields(context).map(([field, value]): CaseDraft => ({
      title: `${stepLabel(context)}: refuses "${field}" of the wrong type`,
      rule: this.name,
      at: stepAt(context),
      tags: ['negative'],
      requests: [
        request(
          mergeHint(context.step, {
            example: withField(context, field, wrongTypeFor(value)),
            capture: {},
            expect: { status: '4xx' },
          }),
        ),
      ],
    }));
  },
};
