// A path parameter that climbs out of its directory must never reach a file outside it, nor crash the service.
// It need not be refused: to a service whose names are free text, "../../etc/passwd" is a name like any other, and
// deleting or listing what no such name holds may well succeed. What it must not do is answer with the file.
import { mergeHint, request, stepAt, stepLabel, type CaseDraft, type Rule } from '../draft.ts';
import { declaredParameters } from './declared-parameters.ts';
import { pathParameters } from './path-parameters.ts';

export const TRAVERSAL = '../../../../etc/passwd';
/** What /etc/passwd starts with on every Unix: the file itself came back. */
export const PASSWD_CONTENT = 'root:x:0:0:';

export const pathTraversal: Rule = {
  name: 'rules/path-traversal',
  draft(context) {
    const { step } = context;
    if (!step.api) return [];
    // A number or a flag in the path gets a word as its wrong-type probe (rules/parameter-values), not a file path.
    const typed = new Set(
      declaredParameters(context)
        .filter((p) => p.place === 'path' && p.type !== 'string')
        .map((p) => p.name),
    );
    return pathParameters(step.api)
      .filter((name) => !typed.has(name))
      .map((name): CaseDraft => ({
        title: `${stepLabel(context)}: serves no file for a path-traversal "${name}"`,
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
              expect: { status: ['2xx', '3xx', '4xx'], bodyNotContains: [PASSWD_CONTENT] },
              repeat: undefined,
            }),
          ),
        ],
      }));
  },
};
