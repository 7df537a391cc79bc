// Reads an API description and the files its $refs name, and nothing else. A description is outside input (a pull
// request can change it, a service serves it), and what a $ref names ends up in schemas, examples, request bodies and
// reports: a $ref to file:///proc/self/environ or .git/config would send the run's secrets to the target. So:
// - a description read over HTTP refers only to its own origin, and every redirect stays on it;
// - a local description refers only to regular files in its own folder or in the repository (the working folder),
//   by their real path (a symlink out is out), never to hidden ones (.env, .git/config, .npmrc hold credentials),
//   never over the network;
// - nothing read is larger than MAX_FILE_BYTES, nor are all the files of one description together larger than
//   MAX_TOTAL_BYTES or more than MAX_FILES.
// The ref parser's own file and http resolvers are switched off: `parserResolveOptions` leaves this one alone.
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX_FILE_BYTES = 20 * 2 ** 20;
export const MAX_TOTAL_BYTES = 100 * 2 ** 20;
export const MAX_FILES = 2000;
export const MAX_REDIRECTS = 5;

/** Places of the system whose files are not files: reading them reads the process, the kernel or a device. */
const SPECIAL_PLACES = ['/proc', '/sys', '/dev', '/run'];

/** A read the confinement will not do; its message is the reason, a sentence a user can act on. */
export class ReadRefused extends Error {
  override name = 'ReadRefused';
}

/** The answer of a server that is not the file: its status says why. */
export class ReadStatusError extends Error {
  override name = 'ReadStatusError';
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * A regular file's bytes, at most `maxBytes`. Devices, pipes, sockets and folders are refused before a byte is read
 * (a FIFO is opened without blocking), and so is anything under /proc, /sys or /dev.
 */
export async function readRegularFile(
  file: string,
  maxBytes = MAX_FILE_BYTES,
  what = 'a description',
): Promise<Buffer> {
  const real = await realpath(file);
  if (isSpecialPlace(real)) {
    throw new ReadRefused(`${real} is a file of the system (under ${specialPlaceOf(real)}), not ${what}`);
  }
  let handle: FileHandle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new ReadRefused(`${file} changed into a symbolic link while it was read`);
    }
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ReadRefused(`${real} is ${kindOf(stat)}, not a regular file`);
    if (stat.size > maxBytes) throw tooLarge(real, maxBytes, what);
    // The size a file reports is not trusted (it may grow while it is read): reading stops past the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(real, maxBytes, what);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function isSpecialPlace(real: string): boolean {
  return specialPlaceOf(real) !== undefined;
}

function specialPlaceOf(real: string): string | undefined {
  return SPECIAL_PLACES.find((place) => real === place || real.startsWith(`${place}/`));
}

function kindOf(stat: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  return 'a device';
}

function tooLarge(file: string, maxBytes: number, what: string): ReadRefused {
  return new ReadRefused(`${file} is larger than ${mb(maxBytes)}, more than ${what} may be`);
}

/**
 * The real path of a file a test case names (a file to upload), when it is a regular, non-hidden file under `root`
 * (the repository); a ReadRefused saying why otherwise. Test cases come from pull requests and LLMs: a path is never
 * a way to send /proc/self/environ, ~/.ssh or the repository's .git/config to the target.
 */
export async function confinedPath(root: string, file: string, what = 'a file to upload'): Promise<string> {
  const [realRoot, real] = await Promise.all([realpath(root), realpath(path.resolve(root, file))]);
  const relative = relativeInside(realRoot, real);
  if (relative === undefined) {
    throw new ReadRefused(
      `${file}${real === file ? '' : ` (really ${real})`} is outside the repository (${realRoot}); ${what} must be a file in it`,
    );
  }
  const hidden = hiddenSegment(relative);
  if (hidden !== undefined) {
    throw new ReadRefused(
      `${file} is in a hidden file or folder (${hidden}), which hold credentials (.env, .git/config, .npmrc); ${what} may not be one`,
    );
  }
  const stats = await stat(real);
  if (!stats.isFile()) throw new ReadRefused(`${real} is ${kindOf(stats)}, not a regular file`);
  return real;
}

/** A file a test case names, confined as confinedPath says and read as readRegularFile reads. */
export async function readFileUnder(root: string, file: string, maxBytes: number): Promise<Buffer> {
  return readRegularFile(await confinedPath(root, file), maxBytes, 'a file to upload');
}

export interface FetchOptions {
  /** The only origin the URL, and every redirect from it, may be on. */
  origin: string;
  timeoutMs: number;
  maxBytes?: number;
  accept?: string;
}

