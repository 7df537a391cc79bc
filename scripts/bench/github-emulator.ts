// bench:github — how long the local GitHub of the tests takes to start: with no cache (GitHub's 13 MB description
// is read and compacted), with the cache, and a second emulator in the same process (the description is shared).
// Each measurement starts in a fresh process, as a test file does.
//   npm run bench:github
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startGitHubEmulator } from '../../test/support/github/index.ts';

if (process.argv.includes('--child')) {
  const first = await startGitHubEmulator();
  const second = await startGitHubEmulator();
  console.log(JSON.stringify({ first: first.timings, second: second.timings }));
  await Promise.all([first.close(), second.close()]);
} else {
  const measure = () =>
    JSON.parse(execFileSync(process.execPath, [import.meta.filename, '--child'], { encoding: 'utf8' })) as {
      first: { startMs: number; descriptionMs: number; descriptionSource: string };
      second: { startMs: number };
    };
  rmSync(path.join('node_modules', '.cache', 'gauntlet-github-emulator'), { recursive: true, force: true });
  const cold = measure();
  const warm = measure();
  const ms = (value: number) => `${Math.round(value)} ms`;
  console.log(
    `no cache:     start ${ms(cold.first.startMs)} (description ${ms(cold.first.descriptionMs)}, from the ${cold.first.descriptionSource})`,
  );
  console.log(
    `with cache:   start ${ms(warm.first.startMs)} (description ${ms(warm.first.descriptionMs)}, from the ${warm.first.descriptionSource})`,
  );
  console.log(`second, same process: start ${ms(warm.second.startMs)}`);
}
