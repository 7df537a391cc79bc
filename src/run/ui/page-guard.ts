// Holds everything a page of a UI case does to the allowed origins: navigations, redirects, subresources, fetches,
// beacons, WebSockets, workers, popups and frames. Two layers, because neither alone is enough:
// - Playwright's routing names each refused request by its URL, but does not see redirect hops, WebSockets or what
//   a shared worker fetches;
// - the context's only way out is an origin proxy (origin-proxy.ts) that connects to the allowed origins and to
//   nothing else, so whatever routing misses still never reaches another host.
// Service workers are allowed: routing sees what they fetch (Playwright's `serviceWorkers: 'block'` would not stop
// them in Chromium, only hide their requests from routing), and the proxy holds them like everything else.
import type { BrowserContext, BrowserContextOptions } from 'playwright-core';
import { outsideReason } from '../origin-guard.ts';
import { startOriginProxy } from './origin-proxy.ts';

/**
 * Chromium's own services (autofill field types on any page with a form, for one) are refused like anything else,
 * but they are the browser's requests, not the page's: the case does not fail for them. What a page itself sends to
 * these hosts is seen by routing, which names it, and fails the case.
 */
const CHROMIUM_SERVICES = /(^|\.)(googleapis|google|gstatic)\.com$/i;

/** URLs that never touch the network: the page's own data, blobs and blank documents. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

export interface PageGuard {
  /** To spread into `browser.newContext(...)`. */
  contextOptions: BrowserContextOptions;
  /** Routes the context's requests and WebSockets through the guard. */
  attach(context: BrowserContext): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a guard for one browser context. `onRefused` hears each request stopped, as "what it tried to reach
 * (why)", with the reason from the origin guard that the HTTP runner uses too.
 */
export async function startPageGuard(
  allowed: readonly URL[],
  onRefused: (refusal: string) => void,
): Promise<PageGuard> {
  const refuse = (what: string, reason: string) => onRefused(`${what} (${reason})`);
  const proxy = await startOriginProxy(allowed, (what, reason, host) => {
    if (!CHROMIUM_SERVICES.test(host)) refuse(what, reason);
  });
  return {
    contextOptions: { proxy: { server: proxy.server } },
    async attach(context) {
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        const reason = LOCAL_SCHEMES.has(url.protocol) ? undefined : outsideReason(url, allowed);
        if (!reason) return route.continue();
        refuse(url.href, reason);
        return route.abort('blockedbyclient');
      });
      // Only WebSockets that would leave are routed, and closed before they connect; the others go straight through.
      // This names the refused URL; the proxy, which sees only a host and port, is what makes the refusal certain.
      await context.routeWebSocket(
        (url) => outsideReason(asHttp(url), allowed) !== undefined,
        (socket) => {
          refuse(socket.url(), outsideReason(asHttp(new URL(socket.url())), allowed)!);
          return socket.close({ code: 1008, reason: 'Gauntlet: outside the target' });
        },
      );
    },
    close: () => proxy.close(),
  };
}

/** A WebSocket URL as the HTTP URL of the same origin: a page may talk to its own origin over either. */
function asHttp(url: URL): URL {
  const copy = new URL(url.href);
  if (copy.protocol === 'ws:') copy.protocol = 'http:';
  else if (copy.protocol === 'wss:') copy.protocol = 'https:';
  return copy;
}
