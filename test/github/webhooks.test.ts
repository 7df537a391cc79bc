// Webhook deliveries as GitHub sends them: built from recorded examples and the emulator's records, completed and
// validated against @octokit/openapi-webhooks, signed with the webhook secret, and POSTed with GitHub's headers.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { verify } from '@octokit/webhooks-methods';
import { forkPullRequestRun } from '../support/github/fork-run.ts';
import { useGitHubEmulator } from '../support/github/jest.ts';

const github = useGitHubEmulator({ webhookSecret: 'shh' });

/** A receiver that keeps what it was sent. */
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(202).end('queued');
  });
});
let receiverUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

function setup() {
  const gh = github();
  const installation = gh.state.addInstallation({ account: 'acme' });
  const repo = gh.state.addRepository({ owner: 'acme', name: 'shop' });
  return { gh, installation, repo };
}

describe('webhook payloads', () => {
  it('carry the emulator records in the recorded example, completed to the current schema', () => {
    const { gh, installation, repo } = setup();
    const pr = gh.state.addPullRequest(repo, { title: 'Add cart', user: 'alice', head: { ref: 'cart' } });
    const payload = gh.webhooks.build('pull_request', {
      action: 'opened',
      pull_request: pr,
      sender: 'alice',
    });
    expect(payload).toMatchObject({
      action: 'opened',
      number: pr.number,
      pull_request: { number: pr.number, title: 'Add cart', head: { ref: 'cart', sha: pr.pull!.head.sha } },
      repository: { full_name: 'acme/shop', url: `${gh.url}/repos/acme/shop` },
      organization: { login: 'acme' },
      installation: { id: installation.id },
      sender: { login: 'alice' },
    });
    // The recorded example predates `auto_merge`, which the schema now requires.
    expect(payload.pull_request).toHaveProperty('auto_merge', null);
  });

  it('build events that have no recorded example from the schema, with the deployment callback URL', async () => {
    const { gh, repo } = setup();
    const run = gh.state.addWorkflowRun(gh.state.addWorkflow(repo, { name: 'Deploy', file: 'deploy.yml' }), {
      event: 'push',
      status: 'waiting',
    });
    const deployment = gh.state.addDeployment(repo, { ref: 'main', environment: 'production' });
    const payload = gh.webhooks.build('deployment_protection_rule', {
      action: 'requested',
      deployment,
      workflow_run: run,
    });
    const callback = `${gh.url}/repos/acme/shop/actions/runs/${run.id}/deployment_protection_rule`;
    expect(payload).toMatchObject({
      action: 'requested',
      environment: 'production',
      event: 'push',
      deployment_callback_url: callback,
      deployment: { id: deployment.id },
      pull_requests: [],
    });
    expect(payload).not.toHaveProperty('workflow_run');

    const token = gh.state.createInstallationToken(gh.state.installations[0]!).token;
    const review = await fetch(callback, {
      method: 'POST',
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        environment_name: 'production',
        state: 'rejected',
        comment: 'Error rate doubled',
      }),
    });
    expect(review.status).toBe(204);
    expect(run.gateReviews).toMatchObject([{ state: 'rejected', comment: 'Error rate doubled' }]);
  });

  it('name sub-issues by id and repository', () => {
    const { gh, repo } = setup();
    const parent = gh.state.addIssue(repo, { title: 'Epic' });
    const sub = gh.state.addIssue(repo, { title: 'Task' });
    const payload = gh.webhooks.build('sub_issues', {
      action: 'sub_issue_added',
      parent_issue: parent,
      sub_issue: sub,
    });
    expect(payload).toMatchObject({
      sub_issue_id: sub.id,
      parent_issue_id: parent.id,
      sub_issue: { title: 'Task' },
      parent_issue_repo: { full_name: 'acme/shop' },
    });
  });

  it("build workflow_run.completed for a fork's pull request as GitHub sends it: no pull requests listed", () => {
    const { gh, installation, repo } = setup();
    const { workflow, pr, run } = forkPullRequestRun(gh, { repo, conclusion: 'failure' });
    const own = gh.state.addPullRequest(repo, { title: 'Own', head: { ref: 'own' } });
    const ownRun = gh.state.addWorkflowRun(workflow, { pullRequest: own, conclusion: 'success' });

    const payload = gh.webhooks.build('workflow_run', { action: 'completed', workflow_run: run });
    expect(payload).toMatchObject({
      action: 'completed',
      workflow: { id: workflow.id, path: '.github/workflows/gauntlet.yml' },
      workflow_run: {
        id: run.id,
        event: 'pull_request',
        status: 'completed',
        conclusion: 'failure',
        head_branch: 'patch-1',
        head_sha: pr.pull!.head.sha,
        pull_requests: [],
        repository: { full_name: 'acme/shop' },
        head_repository: { full_name: 'mallory/shop', fork: true },
        artifacts_url: `${gh.url}/repos/acme/shop/actions/runs/${run.id}/artifacts`,
      },
      repository: { full_name: 'acme/shop' },
      installation: { id: installation.id },
    });
    expect(gh.webhooks.build('workflow_run', { action: 'completed', workflow_run: ownRun })).toMatchObject({
      workflow_run: {
        head_sha: own.pull!.head.sha,
        pull_requests: [{ number: own.number, head: { ref: 'own', sha: own.pull!.head.sha } }],
        head_repository: { full_name: 'acme/shop', fork: false },
      },
    });
  });

  it('build check_run for a run created without a details URL or external id, filled as GitHub fills them', async () => {
    const { gh, installation, repo } = setup();
    const pr = gh.state.addPullRequest(repo, { title: 'Cart' });
    const { Octokit } = await import('@octokit/rest');
    const bot = new Octokit({ baseUrl: gh.url, auth: gh.state.createInstallationToken(installation).token });
    const where = { owner: 'acme', repo: 'shop', head_sha: pr.pull!.head.sha };
    await bot.rest.checks.create({ ...where, name: 'Gauntlet' });
    await bot.rest.checks.create({
      ...where,
      name: 'Other',
      details_url: 'https://ci.example/1',
      external_id: 'x1',
    });
    const [bare, given] = repo.checkRuns;

    expect(gh.webhooks.build('check_run', { action: 'created', check_run: bare! })).toMatchObject({
      check_run: { name: 'Gauntlet', details_url: 'https://github.com/apps/gauntlet', external_id: '' },
    });
    expect(gh.webhooks.build('check_run', { action: 'created', check_run: given! })).toMatchObject({
      check_run: { name: 'Other', details_url: 'https://ci.example/1', external_id: 'x1' },
    });
  });

  it('are refused when an override breaks the schema, or the event does not exist', () => {
    const { gh, repo } = setup();
    const pr = gh.state.addPullRequest(repo, { title: 'x' });
    expect(() =>
      gh.webhooks.build('pull_request', { action: 'opened', pull_request: pr, payload: { number: 'one' } }),
    ).toThrow(
      'the pull_request.opened payload does not match @octokit/openapi-webhooks: payload.number must be integer',
    );
    expect(() => gh.webhooks.build('pull_request', { action: 'teleported' })).toThrow(
      '@octokit/openapi-webhooks describes no pull_request.teleported delivery',
    );
  });
});

