// A step that needs an identity must refuse credentials that are not valid: a made-up token in the same header, a
// made-up value in the same cookie. A step whose auth is optional (a public endpoint) need not.
import { identityRequestHeaders } from '../../cases/config.ts';
import { ownValue } from '../../cases/index.ts';
import { mergeHint, request, stepAt, stepLabel, type Rule } from '../draft.ts';

export const INVALID_CREDENTIAL = 'gauntlet-invalid-credential';

export const wrongCredentials: Rule = {
  name: 'rules/wrong-credentials',
  draft(context) {
    const { step, config } = context;
    if (!step.api || !step.auth || step.auth === 'none' || step.authOptional) return [];
    const identity = ownValue(config.identities, step.auth);
    if (!identity) return [];
    // Same header and cookie names, same scheme ("Bearer "), a value the service never issued.
    const madeUp = (value: string) => `${/^\w+ /.exec(value)?.[0] ?? ''}${INVALID_CREDENTIAL}`;
    const headers = identityRequestHeaders({
      headers: Object.fromEntries(
        Object.entries(identity.headers).map(([name, value]) => [name, madeUp(value)]),
      ),
      cookies: Object.fromEntries(
        Object.keys(identity.cookies ?? {}).map((name) => [name, INVALID_CREDENTIAL]),
      ),
    });
    if (Object.keys(headers).length === 0) return [];
    const hint = mergeHint(step, { capture: {}, expect: {}, repeat: undefined });
    return [
      {
        title: `${stepLabel(context)}: refuses a request with made-up credentials`,
        rule: this.name,
        at: stepAt(context),
        tags: ['security'],
        priority: 'high',
        // The requires_auth check judges the answer: it must be refused (a 4xx).
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
