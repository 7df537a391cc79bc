// `npm run target` as a user stops it: Ctrl-C (SIGINT) or a kill (SIGTERM), of the process or of npm, closes the
// server and ends the process; nothing is left listening.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** The URL the sample target says it listens on, once it says so. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${output}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Whether anything still answers at `url`, asking until nothing does or `attempts` are spent. */
async function stillAnswers(url: string, attempts = 100): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    const answered = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) }).then(
      async (response) => (await response.body?.cancel(), true),
      () => false,
    );
    if (!answered) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return true;
}

/** The sample target on a port of its own (PORT=0: any free one). */
function startTarget(command: string, args: string[]): ChildProcess {
  return spawn(command, args, {
    env: { ...process.env, PORT: '0', AIDAWG_FAULTS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that a test that fails can still end whatever it started.
    detached: true,
  });
}

function endGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // Already gone: what the test wanted.
  }
}

describe('stopping the sample target', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('closes the server and exits 0 on %s', async (signal) => {
    const child = startTarget(process.execPath, ['examples/aidawg/main.ts']);
    try {
      const url = await listeningUrl(child);
      expect(await stillAnswers(url, 1)).toBe(true);
      child.kill(signal);
      expect(await exitOf(child)).toBe(0);
      expect(await stillAnswers(url)).toBe(false);
    } finally {
      endGroup(child);
    }
  });

  it('stops when `npm run target` is stopped: npm hands the signal on to the server itself', async () => {
    const npm = startTarget('npm', ['run', '--silent', 'target']);
    try {
      const url = await listeningUrl(npm);
      npm.kill('SIGTERM');
      await exitOf(npm);
      expect(await stillAnswers(url)).toBe(false);
    } finally {
      endGroup(npm);
    }
  });
});
