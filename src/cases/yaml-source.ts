// Parses YAML against a zod schema and reports every problem as file:line:column: message.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from 'yaml';
import type { Alias, Document, Node } from 'yaml';
import type { z } from 'zod';

export interface Position {
  line: number;
  column: number;
}

export interface SourceError extends Position {
  file: string;
  message: string;
}

export type PathSegment = string | number;

/** One parsed YAML document: its validated value and a way back from a path to its place in the file. */
export interface SourceDocument<T> {
  value: T;
  /** Where the value at `path` starts, or its key with `atKey`. */
  positionOf(path: readonly PathSegment[], atKey?: boolean): Position;
}

export type Parsed<T> = { ok: true; documents: SourceDocument<T>[] } | { ok: false; errors: SourceError[] };

export function formatSourceError(error: SourceError): string {
  return `${error.file}:${error.line}:${error.column}: ${error.message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index ? '.' : ''}${String(segment)}`,
    )
    .join('');
}

/**
 * Parses every document in `text` and validates each against `schema`. All syntax and schema problems of the file are
 * returned together, so an author fixes a file in one pass.
 */
export function parseYamlDocuments<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): Parsed<z.output<S>> {
  const lineCounter = new LineCounter();
  // Keys are checked for uniqueness below: the yaml package compares each key with every other (quadratic).
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const errors: SourceError[] = [];
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0) {
    // An EmptyStream: a file with no document at all.
    errors.push({ file, ...at(0), message: 'the file holds no YAML document' });
  }
  for (const doc of list) {
    for (const problem of [...doc.errors, ...doc.warnings]) {
      errors.push({ file, ...at(problem.pos[0]), message: firstLine(problem.message) });
    }
    for (const offset of duplicateKeys(doc))
      errors.push({ file, ...at(offset), message: 'Map keys must be unique' });
  }
  if (errors.length > 0) return { ok: false, errors: withoutCascades(errors) };
  for (const doc of list) {
    for (const problem of expandAliases(doc))
      errors.push({ file, ...at(problem.offset), message: problem.message });
  }
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };

  const documents: SourceDocument<z.output<S>>[] = [];
  for (const doc of list) {
    const positionOf = (path: readonly PathSegment[], atKey = false): Position =>
      at(offsetOf(doc, path, atKey));
    // No alias is left (expandAliases), so there is nothing for the yaml package to count.
    const result = schema.safeParse(doc.toJS({ maxAliasCount: -1 }));
    if (result.success) {
      documents.push({ value: result.data, positionOf });
      continue;
    }
    for (const issue of specificIssues(result.error.issues)) {
      for (const { path, message, atKey } of describeIssue(issue)) {
        const where = path.length ? `${formatPath(path)}: ` : '';
        errors.push({ file, ...positionOf(path as PathSegment[], atKey), message: `${where}${message}` });
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };
  return { ok: true, documents };
}

const MAX_SYNTAX_ERRORS = 10;
/** Where a mapping repeats a key it already has; keys compared by their source text's value, in one pass. */
function duplicateKeys(doc: Document): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key)
          ? `s:${String(pair.key.value)}`
          : isAlias(pair.key)
            ? `a:${pair.key.source}`
            : undefined;
        if (key === undefined) continue;
        if (seen.has(key)) offsets.push(rangeStart(pair.key) ?? 0);
        seen.add(key);
      }
    },
  });
  return offsets.sort((a, b) => a - b);
}

/**
 * Aliases expand, so a small file can stand for a huge value (the "billion laughs"): a document may grow to this
 * many times its own nodes, plus a margin for small files that reuse a block a few times.
 */
const MAX_EXPANSION = 10;
const EXPANSION_MARGIN = 10_000;

/**
 * Replaces every alias by the value it names, or says why it cannot: an alias naming no anchor set before it, one
 * inside the very value it names (a cycle, which no JSON value can hold), or aliases that expand the document past
 * its limit. Done here in one pass, because the yaml package looks each alias up anew (quadratic in their number),
 * throws on the first two, and builds a circular value of a cycle.
 */
