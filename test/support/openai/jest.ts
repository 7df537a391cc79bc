// Jest wiring for test files that use the local OpenAI server: one server per file, reset before each test, and
// a request OpenAI would have refused fails the test that sent it, even when the code under test caught the error.
import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import { startOpenAiServer, type OpenAiServer, type StartOptions, type Violation } from './server.ts';

export class OpenAiViolationError extends Error {
  readonly violations: Violation[];
  constructor(violations: Violation[]) {
    super(
      `the local OpenAI server refused ${violations.length} request(s) that OpenAI would refuse too:\n` +
        violations.map((v) => `  #${v.seq} ${v.method} ${v.path}: ${v.status} ${v.message}`).join('\n') +
        '\n(a test that provokes this on purpose takes them with server.takeViolations())',
    );
    this.name = 'OpenAiViolationError';
    this.violations = violations;
  }
}

/** Registers the hooks; call the returned function inside tests to reach the running server. */
export function useOpenAiServer(options: StartOptions = {}): () => OpenAiServer {
  let server: OpenAiServer | undefined;
  beforeAll(async () => {
    server = await startOpenAiServer(options);
  });
  beforeEach(() => server?.reset());
  afterEach(() => {
    const violations = server?.takeViolations() ?? [];
    if (violations.length > 0) throw new OpenAiViolationError(violations);
  });
  afterAll(() => server?.close());
  return () => {
    if (!server)
      throw new Error('the local OpenAI server is not running: use it inside tests, not at module level');
    return server;
  };
}
