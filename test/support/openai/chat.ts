// Answering a chat request that passed validation: a fault when one is due, else the next scripted reply (or the
// default), cut at the token limit, with its usage counted, in the shape of OpenAI's `chat.completion` object.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatRequest } from './chat-request.ts';
import { OpenAiError } from './errors.ts';
import { malformed, MISMATCHED_CONTENT, rateLimitAnswer, serverErrorAnswer } from './faults.ts';
import type { RecordedRequest, ServerState } from './records.ts';
import { complete, estimateTokens, limitTokens, promptTokens, type Completed } from './replies.ts';
import { refuse, send } from './respond.ts';

export function answerChat(
  state: ServerState,
  record: RecordedRequest,
  request: ChatRequest,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const fault = state.faults.take();
  if (fault) record.fault = fault.kind;
  switch (fault?.kind) {
    case 'rate-limit': {
      const { status, headers, body } = rateLimitAnswer(fault, request.model);
      return send(record, res, status, body, headers);
    }
    case 'server-error': {
      const { status, headers, body } = serverErrorAnswer(fault);
      return send(record, res, status, body, headers);
    }
    case 'timeout':
      state.held.add(res);
      res.on('close', () => state.held.delete(res));
      return;
    case 'drop':
      req.socket.destroy();
      return;
    case 'malformed-body': {
      const text =
        '{"id": "chatcmpl-local", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "as';
      record.status = 200;
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
      });
      res.end(text);
      return;
    }
  }
  let completed: Completed;
  try {
    // A fault answers in the reply's place without using it up: the scripted reply goes to the next request.
    const reply = fault ? state.defaultReply() : (state.queue.shift() ?? state.defaultReply());
    completed = complete(reply, request);
  } catch (error) {
    const message = `the reply function threw: ${error instanceof Error ? error.message : String(error)}`;
    return refuse(state.violations, record, res, new OpenAiError(500, message, { type: 'server_error' }));
  }
  if (fault?.kind === 'malformed-content')
    completed = { ...completed, content: malformed(completed.content ?? '{}') };
  if (fault?.kind === 'schema-mismatch') completed = { ...completed, content: MISMATCHED_CONTENT };
  completed = limitTokens(completed, request);
  const prompt = promptTokens(request);
  const completion = estimateTokens(completed.content ?? completed.refusal ?? '');
  state.stats.promptTokens += prompt;
  state.stats.completionTokens += completion;
  record.content = completed.content ?? completed.refusal;
  send(record, res, 200, {
    id: `chatcmpl-local-${record.seq}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    system_fingerprint: 'fp_local',
    service_tier: 'default',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: completed.content,
          refusal: completed.refusal,
          annotations: [],
        },
        logprobs: null,
        finish_reason: completed.finishReason,
      },
    ],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  });
}
