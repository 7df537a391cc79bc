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

/** What a long preparation (loading and generating before a validate, generate or run) says it is doing. */
export interface PreparationProgress {
  /** Before user cases are parsed: one long step with nothing to count, so a big input is announced up front. */
  loading(files: number, bytes: number): void;
  /** As generation gets through the journeys' steps; the work starts at 0 and ends at `total`. */
  generating(done: number, total: number): void;
  /** Ends a live line left on the terminal (after an error, say). */
  finish(): void;
}

export interface PreparationProgressOptions {
  now?: () => number;
  /** Nothing is said of a generation that ends sooner: a quick validation stays quiet. */
  quietMs?: number;
  /** At most one line this often: rewritten in place on a terminal, a new line in a log. */
  intervalMs?: number;
  /** User cases of at least this many bytes in all are announced before they are parsed (~1.5 s a MB to parse). */
  bigInputBytes?: number;
}

/**
 * Progress of loading and generating, only when they take long: on a terminal a live line after 2 s, in a log
 * (CI, a pipe) a plain line after 5 s and then every 10 s, so a big suite is not silent and a small one adds nothing.
 */
export function createPreparationProgress(
  sink: ProgressSink,
  {
    now = Date.now,
    quietMs = sink.isTTY ? 2000 : 5000,
    intervalMs = sink.isTTY ? 200 : 10_000,
    bigInputBytes = 1_000_000,
  }: PreparationProgressOptions = {},
): PreparationProgress {
  const count = (n: number) => n.toLocaleString('en');
  let started: number | undefined;
  let lastWritten: number | undefined;
  // The live line on a terminal, to be rewritten or ended.
  let live = '';
  const say = (line: string, last: boolean) => {
    if (sink.isTTY) {
      sink.write(`\r${line.padEnd(live.length)}${last ? '\n' : ''}`);
      live = last ? '' : line;
    } else sink.write(`${line}\n`);
  };
  return {
    loading(files, bytes) {
      if (bytes < bigInputBytes) return;
      const size = `${(bytes / 1_000_000).toFixed(1)} MB`;
      sink.write(`Loading user cases: ${size} in ${count(files)} file${files === 1 ? '' : 's'}…\n`);
    },
    generating(done, total) {
      const time = now();
      started ??= time;
      if (done >= total) {
        // The end is worth a line only where the way there was shown.
        if (lastWritten !== undefined) {
          const seconds = Math.round((time - started) / 1000);
          say(`Generating tests: ${count(done)} of ${count(total)} steps, done in ${seconds} s`, true);
        }
        started = undefined;
        lastWritten = undefined;
        return;
      }
      if (time - started < quietMs) return;
      if (lastWritten !== undefined && time - lastWritten < intervalMs) return;
      lastWritten = time;
      say(`Generating tests: ${count(done)} of ${count(total)} steps…`, false);
    },
    finish() {
      if (live) sink.write('\n');
      live = '';
    },
  };
}
