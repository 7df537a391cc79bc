// Turns user-case and config texts into validated values that remember where each step and case was written.
import { GauntletConfig } from './config.ts';
import { UserCase } from './user-case.ts';
import {
  closestNames,
  isBuiltInPlaceholder,
  malformedPlaceholders,
  placeholderOccurrences,
  singleBracedNames,
} from './template.ts';
import { formatPath, parseYamlDocuments } from './yaml-source.ts';
import type { PathSegment, Position, SourceDocument, SourceError } from './yaml-source.ts';

export interface SourceText {
  path: string;
  text: string;
}

export interface LoadedUserCase {
  file: string;
  userCase: UserCase;
  at: Position;
  steps: {
    at: Position;
    cases: Position[];
    /** Where each {{placeholder}} of the step (its cases included) is first written, for errors about its name. */
    placeholders?: Record<string, Position>;
    /** Where each plain name in single braces (`{basketId}`) outside the path is first written. */
    braced?: Record<string, Position>;
  }[];
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
    const locate = placeLocator(source);
    for (const doc of parsed.documents) {
      loaded.push({
        file: source.path,
        userCase: doc.value,
        at: doc.positionOf([]),
        steps: doc.value.steps.map((step, i) => {
          const { placeholders, braced, problems } = placeholdersOfStep(doc, i, locate);
          errors.push(...problems);
          return {
            at: doc.positionOf(['steps', i]),
            cases: (step.cases ?? []).map((_, j) => doc.positionOf(['steps', i, 'cases', j])),
            placeholders,
            braced,
          };
        }),
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
  const problems = identityPlaceholderProblems(doc, placeLocator(source));
  if (problems.length > 0) return { ok: false, errors: problems };
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

/** The request fields whose strings are sent, and so whose placeholders are filled. */
const SENT_FIELDS = ['api', 'params', 'query', 'headers', 'example', 'rawBody', 'form'] as const;

/** Finds the file position of a piece of text written inside the value that starts at `from`. */
type Locate = (from: Position, text: string) => Position & { file: string };

function placeLocator(source: SourceText): Locate {
  const lineStarts = [0];
  for (let i = source.text.indexOf('\n'); i !== -1; i = source.text.indexOf('\n', i + 1))
    lineStarts.push(i + 1);
  return (from, text) => {
    const start = (lineStarts[from.line - 1] ?? 0) + from.column - 1;
    // A quoted string with escapes is not its own text in the file: the value's start is the nearest place.
    const found = source.text.indexOf(text, start);
    if (found === -1) return { file: source.path, ...from };
    let line = from.line;
    while (line < lineStarts.length && lineStarts[line]! <= found) line++;
    return { file: source.path, line, column: found - lineStarts[line - 1]! + 1 };
  };
}

/**
 * Where each placeholder of a step's requests (its own, its cases' and their steps') is first written, and the
 * placeholder-like text that would be sent literally (`{shopper.bid}`, an unclosed `{{`), as errors at that text.
 */
function placeholdersOfStep(
  doc: SourceDocument<UserCase>,
  stepIndex: number,
  locate: Locate,
): { placeholders: Record<string, Position>; braced: Record<string, Position>; problems: SourceError[] } {
  // Keyed by names a user case writes: no prototype, so "toString" or "__proto__" are names like any other.
  const placeholders = Object.create(null) as Record<string, Position>;
  const braced = Object.create(null) as Record<string, Position>;
  const problems: SourceError[] = [];
  const step = doc.value.steps[stepIndex]!;
  const requests: { hint: Record<string, unknown>; path: PathSegment[] }[] = [
    { hint: step, path: ['steps', stepIndex] },
  ];
  (step.cases ?? []).forEach((entry, j) => {
    if (typeof entry === 'string') return;
    const casePath = ['steps', stepIndex, 'cases', j];
    requests.push({ hint: entry, path: casePath });
    entry.steps?.forEach((hint, k) => requests.push({ hint, path: [...casePath, 'steps', k] }));
  });
  for (const { hint, path } of requests) {
    for (const field of SENT_FIELDS) {
      visitStringsAt(hint[field], [...path, field], (text, at) => {
        const from = doc.positionOf(at);
        for (const { name, index } of placeholderOccurrences(text)) {
          const written = text.slice(index, text.indexOf('}}', index) + 2);
          placeholders[name] ??= strip(locate(from, written));
        }
        // In a path `{id}` is a path parameter; in a raw body it is the text sent.
        if (field !== 'api' && field !== 'rawBody') {
          for (const { name, index } of singleBracedNames(text))
            braced[name] ??= strip(locate(from, text.slice(index, text.indexOf('}', index) + 1)));
        }
        for (const problem of malformedPlaceholders(text)) {
          problems.push({ ...locate(from, problem.text), message: `${formatPath(at)}: ${problem.message}` });
        }
      });
    }
  }
  return { placeholders, braced, problems };
}

/**
 * Placeholders of the identities' sign-in requests, headers and cookies that would be sent literally or that name
 * nothing: each may use what an earlier sign-in step captured, and the built-ins.
 */
function identityPlaceholderProblems(doc: SourceDocument<GauntletConfig>, locate: Locate): SourceError[] {
  const problems: SourceError[] = [];
  for (const [name, identity] of Object.entries(doc.value.identities)) {
    const captured: string[] = [];
    const check = (value: unknown, path: PathSegment[]) =>
      visitStringsAt(value, path, (text, at) => {
        const from = doc.positionOf(at);
        for (const problem of malformedPlaceholders(text))
          problems.push({ ...locate(from, problem.text), message: `${formatPath(at)}: ${problem.message}` });
        for (const { name: used, index } of placeholderOccurrences(text)) {
          if (captured.includes(used) || isBuiltInPlaceholder(used)) continue;
          const near = closestNames(used, [...captured, '$uid']);
          const later = identity.steps.some(
            (step) => step.capture !== undefined && Object.hasOwn(step.capture, used),
          );
          const hint = later
            ? 'a later sign-in step captures it: steps run in order'
            : near.length
              ? `did you mean ${near.map((n) => `{{${n}}}`).join(' or ')}?`
              : captured.length
                ? `its sign-in captures ${captured.join(', ')}`
                : 'its sign-in captures nothing: add capture: { token: body.token } to a step';
          problems.push({
            ...locate(from, text.slice(index, text.indexOf('}}', index) + 2)),
            message: `${formatPath(at)}: {{${used}}} is not captured by an earlier sign-in step of "${name}" (${hint})`,
          });
        }
      });
    identity.steps.forEach((hint, k) => {
      for (const field of SENT_FIELDS) check(hint[field], ['identities', name, 'steps', k, field]);
      captured.push(...Object.keys(hint.capture ?? {}));
    });
    check(identity.headers, ['identities', name, 'headers']);
    check((identity as { cookies?: unknown }).cookies, ['identities', name, 'cookies']);
  }
  return problems;
}

function strip({ line, column }: Position): Position {
  return { line, column };
}

function visitStringsAt(
  value: unknown,
  path: PathSegment[],
  visit: (text: string, path: PathSegment[]) => void,
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => visitStringsAt(item, [...path, i], visit));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) visitStringsAt(item, [...path, key], visit);
}
