// The local GitHub's workflow runs and their artifacts, through @octokit/rest as the report action uses them: the
// runs a pull request's workflow made (from the repository or from a fork), the artifacts listed by name and page,
// read, and downloaded through the short-lived storage URL GitHub redirects to. Every answer is checked against
// GitHub's response schemas.
import { describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { useGitHubEmulator } from '../support/github/jest.ts';
import { forkPullRequestRun } from '../support/github/fork-run.ts';
import { statusOf } from '../support/github/status-of.ts';

const github = useGitHubEmulator({ checkResponses: true });
/** Refusals are expected here; Octokit would log each one. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function setup() {
  const gh = github();
  const { repo, fork, workflow, pr, run } = forkPullRequestRun(gh);
  const octokit = new Octokit({
    auth: gh.state.createToken({ login: 'github-actions[bot]' }),
    baseUrl: gh.url,
    log: quiet,
  });
  return { gh, repo, fork, workflow, pr, run, octokit, where: { owner: 'acme', repo: 'shop' } };
}

describe('workflow runs of pull requests', () => {
  it("carry the head commit and repository, and list the pull request only when it is not a fork's", async () => {
    const { gh, repo, workflow, pr, run, octokit, where } = setup();
    const own = gh.state.addPullRequest(repo, { title: 'Own', head: { ref: 'own' } });
    const ownRun = gh.state.addWorkflowRun(workflow, { pullRequest: own });

    const { data: fromFork } = await octokit.rest.actions.getWorkflowRun({ ...where, run_id: run.id });
    expect(fromFork).toMatchObject({
      event: 'pull_request',
      status: 'completed',
      conclusion: 'success',
      head_branch: 'patch-1',
      head_sha: pr.pull!.head.sha,
      head_commit: { id: pr.pull!.head.sha },
      repository: { full_name: 'acme/shop' },
      head_repository: { full_name: 'mallory/shop', fork: true },
      pull_requests: [],
    });
    const { data: fromBranch } = await octokit.rest.actions.getWorkflowRun({ ...where, run_id: ownRun.id });
    expect(fromBranch).toMatchObject({
      status: 'queued',
      conclusion: null,
      head_repository: { full_name: 'acme/shop', fork: false },
      pull_requests: [
        {
          number: own.number,
          head: { ref: 'own', sha: own.pull!.head.sha, repo: { id: repo.id } },
          base: { ref: 'main', repo: { id: repo.id } },
        },
      ],
    });
  });
});

describe('artifacts', () => {
  it('are listed newest first (or oldest with direction=asc), by name, a page at a time', async () => {
    const { gh, run, octokit, where, fork } = setup();
    const zip = zipSync({ 'results.json': strToU8('{}') });
    const made = ['a', 'b', 'gauntlet-results', 'c', 'd'].map((name) =>
      gh.state.addArtifact(run, { name, zip }),
    );

    const first = await octokit.rest.actions.listWorkflowRunArtifacts({
      ...where,
      run_id: run.id,
      per_page: 2,
    });
    expect(first.data.total_count).toBe(5);
    expect(first.data.artifacts.map((a) => a.name)).toEqual(['d', 'c']);
    expect(first.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
      ...where,
      run_id: run.id,
      per_page: 2,
      direction: 'asc',
    });
    expect(all.map((a) => a.name)).toEqual(['a', 'b', 'gauntlet-results', 'c', 'd']);

    const { data: named } = await octokit.rest.actions.listWorkflowRunArtifacts({
      ...where,
      run_id: run.id,
      name: 'gauntlet-results',
    });
    expect(named).toMatchObject({
      total_count: 1,
      artifacts: [
        {
          id: made[2]!.id,
          name: 'gauntlet-results',
          size_in_bytes: zip.length,
          expired: false,
          archive_download_url: `${gh.url}/repos/acme/shop/actions/artifacts/${made[2]!.id}/zip`,
          workflow_run: { id: run.id, head_repository_id: fork.id, head_sha: run.headSha },
        },
      ],
    });
    const { data: one } = await octokit.rest.actions.getArtifact({ ...where, artifact_id: made[2]!.id });
    expect(one).toEqual(named.artifacts[0]);
  });

  it('are downloaded through a redirect to a signed storage URL that needs no token', async () => {
    const { gh, run, octokit, where } = setup();
    const zip = zipSync({ 'results.json': strToU8('{"tool":"gauntlet"}') });
    const artifact = gh.state.addArtifact(run, { name: 'gauntlet-results', zip });

    // Octokit follows the redirect, as it does on github.com.
    const followed = await octokit.rest.actions.downloadArtifact({
      ...where,
      artifact_id: artifact.id,
      archive_format: 'zip',
    });
    expect(unzipSync(new Uint8Array(followed.data as ArrayBuffer))).toEqual({
      'results.json': strToU8('{"tool":"gauntlet"}'),
    });
    const redirect = await octokit.rest.actions.downloadArtifact({
      ...where,
      artifact_id: artifact.id,
      archive_format: 'zip',
      request: { redirect: 'manual' },
    });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.location!;
    const anonymous = await fetch(location);
    expect(anonymous.headers.get('content-type')).toBe('application/zip');
    expect(new Uint8Array(await anonymous.arrayBuffer())).toEqual(zip);

    // A URL not signed by the emulator is refused, as storage refuses a bad signature.
    const forged = location.replace(/\/[0-9a-f]{64}\//, `/${'0'.repeat(64)}/`);
    expect((await fetch(forged)).status).toBe(403);
    expect(gh.inspect.calls('artifacts/storage').map((r) => [r.caller, r.status])).toEqual([
      ['anonymous', 200],
      ['anonymous', 200],
      ['anonymous', 403],
    ]);
  });

  it("answer 410 once expired, 404 for another format or another repository's, and storage 403 after expiry", async () => {
    const { gh, run, fork, octokit, where } = setup();
    const zip = zipSync({ 'results.json': strToU8('{}') });
    const artifact = gh.state.addArtifact(run, { name: 'gauntlet-results', zip });
    const forkRun = gh.state.addWorkflowRun(gh.state.addWorkflow(fork, { name: 'CI', file: 'ci.yml' }), {});
    const forkArtifact = gh.state.addArtifact(forkRun, { name: 'gauntlet-results', zip });
    const redirect = await octokit.rest.actions.downloadArtifact({
      ...where,
      artifact_id: artifact.id,
      archive_format: 'zip',
      request: { redirect: 'manual' },
    });

    artifact.expired = true;
    const download = (artifact_id: number, archive_format = 'zip') =>
      octokit.rest.actions.downloadArtifact({ ...where, artifact_id, archive_format });
    expect(await statusOf(download(artifact.id))).toBe(410);
    expect((await fetch(redirect.headers.location!)).status).toBe(403);
    expect(await statusOf(download(forkArtifact.id))).toBe(404);
    expect(await statusOf(octokit.rest.actions.getArtifact({ ...where, artifact_id: forkArtifact.id }))).toBe(
      404,
    );
    expect(
      await statusOf(octokit.rest.actions.listWorkflowRunArtifacts({ ...where, run_id: forkRun.id })),
    ).toBe(404);
    artifact.expired = false;
    expect(await statusOf(download(artifact.id, 'tar.gz'))).toBe(404);
    expect(
      (await octokit.rest.actions.getArtifact({ ...where, artifact_id: artifact.id })).data.expired,
    ).toBe(false);
  });
});
