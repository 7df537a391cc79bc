// Edge values for each field: the service may accept or refuse them, but must never fail with a 5xx.
import { mergeHint, request, stepAt, stepLabel, type CaseDraft, type Rule } from '../draft.ts';
import { literalBodyFields, withField } from './body-fields.ts';

export function boundaryValuesFor(value: unknown): unknown[] {
  if (typeof value === 'string') {
    return ['', ' ', 'x'.repeat(10_000), `O'Brien "quoted" <b>&amp; ☃ 🎵 ${'\u202e'}rtl`, '../../etc/passwd'];
  }
  if (typeof value === 'number') {
    return [0, -1, Number.MAX_SAFE_INTEGER, -1e308, ...(Number.isInteger(value) ? [value + 0.5] : [])];
  }
  return [];
}

export const boundaryValues: Rule = {
  name: 'rules/boundary-values',
  draft(context) {
    return literalBodyFields(context)
      .filter(([, value]) => boundaryValuesFor(value).length > 0)
      .map(([field, value]): CaseDraft => ({
        title: `${stepLabel(context)}: copes with edge values of "${field}"`,
        rule: this.name,
        at: stepAt(context),
        tags: ['robustness'],
        requests: boundaryValuesFor(value).map((edge) =>
          request(
            mergeHint(context.step, {
              example: withField(context, field, edge),
              capture: {},
              expect: { status: ['2xx', '3xx', '4xx'] },
              repeat: undefined,
            }),
          ),
        ),
      }));
  },
};
