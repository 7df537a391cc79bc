// Asking for cases: the prompt, the model's reply, and, when the reply cannot be read as `{ "cases": [...] }`, one
// more turn that shows the model its reply and what was wrong with it. A second unreadable reply ends the request.
import type OpenAI from 'openai';
import { ProviderError, type RequestContext, type TokenUsage } from '../provider.ts';
import { callModel, type ChatParams, type ModelEndpoint } from './call-model.ts';
import { clip } from './excerpts.ts';
import type { OpenAiSettings } from './options.ts';
import { repairPrompt, type Prompt } from './prompts.ts';
import { parseReply, REPLY_SCHEMA_NAME } from './reply.ts';
import type { JsonSchema } from './wire-schema.ts';

/** The cases of the reply, still in their wire form; throws ProviderError when there is no usable reply. */
export async function askForCases(
  endpoint: ModelEndpoint,
  settings: OpenAiSettings,
  prompt: Prompt,
  schema: JsonSchema,
  request: RequestContext,
  usage: TokenUsage,
): Promise<unknown[]> {
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
    { role: 'system', content: prompt.system },
    { role: 'user', content: prompt.user },
  ];
  let firstError = '';
  for (let round = 1; ; round++) {
    const maxTokens =
      request.maxTokens === undefined ? undefined : request.maxTokens - usage.completionTokens;
    if (maxTokens !== undefined && maxTokens < 1) {
      const budget = `the token budget (maxTokens ${request.maxTokens}) leaves nothing for`;
      throw new ProviderError(
        'invalid-reply',
        round === 1
          ? `${endpoint.name}: ${budget} a reply`
          : `${endpoint.name}: the reply could not be used (${firstError}), and ${budget} a corrected one`,
      );
    }
    const completion = await callModel(
      endpoint,
      chatParams(settings, messages, schema, maxTokens),
      usage,
      request.signal,
    );
    const content = contentOf(completion, endpoint.name, request.maxTokens);
    const parsed = parseReply(content);
    if (parsed.ok) return parsed.cases;
    if (round === 2) {
      throw new ProviderError(
        'invalid-reply',
        `${endpoint.name}: the reply could not be used (${firstError}), nor the corrected one (${parsed.error})`,
      );
    }
    firstError = parsed.error;
    messages.push({ role: 'assistant', content }, { role: 'user', content: repairPrompt(parsed.error) });
  }
}

function chatParams(
  settings: OpenAiSettings,
  messages: OpenAI.Chat.ChatCompletionMessageParam[],
  schema: JsonSchema,
  maxTokens: number | undefined,
): ChatParams {
  return {
    model: settings.model,
    messages: [...messages],
    temperature: settings.temperature,
    ...(settings.seed !== undefined && { seed: settings.seed }),
    ...(maxTokens !== undefined && { [settings.maxTokensField]: maxTokens }),
    response_format:
      settings.responseFormat === 'json_schema'
        ? { type: 'json_schema', json_schema: { name: REPLY_SCHEMA_NAME, strict: true, schema } }
        : { type: 'json_object' },
  };
}

/** The reply's text; a refusal, a filtered or a cut-off reply is no reply, and no corrected one would be better. */
function contentOf(
  completion: OpenAI.Chat.ChatCompletion,
  name: string,
  maxTokens: number | undefined,
): string {
  const choice = completion.choices?.[0];
  if (!choice) throw new ProviderError('invalid-reply', `${name}: the answer holds no reply (no choices)`);
  if (choice.message.refusal) {
    throw new ProviderError('refused', `${name}: the model refused: ${clip(choice.message.refusal, 300)}`);
  }
  if (choice.finish_reason === 'content_filter') {
    throw new ProviderError('refused', `${name}: the reply was withheld by the content filter`);
  }
  if (choice.finish_reason === 'length') {
    const limit =
      maxTokens === undefined ? "the model's output limit" : `the token budget (maxTokens ${maxTokens})`;
    throw new ProviderError(
      'invalid-reply',
      `${name}: the reply was cut off at ${limit}; allow more tokens or ask for fewer cases (maxCases)`,
    );
  }
  return choice.message.content ?? '';
}
