// The local OpenAI server: the official client talks to it unchanged apart from the base URL, it refuses what
// OpenAI refuses (and records it), it fails on demand the way the API does, and it counts tokens.
import { describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { message, refusal, startOpenAiServer } from '../support/openai/index.ts';
import { useOpenAiServer } from '../support/openai/jest.ts';

const openai = useOpenAiServer({ models: ['gpt-4.1-mini', 'local-model'] });

const clientFor = (options: { timeout?: number; apiKey?: string } = {}): OpenAI =>
  new OpenAI({
    baseURL: openai().url,
    apiKey: options.apiKey ?? openai().apiKey,
    maxRetries: 0,
    timeout: options.timeout ?? 5000,
  });

const STRICT_SCHEMA = {
  type: 'object',
  properties: {
    answer: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    detail: { type: ['string', 'null'] },
  },
  required: ['answer', 'tags', 'detail'],
  additionalProperties: false,
};

/** The error a request fails with (and a failure of the test when it succeeds). */
const rejection = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error as Error,
  );

const ask = (
  client: OpenAI,
  extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {},
): Promise<OpenAI.Chat.ChatCompletion> =>
  client.chat.completions.create({
    model: 'gpt-4.1-mini',
    messages: [
      { role: 'system', content: 'Answer in JSON.' },
      { role: 'user', content: 'What is 2 + 2?' },
    ],
    ...extra,
  });

describe('the official client', () => {
  it('gets a chat completion in OpenAI’s shape, with a scripted reply', async () => {
    openai().reply({ answer: '4', tags: [], detail: null });
    const completion = await ask(clientFor(), {
      temperature: 0,
      seed: 7,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', strict: true, schema: STRICT_SCHEMA },
      },
    });
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4.1-mini',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: '{"answer":"4","tags":[],"detail":null}', refusal: null },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 8, completion_tokens: 10, total_tokens: 18 },
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(openai().requests[0]!.chat).toMatchObject({ temperature: 0, seed: 7, model: 'gpt-4.1-mini' });
  });

  it('lists the models the server was started with', async () => {
    const models = await clientFor().models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gpt-4.1-mini', 'local-model']);
    expect(await clientFor().models.retrieve('local-model')).toMatchObject({
      id: 'local-model',
      object: 'model',
    });
  });

  it('answers with the smallest value of the schema when nothing is scripted', async () => {
    const completion = await ask(clientFor(), {
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', strict: true, schema: STRICT_SCHEMA },
      },
    });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({
      answer: '',
      tags: [],
      detail: null,
    });
    expect((await ask(clientFor())).choices[0]!.message.content).toBe('OK');
    expect(
      (await ask(clientFor(), { response_format: { type: 'json_object' } })).choices[0]!.message.content,
    ).toBe('{}');
  });

  it('answers with a reply function, and a configurable default', async () => {
    openai().reply((request) => `you said: ${String(request.messages.at(-1)!.content)}`);
    expect((await ask(clientFor())).choices[0]!.message.content).toBe('you said: What is 2 + 2?');
    openai().setDefaultReply(() => 'default');
    expect((await ask(clientFor())).choices[0]!.message.content).toBe('default');
  });

  it('passes on a refusal and a finish reason', async () => {
    openai().reply(
      refusal('I can’t help with that.'),
      message({ content: 'partial', finishReason: 'length' }),
    );
    const refused = await ask(clientFor());
    expect(refused.choices[0]!.message).toMatchObject({ content: null, refusal: 'I can’t help with that.' });
    expect((await ask(clientFor())).choices[0]!.finish_reason).toBe('length');
  });

  it('stops at max_completion_tokens with finish reason "length"', async () => {
    openai().reply('x'.repeat(100));
    const completion = await ask(clientFor(), { max_completion_tokens: 5 });
    expect(completion.choices[0]).toMatchObject({
      message: { content: 'x'.repeat(20) },
      finish_reason: 'length',
    });
    expect(completion.usage?.completion_tokens).toBe(5);
  });
});

