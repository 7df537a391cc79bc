// Generation with an LLM through the command line, against the local OpenAI-compatible server: the provider is
// switched on by the environment, its cases run beside the rules', what it proposed is cached in the run store
// (files, or a real Redis) so unchanged user cases never ask twice, and a broken server costs the LLM's cases,
// never the run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunSummary, TestCase } from '../../src/cases/index.ts';
import { Redis } from 'ioredis';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import type { Env } from '../../src/cli/llm.ts';
import { cliWith } from '../support/cli.ts';
import { messageText, wireRequest } from '../support/openai/index.ts';
import type { ChatRequest } from '../support/openai/index.ts';
import { useOpenAiServer } from '../support/openai/jest.ts';
import { startRedis, type RunningRedis } from '../support/redis.ts';

const openai = useOpenAiServer();
const MODEL = 'openai/gpt-4.1-mini';

const SIGN_UP = `product: AI DAWG
role: Newcomer
journey: Sign up
steps:
  - step: Sign Up
    api: POST /api/auth/signup
    example: { email: 'new-{{$uid}}@example.test', password: 'first-song-1', name: New }
    expect: { status: 201 }
`;

const PROJECTS = `product: AI DAWG
role: Music Producer
journey: Projects
steps:
  - step: List projects
    api: GET /api/projects
    auth: user
    expect: { status: 200 }
`;

/** Whether the request asks for the report's summary rather than for test cases. */
const asksForSummary = (request: ChatRequest) =>
  (request.response_format as { json_schema?: { name?: string } } | undefined)?.json_schema?.name ===
  'report_summary';

const SUMMARY = {
  summary: 'Every test passed, so users can sign up and list their projects as before. Nothing needs fixing.',
  recommendations: [{ text: 'Keep the journeys up to date as the product grows.', findings: [] }],
};

/** What a model proposes for each of the two journeys: one case that the sample target passes; and a summary. */
function proposal(request: ChatRequest) {
  return asksForSummary(request) ? SUMMARY : planOf(request);
}

function planOf(request: ChatRequest) {
  const prompt = request.messages.map(messageText).join('\n');
  const signUp = prompt.includes('Sign up');
  return {
    cases: [
      {
        step: 0,
        title: signUp ? 'Sign Up: refuses a password of three characters' : 'List projects: needs a sign-in',
        category: signUp ? 'error' : 'security',
        priority: 'high',
        tags: ['llm'],
        requests: [
          signUp
            ? wireRequest({
                api: 'POST /api/auth/signup',
                example: '{"email": "short-{{$uid}}@example.test", "password": "abc"}',
                expect: { status: 400 },
              })
            : wireRequest({ api: 'GET /api/projects', expect: { status: 401 } }),
        ],
      },
    ],
  };
}

let dir: string;
let cases: string;
let target: RunningAidawg;
let redis: RunningRedis;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-llm-'));
  cases = path.join(dir, 'user-cases');
  await mkdir(cases);
  await writeFile(path.join(cases, 'projects.yml'), PROJECTS);
  await writeFile(path.join(cases, 'sign-up.yml'), SIGN_UP);
  // Redis first: should it be missing, nothing else is running yet to keep Jest from exiting.
  redis = await startRedis();
  target = await startAidawg();
});
afterAll(async () => {
  await Promise.all([target?.close(), redis?.stop(), rm(dir, { recursive: true, force: true })]);
});

/** A configuration with the identities of gauntlet.yml, its own store, and the provider settings given. */
async function configWith(name: string, provider = '', generation = ''): Promise<string> {
  const file = path.join(dir, `${name}.yml`);
  const identities = (await readFile('gauntlet.yml', 'utf8')).split('\ntimeoutMs:')[0]!;
  await writeFile(
    file,
    `${identities}\nretries: 0\nstore: { dir: ${path.join(dir, name, 'store')} }\n` +
      `generation: { providers: [{ kind: openai, maxRetries: 1${provider} }]${generation} }\n`,
  );
  return file;
}

const PRICES = ', prices: { gpt-4.1-mini: { input: 0.4, output: 1.6 } }';
/** What the requests the local server counted cost at PRICES. */
const costAtPrices = () =>
  (openai().stats.promptTokens * 0.4 + openai().stats.completionTokens * 1.6) / 1_000_000;

const env = () => ({ OPENAI_BASE_URL: openai().url, OPENAI_API_KEY: openai().apiKey });

