// The `workflow_run` half of the fork-safe pair against the local GitHub: the results a pull request's run uploaded
// are fetched through the API alone and read as hostile input. Each attack below is a class (tampered results,
// oversized or lying archives, zip bombs, entry-name tricks, bytes that are no zip, the wrong artifact or run), and
// every archive is a real zip made by fflate, served by the emulator's download URL as GitHub serves it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { strToU8, zipSync } from 'fflate';
import type { Zippable } from 'fflate';
import { RunSummary } from '../../src/cases/index.ts';
import { ArtifactError, downloadResults, RESULTS_ARTIFACT } from '../../src/github/artifacts.ts';
import type { DownloadResultsOptions } from '../../src/github/artifacts.ts';
import { reportOf } from '../../src/report/index.ts';
import { renderResultsJson } from '../../src/report/results-json.ts';
import { useGitHubEmulator } from '../support/github/jest.ts';
import { result, summaryOf } from '../support/results.ts';
import { forkPullRequestRun } from '../support/github/fork-run.ts';

const github = useGitHubEmulator();
/** Refusals are expected here; Octokit would log each one. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A results file as `gauntlet run` writes it: one failing and one passing case. */
const RESULTS_JSON = renderResultsJson(
  reportOf(
    summaryOf([
      result('Create a project', 'failed', { check: 'not_a_server_error', status: 500 }),
      result('List projects', 'passed'),
    ]),
  ),
);
const RESULTS = JSON.parse(RESULTS_JSON) as Record<string, unknown>;

const zipOf = (files: Zippable): Uint8Array => zipSync(files);
const resultsZip = (text = RESULTS_JSON): Uint8Array => zipOf({ 'results.json': strToU8(text) });

/** The fork's pull request and its run (forkPullRequestRun), and the download as the report workflow makes it. */
function setup() {
  const gh = github();
  const { repo, fork, workflow, pr, run } = forkPullRequestRun(gh);
  // Actions' GITHUB_TOKEN in the `workflow_run` workflow, which runs in the base repository.
  const octokit = new Octokit({
    baseUrl: gh.url,
    auth: gh.state.createToken({ login: 'github-actions[bot]' }),
    log: quiet,
  });
  const upload = (
    zip: Uint8Array,
    options: { name?: string; sizeInBytes?: number; expired?: boolean } = {},
  ) => gh.state.addArtifact(run, { name: RESULTS_ARTIFACT, zip, ...options });
  const download = (options: Partial<DownloadResultsOptions> = {}) =>
    downloadResults(octokit, { owner: 'acme', repo: 'shop', runId: run.id, ...options });
  return { gh, repo, fork, workflow, pr, run, octokit, upload, download };
}

/** The refusal `promise` ends in: an ArtifactError (never a crash, never results). */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArtifactError);
  return (error as ArtifactError).message;
}

/** Replaces every occurrence of one byte string by another of the same length (names in local and central headers). */
function patch(zip: Uint8Array, from: string, to: string): Uint8Array {
  const bytes = Buffer.from(zip);
  const [a, b] = [Buffer.from(from, 'latin1'), Buffer.from(to, 'latin1')];
  expect(b.length).toBe(a.length);
  for (let at = bytes.indexOf(a); at >= 0; at = bytes.indexOf(a, at + 1)) b.copy(bytes, at);
  return bytes;
}

/** Offsets of the first central directory entry and of the end record of a one-entry zip made by fflate. */
function layout(zip: Uint8Array) {
  const bytes = Buffer.from(zip);
  return { bytes, central: bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])), end: bytes.length - 22 };
}

