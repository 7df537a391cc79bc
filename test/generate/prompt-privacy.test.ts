// Credentials and identity data never reach an LLM, against the local OpenAI server, which records every request
// it receives: secrets planted anywhere a user case, a failing result, a run's results or a finding can hold them
// appear in no request body, in plans, follow-ups, explorations and the report's summary alike. Where the model
// proposes a case with a placeholder it was shown, the case gets the real value back and works against a target
// that checks the credentials.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { analyze } from '../../src/analyze/analyze.ts';
import { loadConfig, loadUserCases } from '../../src/cases/index.ts';
import type { GauntletConfig, LoadedUserCase, RunResult } from '../../src/cases/index.ts';
import { generate } from '../../src/generate/generate.ts';
import { checkProposal, createOpenAiProvider } from '../../src/generate/openai/index.ts';
import { createOpenAiNarrativeWriter } from '../../src/generate/openai/narrative-writer.ts';
import { PromptSafe } from '../../src/generate/prompt-safe.ts';
import { narrativeInput } from '../../src/report/narrative.ts';
import { runTestCases } from '../../src/run/index.ts';
import { messageText, wireRequest } from '../support/openai/index.ts';
import type { ChatRequest, RecordedRequest } from '../support/openai/index.ts';
import { useOpenAiServer } from '../support/openai/jest.ts';
import { result, summaryOf } from '../support/results.ts';

const openai = useOpenAiServer();
const MODEL = 'gpt-4.1-mini';

const provider = () =>
  createOpenAiProvider({ model: MODEL, baseURL: openai().url, apiKey: openai().apiKey, maxRetries: 0 });

function journeyOf(userCase: unknown): LoadedUserCase {
  const loaded = loadUserCases([{ path: 'user-cases/private.yml', text: stringify(userCase) }]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.value[0]!;
}

/** Everything the server received, as text: bodies whole and the messages' text (however they were encoded). */
function received(requests: readonly RecordedRequest[]): string {
  return requests
    .map((r) => `${JSON.stringify(r.body)}\n${(r.chat?.messages ?? []).map(messageText).join('\n')}`)
    .join('\n');
}

const promptOf = (request: ChatRequest) => request.messages.map(messageText).join('\n');

/** The journey block of a plan prompt, as the model reads it. */
function journeyShown(request: ChatRequest): { steps: Record<string, unknown>[] } {
  const block = /name="journey">\n([\s\S]*?)\n<\/data-/.exec(promptOf(request));
  if (!block) throw new Error('the prompt has no journey block');
  return parse(block[1]!.replaceAll('&lt;', '<')) as { steps: Record<string, unknown>[] };
}

// --- What may be planted, and where ----------------------------------------------------------------------------

/** A credential: random, long enough not to occur in a prompt by chance. */
const secret = fc
  .stringMatching(/^[A-Za-z0-9_.~+/-]{16,40}$/)
  .filter((s) => /[A-Za-z]/.test(s) && /\d/.test(s));

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9.]{2,12}[a-z0-9]$/),
    fc.stringMatching(/^[a-z]{3,10}$/),
    fc.constantFrom('com', 'io', 'de', 'co.uk'),
  )
  .filter(([local]) => !local.includes('..'))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

