// A browser case's page reaches the target and nothing else: every way a page has of sending something elsewhere is
// tried against a real Chromium, and a second loopback server on another port (the "outside") counts what arrives.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RunResult, TestCase, UiStep } from '../../src/cases/index.ts';
import { runTestCases } from '../../src/run/index.ts';
import { originOf } from '../support/cases.ts';

const BROWSER = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CASE_TIMEOUT_MS = 10_000;

interface Server {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Answers a WebSocket handshake and says "hello": enough for a page to see its socket open and hear from it. */
function acceptWebSocket(request: http.IncomingMessage, socket: Duplex): void {
  const accept = createHash('sha1')
    .update(`${request.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
    .digest('base64');
  socket.on('error', () => {});
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  socket.write(Buffer.from([0x81, 5, ...Buffer.from('hello')]));
}

async function listen(
  handler: http.RequestListener,
  onConnection: (socket: Socket) => void = () => {},
): Promise<Server> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  server.on('upgrade', acceptWebSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // WebSockets are no longer HTTP connections to the server: they are ended here, not by closeAllConnections.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// The outside: anything that arrives here, a TCP connection, a request, a WebSocket handshake or a UDP datagram
// (WebRTC's STUN), is an escape.
let outside: Server;
let udp: dgram.Socket;
const arrived: string[] = [];
let target: Server;
const visits = new Map<string, number>();

/** A page that, when its attempt is over, shows `#done` so that the case's last step can wait for it. */
const page = (body: string) =>
  `<!doctype html><title>page</title><script>const done = (text) => document.body.insertAdjacentHTML('beforeend', '<p id=done>' + text + '</p>')</script><body>${body}`;

/** The target's pages, each trying one way out; `O` is the outside origin. */
function targetPage(
  url: URL,
  O: string,
): { status?: number; type?: string; headers?: object; body?: string } {
  const path = url.pathname;
  const script = (code: string) => ({ type: 'text/javascript', body: code });
  switch (path) {
    case '/redirect-out':
      return { status: 302, headers: { location: `${O}/by-redirect` } };
    case '/link':
      return { body: page('<a id=go href="/redirect-out">Next</a>') };
    case '/img-redirect':
      return { body: page(`<img src="/redirect-out" onerror="done('img')" onload="done('img')">`) };
    case '/fetch-redirect':
      return {
        body: page(`<script>fetch('/redirect-out').then(() => done('ok'), () => done('no'))</script>`),
      };
    case '/websocket':
      return {
        body: page(
          `<script>const w = new WebSocket('ws://127.0.0.1:${new URL(O).port}/by-websocket');` +
            `w.onopen = () => done('open'); w.onclose = () => done('closed')</script>`,
        ),
      };
    case '/worker-websocket.js':
      // A worker's WebSocket is not the page's: whatever Playwright puts into the page does not reach it.
      return script(
        `const w = new WebSocket('ws://127.0.0.1:${new URL(O).port}/by-worker-websocket');` +
          `w.onopen = w.onclose = () => postMessage('over')`,
      );
    case '/worker-websocket':
      return {
        body: page(`<script>new Worker('/worker-websocket.js').onmessage = () => done('worker')</script>`),
      };
    case '/worker.js':
      return script(`fetch('${O}/by-worker').then(() => postMessage('ok'), () => postMessage('no'))`);
    case '/worker':
      return { body: page(`<script>new Worker('/worker.js').onmessage = (m) => done(m.data)</script>`) };
    case '/blob-worker':
      return {
        body: page(
          `<script>const code = "fetch('${O}/by-blob-worker').then(() => postMessage('ok'), () => postMessage('no'))";` +
            `new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' }))).onmessage = (m) => done(m.data)</script>`,
        ),
      };
    case '/shared-worker.js':
      return script(
        `onconnect = (e) => { const port = e.ports[0]; ` +
          `fetch('${O}/by-shared-worker').then(() => port.postMessage('ok'), () => port.postMessage('no')) }`,
      );
    case '/shared-worker':
      return {
        body: page(
          `<script>const s = new SharedWorker('/shared-worker.js'); s.port.onmessage = (m) => done(m.data); s.port.start()</script>`,
        ),
      };
    case '/sw.js':
      // Installing waits for the fetch, so the page hears "ready" only once the attempt is over.
      return script(
        `addEventListener('install', (e) => e.waitUntil(fetch('${O}/by-service-worker').catch(() => {})))`,
      );
    case '/service-worker':
      return {
        body: page(
          `<script>navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready)` +
            `.then(() => done('ready'), () => done('refused'))</script>`,
        ),
      };
    case '/img':
      return { body: page(`<img src="${O}/by-img" onerror="done('img')" onload="done('img')">`) };
    case '/fetch':
      return {
        body: page(`<script>fetch('${O}/by-fetch').then(() => done('ok'), () => done('no'))</script>`),
      };
    case '/iframe':
      return { body: page(`<iframe src="${O}/by-iframe" onload="done('frame')"></iframe>`) };
    case '/window-open':
      return {
        body: page(
          `<script>window.open('${O}/by-window-open'); setTimeout(() => done('opened'), 300)</script>`,
        ),
      };
    case '/meta-refresh':
      return { body: `<meta http-equiv=refresh content="0;url=${O}/by-meta-refresh"><p id=done>leaving</p>` };
    case '/beacon':
      return { body: page(`<script>navigator.sendBeacon('${O}/by-beacon', 'x'); done('sent')</script>`) };
    case '/event-source':
      return {
        body: page(`<script>new EventSource('${O}/by-event-source').onerror = () => done('no')</script>`),
      };
    case '/form-post':
      return {
        body: page(
          `<form id=f method=post action="${O}/by-form"><input name=a value=1></form><script>f.submit()</script>`,
        ),
      };
    case '/webrtc':
      return {
        body: page(
          `<script>const port = ${new URL(O).port};` +
            `const p = new RTCPeerConnection({ iceServers: [{ urls: ['stun:127.0.0.1:' + port, ` +
            `'turn:127.0.0.1:' + port + '?transport=tcp', 'turn:127.0.0.1:' + port + '?transport=udp'], ` +
            `username: 'u', credential: 'c' }] });` +
            `p.onicegatheringstatechange = () => p.iceGatheringState === 'complete' && done('gathered');` +
            `p.createDataChannel('x'); p.createOffer().then((o) => p.setLocalDescription(o));` +
            `setTimeout(() => done('waited'), 3000)</script>`,
        ),
      };
    case '/once':
      // Reaches out on the first visit only: a retry that passes must not wash the first attempt out.
      return {
        body: page(
          visits.get('/once') === 1
            ? `<img src="${O}/by-first-visit" onerror="done('1')">`
            : `<script>done('2')</script>`,
        ),
      };
    case '/redirect-to':
      return { status: 302, headers: { location: url.searchParams.get('to') } };
    case '/echo':
      return {
        body: page(
          `${url.searchParams.get('html')}<script>addEventListener('load', () => done('loaded'))</script>`,
        ),
      };
    case '/here':
      return { status: 302, headers: { location: '/landing' } };
    case '/landing':
      return { body: page('<h1>Landed</h1>') };
    case '/own-websocket':
      return {
        body: page(
          `<script>const w = new WebSocket('ws://' + location.host + '/socket');` +
            `w.onmessage = (m) => done(m.data); w.onclose = () => done('closed')</script>`,
        ),
      };
    default:
      return { status: 404, body: 'no such page' };
  }
}

beforeAll(async () => {
  outside = await listen(
    (request, response) => {
      arrived.push(`${request.method} ${request.url}`);
      response.end('<h1>outside</h1>');
    },
    () => arrived.push('a TCP connection'),
  );
  udp = dgram.createSocket('udp4');
  udp.on('message', () => arrived.push('a UDP datagram'));
  await new Promise<void>((resolve) => udp.bind(outside.port, '127.0.0.1', resolve));
  target = await listen((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    visits.set(url.pathname, (visits.get(url.pathname) ?? 0) + 1);
    const answer = targetPage(url, outside.url);
    response.writeHead(answer.status ?? 200, {
      'content-type': answer.type ?? 'text/html; charset=utf-8',
      ...answer.headers,
    });
    response.end(answer.body ?? '');
  });
});
afterAll(async () => {
  await Promise.all([
    outside.close(),
    target.close(),
    new Promise<void>((resolve) => udp.close(() => resolve())),
  ]);
});

let ids = 0;
const uiCase = (steps: UiStep[]): TestCase => ({
  id: `tc_${(++ids).toString(16).padStart(12, '0')}`,
  title: `ui ${steps[0]?.target}`,
  kind: 'ui',
  priority: 'high',
  tags: [],
  origin: originOf(`ui ${steps[0]?.target}`),
  steps,
});

/** The case a user would write: open the page, wait until it has done what it does. */
const visit = (path: string, ...more: UiStep[]): TestCase =>
  uiCase([{ action: 'goto', target: path }, ...more, { action: 'expectVisible', target: '#done' }]);

const run = (cases: TestCase[], retries = 0) =>
  runTestCases(cases, {
    target: new URL(target.url),
    concurrency: 2,
    timeoutMs: CASE_TIMEOUT_MS,
    retries,
    browserPath: BROWSER,
  });

const refusal = (result: RunResult) => result.failures.find((f) => f.check === 'page_stays_on_target');
const port = () => outside.port;

/** Each way out: the case, and what the failure must name as refused. */
const ESCAPES: [string, () => TestCase, () => string][] = [
  [
    'a navigation that answers 302 to another port',
    () => visit('/redirect-out'),
    () => `${outside.url}/by-redirect`,
  ],
  [
    'a link whose target redirects to another port',
    () =>
      uiCase([
        { action: 'goto', target: '/link' },
        { action: 'click', target: '#go' },
        { action: 'expectUrl', value: '/by-redirect' },
      ]),
    () => `${outside.url}/by-redirect`,
  ],
  ['an image whose source redirects out', () => visit('/img-redirect'), () => `${outside.url}/by-redirect`],
  ['a fetch that is redirected out', () => visit('/fetch-redirect'), () => `${outside.url}/by-redirect`],
  ['a WebSocket to another port', () => visit('/websocket'), () => `ws://127.0.0.1:${port()}/by-websocket`],
  [
    'a WebSocket opened by a worker',
    () => visit('/worker-websocket'),
    () => `a connection to 127.0.0.1:${port()}`,
  ],
  ['a fetch from a dedicated worker', () => visit('/worker'), () => `${outside.url}/by-worker`],
  [
    'a fetch from a worker made of a blob',
    () => visit('/blob-worker'),
    () => `${outside.url}/by-blob-worker`,
  ],
  ['a fetch from a shared worker', () => visit('/shared-worker'), () => `${outside.url}/by-shared-worker`],
  ['a fetch from a service worker', () => visit('/service-worker'), () => `${outside.url}/by-service-worker`],
  ['an image from another origin', () => visit('/img'), () => `${outside.url}/by-img`],
  ['a fetch to another origin', () => visit('/fetch'), () => `${outside.url}/by-fetch`],
  ['an iframe of another origin', () => visit('/iframe'), () => `${outside.url}/by-iframe`],
  ['window.open of another origin', () => visit('/window-open'), () => `${outside.url}/by-window-open`],
  ['a meta refresh to another origin', () => visit('/meta-refresh'), () => `${outside.url}/by-meta-refresh`],
  ['navigator.sendBeacon', () => visit('/beacon'), () => `${outside.url}/by-beacon`],
  ['an EventSource', () => visit('/event-source'), () => `${outside.url}/by-event-source`],
  [
    'a form posted to another origin',
    () =>
      uiCase([
        { action: 'goto', target: '/form-post' },
        { action: 'expectUrl', value: '/by-form' },
      ]),
    () => `${outside.url}/by-form`,
  ],
  [
    'WebRTC through a TURN server on another port',
    () => visit('/webrtc'),
    () => `a connection to 127.0.0.1:${port()}`,
  ],
];

describe('a browser case is held to the target', () => {
  let results: RunResult[];
  beforeAll(async () => {
    results = await run(ESCAPES.map(([, build]) => build()));
  }, 300_000);

  it.each(ESCAPES.map(([name], index) => [name, index] as const))(
    'stops %s, and fails the case naming what was refused and why',
    (_name, index) => {
      const result = results[index]!;
      const refused = ESCAPES[index]![2]();
      expect(result.status).toBe('failed');
      expect(refusal(result)?.message).toMatch(
        /^the page tried to reach outside the target, and was stopped: /,
      );
      expect(refusal(result)?.message).toContain(`${refused} (another port or scheme of the target host)`);
      // The refusal leads: a step that failed after it most likely failed because of it.
      expect(result.failures[0]).toBe(refusal(result));
    },
  );

  it('lets nothing reach the other origin: no connection, no request, no WebSocket, no UDP', () => {
    expect(arrived).toEqual([]);
  });

  it('keeps redirects and WebSockets that stay on the target working', async () => {
    const [redirected, socket] = await run([
      uiCase([
        { action: 'goto', target: '/here' },
        { action: 'expectText', target: 'h1', value: 'Landed' },
        { action: 'expectUrl', value: '/landing' },
      ]),
      uiCase([
        { action: 'goto', target: '/own-websocket' },
        { action: 'expectText', target: '#done', value: 'hello' },
      ]),
    ]);
    expect([redirected!.status, redirected!.failures]).toEqual(['passed', []]);
    expect([socket!.status, socket!.failures]).toEqual(['passed', []]);
  });

  it('never washes an escape out with a retry that passes', async () => {
    const [result] = await run([visit('/once')], 1);
    expect(result!.status).toBe('failed');
    expect(result!.passedOnAttempt).toBe(2);
    expect(refusal(result!)?.message).toContain(`${outside.url}/by-first-visit`);
    expect(arrived).toEqual([]);
  });

  it('stops every spelling of another origin that a redirect can name', async () => {
    // Hosts the URL parser turns into the outside's address, or other loopback names for it. (With a user and
    // password in it, Chromium itself refuses to load a subresource, so there would be nothing to see.)
    const spelling = fc.constantFrom(
      `http://127.0.0.1:${port()}`,
      `HTTP://127.0.0.1:${port()}`,
      `http://localhost:${port()}`,
      `http://127.1:${port()}`,
      `http://0x7f.0.0.1:${port()}`,
      `http://2130706433:${port()}`,
      `http://127.0.0.1.:${port()}`,
      `//127.0.0.1:${port()}`,
      `http:\\\\127.0.0.1:${port()}`,
    );
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(spelling, { minLength: 1, maxLength: 4 }), async (locations) => {
        const html = locations
          .map(
            (location, i) => `<img src="/redirect-to?to=${encodeURIComponent(`${location}/spelling-${i}`)}">`,
          )
          .join('');
        const [result] = await run([
          uiCase([
            { action: 'goto', target: `/echo?html=${encodeURIComponent(html)}` },
            { action: 'expectVisible', target: '#done' },
          ]),
        ]);
        expect(result!.status).toBe('failed');
        for (const i of locations.keys()) expect(refusal(result!)?.message).toMatch(`/spelling-${i} (`);
        expect(arrived).toEqual([]);
      }),
      { numRuns: 3 },
    );
  });
});

describe("a browser case's own steps", () => {
  it('refuses a goto outside the target as an error of the case, before the browser opens anything', async () => {
    const outsideUrl = fc.oneof(
      fc.constantFrom(
        'file:///etc/passwd',
        'file:///proc/self/environ',
        'javascript:alert(1)',
        'data:text/html,<h1>x</h1>',
        'chrome://version',
        'http://169.254.169.254/latest/meta-data/',
      ),
      fc.webPath().map((path) => `http://127.0.0.1:${port()}${path}`),
      fc.webUrl().filter((url) => new URL(url).origin !== target.url),
    );
    await fc.assert(
      fc.asyncProperty(outsideUrl, async (url) => {
        const [result] = await run([uiCase([{ action: 'goto', target: url }])]);
        expect(result!.status).toBe('error');
        expect(result!.error).toMatch(
          /^steps\[0\] goto .*: refused to open .* \(.+\); only http:\/\/127\.0\.0\.1:\d+ may be reached$/,
        );
      }),
      { numRuns: 40 },
    );
    expect(arrived).toEqual([]);
  });
});
