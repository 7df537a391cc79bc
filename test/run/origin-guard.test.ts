// The origin guard: only the allowed origins pass, and a refused address is named for what it is however it is
// written (decimal, hex, IPv4-mapped IPv6, trailing dot). Ranges are checked at both edges, inside and out.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutsideTargetError, send } from '../../src/run/http.ts';
import { assertInsideTarget, outsideReason } from '../../src/run/origin-guard.ts';

const METADATA = 'a cloud metadata address';
const LOOPBACK = 'a loopback address that is not the target';
const UNSPECIFIED = 'the unspecified address, which reaches this machine';
const PRIVATE = 'a private network address';
const OTHER = 'another host';
const SAME_HOST = 'another port or scheme of the target host';

const TARGET = new URL('http://127.0.0.1:4100');
// Named so that no address below is its host: "another port of the target host" would hide what the address is.
const NAMED_TARGET = new URL('http://gauntlet.test:4100');
const reasonFor = (href: string, allowed: readonly URL[] = [NAMED_TARGET]) =>
  outsideReason(new URL(href), allowed);

// The specification, first match wins: [first address, last address, reason].
const IPV4_RANGES: readonly [string, string, string][] = [
  ['169.254.169.254', '169.254.169.254', METADATA],
  ['100.100.100.200', '100.100.100.200', METADATA],
  ['127.0.0.0', '127.255.255.255', LOOPBACK],
  ['0.0.0.0', '0.0.0.0', UNSPECIFIED],
  ['0.0.0.0', '0.255.255.255', PRIVATE],
  ['10.0.0.0', '10.255.255.255', PRIVATE],
  ['100.64.0.0', '100.127.255.255', PRIVATE],
  ['169.254.0.0', '169.254.255.255', PRIVATE],
  ['172.16.0.0', '172.31.255.255', PRIVATE],
  ['192.168.0.0', '192.168.255.255', PRIVATE],
];

const toNumber = (dotted: string): number =>
  dotted.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
const toDotted = (n: number): string =>
  [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
const expectedFor = (n: number): string =>
  IPV4_RANGES.find(([first, last]) => n >= toNumber(first) && n <= toNumber(last))?.[2] ?? OTHER;
const ipv4 = fc.integer({ min: 0, max: 2 ** 32 - 1 });

describe('the origin guard lets through exactly the allowed origins', () => {
  const origin = fc.constantFrom(
    'http://127.0.0.1:4100',
    'https://127.0.0.1:4100',
    'http://localhost:3000',
    'https://api.example.com',
    'http://[::1]:8080',
    'http://10.0.0.5',
  );
  const rest = fc.record({
    path: fc.webPath(),
    query: fc.webQueryParameters(),
    user: fc.string(),
    fragment: fc.webFragments(),
  });

  it('lets a URL of any allowed origin through, wherever that origin is in the list', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(origin, { minLength: 1, maxLength: 4 }),
        fc.nat(),
        rest,
        (origins, pick, parts) => {
          const allowed = origins.map((href) => new URL(href));
          const chosen = allowed[pick % allowed.length]!;
          const url = new URL(chosen);
          Object.assign(url, {
            pathname: parts.path,
            search: parts.query,
            hash: parts.fragment,
            username: parts.user,
          });
          expect(outsideReason(url, allowed)).toBeUndefined();
          expect(() => assertInsideTarget(url, allowed)).not.toThrow();
        },
      ),
    );
  });

  it('refuses a URL of any other origin, and the error names every allowed origin', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(origin, { minLength: 1, maxLength: 3 }),
        fc.webUrl({ validSchemes: ['http', 'https'], withQueryParameters: true }),
        (origins, href) => {
          const allowed = origins.map((o) => new URL(o));
          const url = new URL(href);
          fc.pre(!allowed.some((o) => o.origin === url.origin));
          const reason = outsideReason(url, allowed);
          expect(reason).toEqual(expect.any(String));
          expect(() => assertInsideTarget(url, allowed)).toThrow(
            new OutsideTargetError(
              `refused to send a request to ${url.href} (${reason}); only ${origins.join(', ')} may be reached`,
            ),
          );
        },
      ),
    );
  });

  it('says what was refused in the words of the caller', () => {
    const allowed = [TARGET, new URL('https://api.example.com')];
    expect(() =>
      assertInsideTarget(new URL('http://169.254.169.254/latest'), allowed, 'follow a redirect to'),
    ).toThrow(
      'refused to follow a redirect to http://169.254.169.254/latest (a cloud metadata address); ' +
        'only http://127.0.0.1:4100, https://api.example.com may be reached',
    );
  });

  it.each([
    'file:///etc/passwd',
    'ftp://127.0.0.1:4100/',
    'data:text/plain,x',
    'javascript:alert(1)',
    'blob:x',
  ])('refuses %s whatever its host, naming its scheme', (href) => {
    const url = new URL(href);
    // Even with its own origin allowed, a scheme other than http(s) is refused.
    const allowed = [TARGET, ...(url.origin === 'null' ? [] : [new URL(url.origin)])];
    expect(outsideReason(url, allowed)).toBe(`a ${url.protocol} URL`);
  });

  it('calls the target host on another port or scheme by that name, for any allowed origin', () => {
    const allowed = [TARGET, new URL('https://api.example.com')];
    expect(reasonFor('https://127.0.0.1:4100/', allowed)).toBe(SAME_HOST);
    expect(reasonFor('http://127.0.0.1:4101/', allowed)).toBe(SAME_HOST);
    expect(reasonFor('http://api.example.com/', allowed)).toBe(SAME_HOST);
    expect(reasonFor('https://api.example.com:8443/', allowed)).toBe(SAME_HOST);
    // Another loopback address is not the target host, though it reaches the same machine.
    expect(reasonFor('http://127.0.0.2:4100/', allowed)).toBe(LOOPBACK);
    expect(reasonFor('http://localhost:4100/', allowed)).toBe(LOOPBACK);
  });
});

