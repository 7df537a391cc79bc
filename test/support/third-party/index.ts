// A service someone outside this team wrote, with its own API description, for testing Gauntlet against an API it
// was not written for: the Swagger Petstore of swagger-express-middleware (APIDevTools), whose mock keeps what it is
// sent (a created pet can be read, patched and deleted; a deleted one is a 404) and validates requests against the
// description. It runs in the test process on 127.0.0.1.
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import express from 'express';
import type { ErrorRequestHandler } from 'express';
import createMiddleware from 'swagger-express-middleware';

const require = createRequire(import.meta.url);

/**
 * The description the package ships (samples/PetStore.yaml, Swagger 2.0), used as it is: the unscoped package is
 * a shim over @apidevtools/swagger-express-middleware, installed below it with the Express 4 it asks for.
 */
export const THIRD_PARTY_DESCRIPTION = path.join(
  path.dirname(
    createRequire(require.resolve('swagger-express-middleware')).resolve(
      '@apidevtools/swagger-express-middleware/package.json',
    ),
  ),
  'samples',
  'PetStore.yaml',
);

export interface ThirdPartyService {
  /** Its origin, such as http://127.0.0.1:41234 (the description's basePath is /). */
  url: string;
  /** Path of its API description file. */
  description: string;
  close(): Promise<void>;
}

/** Starts a fresh service: each has its own empty store. */
export async function startThirdPartyService(): Promise<ThirdPartyService> {
  // The package warns on the console, with a stack, for each request its description lacks; tests send those on
  // purpose (an undocumented method must get a 405) and assert the answers. WARN=off is its own switch.
  process.env.WARN = 'off';
  const app = express();
  const middleware = await new Promise<ReturnType<typeof createMiddleware>>((resolve, reject) => {
    createMiddleware(THIRD_PARTY_DESCRIPTION, app, (error, ready) =>
      error ? reject(error) : resolve(ready),
    );
  });
  app.use(
    // Serves the description too, at /api-docs/ (dereferenced JSON) and /api-docs/PetStore.yaml (as written); first,
    // so the others do not warn that /api-docs/ is not in the description.
    middleware.files(),
    middleware.metadata(),
    middleware.CORS(),
    middleware.parseRequest(),
    middleware.validateRequest(),
    middleware.mock(),
  );
  // Express's own error handler prints every 404 and 400 with its stack; answer them as JSON, quietly.
  const quietErrors: ErrorRequestHandler = (
    error: { status?: number; message?: string },
    _req,
    res,
    _next,
  ) => {
    res.status(error.status ?? 500).json({ error: String(error.message ?? error).split('\n')[0] });
  };
  app.use(quietErrors);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    description: THIRD_PARTY_DESCRIPTION,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