describe('downloadResults', () => {
  it("returns a fork pull request's validated results and its number, with nothing but read calls to the API", async () => {
    const { gh, repo, fork, pr, run, upload, download } = setup();
    const artifact = upload(resultsZip());

    const downloaded = await download();

    const { findings: _recomputed, ...expected } = RunSummary.parse(RESULTS);
    expect(downloaded).toEqual({
      summary: expected,
      pullRequest: pr.number,
      headSha: pr.pull!.head.sha,
      artifact: { id: artifact.id, name: RESULTS_ARTIFACT, sizeInBytes: artifact.zip.length },
    });
    // GitHub does not list a fork's pull request on the run; the number came from GitHub's open pull requests.
    expect(gh.webhooks.build('workflow_run', { action: 'completed', workflow_run: run })).toMatchObject({
      workflow_run: {
        pull_requests: [],
        head_sha: pr.pull!.head.sha,
        head_repository: { full_name: 'mallory/shop' },
      },
    });
    // This half never needs the pull request's code: no contents, no diff, no files; only reads; no repository
    // holds a file, and the artifact download went to the storage URL GitHub redirected to.
    expect(repo.files.size + fork.files.size).toBe(0);
    expect(gh.inspect.requests.map((r) => r.operationId)).toEqual([
      'actions/get-workflow-run',
      'actions/list-workflow-run-artifacts',
      'actions/download-artifact',
      'artifacts/storage',
      'pulls/list',
    ]);
    expect(gh.inspect.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(gh.inspect.changes()).toEqual([]);
  });

  it('takes the pull request GitHub lists on a run from the same repository, without searching', async () => {
    const { gh, repo, workflow, octokit } = setup();
    const pr = gh.state.addPullRequest(repo, { title: 'Cart', head: { ref: 'cart' } });
    const run = gh.state.addWorkflowRun(workflow, { pullRequest: pr, conclusion: 'failure' });
    gh.state.addArtifact(run, { name: RESULTS_ARTIFACT, zip: resultsZip() });

    const downloaded = await downloadResults(octokit, { owner: 'acme', repo: 'shop', runId: run.id });

    expect(downloaded.pullRequest).toBe(pr.number);
    expect(gh.inspect.calls('pulls/list')).toEqual([]);
  });

  it('reports no pull request for a run of a push, and reads a stored (uncompressed) entry', async () => {
    const { gh, workflow, octokit } = setup();
    const run = gh.state.addWorkflowRun(workflow, { event: 'push', conclusion: 'success' });
    const stored = zipSync({ 'results.json': [strToU8(RESULTS_JSON), { level: 0 }] });
    gh.state.addArtifact(run, { name: 'nightly', zip: stored });

    const downloaded = await downloadResults(octokit, {
      owner: 'acme',
      repo: 'shop',
      runId: run.id,
      artifactName: 'nightly',
    });

    expect(downloaded.pullRequest).toBeUndefined();
    expect(downloaded.summary.results).toHaveLength(2);
  });

  it('refuses to guess when the tested commit is the head of several open pull requests', async () => {
    const { gh, repo, pr, upload, download } = setup();
    const twin = gh.state.addPullRequest(repo, {
      title: 'Same commit',
      user: 'mallory',
      head: pr.pull!.head,
    });
    upload(resultsZip());

    expect(await refusal(download())).toContain(`several pull requests (#${pr.number}, #${twin.number})`);
  });

  describe('refuses a tampered results.json (the schema is the contract)', () => {
    const results = RESULTS.results as Record<string, unknown>[];
    const tampered: [string, unknown][] = [
      ['a status the schema does not have', { ...RESULTS, results: [{ ...results[0], status: 'pwned' }] }],
      ['an extra property', { ...RESULTS, comment: '<img src=x onerror=alert(1)>' }],
      ['a negative count', { ...RESULTS, totals: { ...(RESULTS.totals as object), passed: -1 } }],
      ['another tool', { ...RESULTS, tool: 'not-gauntlet' }],
      ['no results', { ...RESULTS, results: undefined }],
      ['a string for a number', { ...RESULTS, durationMs: '1e9' }],
      ['an array at the top', [RESULTS]],
    ];
    it.each(tampered)('with %s', async (_, json) => {
      const { upload, download } = setup();
      upload(resultsZip(JSON.stringify(json)));
      expect(await refusal(download())).toMatch(
        /results\.json of artifact "gauntlet-results" of run \d+ is not a Gauntlet results file: \S/,
      );
    });

    it('naming the first five problems and counting the rest', async () => {
      const { upload, download } = setup();
      upload(resultsZip(JSON.stringify({ tool: 1 })));
      const message = await refusal(download());
      expect(message).toContain('tool: ');
      expect(message.match(/; /g)).toHaveLength(4);
      expect(message).toMatch(/ \(and \d+ more\)$/);
    });
  });

  describe('refuses a results.json that is not bounded, parseable text', () => {
    const texts: [string, string | Uint8Array, RegExp][] = [
      ['JSON cut short', RESULTS_JSON.slice(0, 200), /is not JSON/],
      [
        'arrays nested past the limit',
        `${'['.repeat(100)}${']'.repeat(100)}`,
        /nests 100 levels deep, over the limit of 64/,
      ],
      [
        'bytes that are not UTF-8',
        new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
        /results\.json is not UTF-8 text/,
      ],
    ];
    it.each(texts)('with %s', async (_, content, message) => {
      const { upload, download } = setup();
      upload(zipOf({ 'results.json': typeof content === 'string' ? strToU8(content) : content }));
      expect(await refusal(download())).toMatch(message);
    });

    it('and counts brackets inside strings as text', async () => {
      const { upload, download } = setup();
      const target = '"['.repeat(1000);
      upload(resultsZip(JSON.stringify({ ...RESULTS, target })));
      expect((await download()).summary.target).toBe(target);
    });
  });

  it('refuses an artifact GitHub reports as over the cap before downloading anything', async () => {
    const { gh, upload, download } = setup();
    upload(zipOf({ 'results.json': [randomBytes(64 * 1024), { level: 0 }] }));

    expect(await refusal(download({ maxBytes: 32 * 1024 }))).toMatch(
      /^artifact "gauntlet-results" of run \d+ is 65\d{3} bytes, over the limit of 32768: refused without downloading it$/,
    );
    expect(gh.inspect.calls('actions/download-artifact')).toEqual([]);
  });

  it('stops a download that runs past the cap even when the reported size is small', async () => {
    const { upload, download } = setup();
    upload(zipOf({ 'results.json': [randomBytes(64 * 1024), { level: 0 }] }), { sizeInBytes: 1000 });

    expect(await refusal(download({ maxBytes: 32 * 1024 }))).toContain(
      'is larger than the limit of 32768 bytes: the download was stopped',
    );
  });

  describe('refuses a small zip that inflates past the cap (a zip bomb)', () => {
    const bomb = zipOf({ 'results.json': new Uint8Array(8 * 1024 * 1024).fill(0x20) });

    it('when it declares its size', async () => {
      const { upload, download } = setup();
      expect(bomb.length).toBeLessThan(64 * 1024);
      upload(bomb);
      expect(await refusal(download({ maxUncompressedBytes: 1024 * 1024 }))).toContain(
        'results.json declares 8388608 bytes, over the limit of 1048576',
      );
    });

    it('when it lies about its size in the central directory', async () => {
      const { upload, download } = setup();
      const { bytes, central } = layout(bomb);
      bytes.writeUInt32LE(100, central + 24);
      upload(bytes);
      expect(await refusal(download({ maxUncompressedBytes: 1024 * 1024 }))).toContain(
        'results.json inflates past the limit of 1048576 bytes',
      );
    });
  });

  it('refuses a zip with more entries than the cap, before reading any', async () => {
    const { upload, download } = setup();
    const files: Zippable = { 'results.json': strToU8(RESULTS_JSON) };
    for (let i = 0; i < 1500; i += 1) files[`padding/${i}.txt`] = new Uint8Array(0);
    upload(zipOf(files));

    expect(await refusal(download())).toContain('1501 entries, over the limit of 1000');
  });

  describe('never takes another entry for results.json, and never writes one anywhere', () => {
    const names = [
      '../results.json',
      '/results.json',
      '..\\results.json',
      'sub/results.json',
      'RESULTS.JSON',
      './results.json',
    ];

    it.each(names)('an archive holding only %s has no results', async (name) => {
      const { upload, download } = setup();
      upload(zipOf({ [name]: strToU8(RESULTS_JSON) }));
      expect(await refusal(download())).toContain('is not a usable zip: it has no results.json entry');
    });

    it('reads results.json beside hostile names, and leaves no file behind', async () => {
      const { upload, download } = setup();
      const hostile = JSON.stringify({ ...RESULTS, target: 'http://evil.example/' });
      upload(
        zipOf({
          ...Object.fromEntries(names.map((n) => [n, strToU8(hostile)])),
          'results.json': strToU8(RESULTS_JSON),
        }),
      );

      expect((await download()).summary.target).toBe(RESULTS.target);
      for (const name of ['../results.json', 'results.json', 'sub/results.json']) {
        expect(existsSync(path.resolve(name))).toBe(false);
      }
    });

    it('refuses an archive naming results.json twice, whichever one a reader would pick', async () => {
      const { upload, download } = setup();
      const zip = zipOf({ 'results.json': strToU8(RESULTS_JSON), 'results.jsoX': strToU8('{}') });
      upload(patch(zip, 'results.jsoX', 'results.json'));
      expect(await refusal(download())).toContain('it holds two entries named results.json');
    });
  });

  describe('refuses bytes that are not a zip, or a zip whose structure lies', () => {
    const valid = resultsZip();
    const stored = zipSync({ 'results.json': [strToU8(RESULTS_JSON), { level: 0 }] });
    const cases: [string, () => Uint8Array, string][] = [
      ['random bytes', () => randomBytes(4096), 'no end of central directory'],
      ['the JSON itself, not zipped', () => strToU8(RESULTS_JSON), 'no end of central directory'],
      ['an empty file', () => new Uint8Array(0), 'no end of central directory'],
      ['a zip cut in half', () => valid.subarray(0, valid.length >> 1), 'no end of central directory'],
      [
        'an end record claiming ZIP64',
        () => {
          const { bytes, end } = layout(valid);
          bytes.writeUInt32LE(0xffffffff, end + 16);
          return bytes;
        },
        'ZIP64 archives are not accepted',
      ],
      [
        'a central directory past the end record',
        () => {
          const { bytes, end } = layout(valid);
          bytes.writeUInt32LE(end, end + 16);
          return bytes;
        },
        'the central directory lies outside the archive',
      ],
      [
        'a damaged central directory entry',
        () => {
          const { bytes, central } = layout(valid);
          bytes.writeUInt32LE(0x12345678, central);
          return bytes;
        },
        'central directory entry 1 is damaged',
      ],
      [
        'a central entry longer than the directory',
        () => {
          const { bytes, central } = layout(valid);
          bytes.writeUInt16LE(0xffff, central + 32);
          return bytes;
        },
        'central directory entry 1 runs past the directory',
      ],
      [
        'an encrypted entry',
        () => {
          const { bytes, central } = layout(valid);
          bytes.writeUInt16LE(bytes.readUInt16LE(central + 8) | 1, central + 8);
          return bytes;
        },
        'results.json is encrypted',
      ],
      [
        'an unknown compression method',
        () => {
          const { bytes, central } = layout(valid);
          bytes.writeUInt16LE(12, central + 10);
          return bytes;
        },
        'results.json uses compression method 12',
      ],
      [
        'a local header naming another file',
        () => {
          const { bytes } = layout(valid);
          bytes.write('X', 30, 'latin1');
          return bytes;
        },
        'the local header of results.json does not match the central directory',
      ],
      [
        'entry data running into the directory',
        () => {
          const { bytes, central } = layout(valid);
          bytes.writeUInt32LE(central, central + 20);
          return bytes;
        },
        'the data of results.json runs past the archive',
      ],
      [
        'a compressed entry with no data',
        () => {
          const { bytes, central } = layout(valid);
          bytes.writeUInt32LE(0, central + 20);
          return bytes;
        },
        'results.json is cut short',
      ],
      [
        'a stored entry altered after zipping',
        () => {
          const bytes = Buffer.from(stored);
          const at = bytes.indexOf(Buffer.from('"gauntlet"'));
          bytes.write('"gauntlex"', at, 'latin1');
          return bytes;
        },
        'results.json does not match its declared size and checksum',
      ],
      [
        'deflate data that is not deflate',
        () => {
          const { bytes, central } = layout(valid);
          const dataAt = 30 + 'results.json'.length;
          bytes.fill(0xff, dataAt, central);
          return bytes;
        },
        'results.json is not valid deflate data',
      ],
    ];
    it.each(cases)('%s', async (_, make, reason) => {
      const { upload, download } = setup();
      upload(make());
      const message = await refusal(download());
      expect(message).toMatch(/^artifact "gauntlet-results" of run \d+ is not a usable zip: /);
      expect(message).toContain(reason);
    });
  });

  it('refuses a run without an artifact of the expected name, naming the name', async () => {
    const { gh, run, download } = setup();
    gh.state.addArtifact(run, { name: 'coverage', zip: resultsZip() });
    gh.state.addArtifact(run, { name: 'gauntlet-results-old', zip: resultsZip() });

    expect(await refusal(download())).toMatch(
      /^run \d+ of acme\/shop has no artifact named "gauntlet-results": /,
    );
  });

  it('takes the newest artifact when a re-run uploaded the name again', async () => {
    const { upload, download } = setup();
    upload(resultsZip(JSON.stringify({ ...RESULTS, target: 'http://old.example/' })));
    const newest = upload(resultsZip());
    expect((await download()).artifact.id).toBe(newest.id);
  });

  it("refuses a run of another repository (a fork's own run), even one whose artifact is valid", async () => {
    const { gh, fork, download } = setup();
    const forkRun = gh.state.addWorkflowRun(
      gh.state.addWorkflow(fork, { name: 'Gauntlet', file: 'gauntlet.yml' }),
      {
        conclusion: 'success',
      },
    );
    gh.state.addArtifact(forkRun, { name: RESULTS_ARTIFACT, zip: resultsZip() });

    expect(await refusal(download({ runId: forkRun.id }))).toBe(
      `run ${forkRun.id} is not a workflow run of acme/shop`,
    );
  });

  it('refuses an expired artifact, whether GitHub lists it as expired or says so at download', async () => {
    const { gh, upload, download } = setup();
    upload(resultsZip(), { expired: true });
    expect(await refusal(download())).toMatch(
      /has expired \(past the repository's artifact retention\): re-run the workflow/,
    );

    gh.reset();
    const again = setup();
    again.upload(resultsZip());
    gh.faults.add({ route: 'actions/download-artifact', kind: 'server-error', status: 410 });
    expect(await refusal(again.download())).toMatch(/has expired/);
  });

  it('says which download failed when the storage GitHub redirected to fails', async () => {
    const { gh, upload, download } = setup();
    upload(resultsZip());
    gh.faults.add({ route: 'artifacts/storage', kind: 'server-error', status: 503 });
    expect(await refusal(download())).toMatch(
      /^downloading artifact "gauntlet-results" of run \d+ failed: 503 Service Unavailable$/,
    );
  });

  it.each(['actions/get-workflow-run', 'actions/download-artifact'])(
    'lets other API failures (%s) through as they are, for the step to show',
    async (route) => {
      const { gh, upload, download } = setup();
      upload(resultsZip());
      gh.faults.add({ route, kind: 'server-error', status: 500 });
      await expect(download()).rejects.toMatchObject({ status: 500 });
    },
  );
});
