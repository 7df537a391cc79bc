// The local OpenAI-compatible server for tests: a real HTTP server on 127.0.0.1 that serves
// `POST /v1/chat/completions` (not streamed) and `GET /v1/models` the way OpenAI documents them. Each request is
// checked as OpenAI checks it; a request OpenAI would refuse gets OpenAI's error and is recorded as a violation.
// Replies are scripted by tests, faults are injected on demand, and token usage is counted. See README.md.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults, type FaultSpec } from './faults.ts';
import { listener } from './listener.ts';
import type { RecordedRequest, ServerState, Stats, Violation } from './records.ts';
import { defaultReply, type Reply, type ReplyFunction } from './replies.ts';

export type { RecordedRequest, Stats, Violation } from './records.ts';

export interface StartOptions {
  /** The models the server offers; any other gets OpenAI's 404 `model_not_found`. Default: `['gpt-4.1-mini']`. */
  models?: readonly string[];
  /** When given, the only key accepted; otherwise any non-empty bearer token is. */
  apiKey?: string;
  /** Answers when no scripted reply is queued; default `defaultReply` (the smallest value the schema allows). */
  defaultReply?: ReplyFunction;
}

export interface OpenAiServer {
  /** The base URL, ending in `/v1`: `new OpenAI({ baseURL: server.url, apiKey: server.apiKey })`. */
  readonly url: string;
  /** A key the server accepts. */
  readonly apiKey: string;
  readonly models: readonly string[];
  /** Queues replies for the next chat requests, in order. */
  reply(...replies: Reply[]): void;
  /** Replaces the default reply function until `reset()`; without an argument, restores the default. */
  setDefaultReply(reply?: ReplyFunction): void;
  /** Makes the next `times` chat requests fail this way. */
  fault(spec: FaultSpec): void;
  /** Scripted replies and faults not yet used. */
  pending(): { replies: number; faults: FaultSpec[] };
  readonly stats: Readonly<Stats>;
  readonly requests: readonly RecordedRequest[];
  readonly violations: readonly Violation[];
  /** Returns the violations recorded so far and forgets them (for tests that provoke them on purpose). */
  takeViolations(): Violation[];
  /** Forgets replies, faults, requests, violations and stats, and restores the default reply. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_MODELS = ['gpt-4.1-mini'];
const ACCEPTED_KEY = 'sk-local-test';

export async function startOpenAiServer(options: StartOptions = {}): Promise<OpenAiServer> {
  const configured = options.defaultReply ?? defaultReply;
  let current = configured;
  const state: ServerState = {
    models: options.models ?? DEFAULT_MODELS,
    apiKey: options.apiKey,
    queue: [],
    faults: new Faults(),
    stats: { requests: 0, promptTokens: 0, completionTokens: 0 },
    requests: [],
    violations: [],
    defaultReply: () => current,
    held: new Set(),
  };
  const server = createServer(listener(state));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    apiKey: options.apiKey ?? ACCEPTED_KEY,
    models: state.models,
    reply: (...replies) => void state.queue.push(...replies),
    setDefaultReply: (reply) => {
      current = reply ?? configured;
    },
    fault: (spec) => state.faults.add(spec),
    pending: () => ({ replies: state.queue.length, faults: state.faults.pending() }),
    stats: state.stats,
    requests: state.requests,
    violations: state.violations,
    takeViolations: () => state.violations.splice(0),
    reset: () => {
      state.queue.length = 0;
      state.faults.clear();
      state.requests.length = 0;
      state.violations.length = 0;
      Object.assign(state.stats, { requests: 0, promptTokens: 0, completionTokens: 0 });
      current = configured;
      for (const res of state.held) res.destroy();
      state.held.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
