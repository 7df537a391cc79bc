// The browser's only way out: a forward proxy, one per UI case, that connects to the allowed origins and to nothing
// else. Playwright's routing does not see every request (redirect hops, WebSockets, shared workers, connections
// Chromium opens ahead of time); the proxy sits under all of them, so whatever routing misses still cannot leave.
// Chromium sends plain HTTP here as absolute-URL requests, and HTTPS and WebSockets as CONNECT tunnels.
import http from 'node:http';
import net from 'node:net';
import { pipeline } from 'node:stream';
import type { Duplex } from 'node:stream';
import { outsideReason } from '../origin-guard.ts';

export interface OriginProxy {
  /** `http://127.0.0.1:<port>`, for the browser context's `proxy.server`. */
  server: string;
  close(): Promise<void>;
}

/**
 * Hears each refused request: what it tried to reach ("http://host/path", or "a connection to host:port" for a
 * tunnel, whose path the proxy never sees), why, and the host.
 */
export type OnRefused = (what: string, reason: string, host: string) => void;

// Headers that describe one connection, not the message; a proxy must not pass them on.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export async function startOriginProxy(allowed: readonly URL[], onRefused: OnRefused): Promise<OriginProxy> {
  const agent = new http.Agent({ keepAlive: true });
  const sockets = new Set<Duplex>();
  const track = (socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server = http.createServer((request, response) => {
    const url = absoluteUrl(request.url);
    const reason = url ? outsideReason(url, allowed) : 'not a proxy request';
    if (!url || reason) {
      onRefused(url?.href ?? String(request.url), reason!, url?.hostname ?? '');
      response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`Gauntlet stopped this request: ${request.url} (${reason})\n`);
      return;
    }
    const upstream = http.request(
      url,
      { method: request.method, headers: forwardedHeaders(request.rawHeaders), agent },
      (answer) => {
        response.writeHead(
          answer.statusCode ?? 502,
          answer.statusMessage,
          forwardedHeaders(answer.rawHeaders),
        );
        // An answer cut off upstream cuts off the browser's too, rather than leaving it waiting for the rest.
        pipeline(answer, response, () => {});
      },
    );
    upstream.on('error', () => {
      if (response.headersSent) response.destroy();
      else response.writeHead(502).end();
    });
    request.pipe(upstream);
  });

  // CONNECT host:port carries HTTPS and, through a proxy, every WebSocket; only the authority can be checked, and it
  // is allowed when it is an allowed origin's under either scheme.
  server.on('connect', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    track(socket);
    // The server hands the socket over without its own error listener: a browser that resets the connection (as it
    // does on the refusal) must not become an uncaught error of the whole run.
    socket.on('error', () => socket.destroy());
    const authority = String(request.url);
    const asHttp = authorityUrl('http', authority);
    const asHttps = authorityUrl('https', authority);
    const reason =
      asHttp && asHttps
        ? outsideReason(asHttps, allowed) && outsideReason(asHttp, allowed)
        : 'not a host and port';
    if (!asHttp || reason) {
      onRefused(`a connection to ${authority}`, reason!, asHttp?.hostname ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    tunnel(socket, asHttp.hostname, portOf(asHttp), head);
  });

  server.on('connection', track);
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };

  function tunnel(client: Duplex, host: string, port: number, first: Buffer): void {
    const upstream = net.connect(port, host.replace(/^\[|\]$/g, ''), () => {
      if (first.length > 0) upstream.write(first);
      client.pipe(upstream).pipe(client);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  }
}

function absoluteUrl(raw: string | undefined): URL | undefined {
  if (!raw || !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return undefined;
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** `host:port` as a URL of `scheme`, or undefined when it is anything more than a host and a port. */
function authorityUrl(scheme: 'http' | 'https', authority: string): URL | undefined {
  const url = absoluteUrl(`${scheme}://${authority}`);
  if (!url || url.username || url.password || url.pathname !== '/' || url.search || url.hash)
    return undefined;
  if (!/:\d+$/.test(authority)) return undefined;
  return url;
}

function portOf(url: URL): number {
  return Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
}

function forwardedHeaders(raw: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2)
    if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) kept.push(raw[i]!, raw[i + 1]!);
  return kept;
}
