// What one user created must stay out of reach of another: a second account is refused (a 4xx, such as 403 or 404).
// A step whose auth is optional calls a public endpoint, which every user may reach.
import { ownValue } from '../../cases/index.ts';
import { mergeHint, request, stepAt, stepLabel, type Rule } from '../draft.ts';
import { pathParameters } from './path-parameters.ts';

export const crossUser: Rule = {
  name: 'rules/cross-user',
  draft(context) {
    const { step, config } = context;
    if (!step.api || !step.auth || step.authOptional || !ownValue(config.identities, step.auth)?.fresh)
      return [];
    const captured = pathParameters(step.api).filter((p) => step.params?.[p] === undefined);
    if (captured.length === 0) return [];
    // The owner_only check judges the answer: it must be refused (a 4xx).
    const hint = mergeHint(step, { capture: {}, expect: {}, repeat: undefined });
    return [
      {
        title: `${stepLabel(context)}: another user cannot reach what this user created`,
        rule: this.name,
        at: stepAt(context),
        tags: ['security'],
        priority: 'high',
        requests: [{ ...request(hint, 2), probe: 'other-user' }],
      },
    ];
  },
};
