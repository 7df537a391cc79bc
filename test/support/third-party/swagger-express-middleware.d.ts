// Types for the parts of swagger-express-middleware (a JavaScript package without its own) the tests use.
declare module 'swagger-express-middleware' {
  import type { RequestHandler, Router } from 'express';

  interface Middleware {
    metadata(): RequestHandler[];
    CORS(): RequestHandler[];
    files(): RequestHandler[];
    parseRequest(): RequestHandler[];
    validateRequest(): RequestHandler[];
    mock(): RequestHandler[];
  }

  function createMiddleware(
    swagger: string,
    router: Router,
    callback: (error: Error | null, middleware: Middleware) => void,
  ): Middleware;

  export default createMiddleware;
}
