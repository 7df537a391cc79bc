// The life of what a step creates: create it, read it, change it, delete it, and then it is gone. Built from the
// journey's own steps: the one that captures an id, and those that read, change and delete by that id.
import type { Step } from '../../cases/index.ts';
import { mergeHint, request, stepAt, stepLabel, type CaseDraft, type Rule } from '../draft.ts';
import { firstIndexBy, perJourney } from '../per-journey.ts';
import { pathParameters } from './path-parameters.ts';

type Verb = 'read' | 'update' | 'delete';

/**
 * The first step of a journey that reads, changes or deletes by each id, keyed "verb id": a step acts on the thing
 * its last path parameter names, so that parameter is the only id it can address.
 */
const firstActing = perJourney((steps) =>
  firstIndexBy(steps, (step) => {
    if (!step.api) return undefined;
    const verb = verbOf(step.api);
    const id = pathParameters(step.api).at(-1);
    return verb && id !== undefined && addresses(step.api, id) ? `${verb} ${id}` : undefined;
  }),
);

export const lifecycle: Rule = {
  name: 'rules/lifecycle',
  draft(context) {
    const { step, source } = context;
    if (!step.api?.startsWith('POST ')) return [];
    const drafts: CaseDraft[] = [];
    for (const [name, from] of Object.entries(step.capture ?? {})) {
      if (!from.startsWith('body.') && !from.startsWith('headers.')) continue;
      const by = (verb: Verb): Step | undefined => {
        const index = firstActing(source.userCase.steps).get(`${verb} ${name}`);
        return index === undefined ? undefined : source.userCase.steps[index];
      };
      const read = by('read');
      const remove = by('delete');
      // Without a read there is no telling that the delete worked.
      if (!read || !remove) continue;
      const update = by('update');
      const keep = { repeat: undefined, capture: {} };
      const requests = [
        request(mergeHint(step, { repeat: undefined, capture: { [name]: from } })),
        request(mergeHint(read, keep)),
        ...(update ? [request(mergeHint(update, keep)), request(mergeHint(read, keep))] : []),
        request(mergeHint(remove, keep)),
        request(mergeHint(read, { ...keep, expect: { status: [404, 410] } })),
      ];
      drafts.push({
        title: `${stepLabel(context)}: what is created can be read${update ? ', changed' : ''} and deleted, and is then gone (${name})`,
        rule: this.name,
        at: stepAt(context),
        tags: ['stateful'],
        requests,
      });
    }
    return drafts;
  },
};

function verbOf(api: string): Verb | undefined {
  const method = api.split(' ')[0];
  if (method === 'GET') return 'read';
  if (method === 'PUT' || method === 'PATCH') return 'update';
  if (method === 'DELETE') return 'delete';
  return undefined;
}

/** The operation acts on the thing the id names: the id is the last parameter of its path. */
function addresses(api: string, name: string): boolean {
  const path = api.split(' ')[1]!;
  return pathParameters(api).at(-1) === name && path.endsWith(`{${name}}`);
}
