// AI DAWG: the sample service Gauntlet's journeys run against. Correct by default; AIDAWG_FAULTS adds known bugs.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import multer from 'multer';
import type { NextFunction, Request, Response } from 'express';
import { operatorOnly } from './auth.ts';
import { FAULTS } from './faults.ts';
import type { FaultId, Faults } from './faults.ts';
import { HttpError } from './http-error.ts';
import { pageRoutes } from './pages.ts';
import { authRoutes, meRoute } from './routes/auth.ts';
import { jarvisRoutes } from './routes/jarvis.ts';
import { musicRoutes } from './routes/music.ts';
import { projectRoutes } from './routes/projects.ts';
import { trackRoutes } from './routes/tracks.ts';
import { State } from './state.ts';

export interface AidawgOptions {
  faults: Faults;
  operatorPassword: string;
}

export function createAidawgApp({ faults, operatorPassword }: AidawgOptions): express.Express {
  const state = new State(operatorPassword);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    const id = randomUUID();
    const started = performance.now();
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      state.traces.set(id, [
        {
          name: `${req.method} ${req.path}`,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
        },
      ]);
      if (state.traces.size > 5000) state.traces.delete(state.traces.keys().next().value!);
    });
    next();
  });
  app.use(express.json({ limit: '100kb' }));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));

  app.get('/api/health', (_req, res) => {
    res.json({ status: 'ok', services: [...state.services.keys()] });
  });
  app.use('/api/auth', authRoutes(state, faults));
  app.use('/api/me', meRoute(state, faults));
  app.use('/api/projects', projectRoutes(state, faults));
  app.use('/api/projects/:id', trackRoutes(state, faults));
  app.use('/api', musicRoutes(state, faults));
  // The restart route checks (or, with F7, forgets to check) credentials itself; the rest of JARVIS is guarded here.
  app.use('/api/jarvis', (req, res, next) =>
    /^\/services\/[^/]+\/restart$/.test(req.path) ? next() : operatorOnly(state)(req, res, next),
  );
  app.use('/api/jarvis', jarvisRoutes(state, faults));
  app.use('/api', (_req, _res, next) => next(new HttpError(404, 'no such endpoint')));
  app.use(pageRoutes(state, faults));
  app.use((_req, res) => {
    res.status(404).type('html').send('<!doctype html><title>Not found</title><h1>Not found</h1>');
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const parserError = error as { type?: string; status?: number; stack?: string };
    if (parserError.type === 'entity.parse.failed') {
      res
        .status(400)
        .json({ error: 'the body is not valid JSON', ...(faults.has('F5') && { stack: parserError.stack }) });
    } else if (parserError.type === 'entity.too.large') {
      res.status(413).json({ error: 'the body is too large (at most 100 kB)' });
    } else if (error instanceof multer.MulterError) {
      res
        .status(error.code === 'LIMIT_FILE_SIZE' ? 413 : 400)
        .json({ error: `the upload: ${error.message}` });
    } else if (parserError.type && parserError.status && parserError.status < 500) {
      res.status(parserError.status).json({ error: 'the body cannot be read' });
    } else if (error instanceof HttpError) {
      res.status(error.status).json({ error: error.message, ...(error.issues && { issues: error.issues }) });
    } else {
      res.status(500).json({ error: 'internal error' });
    }
  });
  return app;
}

export interface RunningAidawg {
  url: string;
  close(): Promise<void>;
}

export async function startAidawg(
  options: {
    port?: number;
    host?: string;
    faults?: Iterable<FaultId> | 'all';
    operatorPassword?: string;
  } = {},
): Promise<RunningAidawg> {
  const faults = new Set(options.faults === 'all' ? FAULTS.map((f) => f.id) : (options.faults ?? []));
  const app = createAidawgApp({ faults, operatorPassword: options.operatorPassword ?? 'aidawg-operator' });
  const host = options.host ?? '127.0.0.1';
  const server = app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
