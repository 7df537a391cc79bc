// One headless Chromium for a whole run, launched when the first UI case needs it. Launched once: when the machine
// cannot start it, every UI case learns so at once (as an EnvironmentError), not after a launch attempt each.
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { EnvironmentError, unrunnableReason } from '../environment.ts';

/** Flags that keep Chromium quiet on a machine with no network but the target, and inside the origin guard. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebRTC's UDP (STUN, TURN) goes around any proxy, so around the origin guard's too: only proxied WebRTC is left,
  // and the proxy refuses it.
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
];

export interface BrowserPool {
  get(): Promise<Browser>;
  close(): Promise<void>;
}

export function browserPool(executablePath: string): BrowserPool {
  let launched: Promise<Browser> | undefined;
  return {
    get() {
      launched ??= launch(executablePath);
      return launched;
    },
    async close() {
      const browser = await launched?.catch(() => undefined);
      launched = undefined;
      await browser?.close();
    },
  };
}

/**
 * Starts the browser. Only a failure to start is the machine's problem (no executable, not one, or one that exits
 * at once); a page that breaks later is the service's, and is judged by the case.
 */
async function launch(executablePath: string): Promise<Browser> {
  const unrunnable = unrunnableReason(executablePath);
  if (unrunnable === 'missing')
    throw new EnvironmentError('browser', `there is no browser at ${executablePath}`);
  if (unrunnable === 'not-executable') {
    throw new EnvironmentError('browser', `the browser at ${executablePath} is not an executable file`);
  }
  try {
    return await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new EnvironmentError(
      'browser',
      `the browser at ${executablePath} cannot start (${launchFailure((error as Error).message)})`,
    );
  }
}

/**
 * What a failed launch says that a person can act on. Playwright's first line is mostly "Target page, context or
 * browser has been closed"; the browser's own first line on stderr ("error while loading shared libraries: …")
 * and its exit code say why.
 */
function launchFailure(message: string): string {
  const said = /^\[pid=\d+\]\[err\] (.+)$/m.exec(message)?.[1]?.trim();
  const code = /<process did exit: exitCode=(\d+)/.exec(message)?.[1];
  const first = message.split('\n')[0]!.replace(/^browserType\.launch: /, '');
  const why = said ?? first;
  const text = code !== undefined ? `it exited with code ${code}: ${why}` : why;
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
