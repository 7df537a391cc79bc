// A step that needs an identity must refuse credentials that are not valid: a made-up token in the same header.
import { mergeHint, request, stepAt, stepLabel, type Rule } from '../draft.ts';

export const INVALID_CREDENTIAL = 'gauntlet-invalid-credential';

export const wrongCredentials: Rule = {
  name: 'rules/wrong-credentials',
  draft(context) {
    const { step, config } = context;
    if (!step.api || !step.auth || step.auth === 'none') return [];
    const identity = config.identities[step.auth];
    if (!identity || Object.keys(identity.headers).length === 0) return [];
    // Same header names, same scheme ("Bearer "), a value the service never issued.
    const headers = Object.fromEntries(
      Object.entries(identity.headers).map(([name, value]) => [
        name,
        `${/^\w+ /.exec(value)?.[0] ?? ''}${INVALID_CREDENTIAL}`,
      ]),
    );
    const hint = mergeHint(step, { capture: {}, expect: {}, repeat: undefined });
    return [
      {
        title: `${stepLabel(context)}: refuses a request with made-up credentials`,
        rule: this.name,
        at: stepAt(context),
        tags: ['security'],
        priority: 'high',
        // The requires_auth check judges the answer: it must be 401 or 403.
        requests: [
          {
            ...request({ ...hint, auth: 'none', headers: { ...hint.headers, ...headers } }),
            probe: 'wrong-credentials',
          },
        ],
      },
    ];
  },
};
