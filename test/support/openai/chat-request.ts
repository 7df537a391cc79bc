// Checks a `POST /v1/chat/completions` body the way OpenAI does, field by field, and returns it typed. A request
// OpenAI would refuse is refused here with OpenAI's status and error shape, so a client that works against this
// server sends what OpenAI accepts.
import { invalidField, OpenAiError } from './errors.ts';
import { schemaProblem } from './strict-schema.ts';

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: Role;
  /** A string, text parts (`[{ type: 'text', text }]`), or null for an assistant turn that called tools. */
  content: string | { type: string; text?: string }[] | null;
  [key: string]: unknown;
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: {
        name: string;
        schema: Record<string, unknown>;
        strict?: boolean | null;
        description?: string;
      };
    };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  response_format?: ResponseFormat;
  temperature?: number;
  seed?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  [key: string]: unknown;
}

const ROLES: readonly string[] = ['system', 'developer', 'user', 'assistant', 'tool'];

/** The request fields Chat Completions knows; any other is refused, as OpenAI refuses it. */
const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'audio',
  'frequency_penalty',
  'function_call',
  'functions',
  'logit_bias',
  'logprobs',
  'max_completion_tokens',
  'max_tokens',
  'metadata',
  'modalities',
  'n',
  'parallel_tool_calls',
  'prediction',
  'presence_penalty',
  'prompt_cache_key',
  'reasoning_effort',
  'response_format',
  'safety_identifier',
  'seed',
  'service_tier',
  'stop',
  'store',
  'stream',
  'stream_options',
  'temperature',
  'tool_choice',
  'tools',
  'top_logprobs',
  'top_p',
  'user',
  'verbosity',
  'web_search_options',
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const typeName = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'an integer'
          : 'a decimal'
        : typeof value === 'object'
          ? 'an object'
          : `a ${typeof value}`;

/** The text of a message, whichever form its content takes. */
export function messageText(message: Pick<ChatMessage, 'content'>): string {
  if (typeof message.content === 'string') return message.content;
  if (Array.isArray(message.content)) return message.content.map((part) => part.text ?? '').join('');
  return '';
}

/** The request, checked; throws the OpenAiError OpenAI would answer with. */
export function checkChatRequest(body: unknown, models: readonly string[]): ChatRequest {
  if (!isObject(body)) {
    throw new OpenAiError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP " +
        'library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.',
    );
  }
  for (const key of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(key)) {
      throw new OpenAiError(400, `Unrecognized request argument supplied: ${key}`);
    }
  }
  if (typeof body.model !== 'string' || body.model === '') {
    throw invalidField('model', 'you must provide a model parameter');
  }
  if (!models.includes(body.model)) {
    throw new OpenAiError(
      404,
      `The model \`${body.model}\` does not exist or you do not have access to it.`,
      {
        code: 'model_not_found',
      },
    );
  }
  checkMessages(body.messages);
  checkNumber(body, 'temperature', 0, 2, false);
  checkNumber(body, 'top_p', 0, 1, false);
  checkNumber(body, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true);
  checkNumber(body, 'max_tokens', 1, Number.MAX_SAFE_INTEGER, true);
  checkNumber(body, 'max_completion_tokens', 1, Number.MAX_SAFE_INTEGER, true);
  if (body.max_tokens !== undefined && body.max_completion_tokens !== undefined) {
    throw invalidField(
      'max_tokens',
      "max_tokens and max_completion_tokens cannot both be set; use 'max_completion_tokens'.",
    );
  }
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw invalidField('n', 'The local OpenAI server answers with one choice only (n: 1).');
  }
  if (body.stream === true) {
    throw invalidField('stream', 'The local OpenAI server does not stream; send stream: false.');
  }
  if (body.response_format !== undefined && body.response_format !== null) {
    checkResponseFormat(body.response_format, body.messages as ChatMessage[]);
  }
  return body as ChatRequest;
}