/**
 * A URL's body, following redirects by hand: each Location is checked against the origin before it is asked, at most
 * MAX_REDIRECTS of them; the body is read up to `maxBytes`, and the whole read within `timeoutMs`.
 */
export async function fetchWithinOrigin(url: string, options: FetchOptions): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = new URL(url);
  for (let hops = 0; ; hops++) {
    if (current.origin !== options.origin) throw offOrigin(current, options.origin);
    const response = await fetchOnceMore(current, {
      redirect: 'manual',
      signal,
      ...(options.accept && { headers: { accept: options.accept } }),
    });
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) throw new ReadStatusError(`the server answered ${response.status} with no Location`);
      if (hops >= MAX_REDIRECTS) {
        throw new ReadRefused(`it redirects more than ${MAX_REDIRECTS} times (last to ${location})`);
      }
      const next = new URL(location, current);
      if (next.origin !== options.origin) {
        throw new ReadRefused(
          `the server redirects to ${next.href}, another origin than ${options.origin}; a description ` +
            'and the files it refers to are read from its own origin only (name the final URL instead)',
        );
      }
      current = next;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ReadStatusError(`the server answered ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw tooLarge(current.href, maxBytes, 'a description');
    }
    return readBody(response, current.href, maxBytes);
  }
}

/** Connection errors after which a GET is sent again: the server closed a kept-alive connection as it was reused. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * fetch, sent once more when the connection was reset before any answer came: a server closing an idle kept-alive
 * connection just as the client reuses it resets a request it never read. A GET may be sent again; once, so that a
 * server that always resets is still an error.
 */
async function fetchOnceMore(url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    if (init.signal?.aborted || typeof code !== 'string' || !RESET_CODES.has(code)) throw error;
    return fetch(url, init);
  }
}

async function readBody(response: Response, what: string, maxBytes: number): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(what, maxBytes, 'a description');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function offOrigin(url: URL, origin: string): ReadRefused {
  if (url.protocol === 'file:') {
    return new ReadRefused(`a description read from ${origin} may not refer to local files`);
  }
  return new ReadRefused(
    `it names ${url.href}, on another origin than ${origin}; a description read over HTTP may refer only to ` +
      'files on its own origin',
  );
}

/** Why a $ref's file could not be read, kept for the error that says where the $ref is written. */
export interface ReadFailure {
  reason: string;
  /** Refused by the confinement, rather than missing or unreachable. */
  refused: boolean;
  /** The file and JSON pointer of the object holding the $ref, as the ref parser names them. */
  base?: string;
  /** The $ref as written. */
  reference?: string;
  code?: string;
}

/** What the ref parser hands a resolver. */
interface RefFile {
  url: string;
  baseUrl?: string;
  reference?: string;
}

/** The files of one description: the only way its $refs are read, and a record of what was read and what was not. */
export class DescriptionFiles {
  readonly source: string;
  readonly timeoutMs: number;
  /** Text of each file read, by its fileNameOf: where a problem in it is located. */
  readonly texts = new Map<string, string>();
  readonly failures = new Map<string, ReadFailure>();
  readonly #origin: string | undefined;
  #scope: Promise<{ rootFile: string; roots: string[] }> | undefined;
  #bytes = 0;
  #files = 0;

  constructor(source: string, timeoutMs: number) {
    this.source = source;
    this.timeoutMs = timeoutMs;
    this.#origin = isHttpUrl(source) ? new URL(source).origin : undefined;
  }

  /**
   * The ref parser's `resolve` options: its built-in `file` and `http` resolvers off, this one reading everything
   * (it refuses, with a reason, what it must not read, rather than leave it to another resolver).
   */
  parserResolveOptions(): Record<string, unknown> {
    return {
      file: false,
      http: false,
      external: true,
      confined: {
        order: 1,
        canRead: true,
        read: (file: RefFile) => this.readRef(file),
      },
    };
  }

  /** A file a $ref names: an absolute path or URL, as the ref parser resolved it against the file the $ref is in. */
  async readRef(file: RefFile): Promise<Buffer> {
    try {
      const data = await this.#read(file.url);
      this.texts.set(fileNameOf(file.url), data.toString('utf8'));
      return data;
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      this.failures.set(file.url, {
        reason: reasonOf(e, this.timeoutMs),
        refused: e instanceof ReadRefused,
        ...(file.baseUrl !== undefined && { base: file.baseUrl }),
        ...(file.reference !== undefined && { reference: file.reference }),
        ...(typeof e.code === 'string' && { code: e.code }),
      });
      throw error;
    }
  }

  async #read(url: string): Promise<Buffer> {
    if (++this.#files > MAX_FILES) {
      throw new ReadRefused(`the description refers to more than ${MAX_FILES} files`);
    }
    const maxBytes = Math.min(MAX_FILE_BYTES, MAX_TOTAL_BYTES - this.#bytes);
    const data = this.#origin
      ? await this.#readRemote(url, maxBytes)
      : await readRegularFile(await this.#allowedPath(url), maxBytes);
    this.#bytes += data.length;
    return data;
  }

  #readRemote(url: string, maxBytes: number): Promise<Buffer> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ReadRefused(`${url} is not a URL on ${this.#origin}`);
    }
    if (parsed.origin !== this.#origin) throw offOrigin(parsed, this.#origin!);
    return fetchWithinOrigin(parsed.href, { origin: this.#origin, timeoutMs: this.timeoutMs, maxBytes });
  }

  /** The real path of a local file a $ref may read; a ReadRefused saying why for any other. */
  async #allowedPath(url: string): Promise<string> {
    const file = localPathOf(url);
    const { rootFile, roots } = await this.#localScope();
    const real = await realpath(file);
    if (real === rootFile) return real;
    const where = roots.map((root) => relativeInside(root, real));
    if (where.every((relative) => relative === undefined)) {
      throw new ReadRefused(
        `it names ${file}${real === file ? '' : ` (really ${real})`}, outside the description's folder ` +
          `(${roots[1]}) and the repository (${roots[0]}); a description may refer only to files in those folders`,
      );
    }
    if (where.every((relative) => relative === undefined || hiddenSegment(relative) !== undefined)) {
      const hidden = where.map((r) => r && hiddenSegment(r)).find(Boolean);
      throw new ReadRefused(
        `it names ${file}, in a hidden file or folder (${hidden}); a description may not refer to hidden files, ` +
          'which hold credentials (.env, .git/config, .npmrc)',
      );
    }
    return real;
  }

  #localScope(): Promise<{ rootFile: string; roots: string[] }> {
    this.#scope ??= (async () => {
      const rootFile = await realpath(this.source).catch(() => path.resolve(this.source));
      const repository = await realpath(process.cwd());
      return { rootFile, roots: [repository, path.dirname(rootFile)] };
    })();
    return this.#scope;
  }
}

