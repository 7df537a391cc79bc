// A query value with a line break and a header after it must never become a header of the response (response
// splitting): the no_header_injection check looks for the injected header.
import { HEADER_INJECTION_PROBE } from '../../cases/index.ts';
import { mergeHint, request, stepAt, stepLabel, type CaseDraft, type Rule } from '../draft.ts';

export const headerInjection: Rule = {
  name: 'rules/header-injection',
  draft(context) {
    const { step } = context;
    const pageUrl = step.page ? new URL(step.page, 'http://page.invalid') : undefined;
    // The step's API query values, and the page's (redirects after a form are where splitting happens).
    const targets: { api: string; query: Record<string, string | number | boolean> }[] = [];
    if (step.api?.startsWith('GET ') && step.query) targets.push({ api: step.api, query: step.query });
    if (pageUrl && pageUrl.search)
      targets.push({ api: `GET ${pageUrl.pathname}`, query: Object.fromEntries(pageUrl.searchParams) });
    return targets.flatMap(({ api, query }) =>
      Object.keys(query).map((name): CaseDraft => ({
        title: `${stepLabel(context)}: "${name}" cannot add a header to the answer of ${api}`,
        rule: this.name,
        at: stepAt(context),
        tags: ['security'],
        priority: 'high',
        requests: [
          {
            ...request(
              mergeHint(step, {
                api,
                params: api === step.api ? step.params : {},
                query: { ...query, [name]: HEADER_INJECTION_PROBE },
                example: undefined,
                capture: {},
                expect: { status: ['2xx', '3xx', '4xx'] },
                repeat: undefined,
              }),
            ),
            probe: 'header-injection',
          },
        ],
      })),
    );
  },
};
