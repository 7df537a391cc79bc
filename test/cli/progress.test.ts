import { describe, expect, it } from '@jest/globals';
import type { RunResult } from '../../src/cases/index.ts';
import { createProgress } from '../../src/cli/progress.ts';

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
