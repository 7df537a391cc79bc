// A step that needs an identity must refuse a request without credentials; a step whose auth is optional (a public
// endpoint a signed-in user also calls) need not.
import { mergeHint, request, stepAt, stepLabel, type Rule } from '../draft.ts';

export const noCredentials: Rule = {
  name: 'rules/no-credentials',
  draft(context) {
    const { step } = context;
    if (!step.api || !step.auth || step.auth === 'none' || step.authOptional) return [];
    // The requires_auth check judges the answer: it must be refused (a 4xx).
    const hint = mergeHint(step, { capture: {}, expect: {}, repeat: undefined });
    // Earlier steps still run as the identity (to create what this one uses); only this request goes without.
    return [
      {
        title: `${stepLabel(context)}: refuses a request without credentials`,
        rule: this.name,
        at: stepAt(context),
        tags: ['security'],
        priority: 'high',
        requests: [{ ...request({ ...hint, auth: 'none' }), probe: 'no-credentials' }],
      },
    ];
  },
};
