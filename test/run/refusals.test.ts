// Refusals as a careful API tester judges them: any 4xx that does not hand the resource over, whichever status the
// service chose (400 and 422 as well as 401, 403, 404 and 409). Journeys and gauntlet.yml are generated into cases
// as a run generates them, and run against a small shop on loopback whose way of refusing each test sets.
import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { identityRequestHeaders } from '../../src/cases/config.ts';
import { formatSourceError, loadConfig, loadUserCases } from '../../src/cases/index.ts';
import type { ApiTestCase, RunResult } from '../../src/cases/index.ts';
import { concurrencyVariant } from '../../src/explore/concurrency.ts';
import { generateTestCases } from '../../src/generate/index.ts';
import { BUILT_IN_CHECKS, runTestCases } from '../../src/run/index.ts';
import { useLoopbackServer } from '../support/loopback.ts';

/** How the shop answers a request it should refuse: without (valid) credentials, or from another user. */
let refusal = 400;
/** The Cookie header of every request the shop got, by path. */
const cookiesSeen: { path: string; cookie: string | undefined }[] = [];
/** How many creates the shop refused as duplicates. */
let duplicatesRefused = 0;

/** Users by bearer token, each with its session cookie; items by id, with their owner and name. */
const users = new Map<string, { sid: string }>();
const items = new Map<number, { owner: string; name: string }>();

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const url = new URL(req.url!, 'http://x');
    cookiesSeen.push({ path: url.pathname, cookie: req.headers.cookie });
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (url.pathname === '/signup' && req.method === 'POST') {
      const token = `token-${users.size + 1}`;
      const sid = `sid-${users.size + 1}`;
      users.set(token, { sid });
      return json(201, { token, sid });
    }
    if (url.pathname === '/catalogue') return json(200, ['lamp', 'chair']);
    // Signed in: the bearer token and its own session cookie, both.
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const user = users.get(token);
    if (!user || req.headers.cookie !== `session=${user.sid}`) {
      return refusal === 200 ? json(200, [...items.values()]) : json(refusal, { error: 'who are you?' });
    }
    if (url.pathname === '/items' && req.method === 'POST') {
      const { name } = JSON.parse(body || '{}') as { name?: string };
      if ([...items.values()].some((item) => item.owner === token && item.name === name)) {
        duplicatesRefused++;
        return json(422, { error: 'you have an item of that name already' });
      }
      const id = items.size + 1;
      items.set(id, { owner: token, name: name ?? '' });
      return json(201, { id, name });
    }
    const item = items.get(Number(/^\/items\/(\d+)$/.exec(url.pathname)?.[1]));
    if (!item) return json(404, { error: 'no such item' });
    if (item.owner !== token && refusal !== 200) return json(refusal, { error: 'not yours' });
    return json(200, item);
  });
});
const targetUrl = useLoopbackServer(server);

const CONFIG = `
identities:
  shopper:
    fresh: true
    steps:
      - api: POST /signup
        capture: { token: body.token, sid: body.sid }
        expect: { status: 201 }
    headers: { authorization: 'Bearer {{token}}' }
    cookies: { session: '{{sid}}' }
`;

const JOURNEY = `
role: Shopper
journey: Keep a wish list
steps:
  - step: Add an item
    api: POST /items
    auth: shopper
    example: { name: 'lamp {{$uid}}' }
    capture: { itemId: body.id }
    expect: { status: 201 }
  - step: Read the item
    api: GET /items/{itemId}
    auth: shopper
  - step: Browse the catalogue
    api: GET /catalogue
    auth: shopper
    authOptional: true
`;

function generated(): ApiTestCase[] {
  const config = loadConfig({ path: 'gauntlet.yml', text: CONFIG });
  const loaded = loadUserCases([{ path: 'user-cases/shop.yml', text: JOURNEY }]);
  if (!config.ok) throw new Error(config.errors.map(formatSourceError).join('\n'));
  if (!loaded.ok) throw new Error(loaded.errors.map(formatSourceError).join('\n'));
  const generated = generateTestCases(loaded.value, config.value);
  if (!generated.ok) throw new Error(generated.errors.map(formatSourceError).join('\n'));
  return generated.cases.filter((c): c is ApiTestCase => c.kind === 'api');
}

const AUTH_RULES = ['rules/no-credentials', 'rules/wrong-credentials', 'rules/cross-user'];
const authCases = () => generated().filter((c) => AUTH_RULES.includes(c.origin.generator));

const run = (cases: readonly ApiTestCase[]): Promise<RunResult[]> =>
  runTestCases(cases, { target: targetUrl(), concurrency: 2, timeoutMs: 10_000, checks: BUILT_IN_CHECKS });

/** Each case's title with the failures of its run, as "check: message". */
const failuresByTitle = (cases: readonly ApiTestCase[], results: readonly RunResult[]) =>
  Object.fromEntries(
    results.map((result, i) => [
      cases[i]!.title,
      result.failures.map((failure) => `${failure.check}: ${failure.message}`),
    ]),
  );

