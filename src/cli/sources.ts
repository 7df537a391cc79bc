// Reads what the user named on the command line: user-case files and gauntlet.yml.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Limits } from '../cases/index.ts';
import type { SourceText } from '../cases/index.ts';
import { ReadRefused, readRegularFile } from '../generate/openapi/confined-read.ts';
import { UsageError } from './usage-error.ts';

const YAML_FILE = /\.ya?ml$/;

/** What a folder of user cases is searched for, as the messages say it. */
export const USER_CASE_FILES = '*.yml and *.yaml files, in subfolders too';

export type UserCaseSizeLimits = Pick<Limits, 'maxUserCaseFileBytes' | 'maxUserCasesBytes'>;

const DEFAULT_SIZE_LIMITS: UserCaseSizeLimits = Limits.parse({});

/**
 * Every YAML file under `location` (a file or a folder), in a stable order; the JSON Schema beside them is not one.
 * A folder with none gives none: whether that is an error is the command's to say (`noUserCaseFiles`). Files over
 * the size limits are refused before they are read, and a file that is not UTF-8 text is refused whole, never
 * echoed: a picture renamed .yml would otherwise print its bytes as YAML errors.
 */
export async function readUserCaseSources(
  location: string,
  limits: UserCaseSizeLimits = DEFAULT_SIZE_LIMITS,
): Promise<SourceText[]> {
  const info = await stat(location).catch(() => undefined);
  if (!info) throw new UsageError(`cannot read user cases: ${location} does not exist`);
  const names = info.isDirectory()
    ? (await readdir(location, { recursive: true }))
        .filter((name) => YAML_FILE.test(name))
        .map((name) => path.join(location, name))
        .sort()
    : [location];
  const files = (
    await Promise.all(names.map(async (file) => ({ file, info: await stat(file).catch(() => undefined) })))
  ).filter((entry) => entry.info === undefined || !entry.info.isDirectory());
  assertSizes(
    location,
    files.map(({ file, info }) => ({ file, bytes: info?.size ?? 0 })),
    limits,
  );
  const read = await Promise.all(
    files.map(({ file }) => readUserCaseFile(file, limits.maxUserCaseFileBytes)),
  );
  const notText = read.flatMap((entry) => ('problem' in entry ? [entry.problem] : []));
  if (notText.length > 0) throw userCaseFileProblems(notText);
  return read.flatMap((entry) => ('text' in entry ? [entry] : []));
}

/** The error of a folder (or file list) that holds no user case: which folder, and what was searched for. */
export function noUserCaseFiles(location: string): string {
  return `no user-case files in ${location} (searched for ${USER_CASE_FILES})`;
}

/** Files over limits.maxUserCaseFileBytes, or all of them together over limits.maxUserCasesBytes, are refused. */
function assertSizes(
  location: string,
  files: readonly { file: string; bytes: number }[],
  limits: UserCaseSizeLimits,
): void {
  const perFile = limits.maxUserCaseFileBytes;
  const tooLarge = files
    .filter(({ bytes }) => bytes > perFile)
    .map(
      ({ file, bytes }) =>
        `${file}: ${sizeOf(bytes)}, more than limits.maxUserCaseFileBytes (${sizeOf(perFile)}) allows; ` +
        'split its journeys into several files, or raise limits.maxUserCaseFileBytes in gauntlet.yml',
    );
  if (tooLarge.length > 0) throw userCaseFileProblems(tooLarge);
  const total = files.reduce((sum, { bytes }) => sum + bytes, 0);
  if (total > limits.maxUserCasesBytes) {
    throw new UsageError(
      `the user cases in ${location} are ${sizeOf(total)} in ${files.length} files, more than ` +
        `limits.maxUserCasesBytes (${sizeOf(limits.maxUserCasesBytes)}) allows`,
      [
        'run a part of them (--cases <a file or subfolder>), or raise limits.maxUserCasesBytes in gauntlet.yml',
      ],
    );
  }
}

/** A user-case file's text, or why it has none; no more than `maxBytes` is read, even of a file that grows. */
async function readUserCaseFile(file: string, maxBytes: number): Promise<SourceText | { problem: string }> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, maxBytes, 'a user-case file');
  } catch (error) {
    if (error instanceof ReadRefused) return { problem: `${file}: ${error.message}` };
    throw new UsageError(`cannot read the user cases in ${file}: ${(error as Error).message}`);
  }
  const decoded = asText(bytes);
  if ('notText' in decoded) {
    return { problem: `${file}: not a text file (${decoded.notText}); user cases are YAML text in UTF-8` };
  }
  return { path: file, text: decoded.text };
}

/** The bytes as UTF-8 text, or why they are not text. */
function asText(bytes: Buffer): { text: string } | { notText: string } {
  if (bytes.includes(0)) return { notText: 'it holds NUL bytes' };
  try {
    // The byte-order mark is kept: positions are counted in the text as the parser sees it.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { notText: 'it is not valid UTF-8' };
  }
}

function userCaseFileProblems(problems: readonly string[]): UsageError {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return new UsageError(`the user cases are not valid: ${count}`, [...problems]);
}

/** A size as people read it, with the exact bytes when rounding hides them. */
function sizeOf(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const [value, unit] =
    bytes < 1_000_000
      ? [bytes / 1000, 'kB']
      : bytes < 1_000_000_000
        ? [bytes / 1_000_000, 'MB']
        : [bytes / 1_000_000_000, 'GB'];
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${unit}${Number.isInteger(value) ? '' : ` (${bytes.toLocaleString('en')} bytes)`}`;
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
