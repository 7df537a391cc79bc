// What clients write to the local GitHub they read back, through @octokit/rest as the app and actions will, and
// tests can see it in the state and in the order of changes. Every answer is checked against GitHub's response
// schemas (`checkResponses`), so a wrong shape fails here.
import { describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { useGitHubEmulator } from '../support/github/jest.ts';
import { statusOf } from '../support/github/status-of.ts';

const github = useGitHubEmulator({ checkResponses: true });
/** Refusals are expected here; Octokit would log each one. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function setup() {
  const gh = github();
  const installation = gh.state.addInstallation({ account: 'acme' });
  const repo = gh.state.addRepository({
    owner: 'acme',
    name: 'shop',
    collaborators: { alice: 'write' },
    files: {
      '.github/gauntlet.yml': 'target: http://localhost:3000\n',
      '.github/workflows/gauntlet.yml': 'on: pull_request\n',
      'README.md': '# shop\n',
    },
  });
  const alice = new Octokit({ auth: gh.state.createToken({ login: 'alice' }), baseUrl: gh.url, log: quiet });
  const bot = new Octokit({
    auth: gh.state.createInstallationToken(installation).token,
    baseUrl: gh.url,
    log: quiet,
  });
  return { gh, repo, alice, bot, where: { owner: 'acme', repo: 'shop' } };
}

describe('issues, labels, comments and reactions', () => {
  it('round-trip, authored by whoever held the token, and record the order of changes', async () => {
    const { gh, repo, alice, bot, where } = setup();
    const { data: issue } = await alice.rest.issues.create({
      ...where,
      title: 'Checkout fails',
      labels: ['bug'],
    });
    expect(issue).toMatchObject({
      number: 1,
      state: 'open',
      user: { login: 'alice' },
      labels: [{ name: 'bug' }],
    });

    await bot.rest.issues.addLabels({ ...where, issue_number: 1, labels: ['gauntlet'] });
    await bot.rest.issues.removeLabel({ ...where, issue_number: 1, name: 'bug' });
    const { data: comment } = await bot.rest.issues.createComment({
      ...where,
      issue_number: 1,
      body: 'Looking',
    });
    await bot.rest.issues.updateComment({ ...where, comment_id: comment.id, body: 'Found it' });
    expect(
      (await alice.rest.reactions.createForIssueComment({ ...where, comment_id: comment.id, content: '+1' }))
        .status,
    ).toBe(201);
    expect(
      (await alice.rest.reactions.createForIssueComment({ ...where, comment_id: comment.id, content: '+1' }))
        .status,
    ).toBe(200);
    await alice.rest.issues.update({ ...where, issue_number: 1, state: 'closed' });

    const { data: comments } = await alice.rest.issues.listComments({ ...where, issue_number: 1 });
    expect(comments).toMatchObject([
      { body: 'Found it', user: { login: 'gauntlet[bot]', type: 'Bot' }, reactions: { '+1': 1 } },
    ]);
    const { data: closed } = await alice.rest.issues.get({ ...where, issue_number: 1 });
    expect(closed).toMatchObject({
      state: 'closed',
      state_reason: 'completed',
      labels: [{ name: 'gauntlet' }],
    });
    expect(closed.closed_at).not.toBeNull();
    expect(repo.issues[0]!.comments[0]!.reactions).toMatchObject([
      { content: '+1', user: { login: 'alice' } },
    ]);

    await bot.rest.issues.deleteComment({ ...where, comment_id: comment.id });
    expect(repo.issues[0]!.comments).toEqual([]);
    expect(await statusOf(bot.rest.issues.getComment({ ...where, comment_id: comment.id }))).toBe(404);
    expect(gh.inspect.changes()).toEqual([
      'issues/create',
      'issues/add-labels',
      'issues/remove-label',
      'issues/create-comment',
      'issues/update-comment',
      'reactions/create-for-issue-comment',
      'reactions/create-for-issue-comment',
      'issues/update',
      'issues/delete-comment',
    ]);
  });

  it('refuses a label that exists with GitHub validation errors', async () => {
    const { alice, where } = setup();
    await alice.rest.issues.createLabel({ ...where, name: 'flaky', color: 'ff0000' });
    const refusal = await alice.rest.issues.createLabel({ ...where, name: 'Flaky' }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Validation Failed',
          errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
          documentation_url: 'https://docs.github.com/rest/issues/labels#create-a-label',
          status: '422',
        },
      },
    });
  });
});

describe('pull requests', () => {
  it('expose their head, files and diff, and are issues too', async () => {
    const { gh, repo, bot, where } = setup();
    const pr = gh.state.addPullRequest(repo, {
      title: 'Add cart',
      head: { ref: 'cart' },
      files: [{ filename: 'src/cart.ts', status: 'added', additions: 2, patch: '@@ -0,0 +1,2 @@\n+a\n+b' }],
    });
    const { data: pull } = await bot.rest.pulls.get({ ...where, pull_number: pr.number });
    expect(pull).toMatchObject({
      number: 1,
      head: { ref: 'cart', sha: pr.pull!.head.sha },
      base: { ref: 'main' },
    });
    const { data: files } = await bot.rest.pulls.listFiles({ ...where, pull_number: pr.number });
    expect(files).toMatchObject([
      { filename: 'src/cart.ts', status: 'added', additions: 2, deletions: 0, changes: 2 },
    ]);
    const diff = await bot.rest.pulls.get({
      ...where,
      pull_number: pr.number,
      mediaType: { format: 'diff' },
    });
    expect(diff.data as unknown as string).toBe(
      'diff --git a/src/cart.ts b/src/cart.ts\n--- /dev/null\n+++ b/src/cart.ts\n@@ -0,0 +1,2 @@\n+a\n+b\n',
    );
    const { data: asIssue } = await bot.rest.issues.get({ ...where, issue_number: pr.number });
    expect(asIssue.pull_request?.url).toBe(`${gh.url}/repos/acme/shop/pulls/1`);
    expect(await statusOf(bot.rest.pulls.get({ ...where, pull_number: 2 }))).toBe(404);
  });
});

describe('check runs and commit statuses', () => {
  it('keep output, accumulate annotations, and refuse a completed run without a conclusion', async () => {
    const { repo, bot, where } = setup();
    const sha = 'a'.repeat(40);
    const { data: run } = await bot.rest.checks.create({
      ...where,
      name: 'Gauntlet',
      head_sha: sha,
      status: 'in_progress',
      actions: [{ label: 'Re-run', description: 'Run Gauntlet again', identifier: 'rerun' }],
    });
    const annotation = {
      path: 'src/cart.ts',
      start_line: 3,
      end_line: 3,
      annotation_level: 'failure' as const,
    };
    await bot.rest.checks.update({
      ...where,
      check_run_id: run.id,
      output: {
        title: '1 finding',
        summary: 'Checkout fails',
        annotations: [{ ...annotation, message: 'first' }],
      },
    });
    await bot.rest.checks.update({
      ...where,
      check_run_id: run.id,
      conclusion: 'failure',
      output: { summary: 'Checkout fails', annotations: [{ ...annotation, message: 'second' }] },
    });
    const { data: done } = await bot.rest.checks.get({ ...where, check_run_id: run.id });
    expect(done).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      app: { slug: 'gauntlet' },
      output: { title: '1 finding', annotations_count: 2 },
    });
    const { data: annotations } = await bot.rest.checks.listAnnotations({ ...where, check_run_id: run.id });
    expect(annotations.map((a) => a.message)).toEqual(['first', 'second']);
    const { data: forRef } = await bot.rest.checks.listForRef({ ...where, ref: sha });
    expect(forRef.check_runs.map((r) => r.id)).toEqual([run.id]);
    expect(repo.checkRuns[0]!.actions).toEqual([
      { label: 'Re-run', description: 'Run Gauntlet again', identifier: 'rerun' },
    ]);

    const refusal = bot.rest.checks.create({
      ...where,
      name: 'Gauntlet',
      head_sha: sha,
      status: 'completed',
    });
    expect(await statusOf(refusal)).toBe(422);
  });

  it('combine the latest status of each context', async () => {
    const { bot, where } = setup();
    const sha = 'b'.repeat(40);
    await bot.rest.repos.createCommitStatus({ ...where, sha, state: 'pending', context: 'gauntlet' });
    await bot.rest.repos.createCommitStatus({ ...where, sha, state: 'success', context: 'gauntlet' });
    const { data: passing } = await bot.rest.repos.getCombinedStatusForRef({ ...where, ref: sha });
    expect(passing).toMatchObject({ state: 'success', total_count: 1, sha });
    await bot.rest.repos.createCommitStatus({ ...where, sha, state: 'failure', context: 'lint' });
    const { data: failing } = await bot.rest.repos.getCombinedStatusForRef({ ...where, ref: sha });
    expect(failing.state).toBe('failure');
    const { data: all } = await bot.rest.repos.listCommitStatusesForRef({ ...where, ref: sha });
    expect(all.map((s) => `${s.context}:${s.state}`)).toEqual([
      'lint:failure',
      'gauntlet:success',
      'gauntlet:pending',
    ]);
  });
});

describe('deployments', () => {
  it('keep their statuses, retire the previous deployment, and take protection rule answers', async () => {
    const { gh, repo, bot, where } = setup();
    const create = () =>
      bot.rest.repos.createDeployment({ ...where, ref: 'main', environment: 'staging', auto_merge: false });
    const first = (await create()).data as { id: number };
    await bot.rest.repos.createDeploymentStatus({ ...where, deployment_id: first.id, state: 'success' });
    const second = (await create()).data as { id: number };
    await bot.rest.repos.createDeploymentStatus({ ...where, deployment_id: second.id, state: 'in_progress' });
    await bot.rest.repos.createDeploymentStatus({
      ...where,
      deployment_id: second.id,
      state: 'success',
      log_url: 'https://ci.example/1',
    });
    const { data: statuses } = await bot.rest.repos.listDeploymentStatuses({
      ...where,
      deployment_id: first.id,
    });
    expect(statuses.map((s) => s.state)).toEqual(['inactive', 'success']);
    const { data: latest } = await bot.rest.repos.listDeployments({ ...where, environment: 'staging' });
    expect(latest.map((d) => d.id)).toEqual([second.id, first.id]);

    const run = gh.state.addWorkflowRun(gh.state.addWorkflow(repo, { name: 'Deploy', file: 'deploy.yml' }), {
      status: 'waiting',
    });
    await bot.rest.actions.reviewCustomGatesForRun({
      ...where,
      run_id: run.id,
      environment_name: 'staging',
      state: 'approved',
      comment: 'Canary healthy',
    });
    expect(run.gateReviews).toEqual([
      { environmentName: 'staging', state: 'approved', comment: 'Canary healthy', by: gh.state.app.bot },
    ]);
  });
});

describe('workflow dispatch', () => {
  it('records a run with the inputs, listed by workflow and by repository', async () => {
    const { gh, repo, alice, where } = setup();
    const workflow = gh.state.addWorkflow(repo, { name: 'Gauntlet', file: 'gauntlet.yml' });
    const dispatched = await alice.rest.actions.createWorkflowDispatch({
      ...where,
      workflow_id: 'gauntlet.yml',
      ref: 'main',
      inputs: { suite: 'smoke' },
    });
    expect(dispatched.status).toBe(204);
    const details = await alice.request(
      'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
      {
        ...where,
        workflow_id: workflow.id,
        ref: 'main',
        return_run_details: true,
      },
    );
    expect(details.data).toMatchObject({ workflow_run_id: repo.runs[1]!.id });
    const { data: runs } = await alice.rest.actions.listWorkflowRuns({ ...where, workflow_id: workflow.id });
    expect(runs.workflow_runs).toMatchObject([
      { run_number: 2, event: 'workflow_dispatch' },
      { run_number: 1, event: 'workflow_dispatch', actor: { login: 'alice' } },
    ]);
    expect(repo.runs[0]!.inputs).toEqual({ suite: 'smoke' });
    const { data: one } = await alice.rest.actions.getWorkflowRun({ ...where, run_id: repo.runs[0]!.id });
    expect(one).toMatchObject({ status: 'queued', workflow_id: workflow.id, head_branch: 'main' });
    expect(
      await statusOf(
        alice.rest.actions.createWorkflowDispatch({ ...where, workflow_id: 'nope.yml', ref: 'main' }),
      ),
    ).toBe(404);
  });
});

describe('sub-issues and dependencies', () => {
  it('link issues by database id, not by number', async () => {
    const { gh, repo, bot, where } = setup();
    const epic = gh.state.addIssue(repo, { title: 'Epic' });
    const first = gh.state.addIssue(repo, { title: 'First' });
    const second = gh.state.addIssue(repo, { title: 'Second' });
    await bot.rest.issues.addSubIssue({ ...where, issue_number: epic.number, sub_issue_id: first.id });
    await bot.rest.issues.addSubIssue({ ...where, issue_number: epic.number, sub_issue_id: second.id });
    await bot.rest.issues.reprioritizeSubIssue({
      ...where,
      issue_number: epic.number,
      sub_issue_id: second.id,
      before_id: first.id,
    });
    const { data: subs } = await bot.rest.issues.listSubIssues({ ...where, issue_number: epic.number });
    expect(subs.map((s) => s.title)).toEqual(['Second', 'First']);
    const { data: parent } = await bot.rest.issues.getParent({ ...where, issue_number: first.number });
    expect(parent.number).toBe(epic.number);
    expect(
      await statusOf(
        bot.rest.issues.addSubIssue({ ...where, issue_number: epic.number, sub_issue_id: first.number }),
      ),
    ).toBe(404);
    await bot.rest.issues.removeSubIssue({ ...where, issue_number: epic.number, sub_issue_id: first.id });
    expect(epic.subIssues).toEqual([second]);

    await bot.rest.issues.addBlockedByDependency({
      ...where,
      issue_number: second.number,
      issue_id: first.id,
    });
    const { data: blocking } = await bot.rest.issues.listDependenciesBlocking({
      ...where,
      issue_number: first.number,
    });
    expect(blocking.map((i) => i.number)).toEqual([second.number]);
    const { data: blockedBy } = await bot.rest.issues.listDependenciesBlockedBy({
      ...where,
      issue_number: second.number,
    });
    expect(blockedBy.map((i) => i.number)).toEqual([first.number]);
    expect(
      await statusOf(
        bot.rest.issues.addBlockedByDependency({ ...where, issue_number: first.number, issue_id: first.id }),
      ),
    ).toBe(422);
    await bot.rest.issues.removeDependencyBlockedBy({
      ...where,
      issue_number: second.number,
      issue_id: first.id,
    });
    expect(second.blockedBy).toEqual([]);
  });
});

describe('repository contents and permissions', () => {
  it('serve files as JSON, raw and as directory listings, and collaborator permission levels', async () => {
    const { bot, where } = setup();
    const { data: file } = await bot.rest.repos.getContent({ ...where, path: '.github/gauntlet.yml' });
    expect(Buffer.from((file as { content: string }).content, 'base64').toString()).toBe(
      'target: http://localhost:3000\n',
    );
    const raw = await bot.rest.repos.getContent({
      ...where,
      path: '.github/gauntlet.yml',
      mediaType: { format: 'raw' },
    });
    expect(raw.data as unknown as string).toBe('target: http://localhost:3000\n');
    const { data: dir } = await bot.rest.repos.getContent({ ...where, path: '.github' });
    expect((dir as { path: string; type: string }[]).map((e) => `${e.type}:${e.path}`)).toEqual([
      'file:.github/gauntlet.yml',
      'dir:.github/workflows',
    ]);
    expect(await statusOf(bot.rest.repos.getContent({ ...where, path: 'missing.yml' }))).toBe(404);

    const level = async (username: string) =>
      (await bot.rest.repos.getCollaboratorPermissionLevel({ ...where, username })).data;
    expect(await level('alice')).toMatchObject({
      permission: 'write',
      role_name: 'write',
      user: { login: 'alice' },
    });
    expect(await level('acme')).toMatchObject({ permission: 'admin' });
    expect(await level('mallory')).toMatchObject({ permission: 'read' });
  });
});
