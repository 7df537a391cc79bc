// The clients Gauntlet is built on talk to the local GitHub unchanged, apart from where GitHub is: a Probot app
// (GHE_HOST and GHE_PROTOCOL, with the emulator's app id, key and secret), @actions/github (GITHUB_API_URL and
// GITHUB_GRAPHQL_URL) and @octokit/rest (baseUrl).
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { createNodeMiddleware, createProbot } from 'probot';
import type { ApplicationFunction } from 'probot';
import type { GitHubEmulator } from '../support/github/index.ts';
import { useGitHubEmulator } from '../support/github/jest.ts';

const github = useGitHubEmulator({ checkResponses: true });

/** A slash-command app in miniature: acknowledge with a reaction, answer with the configured target. */
const appFn: ApplicationFunction = (app) => {
  app.on('issue_comment.created', async (context) => {
    const config = (await context.config<{ target: string }>('gauntlet.yml', { target: 'none' }))!;
    await context.octokit.rest.reactions.createForIssueComment(
      context.repo({ comment_id: context.payload.comment.id, content: 'eyes' }),
    );
    const { viewer } = await context.octokit.graphql<{ viewer: { login: string } }>('{ viewer { login } }');
    await context.octokit.rest.issues.createComment(
      context.issue({ body: `${viewer.login} tests ${config.target}` }),
    );
  });
};

/** Runs the app behind Probot's own webhook middleware, configured only through the environment. */
async function runProbot(
  gh: GitHubEmulator,
  env: Record<string, string>,
): Promise<{ url: string; server: Server }> {
  const probot = createProbot({ env: { ...gh.env(), LOG_LEVEL: 'fatal', ...env } });
  const middleware = await createNodeMiddleware(appFn, { probot });
  const server = createServer((req, res) => {
    void middleware(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`, server };
}

/**
 * The delivery's answer, judged as GitHub does: Probot's middleware answers 202 ("still processing") when the app
 * takes longer than 9 s, as on a busy machine, and goes on; then the test waits for the app to have done its work.
 */
async function answered(status: number, expected: number, done: () => boolean): Promise<void> {
  expect([expected, 202]).toContain(status);
  for (let waited = 0; !done() && waited < 60_000; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
}

function setup() {
  const gh = github();
  const installation = gh.state.addInstallation({ account: 'acme' });
  const repo = gh.state.addRepository({
    owner: 'acme',
    name: 'shop',
    files: { '.github/gauntlet.yml': 'target: staging\n' },
  });
  const issue = gh.state.addIssue(repo, { title: 'Checkout fails' });
  const comment = gh.state.addComment(issue, { body: '/gauntlet run', user: 'alice' });
  return { gh, installation, issue, comment };
}

describe('a Probot app', () => {
  it('receives a signed delivery, mints an installation token with its JWT, and answers as its bot', async () => {
    const { gh, installation, issue, comment } = setup();
    const { url, server } = await runProbot(gh, {});
    try {
      const delivery = await gh.webhooks.deliver(url, 'issue_comment', {
        action: 'created',
        issue,
        comment,
        sender: 'alice',
      });
      await answered(delivery.status, 200, () => issue.comments.length > 1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(comment.reactions).toMatchObject([{ content: 'eyes', user: { login: 'gauntlet[bot]' } }]);
    expect(issue.comments.at(-1)).toMatchObject({
      body: 'gauntlet[bot] tests staging',
      user: { login: 'gauntlet[bot]' },
    });
    const [mint, ...rest] = gh.inspect.requests;
    expect(mint).toMatchObject({
      operationId: 'apps/create-installation-access-token',
      caller: 'app',
      status: 201,
    });
    expect(mint!.path).toBe(`/app/installations/${installation.id}/access_tokens`);
    expect(rest.map((r) => `${r.operationId} ${r.caller}`)).toEqual([
      'repos/get-content gauntlet[bot]',
      'reactions/create-for-issue-comment gauntlet[bot]',
      'graphql gauntlet[bot]',
      'issues/create-comment gauntlet[bot]',
    ]);
  });

  it('cannot mint a token when it signs its JWT with a key GitHub does not know', async () => {
    const { gh, issue, comment } = setup();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const otherKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { url, server } = await runProbot(gh, { PRIVATE_KEY: otherKey });
    try {
      const delivery = await gh.webhooks.deliver(url, 'issue_comment', { action: 'created', issue, comment });
      await answered(delivery.status, 401, () => gh.inspect.requests.length > 0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(gh.inspect.requests).toMatchObject([
      {
        operationId: 'apps/create-installation-access-token',
        status: 401,
        response: { message: 'A JSON web token could not be decoded' },
      },
    ]);
    expect(issue.comments).toEqual([comment]);
  });

  it('refuses a delivery signed with another secret, and calls nothing', async () => {
    const { gh, issue, comment } = setup();
    const { url, server } = await runProbot(gh, { WEBHOOK_SECRET: 'not-the-one-github-uses' });
    try {
      const delivery = await gh.webhooks.deliver(url, 'issue_comment', { action: 'created', issue, comment });
      expect(delivery.status).toBe(400);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(gh.inspect.requests).toEqual([]);
  });
});

describe('@actions/github', () => {
  it('reaches the emulator through GITHUB_API_URL and GITHUB_GRAPHQL_URL', async () => {
    const { gh, issue } = setup();
    const saved = process.env;
    process.env = { ...saved, GITHUB_API_URL: gh.url, GITHUB_GRAPHQL_URL: gh.graphqlUrl };
    try {
      // @actions/github reads GITHUB_API_URL when it is first loaded, hence the import after setting it.
      const { getOctokit, context } = await import('@actions/github');
      const octokit = getOctokit(gh.state.createToken({ login: 'github-actions[bot]' }));
      await octokit.rest.issues.createComment({
        owner: 'acme',
        repo: 'shop',
        issue_number: issue.number,
        body: 'From CI',
      });
      const { viewer } = await octokit.graphql<{ viewer: { login: string } }>('{ viewer { login } }');
      expect(viewer.login).toBe('github-actions[bot]');
      expect(context.graphqlUrl).toBe(gh.graphqlUrl);
    } finally {
      process.env = saved;
    }
    expect(issue.comments.at(-1)).toMatchObject({
      body: 'From CI',
      user: { login: 'github-actions[bot]', type: 'Bot' },
    });
  });
});

describe('@octokit/rest', () => {
  it('works with baseUrl alone, as a user or as an installation', async () => {
    const { gh, installation, issue } = setup();
    const user = new Octokit({ auth: gh.state.createToken({ login: 'alice' }), baseUrl: gh.url });
    const bot = new Octokit({ auth: gh.state.createInstallationToken(installation).token, baseUrl: gh.url });
    await user.rest.issues.addLabels({
      owner: 'acme',
      repo: 'shop',
      issue_number: issue.number,
      labels: ['triage'],
    });
    const { data } = await bot.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: issue.number });
    expect(data.labels).toMatchObject([{ name: 'triage' }]);
    expect(gh.inspect.requests.map((r) => r.caller)).toEqual(['alice', 'gauntlet[bot]']);
  });
});
