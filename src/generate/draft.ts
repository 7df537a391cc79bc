// Drafts are what rules propose: the requests a case makes, before identities and prerequisites are added.
import type {
  GauntletConfig,
  LoadProfile,
  LoadedUserCase,
  Position,
  Probe,
  Priority,
  RequestHint,
  Step,
  UiStep,
} from '../cases/index.ts';
import type { ApiOperation, HttpMethod } from './openapi/index.ts';
import type { DictionaryEntry } from './openapi/values/dictionary.ts';

/** Who a request is made as: an identity of gauntlet.yml, and which use of it (2 = a second, different account). */
export interface As {
  identity: string;
  instance: number;
}

export interface DraftRequest {
  hint: RequestHint;
  as?: As;
  /** What the request probes, for the built-in check that judges it. */
  probe?: Probe;
}

export interface CaseDraft {
  title: string;
  rule: string;
  requests: DraftRequest[];
  at: Position;
  priority?: Priority;
  tags?: string[];
  skip?: string;
  skipChecks?: string[];
  /** Browser steps: the case is a UI case and `requests` is empty. */
  ui?: UiStep[];
  /** Run the last request under this load, after the others set up. */
  load?: LoadProfile;
}

/** Everything a rule may look at for one step of one journey. */
export interface StepContext {
  source: LoadedUserCase;
  stepIndex: number;
  step: Step;
  config: GauntletConfig;
  /** The operation of the API description the step calls, when a description is given and describes it. */
  operation?: ApiOperation;
  /** The methods the API description offers on the step's path, when it describes the path. */
  offered?: readonly HttpMethod[];
  /** Value-dictionary entries an LLM proposed for names the table does not know (dictionary-proposals.ts). */
  proposed?: readonly DictionaryEntry[];
}

export interface Rule {
  name: string;
  /** Proposes cases for one step; returns none where the rule does not apply. */
  draft(context: StepContext): CaseDraft[];
}

const HINT_KEYS = [
  'api',
  'operationId',
  'auth',
  'authOptional',
  'params',
  'query',
  'headers',
  'example',
  'rawBody',
  'form',
  'files',
  'capture',
  'expect',
  'followRedirects',
  'repeat',
  'concurrency',
] as const satisfies readonly (keyof RequestHint)[];

/** The step's own request hint, with `override` taking precedence key by key. */
export function mergeHint(step: Step, override: Partial<RequestHint> = {}): RequestHint {
  const merged: Record<string, unknown> = {};
  for (const key of HINT_KEYS) {
    const value = key in override ? override[key] : step[key];
    if (value !== undefined) merged[key] = value;
  }
  // A body of another kind replaces the step's JSON example rather than joining it.
  if (override.rawBody !== undefined || override.form !== undefined || override.files !== undefined) {
    delete merged.example;
  }
  return merged as RequestHint;
}

/** The identity a hint names, or none for "none" or no auth at all. */
export function asOf(hint: RequestHint, instance = 1): As | undefined {
  return hint.auth && hint.auth !== 'none' ? { identity: hint.auth, instance } : undefined;
}

export function request(hint: RequestHint, instance = 1): DraftRequest {
  const as = asOf(hint, instance);
  return as ? { hint, as } : { hint };
}

export function hasJsonBody(hint: RequestHint): hint is RequestHint & { example: Record<string, unknown> } {
  return typeof hint.example === 'object' && hint.example !== null && !Array.isArray(hint.example);
}

export function stepLabel(context: StepContext): string {
  return context.step.step;
}

export function stepAt(context: StepContext): Position {
  return context.source.steps[context.stepIndex]!.at;
}