describe('a refusal', () => {
  it('is probed for every step that needs an identity, and for none whose auth is optional', () => {
    expect(
      authCases()
        .map((c) => c.title)
        .sort(),
    ).toEqual([
      'Add an item: refuses a request with made-up credentials',
      'Add an item: refuses a request without credentials',
      'Read the item: another user cannot reach what this user created',
      'Read the item: refuses a request with made-up credentials',
      'Read the item: refuses a request without credentials',
    ]);
  });

  it.each([400, 401, 404, 422])('is any 4xx: a shop refusing with %i gives no finding', async (status) => {
    refusal = status;
    const cases = authCases();
    const results = await run(cases);
    expect(results.map((r) => r.error)).toEqual(cases.map(() => undefined));
    expect(failuresByTitle(cases, results)).toEqual(Object.fromEntries(cases.map((c) => [c.title, []])));
  });

  it('is not a 200: handing the resource over is a finding that names the status seen', async () => {
    refusal = 200;
    const cases = authCases();
    const failures = failuresByTitle(cases, await run(cases));
    expect(failures).toEqual({
      'Add an item: refuses a request without credentials': [
        'requires_auth: a request without credentials succeeded (200); it must be refused with a 4xx status, such as 401 or 403',
      ],
      'Add an item: refuses a request with made-up credentials': [
        'requires_auth: a request with made-up credentials succeeded (200); it must be refused with a 4xx status, such as 401 or 403',
      ],
      'Read the item: refuses a request without credentials': [
        'requires_auth: a request without credentials succeeded (200); it must be refused with a 4xx status, such as 401 or 403',
      ],
      'Read the item: refuses a request with made-up credentials': [
        'requires_auth: a request with made-up credentials succeeded (200); it must be refused with a 4xx status, such as 401 or 403',
      ],
      'Read the item: another user cannot reach what this user created': [
        'owner_only: another user reached what this user created (200); it must be refused with a 4xx status, such as 403 or 404',
      ],
    });
  });

  it('of a create sent twice at once may be a 422: the concurrency variant accepts any 4xx', async () => {
    refusal = 401;
    const create = generated().find(
      (c) => c.origin.generator === 'rules/happy-path' && c.steps.length === 2,
    )!;
    const variant = concurrencyVariant(create)!;
    expect(variant.steps.at(-1)!.expect.status).toEqual([201, '4xx']);
    const before = duplicatesRefused;
    const [result] = await run([variant]);
    expect(result).toMatchObject({ status: 'passed', failures: [] });
    expect(duplicatesRefused).toBe(before + 1);
  });
});

describe('an identity with cookies', () => {
  it('sends them in a Cookie header as that identity, and made-up values for made-up credentials', async () => {
    refusal = 401;
    const cases = generated().filter((c) => c.origin.generator === 'rules/happy-path');
    cookiesSeen.length = 0;
    const results = await run(cases);
    expect(results.map((r) => r.failures)).toEqual(cases.map(() => []));
    const signedIn = cookiesSeen.filter((seen) => seen.path !== '/signup');
    expect(signedIn.length).toBeGreaterThan(0);
    for (const seen of signedIn) expect(seen.cookie).toMatch(/^session=sid-\d+$/);

    const madeUp = authCases().filter((c) => c.steps.at(-1)!.probe === 'wrong-credentials');
    expect(madeUp.map((c) => c.steps.at(-1)!.request.headers)).toEqual(
      madeUp.map(() => ({
        authorization: 'Bearer gauntlet-invalid-credential',
        cookie: 'session=gauntlet-invalid-credential',
      })),
    );
  });

  it('adds its cookies to a Cookie header it names itself, whatever its case, and changes nothing without', () => {
    expect(
      identityRequestHeaders({ headers: { Cookie: 'theme=dark' }, cookies: { session: '{{sid}}' } }),
    ).toEqual({
      Cookie: 'theme=dark; session={{sid}}',
    });
    expect(identityRequestHeaders({ headers: {}, cookies: { a: '1', b: '2' } })).toEqual({
      cookie: 'a=1; b=2',
    });
    expect(identityRequestHeaders({ headers: { authorization: 'Bearer x' } })).toEqual({
      authorization: 'Bearer x',
    });
  });

  it('refuses a cookie name that is no HTTP token, at its file:line:col', () => {
    const loaded = loadConfig({
      path: 'gauntlet.yml',
      text: CONFIG.replace("cookies: { session: '{{sid}}' }", "cookies: { 'my session': '{{sid}}' }"),
    });
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.errors.map(formatSourceError).join('\n')).toMatch(
        /^gauntlet\.yml:10:\d+: identities\.shopper\.cookies\.my session: .*expected a cookie name/m,
      );
    }
  });
});