function expandAliases(doc: Document): { offset: number; message: string }[] {
  const problems: { offset: number; message: string }[] = [];
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  let nodes = 0;
  visit(doc, {
    Node(_key, node, path) {
      nodes++;
      if (!isAlias(node)) {
        if (node.anchor) anchors.set(node.anchor, node);
        return;
      }
      const offset = node.range?.[0] ?? 0;
      const target = anchors.get(node.source);
      if (target === undefined) {
        problems.push({
          offset,
          message: `the alias *${node.source} names no anchor set before it: write &${node.source} on an earlier value`,
        });
      } else if (path.includes(target as never)) {
        problems.push({
          offset,
          message: `the alias *${node.source} is inside the value it names (&${node.source}): a value cannot contain itself`,
        });
      } else targets.set(node, target);
    },
  });
  if (problems.length > 0 || targets.size === 0) return problems;
  const limit = nodes * MAX_EXPANSION + EXPANSION_MARGIN;
  if (expandedSize(doc.contents, targets) > limit) {
    const first = targets.keys().next().value!;
    return [
      {
        offset: first.range?.[0] ?? 0,
        message: `the aliases expand this document to more than ${limit} values: write the values out, or use fewer aliases`,
      },
    ];
  }
  visit(doc, { Alias: (_key, alias) => targets.get(alias) });
  return [];
}

/** How many values a node stands for once its aliases are expanded; each node is sized once. */
function expandedSize(root: unknown, targets: ReadonlyMap<Alias, Node>): number {
  const sizes = new Map<unknown, number>();
  const sizeOf = (node: unknown): number => {
    if (isAlias(node)) return sizeOf(targets.get(node));
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items)
        size += isPair(item) ? sizeOf(item.key) + sizeOf(item.value) : sizeOf(item);
    }
    sizes.set(node, size);
    return size;
  };
  return sizeOf(root);
}

/** One syntax error starts a cascade of others on the same line and after it: keep the first of each line, and few. */
function withoutCascades(errors: SourceError[]): SourceError[] {
  const firstPerLine = errors.filter((e, i) => i === 0 || errors[i - 1]!.line !== e.line);
  if (firstPerLine.length <= MAX_SYNTAX_ERRORS) return firstPerLine;
  const kept = firstPerLine.slice(0, MAX_SYNTAX_ERRORS);
  const last = kept.at(-1)!;
  const more = firstPerLine.length - MAX_SYNTAX_ERRORS;
  return [
    ...kept,
    { ...last, message: `…and syntax errors on ${more} more lines; fix the ones above first` },
  ];
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function sortErrors(errors: SourceError[]): SourceError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column);
}

type Issue = z.core.$ZodIssue;

/** A union reports one list of issues per branch; keep the branch that got furthest into the input. */
function specificIssues(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
    const depth = (branch: readonly Issue[]) => Math.max(...branch.map((i) => i.path.length));
    const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    if (depth(best) === 0) return [issue];
    return specificIssues(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
  });
}

function describeIssue(issue: Issue): { path: PropertyKey[]; message: string; atKey?: boolean }[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: [...issue.path, key],
      message: `unknown key "${key}"`,
      atKey: true,
    }));
  }
  if (issue.code === 'invalid_key') {
    const reasons = issue.issues.map((i) => i.message).join('; ');
    return [
      {
        path: issue.path,
        message: `"${String(issue.path.at(-1))}" is not a valid name: ${reasons}`,
        atKey: true,
      },
    ];
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    const key = issue.path.at(-1);
    return [{ path: issue.path.slice(0, -1), message: `missing required key "${String(key)}"` }];
  }
  return [{ path: issue.path, message: issue.message }];
}

/** The offset of the deepest node along `path` that exists; a key's position for a key that is itself wrong. */
function offsetOf(doc: Document, path: readonly PathSegment[], atKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
      );
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      if (atKey && index === path.length - 1) break;
      node = pair.value;
      // A value that is present points at the value; a null value (key with nothing after it) stays on the key.
      if (node !== null) offset = rangeStart(node) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
