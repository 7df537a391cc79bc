// Lists come a page at a time with GitHub's `Link` header, page-numbered or (Projects v2) by cursor, so code that
// reads only the first page is caught, and Octokit's `paginate` walks the emulator's lists as it walks GitHub's.
import { describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { useGitHubEmulator } from '../support/github/jest.ts';

const github = useGitHubEmulator({ checkResponses: true });

function setup() {
  const gh = github();
  const repo = gh.state.addRepository({ owner: 'acme', name: 'shop' });
  const token = gh.state.createToken({ login: 'alice' });
  return { gh, repo, token, octokit: new Octokit({ auth: token, baseUrl: gh.url }) };
}

describe('page-numbered lists', () => {
  it('link to the first, previous, next and last pages', async () => {
    const { gh, repo, token } = setup();
    for (let i = 1; i <= 250; i++) gh.state.addLabel(repo, { name: `label-${i}` });
    const response = await fetch(`${gh.url}/repos/acme/shop/labels?per_page=100&page=2`, {
      headers: { authorization: `token ${token}` },
    });
    const labels = (await response.json()) as { name: string }[];
    expect(labels.map((l) => l.name).slice(0, 2)).toEqual(['label-101', 'label-102']);
    const page = (n: number): string => `${gh.url}/repos/acme/shop/labels?per_page=100&page=${n}`;
    expect(response.headers.get('link')).toBe(
      `<${page(3)}>; rel="next", <${page(3)}>; rel="last", <${page(1)}>; rel="first", <${page(1)}>; rel="prev"`,
    );
  });

  it('are walked to the end by paginate, and a single page has no Link header', async () => {
    const { gh, repo, octokit } = setup();
    const issue = gh.state.addIssue(repo, { title: 'Busy thread' });
    for (let i = 1; i <= 45; i++) gh.state.addComment(issue, { body: `comment ${i}` });
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: 'acme',
      repo: 'shop',
      issue_number: issue.number,
      per_page: 20,
    });
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 45 }, (_, i) => `comment ${i + 1}`));
    expect(gh.inspect.calls('issues/list-comments')).toHaveLength(3);
    const single = await octokit.rest.issues.listComments({
      owner: 'acme',
      repo: 'shop',
      issue_number: issue.number,
    });
    expect(single.data).toHaveLength(30);
    expect(single.headers.link).toContain('rel="next"');
    const short = await octokit.rest.issues.listLabelsForRepo({ owner: 'acme', repo: 'shop' });
    expect(short.headers.link).toBeUndefined();
  });

  it('keep GitHub wrapper objects, with the total count of the whole list', async () => {
    const { gh, repo, octokit } = setup();
    const workflow = gh.state.addWorkflow(repo, { name: 'CI', file: 'ci.yml' });
    for (let i = 0; i < 35; i++) gh.state.addWorkflowRun(workflow, { event: 'push' });
    const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({ owner: 'acme', repo: 'shop' });
    expect(data.total_count).toBe(35);
    expect(data.workflow_runs).toHaveLength(30);
    const all = await octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, {
      owner: 'acme',
      repo: 'shop',
    });
    expect(all.map((r) => r.run_number)).toEqual(Array.from({ length: 35 }, (_, i) => 35 - i));
  });
});

describe('cursor-paged lists', () => {
  it('link onward with opaque after cursors (Projects v2 items)', async () => {
    const { gh, repo, octokit } = setup();
    const project = gh.state.addProject({ owner: 'acme', title: 'Board' });
    for (let i = 1; i <= 5; i++) {
      await octokit.request('POST /orgs/{org}/projectsV2/{project_number}/items', {
        org: 'acme',
        project_number: project.number,
        type: 'Issue',
        id: gh.state.addIssue(repo, { title: `task ${i}` }).id,
      });
    }
    const first = await octokit.request('GET /orgs/{org}/projectsV2/{project_number}/items', {
      org: 'acme',
      project_number: project.number,
      per_page: 2,
    });
    expect(first.headers.link).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/orgs\/acme\/projectsV2\/1\/items\?per_page=2&after=[\w-]+>; rel="next"$/,
    );
    const all = await octokit.paginate('GET /orgs/{org}/projectsV2/{project_number}/items', {
      org: 'acme',
      project_number: project.number,
      per_page: 2,
    });
    expect(all.map((item) => item.content?.title)).toEqual([
      'task 1',
      'task 2',
      'task 3',
      'task 4',
      'task 5',
    ]);
  });
});
