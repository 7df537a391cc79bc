// The LLM settings a command line (and so the root action's inputs) gives over the configuration's: the model the
// providers ask, and the run's LLM budget. Against the local OpenAI-compatible server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliWith } from '../support/cli.ts';
import { useOpenAiServer } from '../support/openai/jest.ts';

const openai = useOpenAiServer({ models: ['gpt-4.1-mini', 'gpt-4.1-nano'] });

let dir: string;
const journey = (name: string) =>
  `role: Listener\njourney: ${name}\nsteps:\n  - step: Health\n    api: GET /api/health\n    expect: { status: 200 }\n`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-llm-options-'));
  await mkdir(path.join(dir, 'cases'));
  await writeFile(path.join(dir, 'cases', 'first.yml'), journey('First'));
  await writeFile(path.join(dir, 'cases', 'second.yml'), journey('Second'));
  await writeFile(
    path.join(dir, 'gauntlet.yml'),
    `store: { dir: ${path.join(dir, 'store')} }\ngeneration: { cache: false, providers: [{ kind: openai, maxRetries: 0 }] }\n`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const generate = (...extra: string[]) =>
  cliWith(
    { OPENAI_BASE_URL: openai().url, OPENAI_API_KEY: openai().apiKey },
    'generate',
    '--cases',
    path.join(dir, 'cases'),
    '--config',
    path.join(dir, 'gauntlet.yml'),
    '--out',
    path.join(dir, 'cases.json'),
    ...extra,
  );

describe('LLM options on the command line', () => {
  it('--model is the model every provider asks, over the configuration’s', async () => {
    const { code, stderr } = await generate('--model', 'gpt-4.1-nano');
    expect(code).toBe(0);
    expect(stderr).toContain('Generating with the rules and openai/gpt-4.1-nano');
    expect(openai().requests.map((r) => r.chat!.model)).toEqual(['gpt-4.1-nano', 'gpt-4.1-nano']);
  });

  it('--llm-max-tokens stops asking once the run has spent them', async () => {
    const { code, stderr } = await generate('--llm-max-tokens', '1');
    expect(code).toBe(0);
    // The first journey's plan spends the budget; the second is not asked.
    expect(openai().requests).toHaveLength(1);
    expect(stderr).toMatch(/budget/i);
  });

  it.each([
    ['--llm-max-cost', 'abc', 'expected an amount of US dollars, such as 2.50'],
    ['--llm-max-cost', '-1', 'expected an amount of US dollars, such as 2.50'],
    ['--llm-max-cases', '1.5', 'expected a whole number from 0 to 1000000'],
    // An empty value (an unset variable in a script) is no number, not 0.
    ['--llm-max-cases', '', 'expected a whole number from 0 to 1000000'],
    ['--llm-max-tokens', ' ', 'expected a whole number from 0 to 1000000000'],
  ])('refuses %s %s', async (option, value, message) => {
    const { code, stderr } = await generate(option, value);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(openai().requests).toHaveLength(0);
  });
});
