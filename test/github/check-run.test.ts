// Gauntlet's check run on a commit, against the local GitHub: one per commit and name, its conclusion from the
// verdict, every annotation delivered in requests of 50, a Re-run button, and GitHub's size limits kept.
import { describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { RunSummary, type RunResult } from '../../src/cases/index.ts';
import {
  CHECK_RUN_EXTERNAL_ID,
  RERUN_ACTION,
  annotationsFor,
  publishCheckRun,
  type CheckAnnotation,
  type CheckRunInput,
} from '../../src/github/index.ts';
import { reportOf } from '../../src/report/index.ts';
import { renderResultsJson } from '../../src/report/results-json.ts';
import { useGitHubEmulator } from '../support/github/jest.ts';
import { result, summaryOf } from '../support/results.ts';

const github = useGitHubEmulator();

const SHA1 = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const SHA2 = 'f0e1d2c3b4a5968778695a4b3c2d1e0f98765432';

function setup() {
  const gh = github();
  const installation = gh.state.addInstallation({ account: 'acme' });
  const repo = gh.state.addRepository({ owner: 'acme', name: 'shop' });
  const octokit = new Octokit({
    baseUrl: gh.url,
    auth: gh.state.createInstallationToken(installation).token,
  });
  const publish = (input: Partial<CheckRunInput> = {}) =>
    publishCheckRun(octokit, {
      owner: 'acme',
      repo: 'shop',
      headSha: SHA1,
      name: 'Gauntlet',
      title: '2 new findings',
      summary: '## Gauntlet failed\n\n2 new findings.',
      verdict: 'failed',
      annotations: [],
      ...input,
    });
  /** Requests that wrote the check run: creations and updates. */
  const writes = () => [...gh.inspect.calls('checks/create'), ...gh.inspect.calls('checks/update')];
  return { gh, repo, octokit, publish, writes };
}

const annotation = (i: number): CheckAnnotation => ({
  path: `user-cases/shop-${i % 3}.yml`,
  start_line: i + 1,
  end_line: i + 1,
  annotation_level: i % 2 ? 'warning' : 'failure',
  title: `Finding ${i}`,
  message: `What finding ${i} is`,
});

describe('publishCheckRun', () => {
  it('creates a completed run with the conclusion of the verdict, the report and a Re-run button', async () => {
    const { repo, publish } = setup();
    const result = await publish({
      text: 'Every finding, in detail.',
      detailsUrl: 'https://github.com/acme/shop/actions/runs/7',
    });
    expect(repo.checkRuns).toHaveLength(1);
    const [run] = repo.checkRuns;
    expect(run).toMatchObject({
      name: 'Gauntlet',
      headSha: SHA1,
      status: 'completed',
      conclusion: 'failure',
      detailsUrl: 'https://github.com/acme/shop/actions/runs/7',
      externalId: CHECK_RUN_EXTERNAL_ID,
      output: {
        title: '2 new findings',
        summary: '## Gauntlet failed\n\n2 new findings.',
        text: 'Every finding, in detail.',
        annotations: [],
      },
      actions: [
        { label: 'Re-run', description: 'Run Gauntlet again on this commit', identifier: 'gauntlet-rerun' },
      ],
    });
    expect(result).toEqual({
      action: 'created',
      checkRunId: run!.id,
      url: expect.stringContaining(`/runs/${run!.id}`),
      annotations: 0,
      requests: 1,
    });
  });

  it.each([
    ['passed', 'success'],
    ['failed', 'failure'],
    // Not judged is no pass: neutral would let a required check through.
    ['error', 'failure'],
  ] as const)('concludes the verdict %s with %s', async (verdict, conclusion) => {
    const { repo, publish } = setup();
    await publish({ verdict });
    expect(repo.checkRuns.map((r) => r.conclusion)).toEqual([conclusion]);
  });

  it('delivers 120 annotations, all of them, in 3 requests of at most 50', async () => {
    const { repo, publish, writes } = setup();
    const annotations = Array.from({ length: 120 }, (_, i) => annotation(i));
    const result = await publish({ annotations });
    expect(result).toMatchObject({ annotations: 120, requests: 3 });
    expect(repo.checkRuns).toHaveLength(1);
    expect(repo.checkRuns[0]!.output.annotations).toEqual(annotations);
    const sizes = writes().map(
      (r) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length,
    );
    expect(sizes).toEqual([50, 50, 20]);
    // The later requests keep the run as the first made it.
    expect(repo.checkRuns[0]).toMatchObject({ conclusion: 'failure', output: { title: '2 new findings' } });
  });

  it('run twice on one commit leaves one run, updated, with each annotation once', async () => {
    const { gh, repo, publish } = setup();
    // More than a page of annotations (100) to read back from the run on the second publish.
    const annotations = Array.from({ length: 120 }, (_, i) => annotation(i));
    await publish({ annotations });
    const second = await publish({ annotations, verdict: 'passed', title: 'Passed', summary: 'All good.' });
    expect(repo.checkRuns).toHaveLength(1);
    expect(second).toMatchObject({ action: 'updated', checkRunId: repo.checkRuns[0]!.id, annotations: 0 });
    expect(repo.checkRuns[0]).toMatchObject({
      conclusion: 'success',
      output: { title: 'Passed', summary: 'All good.' },
    });
    expect(repo.checkRuns[0]!.output.annotations).toHaveLength(120);
    expect(gh.inspect.calls('checks/list-annotations')).toHaveLength(2);
    expect(gh.inspect.changes()).toEqual([
      'checks/create',
      'checks/update',
      'checks/update',
      'checks/update',
    ]);
  });

  it('adds only the new annotations on a rerun and says how many earlier ones no longer apply', async () => {
    const { repo, publish } = setup();
    await publish({ annotations: [annotation(0), annotation(1), annotation(2)] });
    const rerun = await publish({ annotations: [annotation(1), annotation(3)] });
    expect(rerun.annotations).toBe(1);
    expect(repo.checkRuns[0]!.output.annotations.map((a) => a.title)).toEqual([
      'Finding 0',
      'Finding 1',
      'Finding 2',
      'Finding 3',
    ]);
    expect(repo.checkRuns[0]!.output.summary).toBe(
      '## Gauntlet failed\n\n2 new findings.\n\n_2 annotations from an earlier report on this commit no longer apply: GitHub keeps an annotation once it is added._',
    );
    await publish({ annotations: [annotation(0), annotation(1), annotation(2), annotation(3)].slice(1) });
    expect(repo.checkRuns[0]!.output.summary).toContain('_One annotation from an earlier report');
  });

  it('makes one run per commit', async () => {
    const { repo, publish } = setup();
    await publish();
    await publish({ headSha: SHA2 });
    await publish({ headSha: SHA2 });
    expect(repo.checkRuns.map((r) => r.headSha)).toEqual([SHA1, SHA2]);
  });

  it("never takes over a run of the same name it did not create, such as the job's own", async () => {
    const { gh, repo, octokit, publish } = setup();
    // The workflow job named "Gauntlet" has a check run of that name on the commit, with no Gauntlet external id.
    const job = await octokit.rest.checks.create({
      owner: 'acme',
      repo: 'shop',
      name: 'Gauntlet',
      head_sha: SHA1,
      status: 'in_progress',
      external_id: '3f1c2d4e-job',
    });
    await publish({ verdict: 'passed' });
    await publish({ verdict: 'passed' });
    expect(repo.checkRuns.map((r) => [r.id, r.status, r.conclusion])).toEqual([
      [job.data.id, 'in_progress', null],
      [expect.any(Number), 'completed', 'success'],
    ]);
    expect(gh.inspect.calls('checks/update').map((r) => r.path)).not.toContain(
      `/repos/acme/shop/check-runs/${job.data.id}`,
    );
  });

  it('cuts the title to 255 characters and the summary and text to 65,535, saying so', async () => {
    const { repo, publish } = setup();
    const long = Array.from({ length: 3000 }, (_, i) => `Line ${i}: a finding described at length.`).join(
      '\n',
    );
    await publish({ title: `Findings:\n${'word '.repeat(100)}`, summary: long, text: long });
    const { output } = repo.checkRuns[0]!;
    expect(output.title).toHaveLength(255);
    expect(output.title).toMatch(/^Findings: word word .*…$/);
    for (const text of [output.summary!, output.text!]) {
      expect(text.length).toBeLessThanOrEqual(65_535);
      expect(text).toMatch(
        /\nLine \d+: a finding described at length\.\n\n_Cut here to fit GitHub's limit of 65,535 characters; the full report is in report\.md of the run\._$/,
      );
    }
  });

  it('refuses, before any request, a short sha and buttons GitHub would not take', async () => {
    const { gh, publish } = setup();
    await expect(publish({ headSha: 'a1b2c3d' })).rejects.toThrow(TypeError);
    const tooMany = [RERUN_ACTION, RERUN_ACTION, RERUN_ACTION, RERUN_ACTION];
    await expect(publish({ actions: tooMany })).rejects.toThrow('at most 3 actions');
    for (const wrong of [
      { ...RERUN_ACTION, label: 'Run the whole suite again' },
      { ...RERUN_ACTION, description: 'Run every generated test again on this commit' },
      { ...RERUN_ACTION, identifier: 'gauntlet-rerun-everything' },
      { ...RERUN_ACTION, label: '' },
    ])
      await expect(publish({ actions: [wrong] })).rejects.toThrow(RangeError);
    expect(gh.inspect.requests).toEqual([]);
  });

  it('puts the findings of a results file on the user-case lines they came from', async () => {
    const { repo, publish } = setup();
    const failing = (i: number): RunResult =>
      result(`Create item ${i} with an empty name`, 'failed', {
        message: 'expected status 400, got 201',
        url: `http://127.0.0.1:4100/api/items-${i}`,
        status: 201,
      });
    const results = Array.from({ length: 55 }, (_, i) => ({
      ...failing(i),
      origin: { ...failing(i).origin, file: 'user-cases/shop.yml', line: 100 + i },
    }));
    const file = RunSummary.parse(JSON.parse(renderResultsJson(reportOf(summaryOf(results)))));
    const { annotations, omitted } = annotationsFor(file);
    await publish({ annotations });
    expect(omitted).toBe(0);
    const held = repo.checkRuns[0]!.output.annotations;
    expect(held).toHaveLength(55);
    expect(new Set(held.map((a) => `${a.path}:${a.start_line}`))).toEqual(
      new Set(results.map((r) => `user-cases/shop.yml:${r.origin.line}`)),
    );
  });
});
