// Writes the model's JSON Schemas: user-cases/schema.json for editors, schemas/*.json for tools and LLM output.
// `--check` fails when a committed file differs from what the model gives, so the files cannot drift.
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { GauntletConfig, RunSummary, TestCase, UserCase } from '../src/cases/index.ts';

const outputs: [string, z.ZodType, string][] = [
  ['user-cases/schema.json', UserCase, 'Gauntlet user case'],
  ['schemas/gauntlet-config.json', GauntletConfig, 'Gauntlet configuration (gauntlet.yml)'],
  ['schemas/test-case.json', TestCase, 'Gauntlet test case'],
  ['schemas/results.json', RunSummary, 'Gauntlet run results (results.json)'],
];

const check = process.argv.includes('--check');
let stale = 0;
for (const [file, schema, title] of outputs) {
  const json = { title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) };
  const text = `${JSON.stringify(json, null, 2)}\n`;
  if (check) {
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current !== text) {
      console.error(`${file} is out of date: run npm run schema`);
      stale++;
    }
  } else {
    await writeFile(file, text);
    console.log(`wrote ${file}`);
  }
}
process.exitCode = stale ? 1 : 0;