/** `gauntlet run` of the two journeys against the sample target. */
const runWith = (config: string, out: string) =>
  cliWith(env(), 'run', '--target', target.url, '--cases', cases, '--config', config, '--out', out);

/** `gauntlet generate` of the journeys in `from` (the two by default). */
const generateWith = (
  config: string,
  out: string,
  environment: Env = env(),
  from = cases,
  ...extra: string[]
) => cliWith(environment, 'generate', ...extra, '--cases', from, '--config', config, '--out', out);

async function generated(file: string): Promise<TestCase[]> {
  return TestCase.array().parse(JSON.parse(await readFile(file, 'utf8')));
}

async function runSummary(out: string) {
  return {
    summary: RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8'))),
    report: await readFile(path.join(out, 'report.md'), 'utf8'),
  };
}

describe('an LLM configured by the environment', () => {
  it('adds its cases to the rules', async () => {
    openai().setDefaultReply(proposal);
    const config = await configWith('adds');
    const out = path.join(dir, 'adds-run');
    const run = await runWith(config, out);
    expect(run.stderr).toContain(`Generating with the rules and ${MODEL}`);
    expect(run.code).toBe(0);
    const { summary, report } = await runSummary(out);
    const fromLlm = summary.results.filter((r) => r.origin.generator === MODEL);
    expect(fromLlm.map((r) => [r.title, r.status]).sort()).toEqual([
      ['List projects: needs a sign-in', 'passed'],
      ['Sign Up: refuses a password of three characters', 'passed'],
    ]);
    expect(summary.results.filter((r) => r.origin.generator !== MODEL).length).toBeGreaterThan(10);
    // The journey text went to the model as data, and what the server counted is what the run reports.
    // Two plans and the report's summary.
    expect(openai().requests).toHaveLength(3);
    expect(summary.generation!.usage).toMatchObject({
      requests: 3,
      promptTokens: openai().stats.promptTokens,
      completionTokens: openai().stats.completionTokens,
    });
    expect(summary.generation!.degraded).toBe(false);
    expect(report).toMatch(/2 cases from openai\/gpt-4\.1-mini/);
    expect(report).toMatch(/The LLM was asked 3 times: [\d,]+ prompt and [\d,]+ completion tokens/);
    expect(report).toContain(
      `## Summary\n\n${SUMMARY.summary}\n\n_Written by ${MODEL} from the findings below._`,
    );
  });

  it('explores with it too, and every request it answered, plans, edge cases and the summary, is in the cost', async () => {
    openai().setDefaultReply(proposal);
    const config = await configWith('explores', '', PRICES);
    const out = path.join(dir, 'explores-run');
    const explored = await cliWith(
      env(),
      'explore',
      '--target',
      target.url,
      '--cases',
      cases,
      '--config',
      config,
      '--out',
      out,
      '--max-rounds',
      '1',
    );
    expect(explored.code).toBe(0);
    const asked = openai().requests.map((r) => messageText(r.chat!.messages.at(-1)!));
    // Two plans, the two journeys' results to explore, and the summary.
    expect(asked.filter((text) => text.startsWith('Task: write a test plan'))).toHaveLength(2);
    expect(asked.filter((text) => text.startsWith('Task: the "results" block'))).toHaveLength(2);
    expect(openai().requests).toHaveLength(5);
    const { summary } = await runSummary(out);
    expect(summary.generation!.usage.requests).toBe(5);
    expect(summary.generation!.usage.promptTokens).toBe(openai().stats.promptTokens);
    expect(summary.generation!.usage.costUsd).toBeCloseTo(costAtPrices(), 12);
    expect(summary.generation!.usage.costUsd).toBeGreaterThan(0);
  });

  it('writes the summary only from findings that exist: one that names another is replaced by the template', async () => {
    openai().setDefaultReply((request) =>
      asksForSummary(request)
        ? {
            summary: 'A serious data leak was found (F-deadbeef). Users are at risk.',
            recommendations: [{ text: 'Fix F-deadbeef at once.', findings: ['F-deadbeef'] }],
          }
        : proposal(request),
    );
    const config = await configWith('grounded');
    const out = path.join(dir, 'grounded-run');
    const run = await runWith(config, out);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `The summary ${MODEL} wrote was not used: it names findings that do not exist: F-deadbeef. The template wrote it.`,
    );
    const { report } = await runSummary(out);
    expect(report).not.toContain('F-deadbeef');
    expect(report).toMatch(/## Summary\n\nAll \d+ tests against http:\/\/127\.0\.0\.1:\d+\/ passed\.\n/);
  });

  it('is off with neither a key nor a base URL, and with --rules-only', async () => {
    const config = await configWith('off');
    const out = path.join(dir, 'off.json');
    const none = await generateWith(config, out, {});
    expect(none.code).toBe(0);
    expect(none.stderr).not.toContain('Generating with');
    const rulesOnly = await generateWith(config, out, env(), cases, '--rules-only');
    expect(rulesOnly.code).toBe(0);
    expect((await generated(out)).filter((c) => c.origin.generator === MODEL)).toEqual([]);
    expect(openai().stats.requests).toBe(0);
  });

  it('works with a key alone (the OpenAI API) or a base URL alone (a local server), from the configuration', async () => {
    openai().setDefaultReply(proposal);
    // No key: a local server needs none; the configuration names the server.
    const local = await configWith('local', `, baseUrl: '${openai().url}', model: gpt-4.1-mini`);
    const out = path.join(dir, 'local.json');
    const generatedLocally = await generateWith(local, out, {});
    expect(generatedLocally.code).toBe(0);
    expect((await generated(out)).filter((c) => c.origin.generator === MODEL)).toHaveLength(2);
    expect(openai().requests.every((r) => r.headers.authorization === 'Bearer no-key')).toBe(true);
    // A key in the variable the configuration names; the base URL from OPENAI_BASE_URL.
    const keyed = await configWith('keyed', ', apiKeyEnv: TEAM_LLM_KEY');
    const withKey = await generateWith(keyed, out, {
      OPENAI_BASE_URL: openai().url,
      TEAM_LLM_KEY: 'sk-team',
    });
    expect(withKey.code).toBe(0);
    expect(openai().requests.at(-1)!.headers.authorization).toBe('Bearer sk-team');
  });
});

