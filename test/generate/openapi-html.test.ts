// A description URL that serves an HTML page (Swagger UI, Redoc) instead of the description: the page's own link to
// its description is followed, on the same origin only, and a page that names none is a clear error.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadApiDescription } from '../../src/generate/openapi/index.ts';
import { isHtmlPage } from '../../src/generate/openapi/html-page.ts';
import { cli } from '../support/cli.ts';

const DESCRIPTION = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'Shop', version: '1' },
  paths: { '/items': { get: { responses: { '200': { description: 'the items' } } } } },
});

const swaggerUi = (
  init: string,
  scripts = '<script src="./swagger-ui-bundle.js"></script>',
) => `<!DOCTYPE html>
<html lang="en">
<head><title>Swagger UI</title><link rel="stylesheet" href="./swagger-ui.css" /></head>
<body><div id="swagger-ui"></div>
${scripts}
${init}
</body></html>`;

/** Serves `pages` by path on loopback; anything else is a 404. */
async function serve(pages: (base: string) => Record<string, { type: string; body: string }>) {
  const server: Server = createServer((req, res) => {
    const page = pages(base)[req.url ?? ''];
    if (!page) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': page.type }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise((resolve) => server.close(resolve)) };
}

const html = (body: string) => ({ type: 'text/html; charset=utf-8', body });
const js = (body: string) => ({ type: 'application/javascript', body });
const json = (body: string) => ({ type: 'application/json', body });

let shop: Awaited<ReturnType<typeof serve>>;
let other: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  other = await serve(() => ({ '/openapi.json': json(DESCRIPTION) }));
  shop = await serve(() => ({
    '/openapi.json': json(DESCRIPTION),
    '/docs/': html(
      swaggerUi(
        `<script>window.onload = () => { window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: '#swagger-ui' }); };</script>`,
      ),
    ),
    '/split/index.html': html(
      swaggerUi(
        '',
        '<script src="./swagger-ui-bundle.js" charset="UTF-8"></script>\n<script src="./swagger-initializer.js" charset="UTF-8"></script>',
      ),
    ),
    '/split/swagger-initializer.js': js(
      'window.onload = function() {\n  window.ui = SwaggerUIBundle({\n    url: "../openapi.json",\n    dom_id: "#swagger-ui",\n  });\n};\n',
    ),
    '/springdoc/index.html': html(swaggerUi('', '<script src="./swagger-initializer.js"></script>')),
    '/springdoc/swagger-initializer.js': js(
      'window.onload = function() { window.ui = SwaggerUIBundle({ configUrl: "/v3/api-docs/swagger-config", dom_id: "#swagger-ui" }); };',
    ),
    '/v3/api-docs/swagger-config': json('{"urls":[{"url":"/openapi.json","name":"shop"}]}'),
    '/redoc': html(
      '<!doctype html><html><head><title>Shop</title></head><body><redoc spec-url="/openapi.json"></redoc><script src="https://cdn.example/redoc.standalone.js"></script></body></html>',
    ),
    '/linked': html(
      '<html><head><link rel="alternate" type="application/json" href="/openapi.json"></head><body>API</body></html>',
    ),
    '/bare': html('\n  <!doctype html><html><body><h1>Welcome to the shop</h1></body></html>'),
    '/elsewhere': html(
      swaggerUi(
        `<script>SwaggerUIBundle({ urls: [{ url: "${other.base}/openapi.json", name: "shop" }] });</script>`,
      ),
    ),
    '/gone': html(swaggerUi('<script>SwaggerUIBundle({ url: "/v2/swagger.json" });</script>')),
    '/pages-all-the-way': html(swaggerUi('<script>SwaggerUIBundle({ url: "/bare" });</script>')),
  }));
});
afterAll(async () => {
  await shop.close();
  await other.close();
});

async function loadNoting(url: string) {
  const notes: string[] = [];
  const description = await loadApiDescription(url, { onNote: (line) => notes.push(line) });
  return { description, notes };
}