function checkMessages(messages: unknown): void {
  if (!Array.isArray(messages)) {
    throw invalidField(
      'messages',
      messages === undefined
        ? "Missing required parameter: 'messages'."
        : `Invalid type for 'messages': expected an array of objects, but got ${typeName(messages)} instead.`,
      messages === undefined ? 'missing_required_parameter' : 'invalid_type',
    );
  }
  if (messages.length === 0) throw invalidField('messages', "[] is too short - 'messages'", 'empty_array');
  messages.forEach((message: unknown, i) => {
    const param = `messages[${i}]`;
    if (!isObject(message)) {
      throw invalidField(
        param,
        `Invalid type for '${param}': expected an object, but got ${typeName(message)} instead.`,
        'invalid_type',
      );
    }
    if (typeof message.role !== 'string' || !ROLES.includes(message.role)) {
      throw invalidField(
        `${param}.role`,
        `Invalid value: '${String(message.role)}'. Supported values are: ${ROLES.map((r) => `'${r}'`).join(', ')}.`,
        'invalid_value',
      );
    }
    const { content } = message;
    const nullable = message.role === 'assistant' && (content === null || content === undefined);
    const parts = Array.isArray(content) && content.every((p) => isObject(p) && typeof p.type === 'string');
    if (!nullable && typeof content !== 'string' && !parts) {
      throw invalidField(
        `${param}.content`,
        content === undefined
          ? `Missing required parameter: '${param}.content'.`
          : `Invalid type for '${param}.content': expected one of a string or array of objects, but got ` +
              `${typeName(content)} instead.`,
        content === undefined ? 'missing_required_parameter' : 'invalid_type',
      );
    }
  });
}

function checkNumber(
  body: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
  integer: boolean,
): void {
  const value = body[key];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || (integer && !Number.isInteger(value))) {
    throw invalidField(
      key,
      `Invalid type for '${key}': expected ${integer ? 'an integer' : 'a number'}, but got ${typeName(value)} instead.`,
      'invalid_type',
    );
  }
  if (value < min) throw invalidField(key, `${value} is less than the minimum of ${min} - '${key}'`);
  if (value > max) throw invalidField(key, `${value} is greater than the maximum of ${max} - '${key}'`);
}

function checkResponseFormat(format: unknown, messages: ChatMessage[]): void {
  if (!isObject(format) || typeof format.type !== 'string') {
    throw invalidField(
      'response_format',
      "Invalid type for 'response_format': expected an object with a 'type'.",
      'invalid_type',
    );
  }
  if (format.type === 'text') return;
  if (format.type === 'json_object') {
    // OpenAI insists the prompt asks for JSON, or a model in JSON mode may emit whitespace until its limit.
    if (!messages.some((m) => /json/i.test(messageText(m)))) {
      throw invalidField(
        'messages',
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      );
    }
    return;
  }
  if (format.type !== 'json_schema') {
    throw invalidField(
      'response_format.type',
      `Invalid value: '${format.type}'. Supported values are: 'text', 'json_object', and 'json_schema'.`,
      'invalid_value',
    );
  }
  const spec = format.json_schema;
  if (!isObject(spec)) {
    throw invalidField(
      'response_format.json_schema',
      "Missing required parameter: 'response_format.json_schema'.",
      'missing_required_parameter',
    );
  }
  if (typeof spec.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
    throw invalidField(
      'response_format.json_schema.name',
      "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that " +
        "matches the pattern '^[a-zA-Z0-9_-]+$' and is at most 64 characters.",
      'invalid_value',
    );
  }
  if (spec.strict !== undefined && spec.strict !== null && typeof spec.strict !== 'boolean') {
    throw invalidField(
      'response_format.json_schema.strict',
      `Invalid type for 'response_format.json_schema.strict': expected a boolean, but got ${typeName(spec.strict)} instead.`,
      'invalid_type',
    );
  }
  const problem = schemaProblem(spec.schema, spec.strict === true);
  if (problem) {
    throw invalidField(
      'response_format',
      `Invalid schema for response_format '${spec.name}': ${problem}.`,
      'invalid_json_schema',
    );
  }
}
