// The browser's proxy faces two parties it cannot trust to behave: the browser (a page can make it open and drop
// connections at will) and the target. Either may reset a connection at any point; the proxy must shrug it off,
// never let it become an uncaught error of the run, and never leave the other side waiting.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startOriginProxy } from '../../src/run/ui/origin-proxy.ts';
import type { OriginProxy } from '../../src/run/ui/origin-proxy.ts';

let target: http.Server;
let resetter: net.Server;
let proxy: OriginProxy;
let targetPort: number;
let resetterPort: number;
let proxyPort: number;
const refused: string[] = [];

beforeAll(async () => {
  target = http.createServer((request, response) => {
    if (request.url === '/cut') {
      // Promises 100 bytes, sends 10, and drops the connection.
      response.writeHead(200, { 'content-length': '100' });
      response.write('0123456789', () => response.socket?.resetAndDestroy());
      return;
    }
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  // Resets every connection as soon as it is made.
  resetter = net.createServer((socket) => socket.resetAndDestroy());
  await Promise.all([
    new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve)),
    new Promise<void>((resolve) => resetter.listen(0, '127.0.0.1', resolve)),
  ]);
  targetPort = (target.address() as AddressInfo).port;
  resetterPort = (resetter.address() as AddressInfo).port;
  const allowed = [new URL(`http://127.0.0.1:${targetPort}`), new URL(`http://127.0.0.1:${resetterPort}`)];
  proxy = await startOriginProxy(allowed, (what) => refused.push(what));
  proxyPort = Number(new URL(proxy.server).port);
});

afterAll(async () => {
  await proxy.close();
  target.closeAllConnections();
  await Promise.all([
    new Promise((resolve) => target.close(resolve)),
    new Promise((resolve) => resetter.close(resolve)),
  ]);
});

/** A GET through the proxy, as a browser sends it: the absolute URL on the request line. */
function viaProxy(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port: proxyPort, path: `http://127.0.0.1:${targetPort}${path}` },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
        response.on('error', reject);
        response.on('aborted', () => reject(new Error('aborted')));
      },
    );
    request.on('error', reject);
  });
}

/** What a hostile page can make the browser send the proxy, in full. */
const openings = () => ({
  refusedTunnel: 'CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\nhello',
  tunnel: `CONNECT 127.0.0.1:${targetPort} HTTP/1.1\r\nhost: 127.0.0.1:${targetPort}\r\n\r\nGET / HTTP/1.1\r\n`,
  tunnelToReset: `CONNECT 127.0.0.1:${resetterPort} HTTP/1.1\r\n\r\n`,
  refusedRequest: 'GET http://example.com/ HTTP/1.1\r\nhost: example.com\r\n\r\n',
  request:
    `POST http://127.0.0.1:${targetPort}/ HTTP/1.1\r\nhost: 127.0.0.1:${targetPort}\r\n` +
    'content-length: 1000\r\n\r\nsome of the body',
  notHttp: '\u0000\u00ff\r\n\r\nCONNECT\r\n',
});

/**
 * Sends the first `cut` characters of an opening and resets the connection: at once, or when the proxy first
 * answers (a refusal, "Connection Established", a status line), whichever the case asks.
 */
function sendAndReset(text: string, cut: number, when: 'sent' | 'answered'): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(proxyPort, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('close', () => resolve());
    socket.on('connect', () => {
      socket.write(text.slice(0, cut), () => {
        if (when === 'sent') socket.resetAndDestroy();
      });
      if (when === 'answered') {
        socket.once('data', () => socket.resetAndDestroy());
        // The proxy waits for the rest of a cut request: reset after a moment anyway.
        setTimeout(() => socket.resetAndDestroy(), 50);
      }
    });
  });
}

describe('the origin proxy under connections that are reset', () => {
  it('survives a browser that resets any connection at any point, and goes on serving', async () => {
    const kinds = Object.keys(openings()) as (keyof ReturnType<typeof openings>)[];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...kinds),
        fc.nat({ max: 200 }),
        fc.constantFrom('sent' as const, 'answered' as const),
        async (kind, cut, when) => {
          const text = openings()[kind];
          await sendAndReset(text, Math.min(cut, text.length), when);
        },
      ),
      { numRuns: 120 },
    );
    // A process-wide error would have failed this file; the proxy is also still there for the next request.
    await expect(viaProxy('/')).resolves.toEqual({ status: 200, body: 'ok' });
    expect(refused).toContain('a connection to example.com:443');
  });

  it('cuts off the browser when the target cuts off its answer, rather than leaving it waiting', async () => {
    await expect(viaProxy('/cut')).rejects.toThrow();
    await expect(viaProxy('/')).resolves.toEqual({ status: 200, body: 'ok' });
  });

  it('closes the browser side of a tunnel whose target resets it', async () => {
    const socket = net.connect(proxyPort, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.write(`CONNECT 127.0.0.1:${resetterPort} HTTP/1.1\r\n\r\n`);
    await new Promise((resolve) => socket.on('close', resolve));
    expect(answer).toBe('HTTP/1.1 200 Connection Established\r\n\r\n');
  });
});
