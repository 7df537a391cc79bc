// Generated requests reach the target and nothing else: no other host, no other port, no metadata service, no file.
// Only an exact origin match lets a request through; the rest of this module names what a refused address is, so
// that a report says "a cloud metadata address" rather than "another host" whatever way the address is written.
import { BlockList, isIP } from 'node:net';

export class OutsideTargetError extends Error {}

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog']);

/** Address ranges by what reaching them means, most specific first. */
const RANGES: ReadonlyArray<{ reason: string; v4?: readonly string[]; v6?: readonly string[] }> = [
  {
    reason: 'a cloud metadata address',
    v4: ['169.254.169.254/32', '100.100.100.200/32'],
    v6: ['fd00:ec2::254/128'],
  },
  { reason: 'a loopback address that is not the target', v4: ['127.0.0.0/8'], v6: ['::1/128'] },
  // Connecting to 0.0.0.0 or [::] reaches this machine on Linux and macOS.
  { reason: 'the unspecified address, which reaches this machine', v4: ['0.0.0.0/32'], v6: ['::/128'] },
  {
    reason: 'a private network address',
    v4: [
      '0.0.0.0/8', // "this network"
      '10.0.0.0/8',
      '100.64.0.0/10', // carrier-grade NAT
      '169.254.0.0/16', // link-local
      '172.16.0.0/12',
      '192.168.0.0/16',
    ],
    v6: ['fc00::/7', 'fe80::/10'],
  },
];

// A BlockList also matches IPv4 ranges written as IPv4-mapped IPv6 ([::ffff:7f00:1] is 127.0.0.1).
const CLASSIFIED = RANGES.map(({ reason, v4 = [], v6 = [] }) => {
  const list = new BlockList();
  for (const range of v4) list.addSubnet(...subnet(range), 'ipv4');
  for (const range of v6) list.addSubnet(...subnet(range), 'ipv6');
  return { reason, list };
});

function subnet(range: string): [string, number] {
  const [address, prefix] = range.split('/') as [string, string];
  return [address, Number(prefix)];
}

/** Why `url` is not one of the allowed origins, in a few words; undefined when it is allowed. */
export function outsideReason(url: URL, allowed: readonly URL[]): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `a ${url.protocol} URL`;
  if (allowed.some((origin) => origin.origin === url.origin)) return undefined;
  if (allowed.some((origin) => origin.hostname === url.hostname))
    return 'another port or scheme of the target host';
  return hostReason(url.hostname);
}

export function assertInsideTarget(url: URL, allowed: readonly URL[], what = 'send a request to'): void {
  const reason = outsideReason(url, allowed);
  if (reason) {
    const origins = allowed.map((origin) => origin.origin).join(', ');
    throw new OutsideTargetError(
      `refused to ${what} ${url.href} (${reason}); only ${origins} may be reached`,
    );
  }
}

/** What a host that is not the target is; `hostname` as URL normalises it (lower case, IPv6 in brackets). */
function hostReason(hostname: string): string {
  // "localhost." is the same name as "localhost" to a resolver.
  const name = hostname.replace(/\.$/, '');
  if (METADATA_NAMES.has(name)) return 'a cloud metadata address';
  if (name === 'localhost' || name.endsWith('.localhost')) return 'a loopback address that is not the target';
  const address = name.startsWith('[') ? name.slice(1, -1) : name;
  const family = isIP(address);
  if (family === 0) return 'another host';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return CLASSIFIED.find(({ list }) => list.check(address, type))?.reason ?? 'another host';
}
