// What an API description may make Gauntlet read: a remote one only its own origin (redirects included), a local one
// only regular files in its folder or the repository, never hidden files, special files or the network; nothing
// larger than 20 MB. Whatever a $ref says, a file outside those places is never read into the description, and the
// refusal is an ApiDescriptionError at the $ref.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { ApiDescriptionError, loadApiDescription } from '../../src/generate/openapi/index.ts';
import { MAX_FILE_BYTES } from '../../src/generate/openapi/confined-read.ts';
import { OpenApiDescription } from '../../src/run/openapi.ts';

const SECRET = `GAUNTLET-SECRET-${randomUUID()}`;
/** A schema file that, if it were ever read, would put the secret into the description as an example. */
const SECRET_SCHEMA = `type: string\nexample: ${SECRET}\n`;

interface TestServer {
  url: string;
  port: number;
  requests: string[];
  server: Server;
}

async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, requests, server };
}

/** An OpenAPI 3.0 description (JSON) whose one request body schema is `{ $ref: ref }`. */
function describing(ref: string): string {
  return JSON.stringify(
    {
      openapi: '3.0.3',
      info: { title: 'Confined', version: '1' },
      paths: {
        '/things': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: ref } } } },
            responses: { '201': { description: 'created' } },
          },
        },
      },
    },
    null,
    2,
  );
}

/** Line and column of the `"$ref"` key in `describing`'s text. */
function refPosition(text: string): string {
  const offset = text.indexOf('"$ref"');
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

async function failure(load: Promise<unknown>): Promise<ApiDescriptionError> {
  const error = await load.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiDescriptionError);
  return error as ApiDescriptionError;
}

let dir: string;
let api: string;
let origin: TestServer;
let other: TestServer;
let written = 0;

/** Writes a local description referring to `ref`, in the description folder. */
async function localDescription(ref: string): Promise<{ file: string; text: string }> {
  const file = path.join(api, `description-${written++}.json`);
  const text = describing(ref);
  await writeFile(file, text);
  return { file, text };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-confinement-'));
  api = path.join(dir, 'api');
  await mkdir(path.join(api, 'common'), { recursive: true });
  await writeFile(path.join(dir, 'secret.yaml'), SECRET_SCHEMA);
  await writeFile(path.join(api, '.env.yaml'), SECRET_SCHEMA);
  await mkdir(path.join(api, '.git'));
  await writeFile(path.join(api, '.git', 'config.yaml'), SECRET_SCHEMA);
  await writeFile(
    path.join(api, 'common', 'thing.yaml'),
    'type: object\nproperties: { name: { type: string } }\n',
  );
  await symlink(path.join(dir, 'secret.yaml'), path.join(api, 'link.yaml'));
  await symlink(dir, path.join(api, 'up'));
  execFileSync('mkfifo', [path.join(api, 'pipe.yaml')]);
  await writeFile(path.join(api, 'big.yaml'), Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));

  other = await startServer((_req, res) => {
    res.setHeader('content-type', 'application/yaml');
    res.end(SECRET_SCHEMA);
  });
  const served: Record<string, (res: ServerResponse) => void> = {
    '/api.json': (res) => res.end(describing('common/thing.yaml')),
    '/common/thing.yaml': (res) => res.end('type: object\nproperties: { name: { type: string } }\n'),
    '/file-ref.json': (res) => res.end(describing('file:///etc/passwd')),
    '/other-ref.json': (res) => res.end(describing(`${other.url}/schema.yaml`)),
    '/scheme-relative-ref.json': (res) => res.end(describing(`//127.0.0.1:${other.port}/schema.yaml`)),
    '/redirecting-ref.json': (res) => res.end(describing('moved.yaml')),
    '/moved.yaml': (res) => res.writeHead(302, { location: `${other.url}/schema.yaml` }).end(),
    '/redirected.json': (res) => res.writeHead(302, { location: `${other.url}/api.json` }).end(),
    '/moved-here.json': (res) => res.writeHead(301, { location: '/api.json' }).end(),
    '/loop.json': (res) => res.writeHead(307, { location: '/loop.json' }).end(),
    '/huge-ref.json': (res) => res.end(describing('huge.yaml')),
    '/huge.yaml': (res) => {
      // No Content-Length: the size is only known by reading, which must stop at the limit.
      const chunk = Buffer.alloc(2 ** 20, 0x20);
      let sent = 0;
      const more = () => {
        while (sent <= MAX_FILE_BYTES / chunk.length + 2) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => undefined);
      more();
    },
  };
  origin = await startServer((req, res) => {
    const serve = served[req.url ?? ''];
    if (serve) serve(res);
    else res.writeHead(404).end();
  });
});

