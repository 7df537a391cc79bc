// The server's front: reads each request, records it, checks its key, and routes it: the model list, a chat
// completion, or OpenAI's 404 for any other path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerChat } from './chat.ts';
import { checkChatRequest, type ChatRequest } from './chat-request.ts';
import { OpenAiError } from './errors.ts';
import type { RecordedRequest, ServerState } from './records.ts';
import { refuse, send } from './respond.ts';

export function listener(state: ServerState): (req: IncomingMessage, res: ServerResponse) => void {
  let seq = 0;
  return (req, res) => {
    seq += 1;
    const record: RecordedRequest = {
      seq,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: undefined,
      status: 0,
    };
    void readBody(req)
      .then((text) => {
        const parsed = parseJson(text);
        record.body = parsed.ok ? parsed.value : text === '' ? undefined : text;
        state.requests.push(record);
        answer(state, record, parsed.ok, req, res);
      })
      .catch((error: unknown) => {
        const message = `the local OpenAI server failed: ${error instanceof Error ? error.message : String(error)}`;
        refuse(state.violations, record, res, new OpenAiError(500, message, { type: 'server_error' }));
      });
  };
}

function answer(
  state: ServerState,
  record: RecordedRequest,
  isJson: boolean,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const path = record.path.split('?')[0]!;
  const chat = record.method === 'POST' && path === '/v1/chat/completions';
  if (chat) state.stats.requests += 1;
  const denied = authProblem(req.headers.authorization, state.apiKey);
  if (denied) return refuse(state.violations, record, res, denied);
  if (record.method === 'GET' && path === '/v1/models') {
    return send(record, res, 200, { object: 'list', data: state.models.map(modelObject) });
  }
  const model = /^\/v1\/models\/([^/]+)$/.exec(path);
  if (record.method === 'GET' && model) {
    const id = decodeURIComponent(model[1]!);
    if (!state.models.includes(id)) {
      return refuse(
        state.violations,
        record,
        res,
        new OpenAiError(404, `The model '${id}' does not exist`, { param: 'model', code: 'model_not_found' }),
      );
    }
    return send(record, res, 200, modelObject(id));
  }
  if (!chat) {
    return refuse(
      state.violations,
      record,
      res,
      new OpenAiError(404, `Invalid URL (${record.method} ${path})`),
    );
  }
  let request: ChatRequest;
  try {
    request = checkChatRequest(isJson ? record.body : undefined, state.models);
  } catch (error) {
    if (!(error instanceof OpenAiError)) throw error;
    return refuse(state.violations, record, res, error);
  }
  record.chat = request;
  answerChat(state, record, request, req, res);
}

function authProblem(header: string | undefined, apiKey: string | undefined): OpenAiError | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!token) {
    return new OpenAiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer " +
        'auth (i.e. Authorization: Bearer YOUR_KEY).',
    );
  }
  if (apiKey !== undefined && token !== apiKey) {
    return new OpenAiError(
      401,
      `Incorrect API key provided: ${token.slice(0, 3)}***${token.slice(-4)}. You can find your API key at ` +
        'https://platform.openai.com/account/api-keys.',
      { code: 'invalid_api_key' },
    );
  }
  return undefined;
}

function modelObject(id: string): Record<string, unknown> {
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'gauntlet-local' };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