describe('a misconfigured LLM', () => {
  it('is a usage error when OPENAI_BASE_URL is not a URL, before anything runs', async () => {
    const config = await configWith('bad-url');
    const result = await generateWith(config, path.join(dir, 'bad.json'), {
      OPENAI_BASE_URL: 'localhost:11434/v1',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'gauntlet: OPENAI_BASE_URL must be an http(s) URL such as http://127.0.0.1:11434/v1, got "localhost:11434/v1"\n',
    );
  });
});

describe('the generation cache', () => {
  it('asks the LLM nothing on a second run over unchanged user cases, and again once a user case changes', async () => {
    openai().setDefaultReply(proposal);
    const config = await configWith('cache');
    const generate = (out: string) => generateWith(config, path.join(dir, out));
    expect((await generate('first.json')).code).toBe(0);
    expect(openai().stats.requests).toBe(2);
    const second = await generate('second.json');
    expect(second.code).toBe(0);
    expect(openai().stats.requests).toBe(2);
    expect(await generated(path.join(dir, 'second.json'))).toEqual(
      await generated(path.join(dir, 'first.json')),
    );

    const changed = path.join(dir, 'changed-cases');
    await mkdir(changed, { recursive: true });
    await writeFile(path.join(changed, 'projects.yml'), PROJECTS);
    await writeFile(path.join(changed, 'sign-up.yml'), SIGN_UP.replace('name: New', 'name: Newer'));
    const third = await generateWith(config, path.join(dir, 'third.json'), env(), changed);
    expect(third.code).toBe(0);
    // Only the changed journey is asked anew; the other moved to another folder and keeps its cache.
    expect(openai().stats.requests).toBe(3);
    // Another base URL (here the same server, written with a trailing slash) is another cache: its answers may differ.
    const elsewhere = { ...env(), OPENAI_BASE_URL: `${openai().url}/` };
    expect((await generateWith(config, path.join(dir, 'fourth.json'), elsewhere)).code).toBe(0);
    expect(openai().stats.requests).toBe(5);
  });

  it('keeps the cache in Redis when GAUNTLET_REDIS_URL is set, shared by every runner', async () => {
    openai().setDefaultReply(proposal);
    const config = await configWith('redis');
    const redisEnv = { ...env(), GAUNTLET_REDIS_URL: redis.url };
    for (const out of ['redis-1.json', 'redis-2.json']) {
      const result = await generateWith(config, path.join(dir, out), redisEnv);
      expect(result.code).toBe(0);
    }
    expect(openai().stats.requests).toBe(2);
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys(`gauntlet:generation:${MODEL}:*`);
      expect(keys).toHaveLength(2);
      // Kept for generation.cacheTtlDays (30), then asked again.
      const ttl = await client.pttl(keys[0]!);
      expect(ttl).toBeGreaterThan(29 * 86_400_000);
      expect(ttl).toBeLessThanOrEqual(30 * 86_400_000);
    } finally {
      client.disconnect();
    }
  });

  it('falls back to files when Redis cannot be reached, and says so', async () => {
    openai().setDefaultReply(proposal);
    const config = await configWith('no-redis');
    const redisEnv = { ...env(), GAUNTLET_REDIS_URL: 'redis://:secret@127.0.0.1:1' };
    const first = await generateWith(config, path.join(dir, 'nr.json'), redisEnv);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(
      /cannot reach Redis at redis:\/\/\[redacted\]@127\.0\.0\.1:1.*; keeping the generation cache in .*no-redis/,
    );
    expect(first.stderr).not.toContain('secret');
    await generateWith(config, path.join(dir, 'nr.json'), redisEnv);
    expect(openai().stats.requests).toBe(2);
  });
});