/** A card number that passes the Luhn check, as payment forms take them. */
const card = fc
  .tuple(
    fc.constantFrom('4', '51', '37', '6011'),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 11 }),
  )
  .map(([prefix, digits]) => {
    const body = (prefix + digits.join('')).slice(0, 15);
    let sum = 0;
    for (let i = 0; i < body.length; i++) {
      let d = Number(body[body.length - 1 - i]);
      if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return body + String((10 - (sum % 10)) % 10);
  });

const phone = fc
  .tuple(
    fc.integer({ min: 1, max: 99 }),
    fc.integer({ min: 100, max: 9999 }),
    fc.integer({ min: 100000, max: 9999999 }),
  )
  .map(([country, area, number]) => `+${country} ${area} ${number}`);

const CREDENTIAL_HEADERS = [
  'x-api-key',
  'x-auth-token',
  'api-key',
  'private-token',
  'x-session-id',
  'x-secret',
];
const CREDENTIAL_FIELDS = [
  'password',
  'secret',
  'apiKey',
  'access_token',
  'refreshToken',
  'client_secret',
  'pin',
];
const QUERY_KEYS = ['api_key', 'access_token', 'token', 'key', 'sid'];

type Step = Record<string, unknown>;
/** One way to hide a value in a user case's step (or the journey), and what is hidden. */
type Plant = (step: Step, journey: Record<string, unknown>) => void;

const nested = (depth: number, key: string, value: unknown): Record<string, unknown> =>
  depth === 0 ? { [key]: value } : { user: nested(depth - 1, key, value) };

const plantsFor = (value: string): fc.Arbitrary<Plant>[] => [
  fc.constant((step) => {
    step.headers = { ...(step.headers as object), authorization: `Bearer ${value}` };
  }),
  fc.constantFrom(...CREDENTIAL_HEADERS).map((name) => (step) => {
    step.headers = { ...(step.headers as object), [name]: value };
  }),
  fc.constant((step) => {
    step.headers = { ...(step.headers as object), cookie: `sid=${value}; theme=dark` };
  }),
  fc
    .tuple(fc.constantFrom(...CREDENTIAL_FIELDS), fc.integer({ min: 0, max: 3 }))
    .map(([field, depth]) => (step) => {
      step.example = { name: 'Song', ...nested(depth, field, value) };
    }),
  fc.constantFrom(...QUERY_KEYS).map((name) => (step) => {
    step.query = { page: 1, [name]: value };
  }),
  fc.constantFrom(...QUERY_KEYS).map((name) => (step) => {
    step.api = `GET /api/items?${name}=${value}&page=1`;
    delete step.example;
  }),
  fc.constant((step) => {
    step.form = { username: 'producer', password: value };
    delete step.example;
  }),
  fc.constant((step) => {
    step.rawBody = `username=producer&password=${value}&remember=1`;
    delete step.example;
  }),
  fc.constant((step) => {
    step.cases = [{ title: 'Signs in with the service key', headers: { 'x-api-key': value } }];
  }),
];

const identityPlants = (value: string): fc.Arbitrary<Plant>[] => [
  fc.constant((_step, journey) => {
    journey.description = `Reported by ${value} last week.`;
  }),
  fc.constant((step) => {
    step.example = { name: 'Song', contact: value };
  }),
  fc.constant((step) => {
    step.cases = [`Shares the song with ${value}`];
  }),
];

/** A user case with a secret, an e-mail address, a card and a phone number planted in random places. */
const plantedJourney = fc.record({ secret, email, card, phone }).chain((values) =>
  fc
    .tuple(
      fc.oneof(...plantsFor(values.secret)),
      fc.oneof(...identityPlants(values.email)),
      fc.oneof(...identityPlants(values.card)),
      fc.oneof(...identityPlants(values.phone)),
    )
    .map((plants) => {
      const step: Step = { step: 'Create Project', api: 'POST /api/projects', example: { name: 'Song' } };
      const journey: Record<string, unknown> = { role: 'Producer', journey: 'Private songs' };
      for (const plant of plants) plant(step, journey);
      return {
        values,
        userCase: { ...journey, steps: [step, { step: 'List Projects', api: 'GET /api/projects' }] },
      };
    }),
);

/** A failing result whose evidence, messages and reproduction hold the secret in every way a run shows one. */
function failingWith(value: string, where: number): RunResult {
  const places: Partial<Parameters<typeof result>[2]>[] = [
    { url: `http://127.0.0.1:4100/api/projects?access_token=${value}` },
    { body: JSON.stringify({ name: 'x', password: value }) },
    { message: `expected body.session to be absent, got {"token": "${value}"}` },
    { message: `signed in with Authorization: Bearer ${value}` },
    { body: `grant_type=password&client_secret=${value}` },
  ];
  const base = result('Create project leaks its token', 'failed', { ...places[where % places.length] });
  return {
    ...base,
    error: `the token in the answer was ${value.length} characters`,
    evidence: base.evidence.map((e) => ({
      ...e,
      request: { ...e.request, headers: { authorization: `Bearer ${value}` } },
      response: {
        status: 200,
        headers: { 'set-cookie': `sid=${value}` },
        body: JSON.stringify({ session: { refresh_token: value } }),
      },
    })),
    reproduction: {
      curl: `curl -H 'authorization: Bearer ${value}' -H 'cookie: sid=${value}' http://127.0.0.1:4100/api/projects`,
    },
  };
}

describe('what reaches the LLM', () => {
  it('holds no credential or identity data of a user case, a failure, the results or the findings', async () => {
    await fc.assert(
      fc.asyncProperty(plantedJourney, fc.nat(), async ({ values, userCase }, where) => {
        openai().reset();
        const journey = journeyOf(userCase);
        const failing = failingWith(values.secret, where);
        const context = { identities: ['user'], operations: ['POST /api/projects'], maxCases: 5 };
        const llm = provider();
        await llm.plan({ journey, existing: [`Create Project: as ${values.email}`], ...context });
        await llm.followUp({ journey, failure: failing, ...context });
        await llm.explore({ journey, results: [failing, result('passes', 'passed')], ...context });
        const summary = summaryOf([
          failingWith(values.secret, where + 1),
          result('mails the owner', 'failed', {
            message: `sent the song to ${values.email} (${values.phone})`,
          }),
        ]);
        await createOpenAiNarrativeWriter({ model: MODEL, baseURL: openai().url, apiKey: openai().apiKey })
          .write(narrativeInput(summary, analyze(summary)))
          .catch(() => undefined);

        expect(openai().requests).toHaveLength(4);
        const sent = received(openai().requests);
        for (const value of Object.values(values)) expect(sent).not.toContain(value);
        // Withheld, not dropped: the model is told there was a value and where.
        expect(sent).toMatch(/\{\{secret:\d+\}\}/);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps what is not a secret as it was written: templates, identity names, test addresses, captures', async () => {
    const journey = journeyOf({
      role: 'Producer',
      journey: 'Sign up',
      steps: [
        {
          step: 'Sign Up',
          api: 'POST /api/auth/signup',
          auth: 'none',
          headers: { authorization: 'Bearer {{token}}' },
          example: { email: 'new-{{$uid}}@example.test', name: 'Beginner' },
          capture: { token: 'body.token' },
          expect: { status: 201, body: { token: { type: 'string' } } },
        },
      ],
    });
    await provider().plan({ journey, existing: [], identities: ['user'], operations: [], maxCases: 5 });
    const shown = journeyShown(openai().requests[0]!.chat!);
    expect(shown.steps[0]).toMatchObject({
      auth: 'none',
      headers: { authorization: 'Bearer {{token}}' },
      example: { email: 'new-{{$uid}}@example.test', name: 'Beginner' },
      capture: { token: 'body.token' },
      expect: { status: 201, body: { token: { type: 'string' } } },
    });
  });
});

describe('what free text gives away', () => {
  it('is recognised by its shape: credentials, tokens, addresses, card and phone numbers', () => {
    const withheld: [string, string][] = [
      ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl in the body'],
      ['a GitHub token', `pushed with ghp_${'a1B2'.repeat(9)}`],
      ['an AWS key', 'AKIAABCDEFGHIJKLMNOP was used'],
      ['an OpenAI key', 'sk-proj-abcdefghijklmnop1234'],
      ['a URL password', 'postgres://admin:hunter22@db.internal/app'],
      ['a bearer token', 'sent Authorization: Bearer abc.def-123'],
      ['a cookie', 'cookie: sid=abc123def; Path=/'],
      ['a query key', 'GET /x?api_key=abc123&page=2'],
      ['an escaped JSON field', '{\\"password\\":\\"hunter22\\"}'],
      ['a long hex key', `key ${'0a1b2c3d'.repeat(4)}`],
      ['a random string', `id Zx81kQ${'pL9mW2'.repeat(5)}`],
      ['a nested credential list', JSON.stringify({ tokens: ['abc123def'] })],
    ];
    for (const [what, text] of withheld) {
      expect([what, new PromptSafe().text(text)]).toEqual([what, expect.stringMatching(/\{\{secret:1\}\}/)]);
    }
    expect(new PromptSafe().text('card 4111 1111 1111 1111, call +44 20 7946 0958, mail ann@corp.io')).toBe(
      'card {{card:1}}, call {{phone:1}}, mail user-1@withheld.example',
    );
    const kept = [
      'Basic information about the token type',
      'project 3fa85f64-5717-4562-b3fc-2c963f66afa6 created at 1735689600000',
      'mail new-{{$uid}}@example.test or ops@aidawg.test',
      `a body of ${'x'.repeat(64)}`,
      'expected status 400, got 201',
      'password: string',
    ];
    for (const text of kept) expect(new PromptSafe().text(text)).toBe(text);
  });

  it('is cleared in every string of a structure, captures included, without judging them by their keys', () => {
    const safe = new PromptSafe();
    expect(
      safe.value({ capture: { token: 'body.token', list: ['Bearer abc.123456'], nested: { note: 'ok' } } }),
    ).toEqual({ capture: { token: 'body.token', list: ['Bearer {{secret:1}}'], nested: { note: 'ok' } } });
  });
});

describe('placeholders in what the model proposes', () => {
  /** A target that creates a project only for the credentials of the user case, and says which it got. */
  let target: Server;
  let targetUrl: string;
  const seen: { authorization?: string; key?: string; password?: unknown }[] = [];
  let expected = { token: '', key: '', password: '' };

  beforeAll(async () => {
    target = createServer((request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        let json: { password?: unknown } = {};
        try {
          json = JSON.parse(body) as { password?: unknown };
        } catch {
          // A body that is not JSON holds no password.
        }
        const got = {
          authorization: request.headers.authorization,
          key: new URL(request.url!, 'http://x').searchParams.get('api_key') ?? undefined,
          password: json.password,
        };
        seen.push(got);
        const ok =
          got.authorization === `Bearer ${expected.token}` &&
          got.key === expected.key &&
          got.password === expected.password;
        response.writeHead(ok ? 201 : 401, { 'content-type': 'application/json' });
        response.end(JSON.stringify(ok ? { id: 'p1' } : { error: 'unauthorized' }));
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => target.close(() => resolve())));

  /** A model that proposes the journey's first step again, copying every value as it was shown. */
  function copyingModel(request: ChatRequest) {
    if (!promptOf(request).includes('Task: write a test plan')) return { cases: [] };
    const step = journeyShown(request).steps[0]!;
    const entries = (record: unknown) =>
      Object.entries((record ?? {}) as Record<string, unknown>).map(([name, value]) => ({ name, value }));
    return {
      cases: [
        {
          step: 0,
          title: 'Create Project: with the key shown as {{secret:1}}',
          category: 'happy-path',
          priority: 'high',
          tags: ['copy'],
          requests: [
            wireRequest({
              api: step.api,
              headers: entries(step.headers),
              query: entries(step.query),
              example: JSON.stringify(step.example),
              expect: { status: 201 },
            }),
          ],
        },
      ],
    };
  }

  const config = (): GauntletConfig => {
    const loaded = loadConfig({ path: 'gauntlet.yml', text: 'identities: {}\n' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    return loaded.value;
  };

  it('get their real values back, so the generated case passes against a target that checks them', async () => {
    await fc.assert(
      fc.asyncProperty(secret, secret, secret, async (token, key, password) => {
        openai().reset();
        openai().setDefaultReply(copyingModel);
        expected = { token, key, password };
        seen.length = 0;
        const journey = journeyOf({
          role: 'Producer',
          journey: 'Private songs',
          steps: [
            {
              step: 'Create Project',
              api: 'POST /api/projects',
              headers: { authorization: `Bearer ${token}` },
              query: { api_key: key },
              example: { name: 'Song', password },
            },
          ],
        });
        const generated = await generate([journey], config(), { llm: { providers: [provider()] } });
        if (!generated.ok) throw new Error(JSON.stringify(generated.errors));

        const sent = received(openai().requests);
        for (const value of [token, key, password]) expect(sent).not.toContain(value);

        const fromLlm = generated.cases.filter((c) => c.origin.generator === `openai/${MODEL}`);
        expect(fromLlm).toHaveLength(1);
        // The title is shown in reports: its placeholder is not given a value.
        expect(fromLlm[0]!.title).toBe('Create Project: with the key shown as {{secret:1}}');
        const [run] = await runTestCases(fromLlm, {
          target: new URL(targetUrl),
          concurrency: 1,
          timeoutMs: 5000,
        });
        expect(run!.status).toBe('passed');
        expect(seen).toEqual([{ authorization: `Bearer ${token}`, key, password }]);
      }),
      { numRuns: 15 },
    );
  });

  it('are given back only in requests, only for values this prompt withheld, with their own type', () => {
    const safe = new PromptSafe();
    const shown = safe.value({
      headers: { 'x-api-key': 'k-123456789' },
      example: { pin: 4321, email: 'ann@corp.io' },
    });
    expect(shown).toEqual({
      headers: { 'x-api-key': '{{secret:1}}' },
      example: { pin: '{{secret:2}}', email: 'user-1@withheld.example' },
    });
    // The same value is the same placeholder, wherever it appears again.
    expect(safe.text('the key k-123456789 and ann@corp.io')).toBe(
      'the key {{secret:1}} and user-1@withheld.example',
    );
    const journey = journeyOf({ role: 'r', journey: 'j', steps: [{ step: 's', api: 'GET /a' }] });
    const checked = checkProposal(
      {
        step: 0,
        title: 'uses {{secret:1}}',
        category: 'happy-path',
        priority: 'low',
        tags: [],
        requests: [
          wireRequest({
            api: 'GET /a',
            headers: [{ name: 'x-api-key', value: '{{secret:1}}' }],
            example: '{"pin": "{{secret:2}}", "to": "user-1@withheld.example", "other": "{{secret:9}}"}',
          }),
        ],
      },
      { journey, identities: [], restore: (value) => safe.restore(value) },
    );
    if (!checked.ok) throw new Error(checked.reason);
    expect(checked.proposal.title).toBe('uses {{secret:1}}');
    expect(checked.proposal.requests[0]).toMatchObject({
      headers: { 'x-api-key': 'k-123456789' },
      example: { pin: 4321, to: 'ann@corp.io', other: '{{secret:9}}' },
    });
  });
});
