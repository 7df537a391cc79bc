// One headless Chromium for a whole run, launched when the first UI case needs it.
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

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
      launched ??= chromium.launch({ executablePath, args: CHROMIUM_ARGS }).catch((error: unknown) => {
        launched = undefined;
        throw new Error(
          `cannot start the browser at ${executablePath}: ${(error as Error).message.split('\n')[0]}`,
        );
      });
      return launched;
    },
    async close() {
      const browser = await launched?.catch(() => undefined);
      launched = undefined;
      await browser?.close();
    },
  };
}
