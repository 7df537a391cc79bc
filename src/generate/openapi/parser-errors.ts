// Turns what swagger-parser (json-schema-ref-parser underneath) throws into an ApiDescriptionError that says where:
// it names a dangling $ref by the JSON pointer of its parent, an unreadable file by its path, a YAML error in a
// referenced file by line and column in its message; the place in the text is found from those.
import path from 'node:path';
import { ApiDescriptionError } from './errors.ts';
import { isObject } from './json-schema.ts';
import { fileNameOf } from './confined-read.ts';
import type { DescriptionFiles } from './confined-read.ts';
import { isUrl, parseDescriptionText } from './source-text.ts';
import type { PathSegment } from './source-text.ts';
import type { Position } from '../../cases/index.ts';

interface RefParserError extends Error {
  code?: string;
  source?: string;
  parentPath?: string;
  targetToken?: string;
  targetRef?: string;
  ioErrorCode?: string;
}

/**
 * `text` is the description's own text: the parsed value handed to the parser is changed by it, so a $ref is looked
 * for in a fresh parse.
 */
export async function describeParserError(
  error: unknown,
  source: string,
  text: string,
  files: DescriptionFiles,
): Promise<ApiDescriptionError> {
  const e = error as RefParserError;
  const first = (message: string) => message.split('\n')[0]!.trim();
  const root = absolute(source);
  const display = (file: string): string => (file === root ? source : displayPath(source, file));
  const textOf = (file: string): string | undefined => (file === root ? text : files.texts.get(file));

  if (e.code === 'EMISSINGPOINTER' && e.parentPath) {
    const [written = '', pointer = ''] = e.parentPath.split('#');
    // A pointer without a file is in the file the missing target was looked for in: the $ref was local to it.
    const file = fileNameOf(written || e.source || root);
    const where = locate(textOf(file), pointerSegments(pointer));
    const ref = where?.ref ?? e.targetRef ?? e.parentPath;
    const target = e.source && e.source !== file ? ` in ${display(e.source)}` : '';
    const missing = e.targetToken ? `there is no "${e.targetToken}"${target}` : first(e.message);
    const also = file === root ? '' : ` (in a file ${source} refers to)`;
    return new ApiDescriptionError(
      display(file),
      `$ref "${ref}" points at nothing: ${missing}${also}`,
      where?.at,
      {
        cause: error,
      },
    );
  }
  const failure = e.source === undefined ? undefined : files.failures.get(e.source);
  if (e.code === 'ERESOLVER' && failure) {
    if (failure.base === undefined) {
      return new ApiDescriptionError(source, `cannot be read: ${failure.reason}`, undefined, {
        cause: error,
      });
    }
    const hash = failure.base.indexOf('#');
    const file = fileNameOf(hash === -1 ? failure.base : failure.base.slice(0, hash));
    const pointer = hash === -1 ? '' : failure.base.slice(hash + 1);
    const where = locate(textOf(file), rawPointerSegments(pointer), failure.reference);
    const ref = failure.reference ?? where?.ref ?? e.source;
    const why =
      failure.code === 'ENOENT' ? `there is no file ${display(fileNameOf(e.source!))}` : failure.reason;
    const verb = failure.refused ? 'is refused' : 'cannot be resolved';
    const also = file === root ? '' : ` (in a file ${source} refers to)`;
    return new ApiDescriptionError(display(file), `$ref "${ref}" ${verb}: ${why}${also}`, where?.at, {
      cause: error,
    });
  }
  if (e.code === 'ERESOLVER' && e.source) {
    const parsed = parseDescriptionText(text, source);
    const found = refsIn(parsed.value).find(
      ({ ref }) => resolveAgainst(root, ref.split('#')[0]!) === e.source,
    );
    const why =
      e.ioErrorCode === 'ENOENT'
        ? `there is no file ${display(e.source)}`
        : first(e.message).replace(/^Error (opening|downloading) [^ ]+ ?/, '');
    const reason = found
      ? `$ref "${found.ref}" cannot be resolved: ${why}`
      : `a $ref cannot be resolved: ${why}`;
    return new ApiDescriptionError(source, reason, found && parsed.positionOf(found.path), { cause: error });
  }
  if (e.code === 'EPARSER' && e.source && e.source !== root) {
    const at = /\((\d+):(\d+)\)/.exec(e.message);
    const why = first(e.message).replace(/^Error parsing [^:]+: /, '');
    return new ApiDescriptionError(
      display(e.source),
      `not valid YAML or JSON (in a file ${source} refers to): ${why.replace(/\s*\(\d+:\d+\)$/, '')}`,
      at ? { line: Number(at[1]), column: Number(at[2]) } : undefined,
      { cause: error },
    );
  }
  return new ApiDescriptionError(
    source,
    `not a readable OpenAPI description: ${first(e.message)}`,
    undefined,
    {
      cause: error,
    },
  );
}

/**
 * Where the $ref at `segments` is written, in the description's text or in a file it refers to (as read). Where the
 * pointer does not lead to it (a $ref under a 3.1 `$id` is placed by that id), the first $ref written as `written`.
 */
function locate(
  text: string | undefined,
  segments: PathSegment[],
  written?: string,
): { ref?: string; at: Position } | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = parseDescriptionText(text, '');
    const holder = valueAt(parsed.value, segments);
    const ref = isObject(holder) && typeof holder.$ref === 'string' ? holder.$ref : undefined;
    if (written !== undefined && ref !== written) {
      const found = refsIn(parsed.value).find((r) => r.ref === written);
      if (found) return { ref: written, at: parsed.positionOf(found.path) };
    }
    return { ...(ref && { ref }), at: parsed.positionOf(ref ? [...segments, '$ref'] : segments) };
  } catch {
    return undefined;
  }
}

function refsIn(value: unknown, at: PathSegment[] = [], found: { ref: string; path: PathSegment[] }[] = []) {
  if (Array.isArray(value)) value.forEach((item, i) => refsIn(item, [...at, i], found));
  else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.push({ ref: item, path: [...at, key] });
      else refsIn(item, [...at, key], found);
    }
  }
  return found;
}

function valueAt(value: unknown, segments: PathSegment[]): unknown {
  let node = value;
  for (const segment of segments) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node)) node = node[String(segment)];
    else return undefined;
  }
  return node;
}

/** "/paths/~1pets/get" as ["paths", "/pets", "get"]; the parser's error messages write it URL-encoded. */
function pointerSegments(pointer: string): string[] {
  return rawPointerSegments(
    pointer
      .split('/')
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      })
      .join('/'),
  );
}

/** A pointer as the ref parser joins it (not URL-encoded). */
function rawPointerSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function absolute(source: string): string {
  return isUrl(source) ? new URL(source).href : path.resolve(source);
}

/** A file a $ref names, as the parser names it: an absolute path or a URL. */
function resolveAgainst(root: string, file: string): string {
  if (file === '') return root;
  if (isUrl(root) || isUrl(file)) return new URL(file, root).href;
  return path.resolve(path.dirname(root), file);
}

/** A referenced file's path in the same style as the description's: relative where the description's is. */
function displayPath(source: string, file: string): string {
  if (isUrl(file) || path.isAbsolute(source)) return file;
  return path.relative(process.cwd(), file) || file;
}