/** A file as the ref parser names it (a URL-encoded path, a file: URL, an http URL) as a path or a URL. */
export function fileNameOf(url: string): string {
  try {
    if (isHttpUrl(url)) return new URL(url).href;
    if (/^file:/i.test(url)) return fileURLToPath(new URL(url));
    if (url.startsWith('/')) return fileURLToPath(new URL(url, 'file:///'));
  } catch {
    // Not a name the parser could have read: kept as written.
  }
  return url;
}

/**
 * The file a local $ref names. The ref parser gives an absolute path, URL-encoded, or a file: URL; any other scheme
 * (http, https, ftp, data…) is the network or worse, which a local description may not reach.
 */
function localPathOf(url: string): string {
  const scheme = /^([a-z][a-z\d+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    throw new ReadRefused(
      `it names ${url}, on the network; a local description may refer only to files beside it or in the ` +
        'repository (copy the file there and refer to it by a relative path)',
    );
  }
  if (scheme !== undefined && scheme !== 'file') {
    throw new ReadRefused(`it names a ${scheme}: URL; a description may refer only to files`);
  }
  if (scheme === undefined && !url.startsWith('/')) {
    throw new ReadRefused(`it names ${url}, which is not a path Gauntlet can place`);
  }
  try {
    return fileURLToPath(scheme === 'file' ? new URL(url) : new URL(url, 'file:///'));
  } catch (error) {
    throw new ReadRefused(`it names ${url}, which is not a local file: ${(error as Error).message}`);
  }
}

/** `file`'s path below `root`, or undefined where it is not below it. */
function relativeInside(root: string, file: string): string | undefined {
  const relative = path.relative(root, file);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  if (relative === '' || outside) return undefined;
  return relative;
}

function hiddenSegment(relative: string): string | undefined {
  return relative.split(path.sep).find((segment) => segment.startsWith('.'));
}

/** A failure said as the end of "cannot be resolved: …" or "is refused: …". */
function reasonOf(error: NodeJS.ErrnoException, timeoutMs: number): string {
  if (error instanceof ReadRefused || error instanceof ReadStatusError) return error.message;
  if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (error.code === 'ENOENT') return `there is no file ${error.path ?? ''}`.trim();
  const cause = (error as Error & { cause?: Error }).cause;
  return cause?.message ?? error.message;
}
