// A method the API description does not offer on a step's path must be refused, not served: a handler no one
// documented is a way in no one reviewed. HTTP says 405 with an Allow header; many frameworks answer 404, which
// refuses as well, so any 4xx passes. Without a description nothing says which methods a path offers (user cases
// name only the ones their journeys use), so the rule needs one.
import { operationKey } from '../../cases/index.ts';
import { mergeHint, request, stepAt, stepLabel, type Rule } from '../draft.ts';
import { firstIndexBy, perJourney } from '../per-journey.ts';

/** Tried in this order; HEAD and OPTIONS are left out, as servers answer them for every path they route. */
const UNOFFERED = ['PUT', 'PATCH', 'DELETE', 'POST', 'GET'] as const;

/** The path of an `api` hint, with its parameters' names left out. */
const pathOf = (api: string): string => operationKey('', api.split(' ')[1] ?? '');

/** The first step of a journey on each path. */
const firstOnPath = perJourney((steps) =>
  firstIndexBy(steps, (step) => (step.api === undefined ? undefined : pathOf(step.api))),
);

export const methodNotAllowed: Rule = {
  name: 'rules/method-not-allowed',
  draft(context) {
    const { step, offered } = context;
    if (!step.api || !offered) return [];
    const path = pathOf(step.api);
    // One test a path in a journey: on its first step there.
    const first = firstOnPath(context.source.userCase.steps).get(path);
    if (first !== undefined && first < context.stepIndex) return [];
    const method = UNOFFERED.find((m) => !offered.includes(m));
    if (!method) return [];
    const hint = mergeHint(step, {
      api: `${method} ${step.api.split(' ')[1]}`,
      example: undefined,
      rawBody: undefined,
      form: undefined,
      files: undefined,
      capture: {},
      expect: { status: '4xx' },
      repeat: undefined,
    });
    return [
      {
        title: `${stepLabel(context)}: refuses ${method}, which the API description does not offer there`,
        rule: this.name,
        at: stepAt(context),
        tags: ['security'],
        priority: 'medium',
        requests: [request(hint)],
      },
    ];
  },
};
