// Placeholders as an author writes them: a misspelt or malformed one is an error at the place it is written, and a
// journey may use what an identity captured at sign-in ({{shopper.basketId}}), not only its headers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatSourceError, loadConfig, loadUserCases } from '../../src/cases/index.ts';
import type { ApiTestCase } from '../../src/cases/index.ts';
import { closestNames, malformedPlaceholders } from '../../src/cases/template.ts';
import { generateTestCases } from '../../src/generate/index.ts';
import { runTestCases } from '../../src/run/index.ts';
import { createAidawgApp } from '../../examples/aidawg/server.ts';
import { cli } from '../support/cli.ts';

const CONFIG = `
identities:
  user:
    steps:
      - api: POST /api/auth/signup
        example: { email: 'u-{{$uid}}@example.test', password: 'pass-1234' }
        capture: { token: body.token, userId: body.user.id }
    headers: { authorization: 'Bearer {{token}}' }
`;

const loadErrors = (journey: string): string[] => {
  const loaded = loadUserCases([{ path: 'user-cases/shop.yml', text: journey }]);
  return loaded.ok ? [] : loaded.errors.map(formatSourceError);
};

function generate(journey: string) {
  const config = loadConfig({ path: 'gauntlet.yml', text: CONFIG });
  const loaded = loadUserCases([{ path: 'user-cases/shop.yml', text: journey }]);
  if (!config.ok || !loaded.ok) throw new Error('fixture does not load');
  return generateTestCases(loaded.value, config.value);
}

const generationErrors = (journey: string): string[] => {
  const result = generate(journey);
  return result.ok ? [] : result.errors.map(formatSourceError);
};

describe('placeholders that would be sent literally', () => {
  it('refuses a single-brace placeholder in a path, at its line and column', () => {
    expect(
      loadErrors('role: R\njourney: J\nsteps:\n  - step: Basket\n    api: GET /rest/basket/{shopper.bid}\n'),
    ).toEqual([
      'user-cases/shop.yml:5:27: steps[0].api: "{shopper.bid}" would be sent as it is: a placeholder takes two braces, {{shopper.bid}}',
    ]);
  });

  it('refuses an unclosed or unnamed placeholder and a single-braced $uid in headers, queries and bodies', () => {
    const errors = loadErrors(
      [
        'role: R',
        'journey: J',
        'steps:',
        '  - step: S',
        '    api: POST /x',
        "    headers: { authorization: 'Bearer {{token' }",
        "    example: { email: 'a-{$uid}@example.test' }",
        '    cases:',
        '      - title: T',
        "        query: { q: '{{ two words }}' }",
      ].join('\n'),
    );
    expect(errors).toEqual([
      'user-cases/shop.yml:6:39: steps[0].headers.authorization: "{{token" opens a placeholder that is never closed: write {{name}}',
      'user-cases/shop.yml:7:26: steps[0].example.email: "{$uid}" would be sent as it is: a placeholder takes two braces, {{$uid}}',
      'user-cases/shop.yml:10:22: steps[0].cases[0].query.q: "{{ two words }}" is not a placeholder: a name is letters, digits, _, -, . and $, as in {{basketId}}',
    ]);
  });

  it('leaves path parameters and JSON-like text in bodies alone', () => {
    expect(
      loadErrors(
        [
          'role: R',
          'journey: J',
          'steps:',
          '  - step: S',
          '    api: PUT /items/{id}',
          '    params: { id: 7 }',
          `    rawBody: '{"a":{"b":[{"c":1}]}}'`,
          "    example: { note: 'use {name} or {{ $uid }}', template: '/users/{userId}', json: '{{\"a\":1}}' }",
        ].join('\n'),
      ),
    ).toEqual([]);
    expect(malformedPlaceholders('{"a":{"b":1}} {id} {{x}}')).toEqual([]);
  });
});

