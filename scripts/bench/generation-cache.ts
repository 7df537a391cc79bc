// bench:cache — what the generation cache saves: `gauntlet generate` over the seed's user cases twice, with an LLM
// (the local OpenAI-compatible server of the tests, which counts every request and token it answers), against an
// empty store. The first run asks the model once per journey; the second, over unchanged user cases, asks nothing.
//   npm run bench:cache                 # the store on files, in a temporary folder
//   GAUNTLET_REDIS_URL=redis://… npm run bench:cache   # the store on that Redis
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/program.ts';
import { startOpenAiServer, messageText, wireRequest } from '../../test/support/openai/index.ts';
import type { ChatRequest } from '../../test/support/openai/index.ts';

/** A model that proposes one case per journey: the first API step, called as the journey does, expecting no 5xx. */
function propose(request: ChatRequest) {
  const prompt = request.messages.map(messageText).join('\n');
  const step = /^\s*- index: (\d+)\n(?:(?!\s*- index:).*\n)*?\s*api: (\w+ \S+)$/m.exec(prompt);
  if (!step) return { cases: [] };
  return {
    cases: [
      {
        step: Number(step[1]),
        title: `${step[2]} answers without a server error`,
        category: 'happy-path',
        priority: 'medium',
        tags: ['bench'],
        requests: [wireRequest({ api: step[2], expect: { status: ['2xx', '3xx', '4xx'] } })],
      },
    ],
  };
}

const server = await startOpenAiServer({ defaultReply: propose });
const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-bench-cache-'));
try {
  const config = path.join(dir, 'gauntlet.yml');
  await writeFile(
    config,
    `${await readFile('gauntlet.yml', 'utf8')}\nstore: { dir: ${JSON.stringify(path.join(dir, 'store'))} }\n`,
  );
  const env = {
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: server.apiKey,
    ...(process.env.GAUNTLET_REDIS_URL && { GAUNTLET_REDIS_URL: process.env.GAUNTLET_REDIS_URL }),
  };
  const store = env.GAUNTLET_REDIS_URL ? 'Redis' : 'files';
  const generate = async (name: string) => {
    const before = { ...server.stats };
    let stdout = '';
    let stderr = '';
    const started = performance.now();
    const code = await runCli(['generate', '--config', config, '--out', path.join(dir, `${name}.json`)], {
      stdout: { write: (text: string) => void (stdout += text) },
      stderr: { write: (text: string) => void (stderr += text) },
      env,
    });
    const ms = performance.now() - started;
    if (code !== 0) throw new Error(`gauntlet generate failed (${code}):\n${stdout}${stderr}`);
    const cases = JSON.parse(await readFile(path.join(dir, `${name}.json`), 'utf8')) as {
      origin: { generator: string };
    }[];
    return {
      requests: server.stats.requests - before.requests,
      promptTokens: server.stats.promptTokens - before.promptTokens,
      completionTokens: server.stats.completionTokens - before.completionTokens,
      cases: cases.length,
      fromLlm: cases.filter((c) => c.origin.generator.startsWith('openai/')).length,
      ms,
    };
  };
  const first = await generate('first');
  const second = await generate('second');
  const line = (name: string, run: typeof first) =>
    `${name}: ${run.requests} LLM requests, ${run.promptTokens.toLocaleString('en')} prompt + ` +
    `${run.completionTokens.toLocaleString('en')} completion tokens; ${run.cases.toLocaleString('en')} cases ` +
    `(${run.fromLlm} from the LLM) in ${(run.ms / 1000).toFixed(2)} s`;
  console.log(`generation cache on ${store}, the seed's user cases (user-cases/), model ${server.models[0]}`);
  console.log(line('first run ', first));
  console.log(line('second run', second));
  console.log(
    `saved by the cache: ${first.requests - second.requests} of ${first.requests} requests, ` +
      `${(first.promptTokens + first.completionTokens - second.promptTokens - second.completionTokens).toLocaleString('en')} tokens`,
  );
  if (second.requests !== 0 || second.cases !== first.cases) {
    throw new Error(
      'the second run over unchanged user cases should ask the LLM nothing and give the same cases',
    );
  }
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
