// A body that is not JSON at all must be refused with a 4xx, not crash the handler.
import { hasJsonBody, mergeHint, request, stepAt, stepLabel, type Rule } from '../draft.ts';

export const MALFORMED_JSON = '{"gauntlet": "unterminated';

export const malformedJson: Rule = {
  name: 'rules/malformed-json',
  draft(context) {
    const hint = mergeHint(context.step);
    if (!context.step.api || !hasJsonBody(hint)) return [];
    return [
      {
        title: `${stepLabel(context)}: refuses a body that is not valid JSON`,
        rule: this.name,
        at: stepAt(context),
        tags: ['negative'],
        requests: [
          request(
            mergeHint(context.step, { rawBody: MALFORMED_JSON, capture: {}, expect: { status: '4xx' } }),
          ),
        ],
      },
    ];
  },
};
