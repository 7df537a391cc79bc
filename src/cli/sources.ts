// Reads what the user named on the command line: user-case files and gauntlet.yml.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SourceText } from '../cases/index.ts';
import { UsageError } from './usage-error.ts';

const YAML_FILE = /\.ya?ml$/;

/** Every YAML file under `location` (a file or a folder), in a stable order; the JSON Schema beside them is not one. */
export async function readUserCaseSources(location: string): Promise<SourceText[]> {
  const info = await stat(location).catch(() => undefined);
  if (!info) throw new UsageError(`cannot read user cases: ${location} does not exist`);
  const files = info.isDirectory()
    ? (await readdir(location, { recursive: true }))
        .filter((name) => YAML_FILE.test(name))
        .map((name) => path.join(location, name))
        .sort()
    : [location];
  return Promise.all(files.map(async (file) => ({ path: file, text: await readFile(file, 'utf8') })));
}

/** gauntlet.yml when present; a missing file is an error only when the user named it. */
export async function readConfigSource(file: string, named: boolean): Promise<SourceText | undefined> {
  try {
    return { path: file, text: await readFile(file, 'utf8') };
  } catch (error) {
    if (!named && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read the configuration ${file}: ${(error as Error).message}`);
  }
}
