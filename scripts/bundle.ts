// Bundles the actions into dist/ (committed: a workflow that uses them installs nothing), or with --check, builds
// them aside and fails when dist/ differs from what the sources give, as actions/typescript-action's check does.
// Each action is one ES module with every dependency inside, except playwright-core: it reads its own files at run
// time, so it is shipped whole beside the bundles, in dist/node_modules.
//   node scripts/bundle.ts [--check]
import { build } from 'esbuild';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const ACTIONS = ['run', 'report'];
const EXTERNAL = ['playwright-core'];

// The CommonJS inside the bundle asks for require, __filename and __dirname, which an ES module does not have.
const BANNER = [
  "import { createRequire as __bundleRequire } from 'node:module';",
  "import { fileURLToPath as __bundlePath } from 'node:url';",
  'const require = __bundleRequire(import.meta.url);',
  'const __filename = __bundlePath(import.meta.url);',
  "const __dirname = __bundlePath(new URL('.', import.meta.url));",
].join('\n');

async function bundleInto(out: string): Promise<void> {
  await rm(out, { recursive: true, force: true });
  for (const action of ACTIONS) {
    await build({
      entryPoints: [path.join(ROOT, 'actions', action, 'index.ts')],
      outfile: path.join(out, action, 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      // ESM builds first: a UMD build (jsonc-parser's) requires its own files by path.
      mainFields: ['module', 'main'],
      external: EXTERNAL,
      banner: { js: BANNER },
      legalComments: 'linked',
      logLevel: 'warning',
    });
  }
  for (const name of EXTERNAL) {
    await cp(path.join(ROOT, 'node_modules', name), path.join(out, 'node_modules', name), {
      recursive: true,
    });
  }
  await writeFile(path.join(out, 'package.json'), '{ "type": "module", "private": true }\n');
}

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), await readFile(file));
  }
  return files;
}

const dist = path.join(ROOT, 'dist');
if (process.argv.includes('--check')) {
  const aside = await mkdtemp(path.join(tmpdir(), 'gauntlet-dist-'));
  try {
    await bundleInto(aside);
    const [built, committed] = await Promise.all([filesOf(aside), filesOf(dist)]);
    const differ = [...new Set([...built.keys(), ...committed.keys()])]
      .filter(
        (file) => !built.get(file)?.equals(committed.get(file) ?? Buffer.alloc(0)) || !committed.has(file),
      )
      .sort();
    if (differ.length > 0) {
      console.error(
        `dist/ does not match the sources (${differ.length} files differ: ${differ.slice(0, 5).join(', ')}` +
          `${differ.length > 5 ? ', …' : ''}). Run \`npm run bundle\` and commit dist/.`,
      );
      process.exitCode = 1;
    } else {
      console.log(`dist/ matches the sources (${built.size} files).`);
    }
  } finally {
    await rm(aside, { recursive: true, force: true });
  }
} else {
  await mkdir(dist, { recursive: true });
  await bundleInto(dist);
  console.log(`Bundled ${ACTIONS.map((a) => `dist/${a}/index.js`).join(', ')}.`);
}