describe('a description URL that serves an HTML page', () => {
  it("follows the url of Swagger UI's inline configuration, and says so", async () => {
    const { description, notes } = await loadNoting(`${shop.base}/docs/`);
    expect(description.operations.map((o) => `${o.method} ${o.path}`)).toEqual(['GET /items']);
    expect(description.source).toBe(`${shop.base}/openapi.json`);
    expect(notes).toEqual([
      `${shop.base}/docs/ served an HTML page (Swagger UI); using its description at ${shop.base}/openapi.json`,
    ]);
  });

  it('reads a separate swagger-initializer.js of the same origin, and not the bundle', async () => {
    const { description } = await loadNoting(`${shop.base}/split/index.html`);
    expect(description.source).toBe(`${shop.base}/openapi.json`);
  });

  it("follows springdoc's configUrl to the description it lists", async () => {
    const { description } = await loadNoting(`${shop.base}/springdoc/index.html`);
    expect(description.source).toBe(`${shop.base}/openapi.json`);
  });

  it("follows a Redoc page's spec-url and a page's alternate link", async () => {
    const redoc = await loadNoting(`${shop.base}/redoc`);
    expect(redoc.notes[0]).toContain('served an HTML page (Redoc); using its description at');
    const linked = await loadNoting(`${shop.base}/linked`);
    expect(linked.description.title).toBe('Shop');
  });

  it('says an HTML page came back and where descriptions usually are, when the page names none', async () => {
    await expect(loadApiDescription(`${shop.base}/bare`)).rejects.toThrow(
      `${shop.base}/bare: served an HTML page, not an OpenAPI description, and the page names none; give the ` +
        `description's own URL (often ${shop.base}/openapi.json or ${shop.base}/v3/api-docs)`,
    );
  });

  it('refuses a link to another origin, naming it', async () => {
    await expect(loadApiDescription(`${shop.base}/elsewhere`)).rejects.toThrow(
      `${shop.base}/elsewhere: served an HTML page (Swagger UI) naming its description at ${other.base}/openapi.json, ` +
        `on another origin than ${shop.base}`,
    );
  });

  it('says the description the page names cannot be fetched, and why', async () => {
    await expect(loadApiDescription(`${shop.base}/gone`)).rejects.toThrow(
      `${shop.base}/gone: served an HTML page (Swagger UI) naming its description at ${shop.base}/v2/swagger.json, ` +
        'which cannot be fetched: the server answered 404',
    );
  });

  it('follows one link only: a page naming another page is an error', async () => {
    await expect(loadApiDescription(`${shop.base}/pages-all-the-way`)).rejects.toThrow(
      `naming its description at ${shop.base}/bare, which is an HTML page too`,
    );
  });

  it('says a local file is an HTML page rather than that it is bad YAML', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-html-'));
    try {
      const file = path.join(dir, 'docs.html');
      await writeFile(file, swaggerUi('<script>SwaggerUIBundle({ url: "/openapi.json" })</script>'));
      await expect(loadApiDescription(file)).rejects.toThrow(
        `${file}: is an HTML page (Swagger UI), not an OpenAPI description`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lets `gauntlet validate --openapi` be given the Swagger UI page, and exits 2 on a page naming none', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-html-'));
    try {
      const config = path.join(dir, 'gauntlet.yml');
      await writeFile(config, 'identities: {}\n');
      const shown = await cli(
        'validate',
        '--no-cases',
        '--config',
        config,
        '--openapi',
        `${shop.base}/split/index.html`,
      );
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('1 journeys give');
      expect(shown.stderr).toContain('served an HTML page (Swagger UI); using its description at');
      const bare = await cli('validate', '--no-cases', '--config', config, '--openapi', `${shop.base}/bare`);
      expect(bare.code).toBe(2);
      expect(bare.stderr).toContain(`${shop.base}/bare: served an HTML page, not an OpenAPI description`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('tells HTML from YAML and JSON that mention it', () => {
    expect(isHtmlPage('<!-- generated -->\n<!DOCTYPE html><html>')).toBe(true);
    expect(isHtmlPage('<html lang="en">')).toBe(true);
    expect(isHtmlPage('\uFEFF<head><meta charset="utf-8"></head>')).toBe(true);
    expect(isHtmlPage('openapi: 3.0.3\ninfo: { title: "<html>" }')).toBe(false);
    expect(isHtmlPage('{"description": "<!doctype html>"}')).toBe(false);
  });

  // Patterns such as (<!--[^]*?-->\s*)* or <link\b[^>]*> backtrack exponentially or scan to the end of the page for
  // every unclosed tag: on these pages the test would never end (its hang guard would fail it).
  it('reads hostile pages in one pass: many comments, unclosed tags, repeated attributes', async () => {
    expect(isHtmlPage('<!-- -->'.repeat(100_000) + 'openapi: 3.0.3')).toBe(false);
    expect(isHtmlPage('<!-- -->'.repeat(100_000) + '<html>')).toBe(true);
    const hostile = await serve(() => ({
      '/unclosed': html('<html>' + '<link <redoc <script src="x'.repeat(100_000)),
      '/attributes': html(`<html><link rel="alternate"${' href="'.repeat(200_000)}>`),
    }));
    try {
      for (const page of ['/unclosed', '/attributes']) {
        const error = await loadApiDescription(`${hostile.base}${page}`).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        expect(error?.message).toMatch(
          /served an HTML page( \(Redoc\))?, not an OpenAPI description, and the page names none/,
        );
      }
    } finally {
      await hostile.close();
    }
  });
});
