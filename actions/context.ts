// What both actions read of their inputs and of the workflow's context: a mistake there is an InputError, whose
// message fails the step before anything is run or posted.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** A mistake in the inputs or the workflow's context: the step fails with this message, nothing is posted. */
export class InputError extends Error {}

export type Input = (name: string) => string;

/** `true` or `false` in any case; empty is the default. */
export function booleanInput(input: Input, name: string, fallback: boolean): boolean {
  const value = input(name).trim();
  if (value === '') return fallback;
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new InputError(`${name} must be true or false, not "${value}"`);
}

/** `owner/repo` of GITHUB_REPOSITORY. */
export function repositoryOf(env: NodeJS.ProcessEnv): { owner: string; repo: string } {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new InputError(`GITHUB_REPOSITORY must be owner/repo, not "${env.GITHUB_REPOSITORY ?? ''}"`);
  }
  return { owner, repo };
}

/** What the action takes from a `pull_request` (or `pull_request_target`) event; other events have no PR. */
const PullRequestEvent = z.object({
  pull_request: z
    .object({
      number: z.number().int().positive(),
      head: z.object({ sha: z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i) }),
    })
    .optional(),
});

/** The pull request and commit of this workflow's event: the PR's head, or GITHUB_SHA for an event with no PR. */
export async function eventTarget(
  env: NodeJS.ProcessEnv,
): Promise<{ pullRequest: number | undefined; headSha: string }> {
  const text = env.GITHUB_EVENT_PATH
    ? await readFile(env.GITHUB_EVENT_PATH, 'utf8').catch(() => undefined)
    : undefined;
  const event = text === undefined ? undefined : PullRequestEvent.safeParse(JSON.parse(text));
  if (event && !event.success) {
    throw new InputError(
      `the event payload's pull_request is not one GitHub sends: ${event.error.issues[0]!.message}`,
    );
  }
  const pull = event?.data.pull_request;
  if (pull) return { pullRequest: pull.number, headSha: pull.head.sha };
  if (!env.GITHUB_SHA)
    throw new InputError('no pull request in the event and no GITHUB_SHA: nothing to report on');
  return { pullRequest: undefined, headSha: env.GITHUB_SHA };
}
