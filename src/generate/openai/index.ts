// The OpenAI provider: plans, follow-ups and explorations from any server that speaks OpenAI's Chat Completions API
// (OpenAI, Azure's v1 endpoint, Ollama, vLLM, LM Studio, llama.cpp). A request goes: prompt (data kept apart from
// instructions, credentials and identity data replaced by placeholders) → completion (retried, counted) → reply
// (repaired once if unreadable) → each case's placeholders given their real values back, the case checked → drafts.
import OpenAI from 'openai';
import {
  ProviderError,
  type Provider,
  type ProviderReply,
  type RequestContext,
  type TokenUsage,
} from '../provider.ts';
import type { LoadedUserCase } from '../../cases/index.ts';
import { proposeDictionaryEntries } from '../openapi/values/llm-entries.ts';
import { PromptSafe } from '../prompt-safe.ts';
import type { ModelEndpoint } from './call-model.ts';
import { checkProposal, toStepDraft } from './check-proposal.ts';
import { askForCases } from './conversation.ts';
import { resolveOptions, type OpenAiProviderOptions, type OpenAiSettings } from './options.ts';
import { explorePrompt, followUpPrompt, planPrompt, PROMPTS_VERSION, type Prompt } from './prompts.ts';
import { replySchema } from './reply.ts';

export type { OpenAiProviderOptions } from './options.ts';
export { PROMPTS_VERSION as OPENAI_PROMPTS_VERSION, SYSTEM_PROMPT } from './prompts.ts';
export { replySchema, REPLY_SCHEMA_NAME } from './reply.ts';
export { checkProposal, pathProblem } from './check-proposal.ts';
export { toWireSchema } from './wire-schema.ts';

/** The client and settings every request to the server uses. */
export function openAiEndpoint(options: OpenAiProviderOptions): {
  settings: OpenAiSettings;
  endpoint: ModelEndpoint;
} {
  const settings = resolveOptions(options);
  const client = new OpenAI({
    // The SDK would read OPENAI_* variables for anything not given; every value is given, so it reads none that
    // matter (it still honours OPENAI_CUSTOM_HEADERS). Local servers ignore the key but the SDK insists on one.
    apiKey: settings.apiKey ?? 'no-key',
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    baseURL: settings.baseURL,
    maxRetries: 0,
    // Our own deadline (call-model.ts) ends each attempt; the SDK's is a backstop behind it.
    timeout: settings.timeoutMs + 1000,
    logLevel: 'off',
  });
  return {
    settings,
    endpoint: {
      client,
      name: settings.name,
      baseURL: settings.baseURL,
      model: settings.model,
      timeoutMs: settings.timeoutMs,
      retry: settings.retry,
    },
  };
}

export function createOpenAiProvider(options: OpenAiProviderOptions): Provider {
  const { settings, endpoint } = openAiEndpoint(options);

  async function propose(
    build: (safe: PromptSafe, schema?: object) => Prompt,
    request: RequestContext & { journey: LoadedUserCase },
  ): Promise<ProviderReply> {
    const usage: TokenUsage = { requests: 0, promptTokens: 0, completionTokens: 0 };
    const schema = replySchema(request.maxCases);
    const safe = new PromptSafe();
    // Without structured outputs the model learns the shape from the prompt instead.
    const prompt = build(safe, settings.responseFormat === 'json_object' ? schema : undefined);
    let wire: unknown[];
    try {
      wire = await askForCases(endpoint, settings, prompt, schema, request, usage);
    } catch (error) {
      // The attempts and the tokens of unusable replies were spent all the same: the run counts them.
      if (error instanceof ProviderError) error.usage = { ...usage };
      throw error;
    }
    const reply: ProviderReply = { drafts: [], dropped: 0, usage };
    for (const proposed of wire) {
      const checked = checkProposal(proposed, {
        journey: request.journey,
        identities: request.identities,
        restore: (value) => safe.restore(value),
      });
      // Cases past maxCases are left out like invalid ones: the caller's budget is spent.
      if (!checked.ok || reply.drafts.length >= request.maxCases) reply.dropped += 1;
      else reply.drafts.push(toStepDraft(checked.proposal, request.journey, settings.name));
    }
    return reply;
  }

  return {
    name: settings.name,
    version: PROMPTS_VERSION,
    model: settings.model,
    endpoint: `${settings.baseURL} temperature=${settings.temperature}`,
    plan: (request) => propose((safe, schema) => planPrompt(request, safe, schema), request),
    followUp: (request) => propose((safe, schema) => followUpPrompt(request, safe, schema), request),
    explore: (request) => propose((safe, schema) => explorePrompt(request, safe, schema), request),
    proposeDictionaryEntries: (hints, store) =>
      proposeDictionaryEntries(hints, { endpoint, ...(store && { store }) }),
  };
}
