// The cases people wrote: each titled case with data becomes one test, a skipped one says why it cannot run.
import { mergeHint, request, type CaseDraft, type Rule } from '../draft.ts';

export const titledCases: Rule = {
  name: 'user-case',
  draft(context) {
    const drafts: CaseDraft[] = [];
    (context.step.cases ?? []).forEach((entry, index) => {
      if (typeof entry === 'string') return;
      const { title, steps, priority, tags, skip, skipChecks, ui, load, ...override } = entry;
      const at = context.source.steps[context.stepIndex]!.cases[index]!;
      const base = {
        title,
        rule: this.name,
        at,
        ...(priority && { priority }),
        ...(tags && { tags }),
        ...(skipChecks && { skipChecks }),
      };
      if (skip) {
        drafts.push({ ...base, requests: [], skip });
        return;
      }
      if (ui) {
        drafts.push({ ...base, requests: [], ui });
        return;
      }
      // A titled case captures only what it says it captures: the step's own capture serves later steps.
      const stepDefaults = mergeHint(context.step, { capture: undefined, ...override });
      const hints = steps ? steps.map((entryStep) => ({ ...stepDefaults, ...entryStep })) : [stepDefaults];
      // A request in `steps` that gives a body of one kind replaces the other kind inherited from the step.
      for (const [i, hint] of hints.entries()) {
        if (steps?.[i]?.example !== undefined) delete hint.rawBody;
        if (steps?.[i]?.rawBody !== undefined) delete hint.example;
      }
      drafts.push({ ...base, requests: hints.map((hint) => request(hint)), ...(load && { load }) });
    });
    return drafts;
  },
};