describe('validation', () => {
  it('refuses a model it was not started with, with OpenAI’s 404 model_not_found', async () => {
    const error = await ask(clientFor(), { model: 'gpt-9' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', type: 'invalid_request_error' });
    expect(openai().takeViolations()).toEqual([
      expect.objectContaining({ status: 404, code: 'model_not_found', path: '/v1/chat/completions' }),
    ]);
  });

  it('refuses a strict schema whose objects are not closed with additionalProperties: false', async () => {
    const open = { ...STRICT_SCHEMA, additionalProperties: true };
    const error = await ask(clientFor(), {
      response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema: open } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain(
      "'additionalProperties' is required to be supplied and to be false",
    );
    expect(openai().takeViolations()).toHaveLength(1);
  });

  it('refuses a strict schema that leaves a property out of required, or uses an unsupported keyword', async () => {
    const optional = { ...STRICT_SCHEMA, required: ['answer', 'tags'] };
    const nested = {
      ...STRICT_SCHEMA,
      properties: {
        ...STRICT_SCHEMA.properties,
        extra: { type: 'object', properties: { a: { type: 'string' } } },
      },
      required: [...STRICT_SCHEMA.required, 'extra'],
    };
    const record = {
      ...STRICT_SCHEMA,
      properties: { ...STRICT_SCHEMA.properties, map: { type: 'object', propertyNames: { type: 'string' } } },
      required: [...STRICT_SCHEMA.required, 'map'],
    };
    const messages = [];
    for (const schema of [optional, nested, record]) {
      const error = await rejection(
        ask(clientFor(), {
          response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema } },
        }),
      );
      messages.push(error.message);
    }
    expect(messages[0]).toContain("Missing 'detail'");
    expect(messages[1]).toContain("context=('properties', 'extra'), 'additionalProperties'");
    expect(messages[2]).toContain("'propertyNames' is not permitted");
    expect(openai().takeViolations()).toHaveLength(3);
  });

  it('accepts a non-strict schema that is open, but not one that is no object', async () => {
    const open = { type: 'object', properties: { a: { type: 'string' } } };
    await ask(clientFor(), {
      response_format: { type: 'json_schema', json_schema: { name: 'a', schema: open } },
    });
    const error = await rejection(
      ask(clientFor(), {
        response_format: { type: 'json_schema', json_schema: { name: 'a', schema: { type: 'array' } } },
      }),
    );
    expect(error.message).toContain('type: "object"');
    expect(openai().takeViolations()).toHaveLength(1);
  });

  it('refuses json_object mode when no message mentions JSON, empty messages, and unknown fields', async () => {
    const client = clientFor();
    const errors = await Promise.all([
      rejection(
        client.chat.completions.create({
          model: 'gpt-4.1-mini',
          messages: [{ role: 'user', content: 'hi' }],
          response_format: { type: 'json_object' },
        }),
      ),
      rejection(client.chat.completions.create({ model: 'gpt-4.1-mini', messages: [] })),
      rejection(
        client.chat.completions.create({
          model: 'gpt-4.1-mini',
          messages: [{ role: 'user', content: 'hi' }],
          colour: 'blue',
        } as never),
      ),
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining("must contain the word 'json'"),
      expect.stringContaining("[] is too short - 'messages'"),
      expect.stringContaining('Unrecognized request argument supplied: colour'),
    ]);
    expect(
      openai()
        .takeViolations()
        .map((v) => v.status),
    ).toEqual([400, 400, 400]);
  });

  it('refuses an unknown path and an unknown model id in OpenAI’s shape', async () => {
    await expect(clientFor().models.retrieve('gpt-9')).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    const response = await fetch(`${openai().url}/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${openai().apiKey}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { message: 'Invalid URL (POST /v1/completions)' } });
    expect(
      openai()
        .takeViolations()
        .map((v) => v.status),
    ).toEqual([404, 404]);
  });

  it('accepts only its key when started with one', async () => {
    const keyed = await startOpenAiServer({ apiKey: 'sk-right' });
    try {
      const wrong = new OpenAI({ baseURL: keyed.url, apiKey: 'sk-wrong-key', maxRetries: 0 });
      await expect(wrong.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
      const right = new OpenAI({ baseURL: keyed.url, apiKey: keyed.apiKey, maxRetries: 0 });
      await expect(right.models.list()).resolves.toBeDefined();
      expect(keyed.violations).toHaveLength(1);
    } finally {
      await keyed.close();
    }
  });

  it('refuses a request without a bearer token', async () => {
    const response = await fetch(`${openai().url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: expect.objectContaining({
        type: 'invalid_request_error',
        message: expect.stringContaining('API key'),
      }),
    });
    expect(openai().takeViolations()).toHaveLength(1);
  });
});

describe('faults', () => {
  it('answers 429 with retry-after and OpenAI’s rate-limit error, then recovers', async () => {
    openai().fault({ kind: 'rate-limit', retryAfter: 2, retryAfterMs: 1500 });
    const error = await ask(clientFor()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const limited = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(limited.code).toBe('rate_limit_exceeded');
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('retry-after-ms')).toBe('1500');
    await expect(ask(clientFor())).resolves.toMatchObject({ object: 'chat.completion' });
  });

  it('answers 500 for the next N requests, and leaves scripted replies for after', async () => {
    openai().reply('after the outage');
    openai().fault({ kind: 'server-error', times: 2 });
    await expect(ask(clientFor())).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(ask(clientFor())).rejects.toMatchObject({ status: 500 });
    expect((await ask(clientFor())).choices[0]!.message.content).toBe('after the outage');
  });

  it('holds a request until the client gives up', async () => {
    openai().fault({ kind: 'timeout' });
    // The client's own timeout: an APIConnectionTimeoutError in production. Under Jest the abort error comes from
    // another realm and the client reports it as the APIConnectionError it subclasses.
    await expect(ask(clientFor({ timeout: 200 }))).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(openai().requests[0]).toMatchObject({ fault: 'timeout', status: 0 });
  });

  it('drops the connection', async () => {
    openai().fault({ kind: 'drop' });
    await expect(ask(clientFor())).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('sends a cut-off HTTP body', async () => {
    openai().fault({ kind: 'malformed-body' });
    // A SyntaxError from the client's JSON parser (compared by name: it comes from another realm under Jest).
    await expect(ask(clientFor())).rejects.toMatchObject({ name: 'SyntaxError' });
  });

  it('sends content that is malformed JSON, or JSON that matches no schema', async () => {
    const format = {
      response_format: {
        type: 'json_schema' as const,
        json_schema: { name: 'answer', strict: true, schema: STRICT_SCHEMA },
      },
    };
    openai().fault({ kind: 'malformed-content' });
    openai().fault({ kind: 'schema-mismatch' });
    const malformed = (await ask(clientFor(), format)).choices[0]!.message.content!;
    expect(() => JSON.parse(malformed)).toThrow(SyntaxError);
    const mismatched = JSON.parse((await ask(clientFor(), format)).choices[0]!.message.content!) as object;
    expect(mismatched).not.toHaveProperty('answer');
    expect(openai().pending()).toEqual({ replies: 0, faults: [] });
  });
});

describe('usage', () => {
  it('counts every chat request and the tokens it answered with, at about four characters a token', async () => {
    openai().reply('a'.repeat(40), 'b'.repeat(9));
    openai().fault({ kind: 'server-error' });
    await ask(clientFor()).catch(() => undefined);
    const first = await ask(clientFor());
    const second = await ask(clientFor());
    // The prompt "Answer in JSON." + "What is 2 + 2?" is 29 characters: 8 tokens.
    expect([first.usage, second.usage]).toEqual([
      expect.objectContaining({ prompt_tokens: 8, completion_tokens: 10, total_tokens: 18 }),
      expect.objectContaining({ prompt_tokens: 8, completion_tokens: 3, total_tokens: 11 }),
    ]);
    expect(openai().stats).toEqual({ requests: 3, promptTokens: 16, completionTokens: 13 });
    expect(openai().requests.map((r) => r.status)).toEqual([500, 200, 200]);
  });
});
