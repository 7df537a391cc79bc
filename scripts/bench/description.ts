// bench:description — how `gauntlet validate --no-cases --openapi FILE` grows with the size of the description: it
// reads, resolves and normalizes the description, makes journeys from it and generates their cases. Descriptions of
// 5k, 10k, 20k and 40k operations are written to a temporary folder and each is validated in a process of its own
// (the CLI as a user runs it, with nothing cached from the size before); the time of each and the growth ratio of
// each doubling are printed. Linear work doubles (≈2.0); quadratic work quadruples.
//   npm run bench:description [-- --sizes 5000,10000,20000,40000 --format json|yaml]
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '5000,10000,20000,40000' },
    format: { type: 'string', default: 'json' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const format = values.format === 'yaml' ? 'yaml' : 'json';

/**
 * A description of about `operations` operations, shaped as real ones are: resources with a create, a read, an
 * update and a delete, nested resources whose paths need their parent's key, shared schemas by $ref, links, tags on
 * most resources (the rest grouped by path), declared operationIds on half, made-up ones on the other half.
 */
function description(operations: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const tags: { name: string }[] = [];
  const resources = Math.ceil(operations / 8);
  for (let i = 0; i < resources; i++) {
    const tag = `group${i}`;
    const tagged = i % 5 !== 0;
    if (tagged) tags.push({ name: tag });
    const ref = { $ref: `#/components/schemas/Thing${i}` };
    schemas[`Thing${i}`] = {
      type: 'object',
      required: ['name'],
      properties: {
        id: { type: 'integer', readOnly: true },
        name: { type: 'string', minLength: 1, maxLength: 40 },
        size: { type: 'integer', minimum: 0, maximum: 100 },
        kind: { type: 'string', enum: ['a', 'b', 'c'] },
      },
    };
    const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
    const op = (id: string, extra: Record<string, unknown>) => ({
      ...(tagged && { tags: [tag] }),
      ...(i % 2 === 0 && { operationId: `${id}${i}` }),
      ...extra,
    });
    const base = `/g${i}/things`;
    paths[base] = {
      post: op('createThing', {
        requestBody: { required: true, ...json(ref) },
        responses: {
          201: {
            description: 'created',
            ...json(ref),
            links: { read: { operationId: `readThing${i}`, parameters: { thingId: '$response.body#/id' } } },
          },
        },
      }),
      get: op('listThings', {
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50 } }],
        responses: { 200: { description: 'ok', ...json({ type: 'array', items: ref }) } },
      }),
    };
    paths[`${base}/{thingId}`] = {
      parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'integer' } }],
      get: op('readThing', {
        responses: { 200: { description: 'ok', ...json(ref) }, 404: { description: 'no' } },
      }),
      put: op('updateThing', {
        requestBody: json(ref),
        responses: { 200: { description: 'ok' } },
        security: [{ key: [] }],
      }),
      delete: op('deleteThing', { responses: { 204: { description: 'gone' } } }),
    };
    paths[`${base}/{thingId}/parts`] = {
      parameters: [{ name: 'thingId', in: 'path', required: true, schema: { type: 'integer' } }],
      post: op('createPart', {
        requestBody: json({ type: 'object', properties: { label: { type: 'string' } } }),
        responses: {
          201: {
            description: 'created',
            ...json({ type: 'object', properties: { id: { type: 'string' } } }),
          },
        },
      }),
    };
    paths[`${base}/{thingId}/parts/{partId}`] = {
      parameters: [
        { name: 'thingId', in: 'path', required: true, schema: { type: 'integer' } },
        { name: 'partId', in: 'path', required: true, schema: { type: 'string' } },
      ],
      get: op('readPart', { responses: { 200: { description: 'ok' } } }),
      delete: op('deletePart', { responses: { 204: { description: 'gone' } } }),
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Bench', version: '1' },
    servers: [{ url: '/api' }],
    tags,
    paths,
    components: { schemas, securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
  };
}

/**
 * The child prints its own CPU time as it exits: on a shared machine the wall time says as much about the other
 * processes as about Gauntlet, the CPU time much less so.
 */
const REPORT_CPU = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\nCPU_MS '+(u.user+u.system)/1000+'\\n')})`;

/** Runs the CLI as a user would, in a process of its own; its time is from spawn to exit. */
function validate(file: string, config: string): Promise<{ ms: number; cpuMs: number; summary: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [
        '--import',
        REPORT_CPU,
        'src/cli/main.ts',
        'validate',
        '--no-cases',
        '--openapi',
        file,
        '--config',
        config,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      const cpuMs = Number(/CPU_MS ([\d.]+)/.exec(out)?.[1] ?? NaN);
      const lines = out.split('\n').filter((line) => line.trim() && !line.startsWith('CPU_MS'));
      if (code !== 0) reject(new Error(`gauntlet validate exited ${code}:\n${out}`));
      else resolve({ ms, cpuMs, summary: lines.at(-1) ?? '' });
    });
  });
}

const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-bench-description-'));
try {
  const config = path.join(dir, 'gauntlet.yml');
  await writeFile(config, 'timeoutMs: 10000\n');
  console.log(`gauntlet validate --no-cases over generated OpenAPI 3.0 descriptions (${format})`);
  let previous: { operations: number; ms: number; cpuMs: number } | undefined;
  for (const size of sizes) {
    const document = description(size);
    const operations = Object.values(document.paths as Record<string, object>).reduce(
      (n, item) => n + Object.keys(item).filter((k) => k !== 'parameters').length,
      0,
    );
    const file = path.join(dir, `description-${size}.${format}`);
    const text =
      format === 'yaml' ? stringify(document, { aliasDuplicateObjects: false }) : JSON.stringify(document);
    await writeFile(file, text);
    const { ms, cpuMs, summary } = await validate(file, config);
    const growth = previous
      ? `  ×${(cpuMs / previous.cpuMs).toFixed(2)} CPU, ×${(ms / previous.ms).toFixed(2)} wall for ` +
        `×${(operations / previous.operations).toFixed(2)} operations`
      : '';
    console.log(
      `${operations.toLocaleString('en').padStart(7)} operations (${(text.length / 2 ** 20).toFixed(1)} MB): ` +
        `${(cpuMs / 1000).toFixed(1).padStart(6)} s CPU (${(cpuMs / operations).toFixed(2)} ms/operation), ` +
        `${(ms / 1000).toFixed(1)} s wall${growth}`,
    );
    console.log(`  ${summary}`);
    previous = { operations, ms, cpuMs };
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
