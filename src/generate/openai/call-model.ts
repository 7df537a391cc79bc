// One chat completion, with the provider's own deadline and retries: every HTTP attempt is counted in the usage,
// and the tokens of every answer are added to it, so what a run reports is what was billed.
import type OpenAI from 'openai';
import { ProviderError, type TokenUsage } from '../provider.ts';
import { attemptFailure } from './attempt-failure.ts';
import { backoffMs, type RetryPolicy } from './retry.ts';

export interface ModelEndpoint {
  client: OpenAI;
  /** Shown in messages: "openai/gpt-4.1-mini". */
  name: string;
  baseURL: string;
  model: string;
  timeoutMs: number;
  retry: RetryPolicy;
}

export type ChatParams = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;

export async function callModel(
  endpoint: ModelEndpoint,
  params: ChatParams,
  usage: TokenUsage,
  signal?: AbortSignal,
): Promise<OpenAI.Chat.ChatCompletion> {
  const { retry } = endpoint;
  for (let attempt = 1; ; attempt++) {
    usage.requests += 1;
    // Our own deadline rather than the SDK's: it is known to have passed whatever error the SDK reports for it.
    const deadline = AbortSignal.timeout(endpoint.timeoutMs);
    try {
      const completion = await endpoint.client.chat.completions.create(params, {
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
        maxRetries: 0,
      });
      usage.promptTokens += completion.usage?.prompt_tokens ?? 0;
      usage.completionTokens += completion.usage?.completion_tokens ?? 0;
      return completion;
    } catch (error) {
      const failure = attemptFailure(error, {
        baseURL: endpoint.baseURL,
        model: endpoint.model,
        timeoutMs: endpoint.timeoutMs,
        timedOut: deadline.aborted,
        cancelled: signal?.aborted === true,
      });
      const attempts = `after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
      if (!failure.retry || attempt > retry.maxRetries) {
        throw new ProviderError(failure.reason, `${endpoint.name}: ${failure.message} (${attempts})`, {
          cause: error,
        });
      }
      const wait = failure.retryAfterMs ?? backoffMs(attempt, retry);
      if (wait > retry.maxRetryWaitMs) {
        throw new ProviderError(
          failure.reason,
          `${endpoint.name}: ${failure.message}; the server asks to wait ${Math.ceil(wait / 1000)} s, longer than ` +
            `maxRetryWaitMs (${retry.maxRetryWaitMs} ms) (${attempts})`,
          { cause: error },
        );
      }
      try {
        await retry.sleep(wait, signal);
      } catch (cancelled) {
        throw new ProviderError('unavailable', `${endpoint.name}: the request was cancelled (${attempts})`, {
          cause: cancelled,
        });
      }
    }
  }
}
