// The rules as a provider: deterministic drafts for every step of a journey, with no set-up and no network.
import { operationKey } from '../cases/index.ts';
import type { GauntletConfig, LoadedUserCase } from '../cases/index.ts';
import type { ApiDescription, ApiOperation, HttpMethod } from './openapi/index.ts';
import type { DictionaryEntry } from './openapi/values/dictionary.ts';
import type { Rule, StepContext } from './draft.ts';
import { NO_USAGE, type Provider, type ProviderReply, type StepDraft } from './provider.ts';
import { RULES } from './rules/index.ts';

/** Bumped when the rules change what they propose, so cached generations that depend on them are redone. */
export const RULES_VERSION = '4';

/** Every rule's drafts for the given steps of a journey, step by step in rule order. */
export function draftJourney(
  source: LoadedUserCase,
  config: GauntletConfig,
  rules: readonly Rule[] = RULES,
  steps: (index: number) => boolean = () => true,
  description?: ApiDescription,
  proposed?: readonly DictionaryEntry[],
): StepDraft[] {
  const drafts: StepDraft[] = [];
  const { operations, offered } = operationsOf(description);
  source.userCase.steps.forEach((step, stepIndex) => {
    if (!steps(stepIndex)) return;
    const [method = '', path = ''] = (step.api ?? '').split(' ');
    const operation = step.api ? operations.get(operationKey(method, path)) : undefined;
    const methods = step.api ? offered.get(operationKey('', path)) : undefined;
    const context: StepContext = {
      source,
      stepIndex,
      step,
      config,
      ...(operation && { operation }),
      ...(methods && { offered: methods }),
      ...(proposed && proposed.length > 0 && { proposed }),
    };
    for (const rule of rules) {
      for (const draft of rule.draft(context)) drafts.push({ ...draft, stepIndex });
    }
  });
  return drafts;
}

interface OperationLookup {
  operations: ReadonlyMap<string, ApiOperation>;
  offered: ReadonlyMap<string, HttpMethod[]>;
}

// Made once per description: every journey looks its steps up in it, and a description may have 60 000 operations.
const lookups = new WeakMap<ApiDescription, OperationLookup>();

function operationsOf(description: ApiDescription | undefined): OperationLookup {
  if (!description) return { operations: new Map(), offered: new Map() };
  let lookup = lookups.get(description);
  if (!lookup) {
    const operations = new Map(description.operations.map((o) => [operationKey(o.method, o.path), o]));
    const offered = new Map<string, HttpMethod[]>();
    for (const o of description.operations) {
      const key = operationKey('', o.path);
      const methods = offered.get(key) ?? [];
      methods.push(o.method);
      offered.set(key, methods);
    }
    lookup = { operations, offered };
    lookups.set(description, lookup);
  }
  return lookup;
}

export function createRulesProvider(
  config: GauntletConfig,
  rules: readonly Rule[] = RULES,
  description?: ApiDescription,
): Provider {
  const reply = (drafts: StepDraft[]): Promise<ProviderReply> =>
    Promise.resolve({ drafts, dropped: 0, usage: NO_USAGE });
  return {
    name: 'rules',
    version: RULES_VERSION,
    plan: ({ journey }) => reply(draftJourney(journey, config, rules, () => true, description)),
    // Around a failure: every rule's variations of the step that failed (its edge values, types and probes).
    followUp: ({ journey, failure }) => {
      const failed = journey.userCase.steps.findIndex((step) => step.step === failure.origin.step);
      return reply(draftJourney(journey, config, rules, (index) => index === failed, description));
    },
    // What the results have not tried yet: the steps no result comes from.
    explore: ({ journey, results }) => {
      const tried = new Set(results.map((result) => result.origin.step));
      return reply(
        draftJourney(
          journey,
          config,
          rules,
          (index) => !tried.has(journey.userCase.steps[index]!.step),
          description,
        ),
      );
    },
  };
}
