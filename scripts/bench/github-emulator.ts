// bench:github — the local GitHub of the tests: how long it takes to start with no cache (GitHub's 13 MB description
// is read and compacted), with the cache, and a second emulator in the same process (the description is shared); then
// how many REST calls a second it answers through @octokit/rest, with and without checking each answer against
// GitHub's response schemas. Each start is measured in a fresh process, as a test file starts it. The cold start uses
// a cache folder of its own, so the cache the tests share is left alone.
//   npm run bench:github [-- --calls 600]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Octokit } from '@octokit/rest';
import { startGitHubEmulator } from '../../test/support/github/index.ts';

const { values } = parseArgs({
  options: { child: { type: 'boolean' }, calls: { type: 'string', default: '600' } },
});

if (values.child) {
  const first = await startGitHubEmulator();
  const second = await startGitHubEmulator();
  console.log(JSON.stringify({ first: first.timings, second: second.timings }));
  await Promise.all([first.close(), second.close()]);
} else {
  const measure = (env: NodeJS.ProcessEnv) =>
    JSON.parse(
      execFileSync(process.execPath, [import.meta.filename, '--child'], { encoding: 'utf8', env }),
    ) as {
      first: { startMs: number; descriptionMs: number; descriptionSource: string };
      second: { startMs: number };
    };
  const cache = mkdtempSync(path.join(tmpdir(), 'gauntlet-bench-github-'));
  try {
    const env = { ...process.env, GITHUB_EMULATOR_CACHE_DIR: cache };
    const cold = measure(env);
    const warm = measure(env);
    const ms = (value: number) => `${Math.round(value)} ms`;
    console.log(
      `no cache:     start ${ms(cold.first.startMs)} (description ${ms(cold.first.descriptionMs)}, from the ${cold.first.descriptionSource})`,
    );
    console.log(
      `with cache:   start ${ms(warm.first.startMs)} (description ${ms(warm.first.descriptionMs)}, from the ${warm.first.descriptionSource})`,
    );
    console.log(`second, same process: start ${ms(warm.second.startMs)}`);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  for (const checkResponses of [false, true])
    console.log(await throughput(Number(values.calls), checkResponses));
}

/** REST calls a second: an issue created, read and commented on, over and over, one call at a time. */
async function throughput(calls: number, checkResponses: boolean): Promise<string> {
  const gh = await startGitHubEmulator({ checkResponses });
  try {
    gh.state.addRepository({ owner: 'acme', name: 'shop' });
    const octokit = new Octokit({ baseUrl: gh.url, auth: gh.state.createToken({ login: 'alice' }) });
    const repo = { owner: 'acme', repo: 'shop' };
    const round = async (n: number) => {
      for (let done = 0; done < n; done += 3) {
        const { data: issue } = await octokit.rest.issues.create({ ...repo, title: `Issue ${done}` });
        await octokit.rest.issues.get({ ...repo, issue_number: issue.number });
        await octokit.rest.issues.createComment({ ...repo, issue_number: issue.number, body: 'seen' });
      }
    };
    await round(60); // warm-up: the first calls compile the routes' validators
    const started = performance.now();
    await round(calls);
    const seconds = (performance.now() - started) / 1000;
    const label = checkResponses ? 'checked answers:  ' : 'unchecked answers:';
    return `${label} ${calls} REST calls in ${seconds.toFixed(2)} s (${Math.round(calls / seconds)} calls/s)`;
  } finally {
    await gh.close();
  }
}
