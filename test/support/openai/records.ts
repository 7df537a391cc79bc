// What the server remembers of each exchange, and the state its request handling shares with the test's handle.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { ChatRequest } from './chat-request.ts';
import type { FaultKind, Faults } from './faults.ts';
import type { Reply, ReplyFunction } from './replies.ts';

export interface RecordedRequest {
  seq: number;
  method: string;
  /** The path and query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body, parsed when it is JSON. */
  body: unknown;
  /** The chat request, once it passed validation. */
  chat?: ChatRequest;
  /** The status answered; 0 while no answer was sent (a `timeout` or `drop` fault). */
  status: number;
  fault?: FaultKind;
  /** The assistant message's content (or refusal) the server answered with. */
  content?: string | null;
}

export interface Violation {
  seq: number;
  method: string;
  path: string;
  status: number;
  code: string | null;
  param: string | null;
  message: string;
}

export interface Stats {
  /** Chat completion requests received, whatever became of them. */
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

export interface ServerState {
  models: readonly string[];
  apiKey: string | undefined;
  queue: Reply[];
  faults: Faults;
  stats: Stats;
  requests: RecordedRequest[];
  violations: Violation[];
  defaultReply: () => ReplyFunction;
  /** Responses a `timeout` fault holds open. */
  held: Set<ServerResponse>;
}
