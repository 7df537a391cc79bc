// The regression suite: generated cases written to files people review and commit (`gauntlet generate --save`),
// then read back on every run. One JSON file per journey; JSON is read with the YAML reader so a damaged file is
// reported with its line and column.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { TestCase } from '../cases/index.ts';
import { parseYamlDocuments } from '../cases/yaml-source.ts';
import type { Loaded, SourceError } from '../cases/index.ts';

const RegressionFile = z
  .object({
    gauntlet: z.literal('regression-cases'),
    journey: z.string(),
    cases: z.array(TestCase),
  })
  .strict();

/** Reads every `*.json` file of the folder; an absent folder is an empty suite. */
export async function loadRegressionCases(dir: string): Promise<Loaded<TestCase[]>> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: [] };
    throw error;
  }
  const cases: TestCase[] = [];
  const errors: SourceError[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const parsed = parseYamlDocuments(await readFile(file, 'utf8'), file, RegressionFile);
    if (!parsed.ok) {
      errors.push(...parsed.errors);
      continue;
    }
    for (const document of parsed.documents) cases.push(...document.value.cases);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: cases };
}

/**
 * Writes the cases to the folder, a file per journey (named after it), replacing those journeys' files and
 * leaving the others. Returns the files written.
 */
export async function saveRegressionCases(dir: string, cases: readonly TestCase[]): Promise<string[]> {
  const byJourney = new Map<string, TestCase[]>();
  for (const testCase of cases) {
    const list = byJourney.get(testCase.origin.journey) ?? [];
    list.push(testCase);
    byJourney.set(testCase.origin.journey, list);
  }
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const used = new Set<string>();
  for (const [journey, list] of [...byJourney].sort(([a], [b]) => a.localeCompare(b))) {
    // Two journeys whose names differ only in punctuation get files of their own.
    let name = slug(journey);
    for (let n = 2; used.has(name); n++) name = `${slug(journey)}-${n}`;
    used.add(name);
    const file = path.join(dir, `${name}.json`);
    const content = { gauntlet: 'regression-cases', journey, cases: list };
    await writeFile(file, `${JSON.stringify(content, null, 2)}\n`);
    written.push(file);
  }
  return written;
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'journey'
  );
}
