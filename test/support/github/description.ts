// Loads GitHub's own API descriptions from the installed @octokit packages, once per module registry.
// The REST description is 13 MB of JSON; most of it is prose and examples that validation never reads. The first
// load writes a compact copy (annotations stripped, a few OpenAPI-isms rewritten for ajv) to a cache keyed by the
// package version, so every later load parses 2.9 MB instead.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Bump when `compactDescription` changes, so stale caches are not read. */
const CACHE_FORMAT = 3;

export interface LoadedDescription {
  document: Record<string, unknown>;
  /** Wall time of this load, in milliseconds. */
  ms: number;
  /** `cache` when the compact copy was read, `package` when it was built from the package's file. */
  source: 'cache' | 'package';
}

const require = createRequire(import.meta.url);

/**
 * Where an installed package lives. Found through Node's lookup paths rather than `require.resolve`, because some
 * of these packages export no subpath for the data files they ship.
 */
export function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    if (existsSync(join(dir, name, 'package.json'))) return join(dir, name);
  }
  throw new Error(`the GitHub emulator needs the dev dependency ${name}; run npm install`);
}

export function readPackageJson(name: string, file: string): unknown {
  return JSON.parse(readFileSync(join(packageDir(name), file), 'utf8'));
}

const loaded = new Map<string, LoadedDescription>();

/** The compact form of `file` from package `pkg`, from memory, the disk cache, or the package itself. */
export function loadDescription(pkg: string, file: string): LoadedDescription {
  const key = `${pkg}/${file}`;
  const known = loaded.get(key);
  if (known) return known;
  const started = performance.now();
  const { version } = readPackageJson(pkg, 'package.json') as { version: string };
  const dir = cacheDir();
  const prefix = `${pkg.replace(/[@/]/g, '_')}-${file.replace(/[/]/g, '_')}-`;
  const cacheFile = join(dir, `${prefix}${version}-v${CACHE_FORMAT}.json`);
  let document: Record<string, unknown>;
  let source: LoadedDescription['source'];
  if (existsSync(cacheFile)) {
    document = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, unknown>;
    source = 'cache';
  } else {
    document = compactDescription(readPackageJson(pkg, file)) as Record<string, unknown>;
    for (const stale of readdirSync(dir).filter((name) => name.startsWith(prefix))) rmSync(join(dir, stale));
    writeAtomically(cacheFile, JSON.stringify(document));
    source = 'package';
  }
  const result = { document, ms: performance.now() - started, source };
  loaded.set(key, result);
  return result;
}

function cacheDir(): string {
  // A benchmark measures a cold start in a folder of its own rather than deleting the one the tests share.
  const chosen = process.env.GITHUB_EMULATOR_CACHE_DIR;
  if (chosen) {
    mkdirSync(chosen, { recursive: true });
    return chosen;
  }
  // node_modules/.cache is where tools keep derived files; it goes away with node_modules, as it should.
  const nodeModules = dirname(dirname(packageDir('@octokit/openapi')));
  const dir = join(nodeModules, '.cache', 'gauntlet-github-emulator');
  try {
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    const fallback = join(tmpdir(), 'gauntlet-github-emulator');
    mkdirSync(fallback, { recursive: true });
    return fallback;
  }
}

/** Parallel Jest workers may build the cache at once: each writes its own file and renames it into place. */
function writeAtomically(file: string, text: string): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, text);
  renameSync(partial, file);
}

/** Keys that only document. `externalDocs` of an operation is kept: GitHub's error answers link to it. */
const ANNOTATIONS = new Set([
  'description',
  'summary',
  'title',
  'example',
  'examples',
  'tags',
  'externalDocs',
]);
/** Objects whose keys are names chosen by GitHub (a property called `description` must survive). */
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'schemas',
  'parameters',
  'responses',
  'headers',
]);

/**
 * Drops annotations and rewrites what ajv reads differently from OpenAPI: `nullable` without a `type` (ajv refuses
 * the schema) becomes an explicit `{ type: 'null' }` branch, a nullable `enum` gets `null` listed, and parameters
 * get `anyOf` for `oneOf`. `x-webhooks`, `servers` and `components.examples` are dropped whole.
 */
export function compactDescription(node: unknown, parentKey = ''): unknown {
  if (Array.isArray(node)) return node.map((item) => compactDescription(item));
  if (node === null || typeof node !== 'object') return node;
  const names = NAME_MAPS.has(parentKey);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!names && (key.startsWith('x-') || key === 'servers')) continue;
    if (parentKey === 'components' && key === 'examples') continue;
    if (!names && key === 'externalDocs' && isOperation(node)) {
      out[key] = { url: (value as { url: string }).url };
      continue;
    }
    if (!names && ANNOTATIONS.has(key)) continue;
    out[key] = compactDescription(value, names ? '' : key);
  }
  return names ? out : normaliseParameter(normaliseNullable(out));
}

/**
 * Path and query values arrive as strings and are coerced before validation, so a `oneOf: [integer, string]`
 * parameter (a workflow id or file name) would match both branches and fail; for parameters it means `anyOf`.
 */
function normaliseParameter(node: Record<string, unknown>): Record<string, unknown> {
  const schema = node.schema as Record<string, unknown> | undefined;
  if ((node.in !== 'path' && node.in !== 'query') || !schema || !Array.isArray(schema.oneOf)) return node;
  const { oneOf, ...rest } = schema;
  return { ...node, schema: { ...rest, anyOf: oneOf } };
}

function isOperation(node: object): boolean {
  return 'operationId' in node && 'responses' in node;
}

function normaliseNullable(schema: Record<string, unknown>): Record<string, unknown> {
  // OpenAPI 3.0 lets null through a nullable enum; ajv wants null listed.
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) {
    return { ...schema, enum: [...schema.enum, null] };
  }
  if (!('nullable' in schema) || 'type' in schema) return schema;
  const { nullable, ...rest } = schema;
  if (nullable !== true) return rest;
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = rest[key];
    if (Array.isArray(branches)) return { ...rest, [key]: [...branches, { type: 'null' }] };
  }
  if ('allOf' in rest) return { anyOf: [rest, { type: 'null' }] };
  // `nullable` alone, with no type to widen: any value, null included, is already allowed.
  return rest;
}
