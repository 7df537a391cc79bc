// The report action as a runner runs it: the committed bundle (dist/report/index.js) started by Node with INPUT_*
// variables, GITHUB_EVENT_PATH holding a payload the local GitHub built, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as
// files, and GITHUB_API_URL at the local GitHub, which holds the comment, the check run and its annotations. Both
// uses: a results file of the same workflow on a pull request, and the `workflow_run` half of the fork-safe pair,
// where the artifact is hostile input and nothing is posted when it is refused.
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { parse } from 'yaml';
import { checkTitle, reportAction, reportInputs } from '../actions/report/main.ts';
import { RESULTS_ARTIFACT } from '../src/github/artifacts.ts';
import { STICKY_MARKER } from '../src/github/sticky-comment.ts';
import { reportOf } from '../src/report/index.ts';
import { renderResultsJson } from '../src/report/results-json.ts';
import { useGitHubEmulator } from './support/github/jest.ts';
import type { IssueRecord, RepositoryRecord } from './support/github/index.ts';
import { result, summaryOf } from './support/results.ts';
import { parseOutputs, runStep as runActionStep, type Step } from './support/actions-runner.ts';
import { forkPullRequestRun } from './support/github/fork-run.ts';
import { eventTarget, InputError, repositoryOf } from '../actions/context.ts';

const github = useGitHubEmulator();

