// A small GET-only service for the parameter-exploration tests, written for them and known to Gauntlet only by its
// OpenAPI description: `GET /items` lists the items that have views of their own, `GET /items/{id}?view=…` shows
// one. With `faulty`, an item shown in
// the view its own listing names (item 3's "exploded", a word only a response holds) fails with a 500.
import { createServer, type Server } from 'node:http';

const ITEMS = [
  { id: 1, name: 'alpha', view: 'plain' },
  { id: 2, name: 'beta', view: 'plain' },
  { id: 3, name: 'gamma', view: 'exploded' },
];

const item = {
  type: 'object',
  required: ['id', 'name', 'view'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, view: { type: 'string' } },
};
const refusal = {
  description: 'refused',
  content: {
    'application/json': {
      schema: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
    },
  },
};

export const DESCRIPTION = {
  openapi: '3.0.3',
  info: { title: 'Items', version: '1.0.0' },
  paths: {
    '/items': {
      get: {
        operationId: 'listItems',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 50 }, example: 10 },
        ],
        responses: {
          '200': {
            description: 'the items',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: { items: { type: 'array', items: item } },
                },
              },
            },
          },
          '400': refusal,
        },
      },
    },
    '/items/{id}': {
      get: {
        operationId: 'showItem',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          { name: 'view', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: 'the item', content: { 'application/json': { schema: item } } },
          '400': refusal,
        },
      },
    },
  },
};

export function parameterService({ faulty }: { faulty: boolean }): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET') return send(405, { error: 'only GET' });
    if (url.pathname === '/openapi.json') return send(200, DESCRIPTION);
    if (url.pathname === '/items') {
      const raw = url.searchParams.get('limit');
      const limit = raw === null ? 50 : Number(raw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 50) return send(400, { error: 'limit: 1 to 50' });
      return send(200, { items: ITEMS.slice(0, limit) });
    }
    const match = /^\/items\/([^/]*)$/.exec(url.pathname);
    if (!match) return send(404, { error: 'no such page' });
    const id = decodeURIComponent(match[1]!);
    if (!/^\d{1,9}$/.test(id) || Number(id) < 1) return send(400, { error: 'id: a positive integer' });
    // Every positive id is an item: only the listed ones have views of their own.
    const found = ITEMS.find((i) => i.id === Number(id)) ?? {
      id: Number(id),
      name: `item-${id}`,
      view: 'plain',
    };
    const view = url.searchParams.get('view');
    if (view === null || view === 'plain') return send(200, found);
    if (view !== found.view) return send(400, { error: `item ${found.id} has no view "${view}"` });
    // The fault: the view only a response names, asked of the item that names it.
    if (faulty) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      return res.end('TypeError: cannot read properties of undefined (reading "layers")');
    }
    return send(200, found);
  });
}