describe('a broken LLM', () => {
  it('never fails the run: a timeout and 500s degrade it to the rules, and the report says so', async () => {
    openai().setDefaultReply(proposal);
    openai().fault({ kind: 'timeout' });
    openai().fault({ kind: 'server-error', times: 2 });
    const config = await configWith('broken', ', timeoutMs: 1000');
    const out = path.join(dir, 'broken-run');
    const run = await runWith(config, out);
    expect(run.code).toBe(0);
    const { summary, report } = await runSummary(out);
    expect(summary.totals.failed).toBe(0);
    expect(summary.results.length).toBeGreaterThan(10);
    expect(summary.results.filter((r) => r.origin.generator === MODEL)).toEqual([]);
    const generation = summary.generation!;
    expect(generation.degraded).toBe(true);
    expect(generation.providers[1]).toMatchObject({ name: MODEL, failed: 2, cases: 0 });
    expect(generation.providers[1]!.errors).toEqual([
      expect.stringMatching(/^Projects: .*no answer from .* within 1000 ms/),
      expect.stringMatching(/^Sign up: .*failed \(500: .*\(after 2 attempts\)/),
    ]);
    // Three attempts were made and are counted, though none gave a case; then the report's summary.
    expect(generation.usage.requests).toBe(4);
    expect(report).toMatch(
      /\*\*Degraded run:\*\* openai\/gpt-4\.1-mini failed for 2 journeys .*2 journeys got no LLM cases/,
    );
    // Nothing that failed was cached: the next run asks again and gets its cases.
    const again = await generateWith(config, path.join(dir, 'again.json'));
    expect(again.code).toBe(0);
    expect(
      (await generated(path.join(dir, 'again.json'))).filter((c) => c.origin.generator === MODEL),
    ).toHaveLength(2);
  });

  it('drops garbage and cases that reach another host, counting every token spent on them', async () => {
    // The first journey gets garbage twice (the reply and the corrected one); the second a case for another host.
    openai().fault({ kind: 'malformed-content', times: 2 });
    openai().reply((request) => {
      const reply = proposal(request) as ReturnType<typeof planOf>;
      reply.cases.push({
        ...reply.cases[0]!,
        title: 'List projects: from elsewhere',
        requests: [wireRequest({ api: 'GET https://attacker.example/api/projects' })],
      });
      return reply;
    });
    const config = await configWith('garbage');
    const out = path.join(dir, 'garbage-run');
    const run = await runWith(config, out);
    expect(run.code).toBe(0);
    const { summary, report } = await runSummary(out);
    const generation = summary.generation!;
    expect(generation.providers[1]).toMatchObject({ name: MODEL, failed: 1, dropped: 1, cases: 1 });
    expect(summary.results.filter((r) => r.origin.generator === MODEL).map((r) => r.title)).toEqual([
      'Sign Up: refuses a password of three characters',
    ]);
    // Two garbage replies, one plan, and the report's summary.
    expect(generation.usage).toMatchObject({
      requests: 4,
      promptTokens: openai().stats.promptTokens,
      completionTokens: openai().stats.completionTokens,
    });
    expect(report).toContain('1 cases proposed by openai/gpt-4.1-mini were not valid and were left out.');
  });
});