describe('placeholders that name no value', () => {
  const journey = (query: string) => `
role: Shopper
journey: Check out
steps:
  - step: Open basket
    api: POST /api/projects
    auth: user
    example: { name: 'Basket {{$uid}}' }
    capture: { basketId: body.id }
  - step: Pay
    api: GET /api/projects
    auth: user
    query: { q: '${query}' }
`;

  it('says where an unknown name is written and which known name it looks like', () => {
    expect(generationErrors(journey('{{basketld}}'))).toContain(
      'user-cases/shop.yml:13:18: Pay: {{basketld}} is used but no earlier step of "Check out" captures it (did you mean {{basketId}}?)',
    );
  });

  it('names what an identity captures when the name after the identity is wrong', () => {
    expect(generationErrors(journey('{{user.id}}'))).toContain(
      'user-cases/shop.yml:13:18: Pay: {{user.id}} is used but no earlier step of "Check out" captures it, and the sign-in of "user" captures token, userId',
    );
    expect(generationErrors(journey('{{user.userld}}'))[0]).toContain('(did you mean {{user.userId}}?)');
  });

  // Names read from a user case must not reach what every object inherits (the fuzz test found the first one).
  it.each([
    'constructor.constructor',
    '__proto__.x',
    'user.constructor',
    'user.__proto__',
    'toString',
    'hasOwnProperty',
  ])('says {{%s}} names nothing, as any unknown name, without reaching inherited properties', (name) => {
    expect(generationErrors(journey(`{{${name}}}`))[0]).toMatch(
      new RegExp(
        `^user-cases/shop\\.yml:13:18: Pay: \\{\\{${name.replace(/[.$]/g, '\\$&')}\\}\\} is used but no earlier step`,
      ),
    );
  });

  it.each(['constructor', 'hasownproperty', '__proto__'])(
    'says an auth of "%s" is no identity, as any unknown one, at its place',
    (name) => {
      const errors = generationErrors(
        `role: R\njourney: J\nsteps:\n  - step: Pay\n    api: GET /api/projects\n    auth: ${name}\n`,
      );
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^user-cases\/shop\.yml:\d+:\d+: /);
      expect(errors[0]).toContain(name);
    },
  );

  it('refuses a misspelt built-in', () => {
    expect(generationErrors(journey('{{$uuid}}'))[0]).toContain('(did you mean {{$uid}}?)');
  });

  it('fills a placeholder written in the path itself', () => {
    const result = generate(
      journey('ok').replace('api: GET /api/projects\n', 'api: GET /api/projects/{{basketId}}\n'),
    );
    if (!result.ok) throw new Error(result.errors.map(formatSourceError).join('\n'));
    const pay = result.cases.find((c) => c.title === 'Pay: works with the example data') as ApiTestCase;
    expect(pay.steps.map((s) => s.request.path)).toEqual([
      '/api/auth/signup',
      '/api/projects',
      '/api/projects/{{basketId}}',
    ]);
  });

  it('refuses a captured name in single braces, outside the path', () => {
    expect(generationErrors(journey('{basketId}'))).toContain(
      'user-cases/shop.yml:13:18: Pay: "{basketId}" would be sent as it is: a placeholder takes two braces, {{basketId}}',
    );
    expect(generationErrors(journey('{userId}'))[0]).toContain(
      'a placeholder takes two braces, {{user.userId}}',
    );
    expect(generationErrors(journey('{anything}'))).toEqual([]);
  });

  it('suggests nothing far from the name', () => {
    expect(closestNames('basketId', ['token', 'userId'])).toEqual([]);
    expect(closestNames('tokn', ['token', 'userId'])).toEqual(['token']);
  });
});

