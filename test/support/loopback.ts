// A test file's own HTTP server on a free loopback port: listening before its tests, closed after them.
import { afterAll, beforeAll } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts `server` once for the file; the returned function gives its base URL (`http://127.0.0.1:<port>/`). */
export function useLoopbackServer(server: Server): () => URL {
  let url: URL | undefined;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return () => url!;
}
