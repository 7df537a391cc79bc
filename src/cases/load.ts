// Turns user-case and config texts into validated values that remember where each step and case was written.
import { GauntletConfig } from './config.ts';
import { UserCase } from './user-case.ts';
import { parseYamlDocuments } from './yaml-source.ts';
import type { PathSegment, Position, SourceError } from './yaml-source.ts';

export interface SourceText {
  path: string;
  text: string;
}

export interface LoadedUserCase {
  file: string;
  userCase: UserCase;
  at: Position;
  steps: { at: Position; cases: Position[] }[];
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; errors: SourceError[] };

/** Loads every user-case file; any problem in any file fails the load, and all problems are reported. */
export function loadUserCases(sources: readonly SourceText[]): Loaded<LoadedUserCase[]> {
  const errors: SourceError[] = [];
  const loaded: LoadedUserCase[] = [];
  for (const source of sources) {
    const parsed = parseYamlDocuments(source.text, source.path, UserCase);
    if (!parsed.ok) {
      errors.push(...parsed.errors);
      continue;
    }
    for (const doc of parsed.documents) {
      loaded.push({
        file: source.path,
        userCase: doc.value,
        at: doc.positionOf([]),
        steps: doc.value.steps.map((step, i) => ({
          at: doc.positionOf(['steps', i]),
          cases: (step.cases ?? []).map((_, j) => doc.positionOf(['steps', i, 'cases', j])),
        })),
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  if (loaded.length === 0) {
    return {
      ok: false,
      errors: [{ file: '(cases)', line: 1, column: 1, message: 'no user-case files found' }],
    };
  }
  return { ok: true, value: loaded };
}

/** Loads gauntlet.yml; an absent file means the defaults. */
export function loadConfig(source: SourceText | undefined): Loaded<GauntletConfig> {
  const loaded = loadConfigWithPositions(source);
  return loaded.ok ? { ok: true, value: loaded.value.config } : loaded;
}

/** gauntlet.yml and where each of its keys is written, for errors about a value that is valid but does not work. */
export interface LoadedConfig {
  config: GauntletConfig;
  /**
   * `file:line:column` of the value at `path` (or of the nearest key above it that is written); undefined without a
   * file.
   */
  placeOf(path: readonly PathSegment[]): string | undefined;
}

/** Loads gauntlet.yml as loadConfig does, keeping a way back from a key to its place in the file. */
export function loadConfigWithPositions(source: SourceText | undefined): Loaded<LoadedConfig> {
  if (!source) return { ok: true, value: { config: GauntletConfig.parse({}), placeOf: () => undefined } };
  const parsed = parseYamlDocuments(source.text, source.path, GauntletConfig);
  if (!parsed.ok) return parsed;
  if (parsed.documents.length !== 1) {
    return {
      ok: false,
      errors: [{ file: source.path, line: 1, column: 1, message: 'expected exactly one YAML document' }],
    };
  }
  const doc = parsed.documents[0]!;
  return {
    ok: true,
    value: {
      config: doc.value,
      placeOf: (path) => {
        const { line, column } = doc.positionOf(path);
        return `${source.path}:${line}:${column}`;
      },
    },
  };
}
