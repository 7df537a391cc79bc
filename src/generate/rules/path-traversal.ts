// A path parameter that climbs out of its directory must be refused (400 or 404), never served or crashed on.
import { mergeHint, request, stepAt, stepLabel, type CaseDraft, type Rule } from '../draft.ts';
import { pathParameters } from './path-parameters.ts';

export const TRAVERSAL = '../../../../etc/passwd';

export const pathTraversal: Rule = {
  name: 'rules/path-traversal',
  draft(context) {
    const { step } = context;
    if (!step.api) return [];
    return pathParameters(step.api).map((name): CaseDraft => ({
      title: `${stepLabel(context)}: refuses a path-traversal "${name}"`,
      rule: this.name,
      at: stepAt(context),
      tags: ['security'],
      priority: 'high',
      requests: [
        request(
          mergeHint(step, {
            // A literal parameter is sent encoded (..%2F..%2F), as a client library would send it.
            params: { ...step.params, [name]: TRAVERSAL },
            capture: {},
            expect: { status: '4xx' },
            repeat: undefined,
          }),
        ),
      ],
    }));
  },
};