describe('the origin guard names what a refused IPv4 address is', () => {
  it.each(IPV4_RANGES.filter(([, , reason]) => reason !== UNSPECIFIED))(
    'from %s to %s: %s, and not one address beyond either edge',
    (first, last) => {
      const [start, end] = [toNumber(first), toNumber(last)];
      for (const n of [start - 1, start, start + 1, end - 1, end, end + 1]) {
        if (n < 0) continue;
        expect([toDotted(n), reasonFor(`http://${toDotted(n)}/`)]).toEqual([toDotted(n), expectedFor(n)]);
      }
    },
  );

  it.each([
    ['172.15.255.255', OTHER],
    ['172.16.0.0', PRIVATE],
    ['172.31.255.255', PRIVATE],
    ['172.32.0.0', OTHER],
    ['10.127.0.1', PRIVATE],
    ['11.0.0.0', OTHER],
    ['9.255.255.255', OTHER],
    ['192.167.255.255', OTHER],
    ['192.169.0.0', OTHER],
    ['168.254.1.1', OTHER],
    ['169.253.255.255', OTHER],
    ['169.255.0.0', OTHER],
    ['100.63.255.255', OTHER],
    ['100.128.0.0', OTHER],
    ['126.255.255.255', OTHER],
    ['128.0.0.0', OTHER],
    ['1.0.0.0', OTHER],
    ['0.0.0.0', UNSPECIFIED],
    ['0.0.0.1', PRIVATE],
    ['8.8.8.8', OTHER],
  ])('%s is %s', (address, reason) => {
    expect(reasonFor(`http://${address}/`)).toBe(reason);
  });

  it('names every address in every range by its range', () => {
    const inRange = fc
      .constantFrom(...IPV4_RANGES)
      .chain(([first, last]) => fc.integer({ min: toNumber(first), max: toNumber(last) }));
    fc.assert(
      fc.property(fc.oneof(inRange, ipv4), (n) => {
        expect(reasonFor(`http://${toDotted(n)}/`)).toBe(expectedFor(n));
      }),
      { numRuns: 500 },
    );
  });

  it('names an address the same however it is written: decimal, hex, short form or IPv4-mapped IPv6', () => {
    const edges = IPV4_RANGES.flatMap(([first, last]) => [first, last].map(toNumber));
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...edges), ipv4), (n) => {
        const dotted = toDotted(n);
        const reason = reasonFor(`http://${dotted}/`);
        const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
        const mappedHex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        for (const spelling of [
          `${n}`,
          `0x${n.toString(16)}`,
          `0${n.toString(8)}`,
          `${a}.${(b << 16) | (c << 8) | d}`,
          `${dotted}.`,
          `[::ffff:${dotted}]`,
          `[::FFFF:${mappedHex}]`,
          `[0:0:0:0:0:ffff:${dotted}]`,
        ]) {
          expect([spelling, reasonFor(`http://${spelling}:81/`)]).toEqual([spelling, reason]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the origin guard names what a refused IPv6 address or name is', () => {
  it.each([
    ['[::1]', LOOPBACK],
    ['[0:0:0:0:0:0:0:1]', LOOPBACK],
    ['[::2]', OTHER],
    ['[::]', UNSPECIFIED],
    ['[fd00:ec2::254]', METADATA],
    ['[FD00:EC2:0::254]', METADATA],
    ['[fd00:ec2::253]', PRIVATE],
    ['[fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]', OTHER],
    ['[fc00::]', PRIVATE],
    ['[fd12::1]', PRIVATE],
    ['[fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]', PRIVATE],
    ['[fe00::]', OTHER],
    ['[fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff]', OTHER],
    ['[fe80::]', PRIVATE],
    ['[fe80::1]', PRIVATE],
    ['[febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff]', PRIVATE],
    ['[fec0::]', OTHER],
    ['[2001:db8::1]', OTHER],
    ['[2606:4700::1111]', OTHER],
    ['[::ffff:a9fe:a9fe]', METADATA],
    ['[::ffff:7f00:1]', LOOPBACK],
    ['[::ffff:0:0]', UNSPECIFIED],
    ['[::ffff:a00:1]', PRIVATE],
  ])('%s is %s', (host, reason) => {
    expect(reasonFor(`http://${host}/`)).toBe(reason);
  });

  it.each([
    ['localhost', LOOPBACK],
    ['LOCALHOST', LOOPBACK],
    ['localhost.', LOOPBACK],
    ['%6c%6fcalhost', LOOPBACK],
    ['app.localhost', LOOPBACK],
    ['a.b.localhost.', LOOPBACK],
    ['notlocalhost', OTHER],
    ['localhost.example.com', OTHER],
    ['localhostx', OTHER],
    ['metadata.google.internal', METADATA],
    ['METADATA.Google.Internal.', METADATA],
    ['metadata.goog', METADATA],
    ['metadata.google.internal.evil.example', OTHER],
    ['google.internal', OTHER],
    ['evil.example', OTHER],
    ['10.0.0.1.nip.io', OTHER],
  ])('%s is %s', (host, reason) => {
    expect(reasonFor(`http://${host}/`)).toBe(reason);
  });
});

describe('the origin guard holds a redirect from a real target to the same machine written another way', () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url!);
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/redirect') res.writeHead(302, { location: url.searchParams.get('to')! }).end();
    else res.end('reached');
  });
  let port = 0;
  let target: URL;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    target = new URL(`http://127.0.0.1:${port}`);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const follow = (to: string, allowed: readonly URL[] = []) =>
    send(
      {
        method: 'GET',
        url: `${target.origin}/redirect?to=${encodeURIComponent(to)}`,
        headers: {},
        followRedirects: true,
      },
      10_000,
      allowed,
    );

  it.each(['localhost', '0.0.0.0', '0', '%6cocalhost'])(
    'refuses http://%s:<port>/, which reaches the target server, before connecting',
    async (host) => {
      const escape = `http://${host}:${port}/leak`;
      // Without the guard this address reaches the very server the target runs on.
      expect(await (await fetch(escape)).text()).toBe('reached');
      seen.length = 0;
      await expect(follow(escape)).rejects.toThrow(OutsideTargetError);
      expect(seen).toEqual([`/redirect?to=${encodeURIComponent(escape)}`]);
    },
  );

  it('follows a redirect to the second of two allowed origins', async () => {
    seen.length = 0;
    const exchanged = await follow(`http://localhost:${port}/inside`, [new URL(`http://localhost:${port}`)]);
    expect(exchanged.response.body).toBe('reached');
    expect(seen.at(-1)).toBe('/inside');
  });
});
