// Every page a journey names opens in the browser: it loads without a server error and shows a heading.
import { stepAt, stepLabel, type Rule } from '../draft.ts';

export const pageOpens: Rule = {
  name: 'rules/page-opens',
  draft(context) {
    const { page } = context.step;
    if (!page) return [];
    return [
      {
        title: `${stepLabel(context)}: the page ${page} opens`,
        rule: this.name,
        at: stepAt(context),
        tags: ['ui'],
        requests: [],
        ui: [
          { action: 'goto', target: page },
          { action: 'expectVisible', target: 'css=h1' },
        ],
      },
    ];
  },
};
