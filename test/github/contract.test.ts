// The local GitHub holds every request to GitHub's own description: what GitHub would refuse, it refuses with
// GitHub's answer, and records as a contract violation that names the operation and the schema error.
import { describe, expect, it } from '@jest/globals';
import { ContractViolationError } from '../support/github/index.ts';
import { useGitHubEmulator } from '../support/github/jest.ts';

const github = useGitHubEmulator({ checkResponses: true });

/** A request exactly as given, with a user token: the point here is requests no typed client would send. */
async function send(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const gh = github();
  const token = gh.state.createToken({ login: 'alice' });
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

function seedRepository(): void {
  const gh = github();
  gh.state.addRepository({ owner: 'acme', name: 'shop' });
}

describe('contract violations', () => {
  it('answers a path GitHub does not have with GitHub 404 and records it', async () => {
    seedRepository();
    const answer = await send('GET', '/repos/acme/shop/issuez');
    expect(answer).toEqual({
      status: 404,
      json: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
    });
    const [violation] = github().inspect.takeViolations();
    expect(violation).toMatchObject({
      kind: 'unknown-operation',
      method: 'GET',
      path: '/repos/acme/shop/issuez',
    });
    expect(violation!.message).toMatch(
      /^GET \/repos\/acme\/shop\/issuez matches no operation in api\.github\.com/,
    );
  });

  it('names the operations a path does have when the method is wrong', async () => {
    seedRepository();
    expect((await send('PUT', '/repos/acme/shop/issues', { title: 'x' })).status).toBe(404);
    const [violation] = github().inspect.takeViolations();
    expect(violation!.message).toContain('GET /repos/{owner}/{repo}/issues (issues/list-for-repo)');
    expect(violation!.message).toContain('POST /repos/{owner}/{repo}/issues (issues/create)');
  });

  it('answers a body missing a required field with GitHub 422, naming the operation and the schema error', async () => {
    seedRepository();
    const answer = await send('POST', '/repos/acme/shop/issues', { body: 'no title' });
    expect(answer).toEqual({
      status: 422,
      json: {
        message: 'Invalid request.\n\n"title" wasn\'t supplied.',
        documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
        status: '422',
      },
    });
    const [violation] = github().inspect.takeViolations();
    expect(violation).toMatchObject({ kind: 'invalid-request', body: { body: 'no title' } });
    expect(violation!.message).toBe(
      "POST /repos/acme/shop/issues (issues/create): body must have required property 'title'",
    );
    expect(github().state.repositories[0]!.issues).toEqual([]);
  });

  it('refuses a field of the wrong type', async () => {
    seedRepository();
    const gh = github();
    gh.state.addIssue(gh.state.repositories[0]!, { title: 'Bug' });
    const answer = await send('POST', '/repos/acme/shop/issues/1/comments', { body: 42 });
    expect(answer.status).toBe(422);
    expect(gh.inspect.takeViolations().map((v) => v.message)).toEqual([
      'POST /repos/acme/shop/issues/1/comments (issues/create-comment): body.body must be string',
    ]);
  });

  it('refuses a value outside an enum, and a body that is not JSON', async () => {
    seedRepository();
    const gh = github();
    gh.state.addIssue(gh.state.repositories[0]!, { title: 'Bug' });
    const comment = gh.state.addComment(gh.state.repositories[0]!.issues[0]!, { body: 'hi' });
    expect(
      (await send('POST', `/repos/acme/shop/issues/comments/${comment.id}/reactions`, { content: 'wow' }))
        .status,
    ).toBe(422);
    expect((await send('POST', '/repos/acme/shop/issues', '{"title": ')).status).toBe(422);
    const messages = gh.inspect.takeViolations().map((v) => v.message);
    expect(messages[0]).toMatch(
      /\(reactions\/create-for-issue-comment\): body\.content must be equal to one of the allowed values \(\+1, -1, laugh/,
    );
    expect(messages[1]).toMatch(/^POST \/repos\/acme\/shop\/issues \(issues\/create\): request /);
  });

  it('answers a path parameter of the wrong type with 404, as GitHub routes it nowhere', async () => {
    seedRepository();
    expect((await send('GET', '/repos/acme/shop/issues/first')).status).toBe(404);
    expect(github().inspect.takeViolations()[0]!.message).toBe(
      'GET /repos/acme/shop/issues/first (issues/get): path parameter issue_number must be integer',
    );
  });

  it('answers 501 for an operation GitHub has but the emulator does not implement, and reports it', async () => {
    seedRepository();
    github().state.addIssue(github().state.repositories[0]!, { title: 'Bug' });
    const answer = await send('PUT', '/repos/acme/shop/issues/1/lock', { lock_reason: 'resolved' });
    expect(answer).toEqual({
      status: 501,
      json: { message: 'The GitHub emulator does not implement issues/lock yet' },
    });
    expect(github().inspect.takeViolations()).toMatchObject([{ kind: 'unimplemented' }]);
  });

  it('fails the test through assertNoViolations, listing each violation with its body', async () => {
    seedRepository();
    await send('POST', '/repos/acme/shop/issues', { body: 'no title' });
    await send('GET', '/repos/acme/shop/nothing-here');
    let thrown: unknown;
    try {
      github().inspect.assertNoViolations();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContractViolationError);
    expect((thrown as Error).message).toBe(
      [
        'The GitHub emulator saw 2 contract violation(s):',
        "  - [invalid-request] POST /repos/acme/shop/issues (issues/create): body must have required property 'title'",
        '      body: {"body":"no title"}',
        '  - [unknown-operation] GET /repos/acme/shop/nothing-here matches no operation in api.github.com in ' +
          `@octokit/openapi ${(thrown as ContractViolationError).violations[1]!.message.split('@octokit/openapi ')[1]}`,
      ].join('\n'),
    );
    expect(github().inspect.violations).toEqual([]);
  });

  it('refuses a GraphQL document that GitHub schema rejects, without running it', async () => {
    const gh = github();
    const answer = await send('POST', '/graphql', { query: '{ viewer { logn } }' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      errors: [
        {
          message: 'Cannot query field "logn" on type "User". Did you mean "login"?',
          locations: [{ line: 1, column: 12 }],
        },
      ],
    });
    expect(gh.inspect.takeViolations()).toMatchObject([
      {
        kind: 'invalid-graphql',
        message: 'POST /graphql: Cannot query field "logn" on type "User". Did you mean "login"?',
      },
    ]);
  });

  it('reports a GraphQL field the emulator does not serve instead of answering null', async () => {
    const gh = github();
    const answer = await send('POST', '/graphql', { query: '{ viewer { login bio } }' });
    expect(answer.json).toMatchObject({
      data: { viewer: { login: 'alice', bio: null } },
      errors: [{ message: 'the emulator does not serve User.bio yet', path: ['viewer', 'bio'] }],
    });
    expect(gh.inspect.takeViolations()).toMatchObject([{ kind: 'unimplemented' }]);
  });
});

describe('authentication', () => {
  it('refuses unknown tokens and anonymous writes, as GitHub does', async () => {
    const gh = github();
    gh.state.addRepository({ owner: 'acme', name: 'shop' });
    const unknown = await fetch(`${gh.url}/repos/acme/shop`, {
      headers: { authorization: 'token ghs_nope' },
    });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ message: 'Bad credentials', status: '401' });
    const anonymous = await fetch(`${gh.url}/repos/acme/shop/issues`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x' }),
    });
    expect(anonymous.status).toBe(401);
    expect((await fetch(`${gh.url}/repos/acme/shop`)).status).toBe(200);
  });

  it('keeps an installation token to the repositories of its account', async () => {
    const gh = github();
    const installation = gh.state.addInstallation({ account: 'acme' });
    gh.state.addRepository({ owner: 'acme', name: 'shop' });
    gh.state.addRepository({ owner: 'other', name: 'secret' });
    const { token } = gh.state.createInstallationToken(installation);
    const get = (path: string) => fetch(`${gh.url}${path}`, { headers: { authorization: `token ${token}` } });
    expect((await get('/repos/acme/shop')).status).toBe(200);
    expect((await get('/repos/other/secret')).status).toBe(404);
    expect((await get('/app/installations')).status).toBe(401);
  });
});
