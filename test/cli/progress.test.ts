import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunResult } from '../../src/cases/index.ts';
import { prepare } from '../../src/cli/prepare.ts';
import { createPreparationProgress, createProgress } from '../../src/cli/progress.ts';
import type { PreparationProgress } from '../../src/cli/progress.ts';
import { cli } from '../support/cli.ts';

const result = (status: RunResult['status']) => ({ status }) as RunResult;

describe('progress while a run goes on', () => {
  it('keeps one live line up to date on a terminal', () => {
    let text = '';
    const progress = createProgress({ isTTY: true, write: (s) => void (text += s) });
    progress.onResult(result('passed'), 1, 3);
    progress.onResult(result('failed'), 2, 3);
    progress.onResult(result('error'), 3, 3);
    progress.finish();
    expect(text).toBe(
      '\r1/3 cases run, 0 with problems\r2/3 cases run, 1 with problems\r3/3 cases run, 2 with problems\n',
    );
  });

  it('writes a plain line now and then in a log, and always the last one', () => {
    let text = '';
    const progress = createProgress({ write: (s) => void (text += s) }, 60_000);
    for (let done = 1; done <= 50; done++) progress.onResult(result('passed'), done, 50);
    progress.finish();
    expect(text).toBe('50/50 cases run, 0 with problems\n');
    let every = '';
    const eager = createProgress({ write: (s) => void (every += s) }, 0);
    eager.onResult(result('skipped'), 1, 2);
    expect(every).toBe('1/2 cases run, 0 with problems\n');
  });
});

/** A clock that moves on by `stepMs` each time it is read: the output depends on the calls, not on the machine. */
function clock(stepMs: number): () => number {
  let time = -stepMs;
  return () => (time += stepMs);
}

describe('progress while user cases load and tests are generated', () => {
  const steps = (progress: PreparationProgress, total: number) => {
    for (let done = 0; done <= total; done++) progress.generating(done, total);
  };

  it('says nothing of a generation that ends within the quiet time', () => {
    let text = '';
    const progress = createPreparationProgress(
      { isTTY: true, write: (s) => void (text += s) },
      { now: clock(100), quietMs: 2000 },
    );
    steps(progress, 10);
    progress.finish();
    expect(text).toBe('');
  });

  it('keeps one live line on a terminal once generation takes long, and ends it with the time taken', () => {
    let text = '';
    const progress = createPreparationProgress(
      { isTTY: true, write: (s) => void (text += s) },
      { now: clock(1000), quietMs: 2000, intervalMs: 2000 },
    );
    steps(progress, 5);
    progress.finish();
    expect(text).toBe(
      '\rGenerating tests: 2 of 5 steps…' +
        '\rGenerating tests: 4 of 5 steps…' +
        '\rGenerating tests: 5 of 5 steps, done in 5 s\n',
    );
  });

  it('writes a plain line every 10 s in a log, after 5 s of quiet, and the end', () => {
    let text = '';
    const progress = createPreparationProgress({ write: (s) => void (text += s) }, { now: clock(1000) });
    steps(progress, 30_000);
    expect(text.split('\n').slice(0, 3)).toEqual([
      'Generating tests: 5 of 30,000 steps…',
      'Generating tests: 15 of 30,000 steps…',
      'Generating tests: 25 of 30,000 steps…',
    ]);
    expect(text.split('\n').length).toBe(3002);
    expect(text.endsWith('Generating tests: 30,000 of 30,000 steps, done in 30000 s\n')).toBe(true);
  });

  it('announces big user cases before they are parsed, and not small ones', () => {
    let text = '';
    const progress = createPreparationProgress({ write: (s) => void (text += s) });
    progress.loading(3, 40_000);
    expect(text).toBe('');
    progress.loading(1, 12_500_000);
    expect(text).toBe('Loading user cases: 12.5 MB in 1 file…\n');
  });

  it('ends a live line that an error interrupts, so the error starts a line of its own', () => {
    let text = '';
    const progress = createPreparationProgress(
      { isTTY: true, write: (s) => void (text += s) },
      { now: clock(1000), quietMs: 0 },
    );
    progress.generating(0, 9);
    progress.generating(1, 9);
    progress.finish();
    progress.finish();
    expect(text).toBe('\rGenerating tests: 0 of 9 steps…\rGenerating tests: 1 of 9 steps…\n');
  });

  it('is told by preparation what it loads and each step it generates', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-progress-'));
    try {
      await writeFile(path.join(dir, 'gauntlet.yml'), 'timeoutMs: 1000\n');
      await writeFile(
        path.join(dir, 'items.yml'),
        'role: Clerk\njourney: Items\nsteps:\n' +
          '  - { step: List, api: GET /items }\n' +
          '  - { step: Add, api: POST /items, example: { name: pen } }\n' +
          '  - { step: Page, page: /items }\n',
      );
      let text = '';
      const progress = createPreparationProgress(
        { write: (s) => void (text += s) },
        { now: clock(1000), quietMs: 0, intervalMs: 0, bigInputBytes: 0 },
      );
      const prepared = await prepare({
        cases: path.join(dir, 'items.yml'),
        config: path.join(dir, 'gauntlet.yml'),
        progress,
      });
      expect(prepared.cases.length).toBeGreaterThan(3);
      expect([...new Set(text.split('\n'))]).toEqual([
        'Loading user cases: 0.0 MB in 1 file…',
        'Generating tests: 0 of 3 steps…',
        'Generating tests: 1 of 3 steps…',
        'Generating tests: 2 of 3 steps…',
        expect.stringMatching(/^Generating tests: 3 of 3 steps, done in \d+ s$/),
        '',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps a quick validation quiet', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-progress-'));
    try {
      await writeFile(path.join(dir, 'gauntlet.yml'), 'timeoutMs: 1000\n');
      await writeFile(
        path.join(dir, 'items.yml'),
        'role: Clerk\njourney: Items\nsteps:\n  - { step: List, api: GET /items }\n',
      );
      const validated = await cli(
        'validate',
        '--cases',
        path.join(dir, 'items.yml'),
        '--config',
        path.join(dir, 'gauntlet.yml'),
      );
      expect(validated).toEqual({
        code: 0,
        stdout: '1 journeys give 1 test cases; 0 titles have no test data yet.\n',
        stderr: '',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
