// What a case needs of the machine (a browser, k6) and the error that says the machine lacks it: such a case is
// reported as not run, with how to fix the machine, and never as a finding about the service.
import { accessSync, constants, statSync } from 'node:fs';
import type { NotRun } from '../cases/index.ts';

export type EnvironmentNeed = NotRun['need'];

/** How to provide each need, said once per run on the command line and in the reports. */
export const NEED_FIXES: Record<EnvironmentNeed, string> = {
  browser:
    'Install Chromium (on Debian or Ubuntu: `sudo apt-get install chromium`), or point CHROMIUM_PATH or ' +
    '`browser:` in gauntlet.yml at one.',
  k6:
    'Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/), or set `loadEngine: auto` in ' +
    'gauntlet.yml to measure load with autocannon when k6 is absent.',
};

/** The machine lacks what a case needs; `message` says what is missing, in words a person can act on. */
export class EnvironmentError extends Error {
  readonly need: EnvironmentNeed;

  constructor(need: EnvironmentNeed, message: string) {
    super(message);
    this.need = need;
  }

  get notRun(): NotRun {
    return { reason: 'environment', need: this.need, fix: NEED_FIXES[this.need] };
  }
}

/** Why a file cannot be run as a program: missing, a folder, or not executable; undefined when it can. */
export function unrunnableReason(file: string): 'missing' | 'not-executable' | undefined {
  try {
    if (!statSync(file).isFile()) return 'not-executable';
  } catch {
    return 'missing';
  }
  try {
    accessSync(file, constants.X_OK);
    return undefined;
  } catch {
    return 'not-executable';
  }
}
