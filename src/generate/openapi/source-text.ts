// A description's text: read from a file or a URL, parsed, and able to say where any of its values is written.
// JSON is read by JSON.parse and located by a small scanner, because the yaml package's syntax tree takes seconds on a
// description the size of GitHub's (13 MB); YAML is read with that tree.
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import type { Position } from '../../cases/index.ts';
import {
  fetchWithinOrigin,
  isHttpUrl,
  readRegularFile,
  ReadRefused,
  ReadStatusError,
} from './confined-read.ts';
import { ApiDescriptionError } from './errors.ts';

export type PathSegment = string | number;

export interface ParsedText {
  value: unknown;
  /** Where the value at `path` is written: the key of a mapping entry, the item of a list; else its nearest parent. */
  positionOf(path: readonly PathSegment[]): Position;
}

export function isUrl(source: string): boolean {
  return isHttpUrl(source);
}

/**
 * The description's own text. A local one must be a regular file (not a pipe, a device or a file of /proc); a remote
 * one is read from its origin only, redirects included; neither may be larger than MAX_FILE_BYTES.
 */
export async function readDescriptionText(source: string, timeoutMs: number): Promise<string> {
  if (!isUrl(source)) {
    try {
      return (await readRegularFile(source)).toString('utf8');
    } catch (error) {
      throw new ApiDescriptionError(source, `cannot be read: ${(error as Error).message}`, undefined, {
        cause: error,
      });
    }
  }
  try {
    const body = await fetchWithinOrigin(source, {
      origin: new URL(source).origin,
      timeoutMs,
      accept: 'application/yaml, application/json;q=0.9, */*;q=0.5',
    });
    return body.toString('utf8');
  } catch (error) {
    const e = error as Error & { cause?: Error };
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : e instanceof ReadRefused || e instanceof ReadStatusError
          ? e.message
          : String(e.cause?.message ?? e.message);
    throw new ApiDescriptionError(source, `cannot be fetched: ${why}`, undefined, { cause: error });
  }
}

/** Parses JSON or YAML; a syntax error is an ApiDescriptionError at its line and column. */
export function parseDescriptionText(text: string, source: string): ParsedText {
  if (/^\s*[{[]/.test(text)) {
    try {
      const value: unknown = JSON.parse(text);
      return { value, positionOf: jsonLocator(text) };
    } catch {
      // Not strict JSON: YAML reads it, or says where it is wrong.
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problem = doc.errors[0];
  if (problem) {
    const message = problem.message.split('\n')[0]!.trim();
    throw new ApiDescriptionError(source, `not valid YAML or JSON: ${message}`, at(problem.pos[0]));
  }
  return {
    value: doc.toJS({ maxAliasCount: 1000 }),
    positionOf: (path) => at(yamlOffsetOf(doc.contents, path)),
  };
}

/** Each mapping's keys, indexed the first time a path goes through it: one lookup per segment, not one scan. */
const yamlKeys = new WeakMap<object, Map<string, Pair>>();

function keysOf(node: YAMLMap): Map<string, Pair> {
  let keys = yamlKeys.get(node);
  if (!keys) {
    keys = new Map();
    for (const item of node.items) {
      // Keys compare as text: YAML reads `201:` as a number, a JSON pointer says "201".
      const name = isScalar(item.key) ? String(item.key.value) : undefined;
      if (name !== undefined && !keys.has(name)) keys.set(name, item as Pair);
    }
    yamlKeys.set(node, keys);
  }
  return keys;
}

function yamlOffsetOf(root: unknown, path: readonly PathSegment[]): number {
  let node = root as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = keysOf(node).get(String(segment));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && node.items[Number(segment)] !== undefined) {
      node = node.items[Number(segment)] as Node;
      offset = node.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

interface Member {
  key: number;
  value: number;
}

/** Finds values in JSON text by walking it, skipping what is not on the way; each container is scanned once. */
function jsonLocator(text: string): (path: readonly PathSegment[]) => Position {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const members = new Map<number, Map<string, Member>>();

  const skipSpace = (i: number): number => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
    return i;
  };
  const skipString = (i: number): number => {
    for (i++; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return i + 1;
    }
    return i;
  };
  const skipValue = (i: number): number => {
    const open = text[i];
    if (open === '"') return skipString(i);
    if (open !== '{' && open !== '[') {
      while (i < text.length && !',]} \t\n\r'.includes(text[i]!)) i++;
      return i;
    }
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '"') i = skipString(i) - 1;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
    }
    return i;
  };
  const membersAt = (start: number): Map<string, Member> => {
    const known = members.get(start);
    if (known) return known;
    const found = new Map<string, Member>();
    const isObject = text[start] === '{';
    let i = skipSpace(start + 1);
    for (let index = 0; i < text.length && text[i] !== '}' && text[i] !== ']'; index++) {
      const key = i;
      let name = String(index);
      if (isObject) {
        const end = skipString(i);
        name = JSON.parse(text.slice(i, end)) as string;
        i = skipSpace(skipSpace(end) + 1);
      }
      found.set(name, { key, value: i });
      i = skipSpace(skipValue(i));
      if (text[i] === ',') i = skipSpace(i + 1);
    }
    members.set(start, found);
    return found;
  };

  return (path) => {
    let offset = skipSpace(0);
    let value = offset;
    for (const segment of path) {
      if (text[value] !== '{' && text[value] !== '[') break;
      const member = membersAt(value).get(String(segment));
      if (!member) break;
      offset = member.key;
      value = member.value;
    }
    let line = lineStarts.length - 1;
    for (let lo = 0, hi = lineStarts.length - 1; lo <= hi;) {
      const mid = (lo + hi) >> 1;
      if (lineStarts[mid]! <= offset) {
        line = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return { line: line + 1, column: offset - lineStarts[line]! + 1 };
  };
}
