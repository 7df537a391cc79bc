// Faults on demand: the local GitHub fails the next N matching requests the way GitHub does (5xx, secondary and
// primary rate limits, latency, dropped connections), so reliability code is tested against GitHub's own signals.
import { describe, expect, it } from '@jest/globals';
import { ProbotOctokit } from 'probot';
import { useGitHubEmulator } from '../support/github/jest.ts';

const github = useGitHubEmulator({ checkResponses: true });

function setup() {
  const gh = github();
  const repo = gh.state.addRepository({ owner: 'acme', name: 'shop' });
  gh.state.addIssue(repo, { title: 'Bug' });
  const token = gh.state.createToken({ login: 'alice' });
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${gh.url}${path}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { gh, token, call };
}

describe('faults', () => {
  it('fail the next N requests of one operation with a 5xx, then let them through', async () => {
    const { gh, call } = setup();
    gh.faults.add({ route: 'issues/create-comment', kind: 'server-error', status: 502, times: 2 });
    const comment = () => call('POST', '/repos/acme/shop/issues/1/comments', { body: 'hi' });
    const first = await comment();
    expect(first.status).toBe(502);
    expect(await first.json()).toEqual({ message: 'Bad Gateway', status: '502' });
    expect((await call('GET', '/repos/acme/shop/issues/1')).status).toBe(200);
    expect((await comment()).status).toBe(502);
    expect((await comment()).status).toBe(201);
    expect(gh.faults.pending()).toEqual([]);
    expect(gh.inspect.calls('issues/create-comment').map((r) => r.fault ?? r.status)).toEqual([
      'server-error',
      'server-error',
      201,
    ]);
    expect(gh.state.repositories[0]!.issues[0]!.comments).toHaveLength(1);
  });

  it('give a secondary rate limit with retry-after, which Probot Octokit waits out and retries', async () => {
    const { gh, token } = setup();
    gh.faults.add({
      route: 'POST /repos/{owner}/{repo}/issues',
      kind: 'secondary-rate-limit',
      retryAfter: 1,
    });
    const warnings: string[] = [];
    const log = {
      debug: () => {},
      info: () => {},
      warn: (m: string) => void warnings.push(m),
      error: () => {},
    };
    const octokit = new ProbotOctokit({ auth: { token }, baseUrl: gh.url, log });
    const { data } = await octokit.rest.issues.create({
      owner: 'acme',
      repo: 'shop',
      title: 'After the limit',
    });
    expect(data.title).toBe('After the limit');
    const attempts = gh.inspect.calls('issues/create');
    expect(attempts.map((r) => r.status)).toEqual([403, 201]);
    expect(attempts[0]!.response).toMatchObject({
      message: expect.stringMatching(/^You have exceeded a secondary rate limit/),
    });
    expect(warnings).toEqual([expect.stringContaining('Secondary Rate limit hit')]);
  });

  it('give a primary rate limit with x-ratelimit-remaining 0, over REST and inside a GraphQL 200', async () => {
    const { gh, call } = setup();
    gh.faults.add({ route: 'repos/get', kind: 'primary-rate-limit', resetIn: 30 });
    gh.faults.add({ route: 'graphql', kind: 'primary-rate-limit' });
    const before = Math.floor(Date.now() / 1000);
    const rest = await call('GET', '/repos/acme/shop');
    expect(rest.status).toBe(403);
    expect(rest.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(rest.headers.get('x-ratelimit-reset')) - before).toBeGreaterThanOrEqual(30);
    expect(await rest.json()).toMatchObject({
      message: 'API rate limit exceeded for installation.',
      status: '403',
    });
    const graphql = await call('POST', '/graphql', { query: '{ viewer { login } }' });
    expect(graphql.status).toBe(200);
    expect(await graphql.json()).toEqual({
      errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for installation.' }],
    });
    expect((await call('GET', '/repos/acme/shop')).headers.get('x-ratelimit-remaining')).not.toBe('0');
  });

  it('add latency without failing the request', async () => {
    const { gh, call } = setup();
    gh.faults.add({ kind: 'latency', ms: 150 });
    const started = performance.now();
    const response = await call('GET', '/repos/acme/shop');
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(gh.inspect.requests[0]).toMatchObject({ fault: 'latency', status: 200 });
  });

  it('drop the connection without an answer', async () => {
    const { gh, call } = setup();
    gh.faults.add({ route: 'issues/get', kind: 'drop' });
    await expect(call('GET', '/repos/acme/shop/issues/1')).rejects.toThrow('fetch failed');
    expect((await call('GET', '/repos/acme/shop/issues/1')).status).toBe(200);
    expect(gh.inspect.calls('issues/get').map((r) => r.status)).toEqual([0, 200]);
  });

  it('stay until cleared when told times: Infinity, and match any route with *', async () => {
    const { gh, call } = setup();
    gh.faults.add({ kind: 'server-error', status: 503, times: Infinity });
    for (const path of ['/repos/acme/shop', '/repos/acme/shop/issues/1', '/repos/acme/shop/labels']) {
      expect((await call('GET', path)).status).toBe(503);
    }
    expect(gh.faults.pending()).toEqual([{ kind: 'server-error', status: 503, times: Infinity }]);
    gh.faults.clear();
    expect((await call('GET', '/repos/acme/shop')).status).toBe(200);
    expect(() => gh.faults.add({ kind: 'drop', times: 0 })).toThrow('a fault needs times > 0, got 0');
  });
});
