// Edge values for each field, one case per value: the service may accept or refuse them, but must never fail
// with a 5xx. One value per case keeps a failure's reproduction to the one value that caused it.
import { mergeHint, request, stepAt, stepLabel, type CaseDraft, type Rule } from '../draft.ts';
import { fuzzableBodyFields, withField } from './body-fields.ts';

export interface EdgeValue {
  label: string;
  value: unknown;
}

export const LONG_STRING_LENGTH = 10_000;

export function boundaryValuesFor(value: unknown): EdgeValue[] {
  if (typeof value === 'string') {
    return [
      { label: 'an empty text', value: '' },
      { label: 'only a space', value: ' ' },
      {
        label: `a ${LONG_STRING_LENGTH.toLocaleString('en')}-character text`,
        value: 'x'.repeat(LONG_STRING_LENGTH),
      },
      {
        label: 'quotes, markup, emoji and right-to-left text',
        value: `O'Brien "quoted" <b>&amp; ☃ 🎵 ${'\u202e'}rtl`,
      },
    ];
  }
  if (typeof value === 'number') {
    return [
      { label: 'zero', value: 0 },
      { label: 'a negative number', value: -1 },
      { label: 'the largest safe integer', value: Number.MAX_SAFE_INTEGER },
      { label: 'a huge negative number', value: -1e308 },
      ...(Number.isInteger(value) ? [{ label: 'a fraction', value: value + 0.5 }] : []),
    ];
  }
  return [];
}

export const boundaryValues: Rule = {
  name: 'rules/boundary-values',
  draft(context) {
    return fuzzableBodyFields(context).flatMap(([field, value]) =>
      boundaryValuesFor(value).map((edge): CaseDraft => ({
        title: `${stepLabel(context)}: copes with ${edge.label} in "${field}"`,
        rule: this.name,
        at: stepAt(context),
        tags: ['edge-case'],
        requests: [
          request(
            mergeHint(context.step, {
              example: withField(context, field, edge.value),
              capture: {},
              expect: { status: ['2xx', '3xx', '4xx'] },
              repeat: undefined,
            }),
          ),
        ],
      })),
    );
  },
};