const ACTION_DIR = path.resolve('actions/report');
const action = parse(await readFile(path.join(ACTION_DIR, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};
const BUNDLE = path.resolve(ACTION_DIR, action.runs.main);

/** A results file as `gauntlet run` writes it: one case failing at user-cases/music.yml:10, one passing. */
const FAILING = renderResultsJson(
  reportOf(
    summaryOf([
      result('Create a project', 'failed', { check: 'not_a_server_error', status: 500 }),
      result('List projects', 'passed'),
    ]),
  ),
);
const PASSING = renderResultsJson(
  reportOf(summaryOf([result('Create a project', 'passed'), result('List projects', 'passed')])),
);

const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-report-action-'));
let step = 0;

/**
 * Runs the bundle as a step: every input (defaults filled in, as the runner does) as INPUT_<NAME>, the event payload
 * in a file, the workspace holding `files`, and the repository acme/shop.
 */
async function runStep(
  inputs: Record<string, string>,
  context: { event?: unknown; files?: Record<string, string>; env?: Record<string, string> } = {},
): Promise<Step> {
  const gh = github();
  const name = `step-${(step += 1)}`;
  const event = path.join(dir, `${name}.event.json`);
  await writeFile(
    event,
    typeof context.event === 'string' ? context.event : JSON.stringify(context.event ?? {}),
  );
  return runActionStep({
    bundle: BUNDLE,
    declared: action.inputs,
    dir,
    name,
    inputs,
    ...(context.files ? { files: context.files } : {}),
    env: {
      GITHUB_API_URL: gh.url,
      GITHUB_GRAPHQL_URL: gh.graphqlUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_RUN_ID: '777',
      GITHUB_EVENT_PATH: event,
      ...context.env,
    },
  });
}

/** acme/shop, alice's pull request on it, and Actions' GITHUB_TOKEN of the base repository. */
function setup() {
  const gh = github();
  const repo = gh.state.addRepository({ owner: 'acme', name: 'shop' });
  const pr = gh.state.addPullRequest(repo, { title: 'Faster cart', user: 'alice', head: { ref: 'cart' } });
  const token = gh.state.createToken({ login: 'github-actions[bot]' });
  const prEvent = () => gh.webhooks.build('pull_request', { action: 'opened', pull_request: pr });
  return { gh, repo, pr, token, prEvent };
}

const gauntletComments = (pr: IssueRecord) => pr.comments.filter((c) => c.body.startsWith(STICKY_MARKER));
const checkRunsOn = (repo: RepositoryRecord, sha: string) => repo.checkRuns.filter((r) => r.headSha === sha);

describe('the report action, bundled', () => {
  it('is a JavaScript action on Node 24 whose entry, relative to its folder, is the committed bundle', () => {
    expect(action.runs).toEqual({ using: 'node24', main: '../../dist/report/index.js' });
    expect(BUNDLE).toBe(path.resolve('dist/report/index.js'));
    expect(existsSync(BUNDLE)).toBe(true);
    expect(Object.keys(action.outputs).sort()).toEqual(['check-run-id', 'comment-id', 'verdict']);
    expect(action.inputs['github-token']!.default).toBe('${{ github.token }}');
  });

  it('run twice on one pull request leaves one comment, updated, and one check run per commit', async () => {
    const { repo, pr, token, prEvent } = setup();
    const sha = pr.pull!.head.sha;

    const first = await runStep(
      { results: 'reports/results.json', 'github-token': token },
      { event: prEvent(), files: { 'reports/results.json': FAILING } },
    );
    expect({ code: first.code, stderr: first.stderr }).toMatchObject({ code: 0 });
    const [comment] = gauntletComments(pr);
    const [run] = checkRunsOn(repo, sha);
    expect(first.outputs).toEqual({
      verdict: 'failed',
      'comment-id': String(comment!.id),
      'check-run-id': String(run!.id),
    });
    expect(comment!.user.login).toBe('github-actions[bot]');
    expect(comment!.body).toContain(`Report for ${sha.slice(0, 7)}.`);
    expect(run).toMatchObject({
      name: 'Gauntlet',
      status: 'completed',
      conclusion: 'failure',
      detailsUrl: 'https://github.com/acme/shop/actions/runs/777',
      output: { title: '1 finding: 2 test cases ran, 1 failed' },
      actions: [{ label: 'Re-run', identifier: 'gauntlet-rerun' }],
    });
    expect(run!.output.annotations).toEqual([
      expect.objectContaining({ path: 'user-cases/music.yml', start_line: 10, annotation_level: 'failure' }),
    ]);
    // The job summary is the report the comment shows.
    expect(first.summary.trim().length).toBeGreaterThan(0);
    expect(comment!.body).toContain(first.summary.trim().split('\n')[0]);

    // The fix lands on the same commit's re-run: the comment and the check run are edited, not added.
    const second = await runStep(
      { results: 'reports/results.json', 'github-token': token },
      { event: prEvent(), files: { 'reports/results.json': PASSING } },
    );
    expect(second.code).toBe(0);
    expect(second.outputs).toEqual({
      verdict: 'passed',
      'comment-id': String(comment!.id),
      'check-run-id': String(run!.id),
    });
    expect(gauntletComments(pr)).toHaveLength(1);
    expect(pr.comments).toHaveLength(1);
    expect(gauntletComments(pr)[0]!.body).toContain(`Updated for ${sha.slice(0, 7)}.`);
    expect(checkRunsOn(repo, sha)).toHaveLength(1);
    expect(checkRunsOn(repo, sha)[0]).toMatchObject({ conclusion: 'success' });

    // A new commit on the pull request gets a check run of its own; the comment stays the one comment.
    const next = 'c0ffee0000000000000000000000000000000001';
    pr.pull!.head.sha = next;
    const third = await runStep(
      { results: 'reports/results.json', 'github-token': token },
      { event: prEvent(), files: { 'reports/results.json': FAILING } },
    );
    expect(third.code).toBe(0);
    expect(pr.comments).toHaveLength(1);
    expect(pr.comments[0]!.body).toContain(`Updated for ${next.slice(0, 7)}.`);
    expect(checkRunsOn(repo, sha)).toHaveLength(1);
    expect(checkRunsOn(repo, next)).toMatchObject([{ conclusion: 'failure' }]);
    expect(third.outputs['check-run-id']).toBe(String(checkRunsOn(repo, next)[0]!.id));
  });

  it('links the full report from the check run when given one, and can leave out the comment or the check', async () => {
    const { gh, repo, pr, token, prEvent } = setup();
    const url = 'https://acme.github.io/shop/gauntlet/';

    const checkOnly = await runStep(
      { results: 'r.json', 'github-token': token, comment: 'false', 'report-url': url },
      { event: prEvent(), files: { 'r.json': FAILING } },
    );
    expect(checkOnly.outputs).toMatchObject({ verdict: 'failed', 'comment-id': '' });
    expect(pr.comments).toEqual([]);
    expect(repo.checkRuns).toMatchObject([{ detailsUrl: url }]);

    const commentOnly = await runStep(
      { results: 'r.json', 'github-token': token, check: 'FALSE', 'check-name': 'QA' },
      { event: prEvent(), files: { 'r.json': PASSING } },
    );
    expect(commentOnly.outputs).toMatchObject({ verdict: 'passed', 'check-run-id': '' });
    expect(gauntletComments(pr)).toHaveLength(1);
    expect(repo.checkRuns).toHaveLength(1);
    expect(gh.inspect.changes()).toEqual(['checks/create', 'issues/create-comment']);
  });

  it("with the base branch's results, passes a change that brings no new finding, and says which are not new", async () => {
    const { repo, pr, token, prEvent } = setup();
    const crash = result('Create a project', 'failed', { check: 'not_a_server_error', status: 500 });
    const outside = result('Delete a project', 'failed', { check: 'not_a_server_error', status: 503 }, {});
    outside.origin = { ...outside.origin, file: '/elsewhere/shared-cases.yml' };
    const files = {
      'base.json': renderResultsJson(reportOf(summaryOf([crash, outside]))),
      'r.json': renderResultsJson(reportOf(summaryOf([crash, outside, result('List projects', 'passed')]))),
    };

    const reported = await runStep(
      { results: 'r.json', base: 'base.json', 'github-token': token },
      { event: prEvent(), files },
    );

    expect(reported.outputs.verdict).toBe('passed');
    const [run] = checkRunsOn(repo, pr.pull!.head.sha);
    expect(run).toMatchObject({
      conclusion: 'success',
      output: { title: '2 findings, 0 new: 3 test cases ran, 2 failed' },
    });
    // The finding with no file of the repository is reported, not annotated, and the summary says so.
    expect(run!.output.annotations).toEqual([expect.objectContaining({ path: 'user-cases/music.yml' })]);
    expect(run!.output.summary).toContain(
      '1 finding with no line of the repository to point at is not annotated',
    );
    expect(gauntletComments(pr)).toHaveLength(1);
  });

  it('on a push (no pull request) publishes the check run on GITHUB_SHA and posts no comment', async () => {
    const { gh, repo, token } = setup();
    const sha = 'feedface00000000000000000000000000000002';
    const push = await runStep(
      { results: 'r.json', 'github-token': token },
      {
        event: { ref: 'refs/heads/main', after: sha },
        files: { 'r.json': FAILING },
        env: { GITHUB_SHA: sha },
      },
    );
    expect(push.code).toBe(0);
    expect(checkRunsOn(repo, sha)).toHaveLength(1);
    expect(gh.inspect.calls('issues/create-comment')).toEqual([]);
    expect(push.stdout).toContain(`No pull request for ${sha}: no comment posted.`);
  });

  describe('fails the step with a message a user can act on, and posts nothing', () => {
    const cases: [string, Record<string, string>, Record<string, string>, RegExp][] = [
      ['neither results nor run-id', {}, {}, /give either results .* or run-id .*, not neither/],
      ['both results and run-id', { results: 'r.json', 'run-id': '12' }, {}, /not both/],
      ['a run-id that is no id', { 'run-id': '12; rm -rf /' }, {}, /run-id must be a workflow run's id/],
      [
        'a boolean that is not one',
        { results: 'r.json', comment: 'yes' },
        {},
        /comment must be true or false, not "yes"/,
      ],
      ['a results file that is missing', { results: 'missing.json' }, {}, /cannot read missing\.json/],
      [
        'a results file that is not one',
        { results: 'bad.json' },
        { 'bad.json': '{"tool":"x"}' },
        /bad\.json is not a Gauntlet results file/,
      ],
    ];
    it.each(cases)('%s', async (_, inputs, files, message) => {
      const { gh, token, prEvent } = setup();
      const failed = await runStep({ 'github-token': token, ...inputs }, { event: prEvent(), files });
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(new RegExp(`^::error::.*${message.source}`, 'm'));
      expect(failed.outputs.verdict).toBe('error');
      expect(gh.inspect.changes()).toEqual([]);
    });

    it('an event payload whose pull request is forged', async () => {
      const { gh, token, prEvent } = setup();
      const event = prEvent() as { pull_request: { head: { sha: string } } };
      event.pull_request.head.sha = 'main';
      const failed = await runStep(
        { results: 'r.json', 'github-token': token },
        { event, files: { 'r.json': FAILING } },
      );
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/^::error::the event payload's pull_request is not one GitHub sends/m);
      expect(gh.inspect.changes()).toEqual([]);
    });
  });
});

describe('the report action in a workflow_run workflow (the fork-safe half)', () => {
  /** mallory's pull request from a fork, and its completed run of the Gauntlet workflow in acme/shop. */
  function forkSetup() {
    const gh = github();
    const { repo, fork, pr, run } = forkPullRequestRun(gh);
    const token = gh.state.createToken({ login: 'github-actions[bot]' });
    const event = gh.webhooks.build('workflow_run', { action: 'completed', workflow_run: run }) as {
      workflow_run: { id: number };
    };
    const upload = (zip: Uint8Array, options: { sizeInBytes?: number } = {}) =>
      gh.state.addArtifact(run, { name: RESULTS_ARTIFACT, zip, ...options });
    // As the workflow passes it: `run-id: ${{ github.event.workflow_run.id }}`.
    const report = (inputs: Record<string, string> = {}) =>
      runStep({ 'run-id': String(event.workflow_run.id), 'github-token': token, ...inputs }, { event });
    return { gh, repo, fork, pr, run, upload, report };
  }
  const resultsZip = (text: string) => zipSync({ 'results.json': strToU8(text) });

  it("reports a fork's results on its pull request and commit, from GitHub's word, never reading its code", async () => {
    const { gh, repo, fork, pr, upload, report } = forkSetup();
    upload(resultsZip(FAILING));

    const reported = await report();

    expect({ code: reported.code, stderr: reported.stderr }).toMatchObject({ code: 0 });
    expect(reported.outputs.verdict).toBe('failed');
    expect(gauntletComments(pr)).toHaveLength(1);
    expect(checkRunsOn(repo, pr.pull!.head.sha)).toMatchObject([{ conclusion: 'failure' }]);
    // Nothing of the pull request's code was read: no contents, diff or files; only the run and its artifact.
    expect(repo.files.size + fork.files.size).toBe(0);
    const operations = gh.inspect.requests.map((r) => `${r.method} ${r.operationId}`);
    expect(operations.filter((o) => /repos\/get-content|pulls\/get|pulls\/list-files/.test(o))).toEqual([]);
    expect(operations).toEqual(
      expect.arrayContaining(['GET actions/get-workflow-run', 'GET actions/download-artifact']),
    );
    expect(gh.inspect.changes()).toEqual(['issues/create-comment', 'checks/create']);
  });

  describe('refuses a tampered or oversized artifact: the step fails and nothing is posted', () => {
    const results = JSON.parse(FAILING) as Record<string, unknown>;
    const artifacts: [string, () => Uint8Array, Record<string, string>, RegExp][] = [
      [
        'results that break the schema',
        () => resultsZip(JSON.stringify({ ...results, tool: 'not-gauntlet' })),
        {},
        /is not a Gauntlet results file/,
      ],
      ['results that are not JSON', () => resultsZip(FAILING.slice(0, 100)), {}, /is not JSON/],
      [
        'results nested past the limit',
        () => resultsZip(`${'['.repeat(100)}${']'.repeat(100)}`),
        {},
        /nests 100 levels deep/,
      ],
      ['a zip with no results.json', () => zipSync({ 'report.md': strToU8('# hi') }), {}, /results\.json/],
      ['bytes that are no zip', () => strToU8(FAILING), {}, /is not a usable zip/],
      [
        'an artifact of another name',
        () => resultsZip(FAILING),
        { 'artifact-name': 'other' },
        /has no artifact named "other"/,
      ],
    ];
    it.each(artifacts)('%s', async (_, zip, inputs, message) => {
      const { gh, pr, repo, upload, report } = forkSetup();
      upload(zip());
      const refused = await report(inputs);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(new RegExp(`^::error::.*${message.source}`, 'm'));
      expect(refused.outputs.verdict).toBe('error');
      expect(gh.inspect.changes()).toEqual([]);
      expect(pr.comments).toEqual([]);
      expect(repo.checkRuns).toEqual([]);
    });

    it('a zip bomb (a few kilobytes that inflate to 80 MB)', async () => {
      const { gh, upload, report } = forkSetup();
      upload(zipSync({ 'results.json': new Uint8Array(80 * 1024 * 1024).fill(0x20) }));
      const refused = await report();
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/^::error::.*over the limit of 67108864/m);
      expect(gh.inspect.changes()).toEqual([]);
    });

    it('an artifact GitHub says is over the size cap, refused before it is downloaded', async () => {
      const { gh, upload, report } = forkSetup();
      upload(resultsZip(FAILING), { sizeInBytes: 64 * 1024 * 1024 });
      const refused = await report();
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(
        /^::error::.*over the limit of 16777216: refused without downloading it/m,
      );
      expect(gh.inspect.calls('actions/download-artifact')).toEqual([]);
      expect(gh.inspect.changes()).toEqual([]);
    });

    it('a run of another repository', async () => {
      const { gh, report } = forkSetup();
      const refused = await report({ 'run-id': '99999999' });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/^::error::run 99999999 is not a workflow run of acme\/shop/m);
      expect(gh.inspect.changes()).toEqual([]);
    });
  });

  it('renders what a valid artifact says inert: no mention, link, image, marker or command reaches the comment', async () => {
    const { pr, upload, report } = forkSetup();
    const attacks = [
      STICKY_MARKER,
      '@acme/maintainers please merge',
      '<img src=x onerror=alert(1)>',
      '[click](https://evil.example/login)',
      '![](https://evil.example/pixel.png)',
      '\n/approve\n::set-output name=verdict::passed',
      'fixes #1',
    ];
    const hostile = renderResultsJson(
      reportOf(
        summaryOf(
          attacks.map((attack, i) =>
            result(`Case ${i} ${attack}`, 'failed', { message: `${attack} happened`, status: 500 }),
          ),
        ),
      ),
    );
    upload(resultsZip(hostile));

    const reported = await report();

    expect(reported.code).toBe(0);
    expect(reported.outputs.verdict).toBe('failed');
    const [comment] = gauntletComments(pr);
    // Inside code (a fence, a span) GitHub links, mentions and renders nothing: the rest is what must be inert.
    const prose = comment!.body
      .replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '')
      .replace(/`[^`\n]*`|<code>[^<]*<\/code>/g, '');
    expect(comment!.body.split(STICKY_MARKER)).toHaveLength(2);
    expect(prose).not.toMatch(/@acme\/maintainers/);
    expect(prose).not.toMatch(/<img|\]\(\s*<?https?:/);
    expect(prose).not.toMatch(/https:\/\/evil\.example/);
    expect(prose).not.toMatch(/^\s*(\/approve|::)/m);
    expect(prose).not.toMatch(/#1\b/);
    expect(reported.stdout).not.toMatch(/^::set-output/m);
  });
});

describe('the report action, in-process', () => {
  const inputOf =
    (values: Record<string, string>) =>
    (name: string): string =>
      values[name] ?? '';

  it('reads its inputs once into typed values, defaults filled in', () => {
    expect(reportInputs(inputOf({ 'run-id': '42', 'github-token': 't' }))).toEqual({
      source: { kind: 'run', runId: 42, artifactName: RESULTS_ARTIFACT },
      token: 't',
      comment: true,
      check: true,
      checkName: 'Gauntlet',
    });
    expect(
      reportInputs(
        inputOf({
          results: 'r.json',
          'github-token': 't',
          comment: 'False',
          check: 'TRUE',
          'check-name': 'QA',
          'report-url': 'https://x.example/r',
        }),
      ),
    ).toEqual({
      source: { kind: 'file', path: 'r.json' },
      token: 't',
      comment: false,
      check: true,
      checkName: 'QA',
      reportUrl: 'https://x.example/r',
    });
  });

  it.each([
    [{ 'github-token': 't' }, /give either results .* not neither/],
    [{ results: 'r.json', 'run-id': '1', 'github-token': 't' }, /not both/],
    [{ results: 'r.json' }, /github-token is empty/],
    [{ 'run-id': '0', 'github-token': 't' }, /run-id must be/],
    [{ 'run-id': '1e3', 'github-token': 't' }, /run-id must be/],
    [{ results: 'r.json', check: 'on', 'github-token': 't' }, /check must be true or false, not "on"/],
  ])('refuses inputs out of their values: %j', (values, message) => {
    expect(() => reportInputs(inputOf(values))).toThrow(InputError);
    expect(() => reportInputs(inputOf(values))).toThrow(message);
  });

  it('takes the repository from GITHUB_REPOSITORY, and refuses one that is not owner/repo', () => {
    expect(repositoryOf({ GITHUB_REPOSITORY: 'acme/shop' })).toEqual({ owner: 'acme', repo: 'shop' });
    for (const bad of [undefined, '', 'acme', 'acme/shop/x', '/shop'])
      expect(() => repositoryOf({ GITHUB_REPOSITORY: bad })).toThrow(InputError);
  });

  it('takes the pull request and commit from the event, GITHUB_SHA without one, and refuses to guess', async () => {
    const file = path.join(dir, 'parts-event.json');
    const sha = 'ab'.repeat(20);
    await writeFile(file, JSON.stringify({ pull_request: { number: 7, head: { sha } } }));
    expect(await eventTarget({ GITHUB_EVENT_PATH: file, GITHUB_SHA: 'cd'.repeat(20) })).toEqual({
      pullRequest: 7,
      headSha: sha,
    });
    expect(await eventTarget({ GITHUB_SHA: sha })).toEqual({ pullRequest: undefined, headSha: sha });
    await expect(eventTarget({})).rejects.toThrow(/nothing to report on/);
    await writeFile(file, JSON.stringify({ pull_request: { number: -1, head: { sha } } }));
    await expect(eventTarget({ GITHUB_EVENT_PATH: file })).rejects.toThrow(InputError);
  });

  it('titles the check run with the verdict in words', () => {
    const passing = reportOf(summaryOf([result('A', 'passed'), result('B', 'passed')]));
    expect(checkTitle(passing)).toBe('No problems found: 2 test cases ran, 2 passed');
    const base = summaryOf([result('A', 'failed', { status: 500 })]);
    const compared = reportOf(
      summaryOf([
        result('A', 'failed', { status: 500 }),
        result('B', 'failed', { check: 'other', status: 502 }),
      ]),
      { base },
    );
    expect(checkTitle(compared)).toMatch(/^2 findings, 1 new: 2 test cases ran, 2 failed$/);
  });

  it('runs whole in the test process: a workflow_run use, a refusal, a push with a base (the bundle is this code)', async () => {
    const gh = github();
    const repo = gh.state.addRepository({ owner: 'acme', name: 'shop' });
    const workflow = gh.state.addWorkflow(repo, { name: 'Gauntlet', file: 'gauntlet.yml' });
    const pr = gh.state.addPullRequest(repo, { title: 'Cart', head: { ref: 'cart' } });
    const run = gh.state.addWorkflowRun(workflow, { pullRequest: pr, conclusion: 'failure' });
    gh.state.addArtifact(run, { name: RESULTS_ARTIFACT, zip: zipSync({ 'results.json': strToU8(FAILING) }) });
    const output = path.join(dir, 'in-process.output');
    const summary = path.join(dir, 'in-process.summary');
    const saved = { env: { ...process.env }, exitCode: process.exitCode };
    const env = {
      'INPUT_RUN-ID': String(run.id),
      'INPUT_GITHUB-TOKEN': gh.state.createToken({ login: 'github-actions[bot]' }),
      'INPUT_CHECK-NAME': 'Gauntlet',
      INPUT_RESULTS: '',
      INPUT_BASE: '',
      // Under Actions the test process has the CI job's own event and commit: none of them may leak in.
      GITHUB_EVENT_PATH: '',
      GITHUB_SHA: '',
      GITHUB_SERVER_URL: '',
      GITHUB_RUN_ID: '',
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_WORKSPACE: dir,
    };
    // @actions/core reads the step's files and inputs from the environment at each call; restored below.
    const quietStdout = process.stdout.write;
    try {
      Object.assign(process.env, env);
      await Promise.all([writeFile(output, ''), writeFile(summary, '')]);
      process.stdout.write = () => true;
      await reportAction();
      expect(parseOutputs(await readFile(output, 'utf8'))).toEqual({
        verdict: 'failed',
        'comment-id': String(pr.comments[0]!.id),
        'check-run-id': String(repo.checkRuns[0]!.id),
      });
      expect(await readFile(summary, 'utf8')).toContain('F-');
      expect(process.exitCode ?? 0).toBe(0);

      process.env['INPUT_RUN-ID'] = '123456789';
      await writeFile(output, '');
      await reportAction();
      expect(parseOutputs(await readFile(output, 'utf8'))).toEqual({ verdict: 'error' });
      expect(process.exitCode).toBe(1);

      // The same-workflow use on a push, with a base run: a check run on GITHUB_SHA, no comment.
      process.exitCode = 0;
      const sha = 'be'.repeat(20);
      await writeFile(path.join(dir, 'in-process.json'), FAILING);
      Object.assign(process.env, {
        'INPUT_RUN-ID': '',
        INPUT_RESULTS: path.join(dir, 'in-process.json'),
        INPUT_BASE: path.join(dir, 'in-process.json'),
      });
      Object.assign(process.env, {
        GITHUB_SHA: sha,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '9',
      });
      await writeFile(output, '');
      await reportAction();
      expect(parseOutputs(await readFile(output, 'utf8'))).toMatchObject({
        verdict: 'passed',
        'comment-id': '',
      });
      expect(checkRunsOn(repo, sha)).toMatchObject([{ conclusion: 'success' }]);
      expect(process.exitCode).toBe(0);
    } finally {
      process.stdout.write = quietStdout;
      for (const key of Object.keys(env)) Reflect.deleteProperty(process.env, key);
      Object.assign(process.env, saved.env);
      process.exitCode = saved.exitCode;
    }
  });
});
