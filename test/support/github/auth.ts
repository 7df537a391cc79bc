// Who is calling. GitHub Apps authenticate as the app with a short-lived JWT signed by the app's private key (to
// list installations and mint installation tokens), then as an installation with the token they got. The emulator
// checks both the way GitHub does, so an app with the wrong key, app id or token fails here as it would there.
import { generateKeyPair, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { GitHubError } from './errors.ts';
import type { AppRecord, TokenRecord } from './state/records.ts';
import type { GitHubState } from './state/state.ts';

export type Caller = { kind: 'app' } | { kind: 'token'; token: TokenRecord } | { kind: 'anonymous' };

export interface AppKeys {
  /** PKCS#8 PEM, as Probot's PRIVATE_KEY and @octokit/auth-app accept it. */
  privateKey: string;
  publicKey: KeyObject;
}

let keys: Promise<AppKeys> | undefined;

/** The app's key pair: generated once per module registry, off the main thread, while the description loads. */
export function appKeys(): Promise<AppKeys> {
  keys ??= promisify(generateKeyPair)('rsa', { modulusLength: 2048 }).then(({ privateKey, publicKey }) => ({
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
  }));
  return keys;
}

const undecodable = (): GitHubError => new GitHubError(401, 'A JSON web token could not be decoded');
const badCredentials = (): GitHubError => new GitHubError(401, 'Bad credentials');

/** The caller named by an Authorization header; throws GitHub's 401 for credentials GitHub would refuse. */
export function identify(
  authorization: string | undefined,
  state: GitHubState,
  publicKey: KeyObject,
): Caller {
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (!authorization) return { kind: 'anonymous' };
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw badCredentials();
  const credential = match[1]!;
  if (credential.split('.').length === 3) {
    verifyAppJwt(credential, state.app, publicKey, nowSeconds);
    return { kind: 'app' };
  }
  const token = state.token(credential);
  if (!token || Date.parse(token.expiresAt) <= nowSeconds * 1000) throw badCredentials();
  return { kind: 'token', token };
}

function verifyAppJwt(jwt: string, app: AppRecord, publicKey: KeyObject, now: number): void {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const decode = (part: string): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  const claims = decode(payload);
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    publicKey,
    Buffer.from(signature, 'base64url'),
  );
  const ours = String(claims?.iss) === String(app.id) || claims?.iss === app.clientId;
  if (decode(header)?.alg !== 'RS256' || !claims || !signed || !ours) throw undecodable();
  if (typeof claims.exp !== 'number' || claims.exp <= now) {
    throw new GitHubError(401, "'Expiration time' claim ('exp') must be a numeric value in the future");
  }
  // GitHub refuses app tokens that live longer than ten minutes; a minute of slack for clock drift.
  if (claims.exp > now + 660)
    throw new GitHubError(401, "'Expiration time' claim ('exp') is too far in the future");
}
