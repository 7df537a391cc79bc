// Steps written with `operationId` instead of `api`: the description says which request that is. An unknown id, or
// one that names another request than the step's `api`, is an error at the step, as any other mistake in a user case.
import { operationKey } from '../../cases/index.ts';
import { editDistance } from '../../cases/template.ts';
import type { Loaded, LoadedUserCase, Position, RequestHint, SourceError } from '../../cases/index.ts';
import type { ApiDescription, ApiOperation } from './description.ts';
import { stepPathOf } from './journey/step-path.ts';

export function resolveOperationIds(
  userCases: readonly LoadedUserCase[],
  description: ApiDescription,
): Loaded<LoadedUserCase[]> {
  const byId = new Map(description.operations.map((op) => [op.operationId, op]));
  const errors: SourceError[] = [];
  const resolved = userCases.map((source) => {
    const resolve = <H extends RequestHint>(hint: H, where: string, at: Position): H => {
      if (hint.operationId === undefined) return hint;
      const fail = (message: string) => {
        errors.push({ file: source.file, ...at, message: `${where}operationId: ${message}` });
        return hint;
      };
      const operation = byId.get(hint.operationId);
      if (!operation) return fail(unknownId(hint.operationId, description));
      // Path parameters take the names journeys give them (`{id}` of projects is `{projectId}`).
      const api = `${operation.method} ${stepPathOf(operation)}`;
      if (hint.api === undefined) return { ...hint, api };
      const [method = '', path = ''] = hint.api.split(' ');
      if (operationKey(method, path) !== operationKey(operation.method, operation.path)) {
        return fail(`"${hint.operationId}" is ${api} in ${description.source}, but api says ${hint.api}`);
      }
      return hint;
    };
    const steps = source.userCase.steps.map((step, i) => {
      const at = source.steps[i]!;
      const resolvedStep = resolve(step, `steps[${i}].`, at.at);
      if (!step.cases) return resolvedStep;
      const cases = step.cases.map((entry, j) => {
        if (typeof entry === 'string') return entry;
        const where = `steps[${i}].cases[${j}].`;
        const caseAt = at.cases[j] ?? at.at;
        const titled = resolve(entry, where, caseAt);
        if (!titled.steps) return titled;
        return { ...titled, steps: titled.steps.map((s, k) => resolve(s, `${where}steps[${k}].`, caseAt)) };
      });
      return { ...resolvedStep, cases };
    });
    return { ...source, userCase: { ...source.userCase, steps } };
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: resolved };
}

/** Names the id, the description, and the ids it has that look most like it. */
function unknownId(id: string, description: ApiDescription): string {
  const ids = description.operations.map((op: ApiOperation) => op.operationId);
  const distances = ids.map((known) => ({
    known,
    distance: editDistance(id.toLowerCase(), known.toLowerCase()),
  }));
  const best = Math.min(...distances.map((d) => d.distance));
  const near = distances
    .filter(({ distance }) => distance === best && distance <= Math.max(2, Math.floor(id.length / 3)))
    .slice(0, 3)
    .map(({ known }) => `"${known}"`);
  const hint = near.length ? `did you mean ${near.join(' or ')}?` : `it has ${ids.length} operations`;
  return `no operation "${id}" in ${description.source} (${hint})`;
}
