// Generated requests reach the target and nothing else: no other host, no other port, no metadata service, no file.
import { isIP } from 'node:net';

export class OutsideTargetError extends Error {}

const METADATA_HOSTS = new Set([
  '169.254.169.254',
  'metadata.google.internal',
  '[fd00:ec2::254]',
  '100.100.100.200',
]);

/** Why `url` is not one of the allowed origins, in a few words; undefined when it is allowed. */
export function outsideReason(url: URL, allowed: readonly URL[]): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `a ${url.protocol} URL`;
  if (allowed.some((origin) => origin.origin === url.origin)) return undefined;
  const host = url.hostname;
  if (METADATA_HOSTS.has(host)) return 'a cloud metadata address';
  if (allowed.some((origin) => origin.hostname === host)) return 'another port or scheme of the target host';
  if (host === 'localhost' || /^127\./.test(host) || host === '[::1]')
    return 'a loopback address that is not the target';
  if (isPrivate(host)) return 'a private network address';
  return 'another host';
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

function isPrivate(host: string): boolean {
  if (isIP(host) === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  const v6 = host.replace(/^\[|\]$/g, '').toLowerCase();
  return isIP(v6) === 6 && (/^f[cd]/.test(v6) || /^fe[89ab]/.test(v6));
}
