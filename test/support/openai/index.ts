// The local OpenAI-compatible server for tests. See README.md. Jest files use `useOpenAiServer` from ./jest.ts
// (kept out of this index so scripts can start the server without Jest).
export { startOpenAiServer } from './server.ts';
export type { OpenAiServer, RecordedRequest, StartOptions, Stats, Violation } from './server.ts';
export { message, refusal, defaultReply, estimateTokens } from './replies.ts';
export type { Reply, ReplyFunction, ScriptedMessage } from './replies.ts';
export type { FaultKind, FaultSpec } from './faults.ts';
export { messageText } from './chat-request.ts';
export type { ChatMessage, ChatRequest, ResponseFormat } from './chat-request.ts';
export { schemaProblem } from './strict-schema.ts';
export { NO_EXPECT_FIELDS, NO_REQUEST_FIELDS, wireRequest } from './wire-case.ts';
