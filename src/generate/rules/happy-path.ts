// The step as its author described it works: the example data gets the expected answer.
import { mergeHint, request, stepAt, stepLabel, type Rule } from '../draft.ts';

export const happyPath: Rule = {
  name: 'rules/happy-path',
  draft(context) {
    if (!context.step.api) return [];
    return [
      {
        title: `${stepLabel(context)}: works with the example data`,
        rule: this.name,
        at: stepAt(context),
        requests: [request(mergeHint(context.step))],
      },
    ];
  },
};
