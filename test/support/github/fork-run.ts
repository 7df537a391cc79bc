// A scene several tests of the fork-safe pair share: the base repository acme/shop (with no files at all: nothing of
// it or of the pull request is ever read), a fork mallory/shop, mallory's pull request from the fork, and the pull
// request's completed run of the Gauntlet workflow, which ran in the base repository on the fork's code.
import type { GitHubEmulator } from './emulator.ts';
import type { RepositoryRecord, WorkflowRunRecord } from './state/records.ts';

export function forkPullRequestRun(
  gh: GitHubEmulator,
  options: { repo?: RepositoryRecord; conclusion?: WorkflowRunRecord['conclusion'] } = {},
) {
  const repo = options.repo ?? gh.state.addRepository({ owner: 'acme', name: 'shop' });
  const fork = gh.state.addRepository({ owner: 'mallory', name: 'shop' });
  const workflow = gh.state.addWorkflow(repo, { name: 'Gauntlet', file: 'gauntlet.yml' });
  const pr = gh.state.addPullRequest(repo, {
    title: 'Faster cart',
    user: 'mallory',
    head: { ref: 'patch-1' },
  });
  const run = gh.state.addWorkflowRun(workflow, {
    pullRequest: pr,
    headRepository: fork,
    conclusion: options.conclusion ?? 'success',
  });
  return { repo, fork, workflow, pr, run };
}
