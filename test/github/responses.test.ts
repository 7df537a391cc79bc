// Every REST operation the local GitHub implements answers within GitHub's response schema for it, so code under
// test sees the shapes it will see in production. The list below must name every implemented operation: a new
// handler without a call here fails this test.
import { expect, it } from '@jest/globals';
import { ProbotOctokit } from 'probot';
import { restHandlers } from '../support/github/rest/index.ts';
import { useGitHubEmulator } from '../support/github/jest.ts';

const github = useGitHubEmulator({ checkResponses: true });

it('answers each implemented operation within its response schema', async () => {
  const gh = github();
  const installation = gh.state.addInstallation({ account: 'acme' });
  const repo = gh.state.addRepository({ owner: 'acme', name: 'shop', files: { 'a.yml': 'a: 1\n' } });
  gh.state.addLabel(repo, { name: 'bug' });
  const issue = gh.state.addIssue(repo, { title: 'Bug', labels: ['bug'] });
  const other = gh.state.addIssue(repo, { title: 'Other' });
  const pr = gh.state.addPullRequest(repo, { title: 'PR', files: [{ filename: 'a.ts', additions: 1 }] });
  const comment = gh.state.addComment(issue, { body: 'hi' });
  const workflow = gh.state.addWorkflow(repo, { name: 'CI', file: 'ci.yml' });
  const run = gh.state.addWorkflowRun(workflow, {});
  const deployment = gh.state.addDeployment(repo, { ref: 'main' });
  const project = gh.state.addProject({
    owner: 'acme',
    title: 'Board',
    fields: [{ name: 'Size', dataType: 'text' }],
  });
  gh.state.addProject({ owner: 'octocat', title: 'Mine' });
  // Probot's Octokit signs the app's JWT; its client-side throttle (a second between writes) is off to keep this quick.
  const client = (auth: { appId: number; privateKey: string } | { token: string }) =>
    new ProbotOctokit({ auth, baseUrl: gh.url, throttle: { enabled: false } });
  const app = client({ appId: gh.app.id, privateKey: gh.app.privateKey });
  const bot = client({ token: gh.state.createInstallationToken(installation).token });
  const user = client({ token: gh.state.createToken({ login: 'octocat' }) });
  const where = { owner: 'acme', repo: 'shop' };
  const sha = pr.pull!.head.sha;

  await app.request('GET /app');
  await app.request('GET /app/installations');
  await app.request('GET /app/installations/{installation_id}', { installation_id: installation.id });
  await app.request('POST /app/installations/{installation_id}/access_tokens', {
    installation_id: installation.id,
  });
  await app.request('GET /repos/{owner}/{repo}/installation', where);
  await app.request('GET /orgs/{org}/installation', { org: 'acme' });

  await bot.request('GET /repos/{owner}/{repo}', where);
  await bot.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', {
    ...where,
    username: 'acme',
  });
  await bot.request('GET /repos/{owner}/{repo}/contents/{path}', { ...where, path: 'a.yml' });

  await bot.request('POST /repos/{owner}/{repo}/issues', { ...where, title: 'New' });
  await bot.request('GET /repos/{owner}/{repo}/issues', where);
  await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
    ...where,
    issue_number: issue.number,
  });
  await bot.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    ...where,
    issue_number: issue.number,
    body: 'More',
  });
  await bot.request('GET /repos/{owner}/{repo}/labels', where);
  await bot.request('POST /repos/{owner}/{repo}/labels', { ...where, name: 'flaky' });
  await bot.request('GET /repos/{owner}/{repo}/labels/{name}', { ...where, name: 'bug' });
  const onIssue = { ...where, issue_number: issue.number };
  await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/labels', onIssue);
  await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
    ...onIssue,
    labels: ['flaky'],
  });
  await bot.request('PUT /repos/{owner}/{repo}/issues/{issue_number}/labels', {
    ...onIssue,
    labels: ['bug', 'flaky'],
  });
  await bot.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', {
    ...onIssue,
    name: 'flaky',
  });
  await bot.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels', onIssue);

  await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...onIssue, body: 'x' });
  await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', onIssue);
  await bot.request('GET /repos/{owner}/{repo}/issues/comments', where);
  const onComment = { ...where, comment_id: comment.id };
  await bot.request('GET /repos/{owner}/{repo}/issues/comments/{comment_id}', onComment);
  await bot.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...onComment, body: 'y' });
  const reaction = await bot.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
    ...onComment,
    content: 'rocket',
  });
  await bot.request('GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', onComment);
  await bot.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}', {
    ...onComment,
    reaction_id: reaction.data.id,
  });
  const issueReaction = await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/reactions', {
    ...onIssue,
    content: 'eyes',
  });
  await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/reactions', onIssue);
  await bot.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/reactions/{reaction_id}', {
    ...onIssue,
    reaction_id: issueReaction.data.id,
  });
  await bot.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', onComment);

  await bot.request('GET /repos/{owner}/{repo}/pulls', where);
  await bot.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...where, pull_number: pr.number });
  await bot.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
    ...where,
    pull_number: pr.number,
  });

  const check = await bot.request('POST /repos/{owner}/{repo}/check-runs', {
    ...where,
    name: 'G',
    head_sha: sha,
  });
  const onCheck = { ...where, check_run_id: check.data.id };
  await bot.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    ...onCheck,
    conclusion: 'success',
  });
  await bot.request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}', onCheck);
  await bot.request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', onCheck);
  await bot.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ...where, ref: sha });
  await bot.request('POST /repos/{owner}/{repo}/statuses/{sha}', { ...where, sha, state: 'success' });
  await bot.request('GET /repos/{owner}/{repo}/commits/{ref}/statuses', { ...where, ref: sha });
  await bot.request('GET /repos/{owner}/{repo}/commits/{ref}/status', { ...where, ref: sha });

  const onDeployment = { ...where, deployment_id: deployment.id };
  await bot.request('POST /repos/{owner}/{repo}/deployments', { ...where, ref: 'main', auto_merge: false });
  await bot.request('GET /repos/{owner}/{repo}/deployments', where);
  await bot.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}', onDeployment);
  const status = await bot.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
    ...onDeployment,
    state: 'success',
  });
  await bot.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', onDeployment);
  await bot.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}', {
    ...onDeployment,
    status_id: Number(status.data.id),
  });
  await bot.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule', {
    ...where,
    run_id: run.id,
    environment_name: 'production',
    state: 'approved',
  });

  await bot.request('GET /repos/{owner}/{repo}/actions/workflows', where);
  await bot.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}', {
    ...where,
    workflow_id: workflow.id,
  });
  await bot.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    ...where,
    workflow_id: 'ci.yml',
    ref: 'main',
  });
  await bot.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
    ...where,
    workflow_id: 'ci.yml',
  });
  await bot.request('GET /repos/{owner}/{repo}/actions/runs', where);
  await bot.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', { ...where, run_id: run.id });
  const artifact = gh.state.addArtifact(run, { name: 'gauntlet-results', zip: new Uint8Array(22) });
  await bot.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', {
    ...where,
    run_id: run.id,
  });
  await bot.request('GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}', {
    ...where,
    artifact_id: artifact.id,
  });
  await bot.request('GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}', {
    ...where,
    artifact_id: artifact.id,
    archive_format: 'zip',
    request: { redirect: 'manual' },
  });

  const onOther = { ...where, issue_number: other.number };
  await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', {
    ...onIssue,
    sub_issue_id: other.id,
  });
  await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', onIssue);
  await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/parent', onOther);
  const third = gh.state.addIssue(repo, { title: 'Third' });
  await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', {
    ...onIssue,
    sub_issue_id: third.id,
  });
  await bot.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority', {
    ...onIssue,
    sub_issue_id: third.id,
    before_id: other.id,
  });
  await bot.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/sub_issue', {
    ...onIssue,
    sub_issue_id: other.id,
  });
  await bot.request('POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by', {
    ...onOther,
    issue_id: issue.id,
  });
  await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by', onOther);
  await bot.request('GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking', onIssue);
  await bot.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}', {
    ...onOther,
    issue_id: issue.id,
  });

  const board = { org: 'acme', project_number: project.number };
  const mine = { username: 'octocat', project_number: 1 };
  const size = project.fields.find((f) => f.name === 'Size')!;
  await bot.request('GET /orgs/{org}/projectsV2', { org: 'acme' });
  await bot.request('GET /orgs/{org}/projectsV2/{project_number}', board);
  await bot.request('GET /orgs/{org}/projectsV2/{project_number}/fields', board);
  await bot.request('GET /orgs/{org}/projectsV2/{project_number}/fields/{field_id}', {
    ...board,
    field_id: size.id,
  });
  const item = await bot.request('POST /orgs/{org}/projectsV2/{project_number}/items', {
    ...board,
    type: 'Issue',
    id: issue.id,
  });
  const onItem = { ...board, item_id: item.data.id };
  await bot.request('GET /orgs/{org}/projectsV2/{project_number}/items', board);
  await bot.request('GET /orgs/{org}/projectsV2/{project_number}/items/{item_id}', onItem);
  await bot.request('PATCH /orgs/{org}/projectsV2/{project_number}/items/{item_id}', {
    ...onItem,
    fields: [{ id: size.id, value: 'L' }],
  });
  await bot.request('DELETE /orgs/{org}/projectsV2/{project_number}/items/{item_id}', onItem);
  await user.request('GET /users/{username}/projectsV2', { username: 'octocat' });
  await user.request('GET /users/{username}/projectsV2/{project_number}', mine);
  await user.request('GET /users/{username}/projectsV2/{project_number}/fields', mine);
  const title = gh.state.projects[1]!.fields[0]!;
  await user.request('GET /users/{username}/projectsV2/{project_number}/fields/{field_id}', {
    ...mine,
    field_id: title.id,
  });
  const own = await user.request('POST /users/{username}/projectsV2/{project_number}/items', {
    ...mine,
    type: 'PullRequest',
    owner: 'acme',
    repo: 'shop',
    number: pr.number,
  });
  const onOwn = { ...mine, item_id: Number(own.data.id) };
  await user.request('GET /users/{username}/projectsV2/{project_number}/items', mine);
  await user.request('GET /users/{username}/projectsV2/{project_number}/items/{item_id}', onOwn);
  await user.request('PATCH /users/{username}/projectsV2/{project_number}/items/{item_id}', {
    ...onOwn,
    fields: [],
  });
  await user.request('DELETE /users/{username}/projectsV2/{project_number}/items/{item_id}', onOwn);

  const called = new Set(gh.inspect.requests.map((r) => r.operationId));
  expect(Object.keys(restHandlers).filter((operationId) => !called.has(operationId))).toEqual([]);
  expect(gh.inspect.requests.filter((r) => r.status >= 400)).toEqual([]);
});
