// Shows where a run is: a live line on a terminal, a plain line every so often in CI logs.
import type { RunResult } from '../cases/index.ts';

export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
}

export function createProgress(
  sink: ProgressSink,
  intervalMs = 5000,
): {
  onResult(result: RunResult, done: number, total: number): void;
  finish(): void;
} {
  let problems = 0;
  let lastPlain = Date.now();
  let lastLine = '';
  return {
    onResult(result, done, total) {
      if (result.status === 'failed' || result.status === 'error') problems++;
      const line = `${done}/${total} cases run, ${problems} with problems`;
      if (sink.isTTY) {
        sink.write(`\r${line}`);
        lastLine = line;
      } else if (Date.now() - lastPlain >= intervalMs || done === total) {
        sink.write(`${line}\n`);
        lastPlain = Date.now();
      }
    },
    finish() {
      if (sink.isTTY && lastLine) sink.write('\n');
    },
  };
}
