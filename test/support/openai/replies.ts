// What the server answers with: scripted replies queued by tests, else the default reply function. A reply is
// content (a string, or any other value JSON-encoded), a `message(...)` with a refusal or finish reason, or a
// function of the request that returns either.
import { messageText, type ChatRequest } from './chat-request.ts';
import { sampleOf } from './sample.ts';

export interface ScriptedMessage {
  /** The assistant's text; any non-string value is JSON-encoded. */
  content?: unknown;
  /** A refusal: the message then has `content: null` and this `refusal`, as a model refusing says it. */
  refusal?: string;
  finishReason?: 'stop' | 'length' | 'content_filter';
}

/** A reply that says more than its content; made by `message()` and `refusal()`. */
export class Scripted {
  readonly message: ScriptedMessage;
  constructor(message: ScriptedMessage) {
    this.message = message;
  }
}

export const message = (spec: ScriptedMessage): Scripted => new Scripted(spec);
export const refusal = (text: string): Scripted => new Scripted({ refusal: text });

/** Content: a string as it is, any other value JSON-encoded; or a `message(...)`. */
export type ReplyValue = string | number | boolean | null | object;
export type ReplyFunction = (request: ChatRequest) => ReplyValue;
/** A queued reply: content, `message(...)`, or a function of the request returning either. */
export type Reply = ReplyValue | ReplyFunction;

export interface Completed {
  content: string | null;
  refusal: string | null;
  finishReason: 'stop' | 'length' | 'content_filter';
}

/**
 * The smallest value the requested schema allows for `json_schema`, `{}` for `json_object`, and "OK" for text:
 * a client gets a well-formed answer to whatever it asks when a test scripts nothing.
 */
export function defaultReply(request: ChatRequest): ReplyValue {
  const format = request.response_format;
  if (format?.type === 'json_schema') return sampleOf(format.json_schema.schema) as ReplyValue;
  if (format?.type === 'json_object') return {};
  return 'OK';
}

export function complete(reply: Reply, request: ChatRequest): Completed {
  const value = typeof reply === 'function' ? (reply as ReplyFunction)(request) : reply;
  const spec = value instanceof Scripted ? value.message : { content: value };
  if (spec.refusal !== undefined) {
    return { content: null, refusal: spec.refusal, finishReason: spec.finishReason ?? 'stop' };
  }
  const content = typeof spec.content === 'string' ? spec.content : JSON.stringify(spec.content ?? null);
  return { content, refusal: null, finishReason: spec.finishReason ?? 'stop' };
}

/** Tokens by the rule of thumb of about four characters a token: deterministic, and close enough for budgets. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export const promptTokens = (request: ChatRequest): number =>
  estimateTokens(request.messages.map(messageText).join(''));

/** Cuts the reply at the request's token limit, as a model stops at it, with finish reason "length". */
export function limitTokens(completed: Completed, request: ChatRequest): Completed {
  const limit = request.max_completion_tokens ?? request.max_tokens;
  const text = completed.content ?? completed.refusal ?? '';
  if (limit === undefined || estimateTokens(text) <= limit) return completed;
  const cut = text.slice(0, limit * 4);
  return completed.content !== null
    ? { ...completed, content: cut, finishReason: 'length' }
    : { ...completed, refusal: cut, finishReason: 'length' };
}
