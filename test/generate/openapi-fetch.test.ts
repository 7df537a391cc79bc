// A description read over HTTP from a server that resets connections: a reset before any answer (a kept-alive
// connection the server closed as it was reused) costs one more request, not the run; a server that always resets
// is still an error that says so.
import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { loadApiDescription } from '../../src/generate/openapi/index.ts';
import { useLoopbackServer } from '../support/loopback.ts';

const DESCRIPTION =
  "openapi: 3.0.3\ninfo: { title: Reset, version: '1' }\npaths:\n  /a:\n    get:\n      responses: { '200': { description: ok } }\n";
const requests = new Map<string, number>();
const url = useLoopbackServer(
  createServer((req, res) => {
    const count = (requests.get(req.url!) ?? 0) + 1;
    requests.set(req.url!, count);
    if (req.url === '/always.yaml' || (req.url === '/once.yaml' && count === 1)) return req.socket.destroy();
    res.writeHead(200, { 'content-type': 'application/yaml' }).end(DESCRIPTION);
  }),
);

describe('a description server that resets the connection', () => {
  it('is asked once more when it reset the connection before answering', async () => {
    const description = await loadApiDescription(new URL('once.yaml', url()).href);
    expect(description.operations.map((o) => `${o.method} ${o.path}`)).toEqual(['GET /a']);
    expect(requests.get('/once.yaml')).toBe(2);
  });

  it('is an error, asked twice and no more, when it always resets', async () => {
    await expect(loadApiDescription(new URL('always.yaml', url()).href)).rejects.toThrow(
      /always\.yaml: cannot be fetched: other side closed/,
    );
    expect(requests.get('/always.yaml')).toBe(2);
  });
});
