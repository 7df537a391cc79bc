// Query values a page shows back must be escaped: a markup probe must not come back as markup.
import { MARKUP_PROBE } from '../../cases/index.ts';
import { mergeHint, request, stepAt, stepLabel, type CaseDraft, type Rule } from '../draft.ts';

export const reflectedMarkup: Rule = {
  name: 'rules/reflected-markup',
  draft(context) {
    const { page } = context.step;
    if (!page) return [];
    const url = new URL(page, 'http://page.invalid');
    return [...url.searchParams.keys()].map((name): CaseDraft => ({
      title: `${stepLabel(context)}: the page escapes "${name}" it shows back`,
      rule: this.name,
      at: stepAt(context),
      tags: ['security'],
      priority: 'high',
      requests: [
        request(
          mergeHint(context.step, {
            api: `GET ${url.pathname}`,
            params: {},
            query: { ...Object.fromEntries(url.searchParams), [name]: MARKUP_PROBE },
            example: undefined,
            capture: {},
            // The no_reflected_markup check judges every response; the page need only answer.
            expect: { status: ['2xx', '4xx'] },
            repeat: undefined,
          }),
        ),
      ],
    }));
  },
};