afterAll(async () => {
  origin?.server.closeAllConnections();
  other?.server.closeAllConnections();
  await Promise.all([origin, other].map((s) => s && new Promise((resolve) => s.server.close(resolve))));
  await rm(dir, { recursive: true, force: true });
});

describe('a local description', () => {
  it('refers to files in its folder', async () => {
    const { file } = await localDescription('common/thing.yaml');
    const description = await loadApiDescription(file);
    expect(description.operations[0]!.requestBody!.schema).toEqual({
      type: 'object',
      properties: { name: { type: 'string' } },
    });
  });

  it.each([
    ['/etc/passwd', /it names \/etc\/passwd, outside the description's folder .* and the repository/],
    [
      'file:///proc/self/environ',
      /it names \/proc\/self\/environ \(really \/proc\/\d+\/environ\), outside the description's folder/,
    ],
    ['FILE:///etc/passwd', /it names \/etc\/passwd, outside/],
    ['../secret.yaml', /secret\.yaml, outside the description's folder/],
    ['%2e%2e/secret.yaml', /secret\.yaml, outside the description's folder/],
    ['..\\secret.yaml', /secret\.yaml, outside the description's folder/],
    ['link.yaml', /link\.yaml \(really .*secret\.yaml\), outside/],
    ['up/secret.yaml', /up\/secret\.yaml \(really .*secret\.yaml\), outside/],
    ['/dev/zero', /it names \/dev\/zero, outside/],
    ['.env.yaml', /in a hidden file or folder \(\.env\.yaml\); a description may not refer to hidden files/],
    ['.git/config.yaml', /hidden file or folder \(\.git\)/],
    ['pipe.yaml', /pipe\.yaml is a named pipe, not a regular file/],
    ['big.yaml', /big\.yaml is larger than 20 MB, more than a description may be/],
  ])('refuses $ref %p at the $ref, saying why', async (ref, why) => {
    const { file, text } = await localDescription(ref);
    const error = await failure(loadApiDescription(file));
    expect(error.message).toMatch(
      new RegExp(`^${escape(file)}:${refPosition(text)}: \\$ref "${escape(ref)}" is refused: `),
    );
    expect(error.message).toMatch(why);
    expect(error.message).not.toContain(SECRET);
  });

  it('never reaches the network, whatever the $ref says', async () => {
    for (const ref of [
      `${other.url}/schema.yaml`,
      `//127.0.0.1:${other.port}/schema.yaml`,
      'HTTPS://example.test/x',
    ]) {
      const { file } = await localDescription(ref);
      const error = await failure(loadApiDescription(file));
      expect(error.message).toMatch(
        /is refused: it names .*, on the network; a local description may refer only/,
      );
    }
    expect(other.requests).toEqual([]);
  });

  it('is itself a regular file: a device or a pipe named as the description is refused without hanging', async () => {
    expect((await failure(loadApiDescription('/dev/zero'))).message).toBe(
      '/dev/zero: cannot be read: /dev/zero is a file of the system (under /dev), not a description',
    );
    const pipe = path.join(api, 'pipe.yaml');
    expect((await failure(loadApiDescription(pipe))).message).toMatch(
      /cannot be read: .*pipe\.yaml is a named pipe/,
    );
  });

  it('is read the same way for the response checks (OpenApiDescription.load)', async () => {
    for (const ref of [
      '/etc/passwd',
      '../secret.yaml',
      'link.yaml',
      '.env.yaml',
      `${other.url}/schema.yaml`,
    ]) {
      const { file, text } = await localDescription(ref);
      const error = await failure(OpenApiDescription.load(file));
      expect(error.message).toMatch(
        new RegExp(`^${escape(file)}:${refPosition(text)}: \\$ref ".*" is refused: `),
      );
      expect(error.message).not.toContain(SECRET);
    }
    const { file } = await localDescription('common/thing.yaml');
    await expect(OpenApiDescription.load(file)).resolves.toBeInstanceOf(OpenApiDescription);
    expect(other.requests).toEqual([]);
  });

  it('never reads a file outside its folder and the repository, however the $ref is written', async () => {
    const secretPath = path.join(dir, 'secret.yaml');
    const segment = fc.constantFrom(
      '..',
      '%2e%2e',
      '%2E%2E',
      '.%2e',
      '%2e.',
      '.',
      '',
      'api',
      'up',
      'secret.yaml',
      'link.yaml',
      '.env.yaml',
      '.git',
      'config.yaml',
      'pipe.yaml',
      'common',
      'thing.yaml',
      'etc',
      'passwd',
      'proc',
      'self',
      'environ',
      '%2f',
      '%00',
      path.basename(dir),
    );
    const prefix = fc.constantFrom(
      '',
      '/',
      './',
      'file://',
      'file:///',
      'FILE:///',
      'File://localhost/',
      'file:',
      '//',
      '\\\\',
      '\\',
      `${other.url}/`,
      `//127.0.0.1:${other.port}/`,
      'data:text/plain,',
      `${path.dirname(dir)}/`,
      `file://${path.dirname(dir)}/`,
    );
    const ref = fc.oneof(
      fc
        .tuple(prefix, fc.array(segment, { minLength: 1, maxLength: 6 }), fc.constantFrom('/', '\\'))
        .map(([start, parts, separator]) => start + parts.join(separator)),
      fc.constantFrom(
        secretPath,
        `file://${secretPath}`,
        `file://${secretPath.replaceAll('/', '%2F')}`,
        `file://${encodeURI(secretPath).replaceAll('.', '%2e')}`,
        secretPath.replaceAll('/', '\\'),
        `${api}/../secret.yaml`,
        `${api}/%2e%2e/secret.yaml`,
        `${api}/up/secret.yaml`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(ref, fc.constantFrom('', '#/example', '#'), async (written, pointer) => {
        const { file } = await localDescription(written + pointer);
        const outcome = await loadApiDescription(file).then(
          (description) => JSON.stringify({ description, document: description.document }),
          (error: unknown) => {
            expect(error).toBeInstanceOf(ApiDescriptionError);
            return (error as Error).message;
          },
        );
        expect(outcome).not.toContain(SECRET);
      }),
      { numRuns: 300 },
    );
    expect(other.requests).toEqual([]);
  });
});

describe('a remote description', () => {
  it('refers to files on its own origin, and follows redirects on it', async () => {
    const description = await loadApiDescription(`${origin.url}/moved-here.json`);
    expect(description.operations[0]!.requestBody!.schema).toMatchObject({ type: 'object' });
    expect(origin.requests).toEqual(
      expect.arrayContaining(['/moved-here.json', '/api.json', '/common/thing.yaml']),
    );
  });

  it('never refers to a local file or another origin, directly or by a redirect', async () => {
    const refused = async (name: string, why: RegExp) => {
      const source = `${origin.url}/${name}`;
      const error = await failure(loadApiDescription(source));
      expect(error.message).toMatch(new RegExp(`^${escape(source)}:\\d+:\\d+: \\$ref ".*" is refused: `));
      expect(error.message).toMatch(why);
      expect(error.message).not.toContain(SECRET);
    };
    await refused('file-ref.json', /may not refer to local files/);
    await refused(
      'other-ref.json',
      /on another origin than .*; a description read over HTTP may refer only to files/,
    );
    await refused('scheme-relative-ref.json', /on another origin/);
    await refused(
      'redirecting-ref.json',
      /the server redirects to http:\/\/127\.0\.0\.1:\d+\/schema\.yaml, another origin/,
    );
    expect(other.requests).toEqual([]);
  });

  it('is not read from another origin it redirects to, nor through endless redirects', async () => {
    expect((await failure(loadApiDescription(`${origin.url}/redirected.json`))).message).toBe(
      `${origin.url}/redirected.json: cannot be fetched: the server redirects to ${other.url}/api.json, another ` +
        `origin than ${origin.url}; a description and the files it refers to are read from its own origin only ` +
        '(name the final URL instead)',
    );
    expect((await failure(loadApiDescription(`${origin.url}/loop.json`))).message).toMatch(
      /cannot be fetched: it redirects more than 5 times/,
    );
    expect(other.requests).toEqual([]);
  });

  it('refuses a file larger than 20 MB, reading no further', async () => {
    const error = await failure(loadApiDescription(`${origin.url}/huge-ref.json`));
    expect(error.message).toMatch(/\$ref "huge\.yaml" is refused: .*huge\.yaml is larger than 20 MB/);
    const direct = await failure(loadApiDescription(`${origin.url}/huge.yaml`));
    expect(direct.message).toMatch(/cannot be fetched: .*huge\.yaml is larger than 20 MB/);
  });

  it('is read the same way for the response checks (OpenApiDescription.load)', async () => {
    const error = await failure(OpenApiDescription.load(`${origin.url}/redirecting-ref.json`));
    expect(error.message).toMatch(/is refused: the server redirects to .*, another origin/);
    await expect(OpenApiDescription.load(`${origin.url}/api.json`)).resolves.toBeInstanceOf(
      OpenApiDescription,
    );
    expect(other.requests).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
