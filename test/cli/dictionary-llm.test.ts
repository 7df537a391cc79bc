// With an LLM configured, a first run from a description asks it for value-dictionary entries for the names the
// table does not know, before any value is chosen: a service whose code is reached only by real words ("celadon",
// a glaze) is reached. The answer is cached in the run store like every generation, and a model that fails costs
// the entries, never the run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { RunSummary } from '../../src/cases/index.ts';
import { cliWith } from '../support/cli.ts';
import { messageText } from '../support/openai/index.ts';
import type { ChatRequest } from '../support/openai/index.ts';
import { useOpenAiServer } from '../support/openai/jest.ts';

const openai = useOpenAiServer();
const GLAZES = ['celadon', 'tenmoku', 'shino'];

let dir: string;
let server: http.Server;
let target: string;
/** The glazes the service was asked to fire: only a real one reaches its kiln. */
const fired = new Set<string>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-dictionary-llm-'));
  server = http.createServer((request, response) => {
    const url = new URL(request.url!, 'http://localhost');
    const glaze = url.searchParams.get('glaze') ?? '';
    response.setHeader('content-type', 'application/json');
    if (url.pathname !== '/firings' || request.method !== 'GET') {
      response.writeHead(404).end('{"error":"not found"}');
    } else if (GLAZES.includes(glaze)) {
      fired.add(glaze);
      response.end(JSON.stringify({ glaze, cone: 10 }));
    } else {
      response.writeHead(400).end('{"error":"unknown glaze"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await writeFile(
    path.join(dir, 'kiln.yaml'),
    stringify({
      openapi: '3.0.3',
      info: { title: 'Kiln', version: '1' },
      paths: {
        '/firings': {
          get: {
            operationId: 'fire',
            parameters: [{ name: 'glaze', in: 'query', required: true, schema: { type: 'string' } }],
            responses: {
              '200': {
                description: 'Fired.',
                content: { 'application/json': { schema: { type: 'object' } } },
              },
              '400': {
                description: 'No such glaze.',
                content: { 'application/json': { schema: { type: 'object' } } },
              },
            },
          },
        },
      },
    }),
  );
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Whether a request asks for dictionary entries (rather than test cases or a summary). */
const asksForEntries = (request: ChatRequest) =>
  messageText(request.messages[0]!).includes('choose test values with meaning');

/** The model: glazes for the dictionary, no cases for a plan, the smallest summary for the report. */
function model(request: ChatRequest) {
  if (asksForEntries(request)) {
    return { entries: [{ name: 'glaze', topic: 'pottery glaze', valid: ['celadon'], invalid: ['plastic'] }] };
  }
  const schema = (request.response_format as { json_schema?: { name?: string } }).json_schema?.name;
  return schema === 'report_summary' ? { summary: 'Fine.', recommendations: [] } : { cases: [] };
}

async function run(name: string, store = 'store') {
  const config = path.join(dir, `${name}.yml`);
  await writeFile(
    config,
    stringify({
      retries: 0,
      store: { dir: path.join(dir, store) },
      generation: { providers: [{ kind: 'openai', maxRetries: 0 }] },
    }),
  );
  const out = path.join(dir, name);
  const env = { OPENAI_BASE_URL: openai().url, OPENAI_API_KEY: openai().apiKey };
  const args = ['--no-cases', '--openapi', path.join(dir, 'kiln.yaml'), '--config', config];
  const result = await cliWith(env, 'run', ...args, '--target', target, '--out', out);
  const summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
  return { ...result, summary };
}

describe('value-dictionary entries from an LLM', () => {
  it('reaches code that only real words reach, and asks once: the next run reads the cache', async () => {
    openai().setDefaultReply(model);
    const first = await run('first');
    expect(first.code).toBe(0);
    expect(fired.has('celadon')).toBe(true);
    expect(first.stderr).toContain(
      'openai/gpt-4.1-mini proposed value-dictionary entries for 1 name the table does not know.',
    );
    const asked = openai().requests.filter((r) => asksForEntries(r.chat!));
    expect(asked).toHaveLength(1);
    expect(JSON.stringify(asked[0]!.chat!.messages)).toContain('glaze');
    // What the entries cost is in the run's figures with the rest.
    expect(first.summary.generation!.usage.requests).toBe(openai().requests.length);
    expect(first.summary.generation!.notes).toContain(
      'openai/gpt-4.1-mini proposed value-dictionary entries for 1 name the table does not know.',
    );

    fired.clear();
    const second = await run('second');
    expect(second.code).toBe(0);
    expect(fired.has('celadon')).toBe(true);
    expect(second.stderr).toContain('name the table does not know (from the cache).');
    expect(openai().requests.filter((r) => asksForEntries(r.chat!))).toHaveLength(1);
  });

  it('runs on without entries when the model fails, and says so', async () => {
    openai().setDefaultReply(model);
    openai().fault({ kind: 'server-error', status: 503 });
    fired.clear();
    const result = await run('failing', 'store-of-a-failing-model');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/openai\/gpt-4\.1-mini proposed no value-dictionary entries: .+\.\n/);
    // The table alone chose the value: no real glaze, and the service's refusal is no finding.
    expect(fired.size).toBe(0);
    expect(result.summary.totals.failed).toBe(0);
  });
});