describe('webhook deliveries', () => {
  it('are POSTed with GitHub headers and a signature the secret verifies', async () => {
    const { gh, repo } = setup();
    const issue = gh.state.addIssue(repo, { title: 'Bug' });
    const comment = gh.state.addComment(issue, { body: '/gauntlet run', user: 'alice' });
    const delivery = await gh.webhooks.deliver(receiverUrl, 'issue_comment', {
      action: 'created',
      issue,
      comment,
      sender: 'alice',
    });
    expect(delivery).toMatchObject({
      event: 'issue_comment',
      action: 'created',
      status: 202,
      response: 'queued',
    });
    const sent = received.at(-1)!;
    expect(sent.headers).toMatchObject({
      'content-type': 'application/json',
      'x-github-event': 'issue_comment',
      'x-github-delivery': delivery.id,
      'x-github-hook-installation-target-type': 'integration',
      'x-github-hook-installation-target-id': String(gh.app.id),
      'user-agent': expect.stringMatching(/^GitHub-Hookshot\//),
    });
    expect(await verify('shh', sent.body, String(sent.headers['x-hub-signature-256']))).toBe(true);
    expect(JSON.parse(sent.body)).toMatchObject({ comment: { id: comment.id, body: '/gauntlet run' } });
    expect(gh.inspect.deliveries).toEqual([delivery]);
  });
});