describe('placeholders of the identities in gauntlet.yml', () => {
  const configErrors = (text: string): string[] => {
    const loaded = loadConfig({ path: 'gauntlet.yml', text });
    return loaded.ok ? [] : loaded.errors.map(formatSourceError);
  };

  it('refuses a header naming what no sign-in step captures, suggesting the capture', () => {
    expect(configErrors(CONFIG.replace("'Bearer {{token}}'", "'Bearer {{tokn}}'"))).toEqual([
      'gauntlet.yml:8:39: identities.user.headers.authorization: {{tokn}} is not captured by an earlier sign-in step of "user" (did you mean {{token}}?)',
    ]);
  });

  it('refuses a sign-in request using a value only a later step captures, and a single-braced one', () => {
    const text = [
      'identities:',
      '  shopper:',
      '    steps:',
      '      - api: POST /login',
      "        example: { email: 'a-{$uid}@example.test', basket: '{{bid}}' }",
      '        capture: { token: body.token }',
      '      - api: GET /basket',
      '        capture: { bid: body.id }',
      "    headers: { authorization: 'Bearer {{token}}' }",
    ].join('\n');
    expect(configErrors(text)).toEqual([
      'gauntlet.yml:5:30: identities.shopper.steps[0].example.email: "{$uid}" would be sent as it is: a placeholder takes two braces, {{$uid}}',
      'gauntlet.yml:5:61: identities.shopper.steps[0].example.basket: {{bid}} is not captured by an earlier sign-in step of "shopper" (a later sign-in step captures it: steps run in order)',
    ]);
  });

  it('lists what the sign-in captures when the name is like none of it', () => {
    expect(configErrors(CONFIG.replace("'Bearer {{token}}'", "'Bearer {{session}}'"))[0]).toContain(
      '{{session}} is not captured by an earlier sign-in step of "user" (its sign-in captures token, userId)',
    );
    expect(
      configErrors(
        CONFIG.replace('capture: { token: body.token, userId: body.user.id }', 'expect: { status: 201 }'),
      )[0],
    ).toContain('(its sign-in captures nothing: add capture: { token: body.token } to a step)');
  });

  it('accepts the sample configuration', () => {
    expect(configErrors(CONFIG)).toEqual([]);
  });
});

describe('values an identity captured at sign-in', () => {
  const journey = `
role: Shopper
journey: Look around
steps:
  - step: Look up a project by my user id
    api: GET /api/projects/{id}
    auth: none
    params: { id: '{{user.userId}}' }
    expect: { status: 401 }
`;

  it('signs the identity in and uses its capture, even in a request made as nobody', async () => {
    const result = generate(journey);
    if (!result.ok) throw new Error(result.errors.map(formatSourceError).join('\n'));
    const testCase = result.cases.find((c) => c.title.includes('works with the example data')) as ApiTestCase;
    expect(testCase.steps.map((s) => s.name)).toEqual([
      'sign in as user: POST /api/auth/signup',
      'GET /api/projects/{id}',
    ]);
    expect(testCase.steps[0]!.capture).toEqual({ 'user.token': 'body.token', 'user.userId': 'body.user.id' });
    expect(testCase.steps[1]!.request.path).toBe('/api/projects/{{user.userId}}');

    const [run] = await runTestCases([testCase], {
      target: createAidawgApp({ faults: new Set(), operatorPassword: 'op-secret-1' }),
      concurrency: 1,
      timeoutMs: 30_000,
    });
    expect(run!.status).toBe('passed');
    const sent = run!.evidence.at(-1)!.request.url;
    expect(sent).toMatch(/\/api\/projects\/[\w-]+$/);
    expect(sent).not.toMatch(/%7B|\{/);
  });
});

describe('gauntlet validate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-placeholders-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 2 on a misspelt placeholder, at its place in the file', async () => {
    const folder = path.join(dir, 'cases');
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, 'shop.yml'),
      'role: R\njourney: J\nsteps:\n  - step: Basket\n    api: GET /rest/basket/{shopper.bid}\n',
    );
    await writeFile(path.join(dir, 'gauntlet.yml'), 'identities: {}\n');
    const { code, stderr } = await cli(
      'validate',
      '--cases',
      folder,
      '--config',
      path.join(dir, 'gauntlet.yml'),
    );
    expect(code).toBe(2);
    expect(stderr).toContain(`${folder}/shop.yml:5:27: steps[0].api: "{shopper.bid}" would be sent as it is`);
  });
});
