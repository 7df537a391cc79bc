// Follow-ups of a failure: cases around it that tell its root cause and its reach. Around the minimal reproduction:
// neighbouring values, the failing value in the other fields, the same payload sent to the related operations of
// the resource, the error paths (no credentials, a body that is not JSON); then the rules' variations of the step,
// and an LLM's proposals when one is given (its failures never fail exploration).
import { placeholdersIn } from '../cases/index.ts';
import type {
  ApiStep,
  ApiTestCase,
  Expectation,
  GauntletConfig,
  LoadedUserCase,
  RunResult,
  TestCase,
} from '../cases/index.ts';
import { assembleCase, GenerationError } from '../generate/assemble.ts';
import { mergeHint, request, type CaseDraft } from '../generate/draft.ts';
import { randomAt } from '../generate/openapi/values/random.ts';
import { ProviderError, NO_USAGE, type Provider, type TokenUsage } from '../generate/provider.ts';
import { createRulesProvider } from '../generate/rules-provider.ts';
import { MALFORMED_JSON } from '../generate/rules/malformed-json.ts';
import { shuffle } from './pairwise.ts';
import { adopt, deriveCase, failingStepOf, isApiCase, isPlainObject, NOT_A_SERVER_ERROR } from './derive.ts';

export const FOLLOW_UP_GENERATOR = 'explore/follow-up';

export interface FollowUpContext {
  sources: readonly LoadedUserCase[];
  config: GauntletConfig;
  seed: number;
  /** At most this many follow-ups per failure (default 5). */
  perFailure?: number;
  /** Whether a case is new: one already tried is not proposed again. */
  isNew?: (testCase: TestCase) => boolean;
  /** An LLM provider asked for follow-ups too, with at most `maxTokens` for the request. */
  llm?: { provider: Provider; maxTokens?: number };
  /** Operations the service offers ("METHOD /path"), for the LLM. */
  operations?: readonly string[];
}

export interface FollowUps {
  cases: TestCase[];
  usage: TokenUsage;
  /** What went wrong asking the LLM; exploration goes on without its proposals. */
  errors: string[];
  /** Whether the LLM was asked (it is not for a case without a journey step to follow up). */
  asked: boolean;
}

/**
 * Follow-ups of the failing case `failing` (its result `result`), built around its minimal reproduction `minimal`
 * (the case itself when it was not shrunk). Each names `failing` as its parent.
 */
export async function followUps(
  failing: TestCase,
  result: RunResult,
  minimal: TestCase,
  context: FollowUpContext,
): Promise<FollowUps> {
  const limit = context.perFailure ?? 5;
  const isNew = context.isNew ?? (() => true);
  const source = context.sources.find(
    (s) => s.file === failing.origin.file && s.userCase.journey === failing.origin.journey,
  );
  const picked: TestCase[] = [];
  const seen = new Set<string>();
  const take = (candidates: readonly TestCase[], most: number) => {
    let taken = 0;
    for (const candidate of candidates) {
      if (picked.length >= limit || taken >= most) return;
      if (seen.has(candidate.id) || !isNew(candidate)) continue;
      seen.add(candidate.id);
      picked.push(candidate);
      taken++;
    }
  };

  const own = isApiCase(minimal) ? ownFollowUps(failing.id, minimal, result, context) : [];
  const llmShare = context.llm ? 2 : 0;
  take(own, limit - llmShare);

  let usage: TokenUsage = NO_USAGE;
  const errors: string[] = [];
  const asked = source !== undefined && context.llm !== undefined;
  if (source && context.llm) {
    try {
      const reply = await context.llm.provider.followUp({
        journey: source,
        failure: result,
        identities: Object.keys(context.config.identities),
        operations: [...(context.operations ?? [])],
        maxCases: llmShare,
        ...(context.llm.maxTokens !== undefined && { maxTokens: context.llm.maxTokens }),
      });
      usage = reply.usage;
      const drafts = reply.drafts.flatMap((d) => assembled(source, d.stepIndex, d, context.config));
      take(
        drafts.map((c) => adopt(c, failing.id, context.llm!.provider.name)),
        llmShare,
      );
    } catch (error) {
      if (error instanceof ProviderError && error.usage) usage = error.usage;
      errors.push(`${context.llm.provider.name}: ${(error as Error).message}`);
    }
  }

  if (source) {
    const rules = createRulesProvider(context.config);
    const reply = await rules.followUp({
      journey: source,
      failure: result,
      identities: Object.keys(context.config.identities),
      operations: [],
      maxCases: limit,
    });
    const drafts = reply.drafts.flatMap((d) => assembled(source, d.stepIndex, d, context.config));
    shuffle(drafts, randomAt(context.seed, `follow-up:${failing.id}`));
    take(
      drafts.map((c) => adopt(c, failing.id, `${FOLLOW_UP_GENERATOR}/${c.origin.generator}`)),
      limit,
    );
  }
  // With no LLM answer, the share it had goes to the rest of the own follow-ups.
  take(own, limit);
  return { cases: picked, usage, errors, asked };
}

/** Follow-ups made from the minimal case itself, most telling first. */
function ownFollowUps(
  parent: string,
  minimal: ApiTestCase,
  result: RunResult,
  context: FollowUpContext,
): TestCase[] {
  const index = Math.min(failingStepOf(minimal, result), minimal.steps.length - 1);
  const step = minimal.steps[index]!;
  const before = minimal.steps.slice(0, index);
  const made = (title: string, changed: ApiStep, tags: string[]) =>
    deriveCase(minimal, [...before, changed], {
      generator: FOLLOW_UP_GENERATOR,
      parent,
      title: `${step.name}: ${title}`,
      tags,
    });
  const { capture: _capture, repeat: _repeat, ...bare } = step;
  const json = step.request.json;
  const cases: TestCase[] = [];

  cases.push(...relatedOperations(parent, step, context));

  // A page answers a visitor without credentials by sending them to sign in; only an API must refuse.
  const page = result.evidence.some(
    (e) => e.step === index && /html/i.test(e.response?.headers['content-type'] ?? ''),
  );
  // A public endpoint a signed-in user also calls (authOptional) answers without credentials by design.
  if (step.as !== undefined && step.authOptional !== true && !page) {
    const headers = Object.fromEntries(
      Object.entries(step.request.headers ?? {}).filter(
        ([, value]) => placeholdersIn(value).filter((n) => !n.startsWith('$')).length === 0,
      ),
    );
    const { as: _as, ...anonymous } = bare;
    const { headers: _headers, ...requestWithout } = step.request;
    cases.push(
      made(
        'the same request without credentials is refused',
        {
          ...anonymous,
          request: { ...requestWithout, ...(Object.keys(headers).length > 0 && { headers }) },
          expect: {},
          probe: 'no-credentials',
        },
        ['security'],
      ),
    );
  }
  if (json !== undefined) {
    const { json: _json, ...requestWithout } = step.request;
    cases.push(
      made(
        'the same request with a body that is not JSON is refused',
        {
          ...bare,
          request: {
            ...requestWithout,
            body: MALFORMED_JSON,
            headers: { ...step.request.headers, 'content-type': 'application/json' },
          },
          expect: { status: '4xx' },
        },
        ['negative'],
      ),
    );
  }
  if (isPlainObject(json)) {
    for (const [field, value] of Object.entries(json)) {
      for (const neighbour of neighboursOf(value)) {
        cases.push(
          made(
            `copes with ${JSON.stringify(neighbour)} in "${field}", next to the failing ${JSON.stringify(value)}`,
            {
              ...bare,
              request: { ...step.request, json: { ...json, [field]: neighbour } },
              expect: NOT_A_SERVER_ERROR,
            },
            ['edge-case'],
          ),
        );
      }
    }
    // The failing values in the other fields of the journey step's example, where they are of the same type.
    const example = exampleOf(context.sources, minimal.origin.journey, step.name);
    for (const [field, value] of Object.entries(json)) {
      if (placeholdersIn(value).length > 0) continue;
      for (const [other, otherValue] of Object.entries(example)) {
        if (other === field || typeof otherValue !== typeof value || placeholdersIn(otherValue).length > 0)
          continue;
        cases.push(
          made(
            `copes with ${JSON.stringify(value)} in "${other}" as well as in "${field}"`,
            {
              ...bare,
              request: { ...step.request, json: { ...example, ...json, [other]: value } },
              expect: NOT_A_SERVER_ERROR,
            },
            ['edge-case'],
          ),
        );
      }
    }
  }
  return cases;
}

/** The same body sent to the other writes of the resource (POST /items, PUT or PATCH /items/{id}). */
function relatedOperations(parent: string, step: ApiStep, context: FollowUpContext): TestCase[] {
  const [method, template = ''] = step.name.split(' ');
  if (!['POST', 'PUT', 'PATCH'].includes(method!) || step.request.json === undefined) return [];
  const family = familyOf(template);
  const refused = refusalOf(step.expect);
  const cases: TestCase[] = [];
  const done = new Set<string>([step.name]);
  for (const source of context.sources) {
    source.userCase.steps.forEach((journeyStep, stepIndex) => {
      const [otherMethod, otherPath = ''] = (journeyStep.api ?? '').split(' ');
      const api = journeyStep.api ?? '';
      if (done.has(api) || !['POST', 'PUT', 'PATCH'].includes(otherMethod!) || familyOf(otherPath) !== family)
        return;
      done.add(api);
      const draft: CaseDraft = {
        title: `${api}: the payload that failed ${step.name} (${JSON.stringify(step.request.json)})`,
        rule: FOLLOW_UP_GENERATOR,
        at: source.steps[stepIndex]!.at,
        tags: ['follow-up'],
        requests: [
          request(
            mergeHint(journeyStep, {
              example: step.request.json,
              capture: {},
              expect: refused ?? NOT_A_SERVER_ERROR,
              repeat: undefined,
            }),
          ),
        ],
      };
      for (const testCase of assembled(source, stepIndex, draft, context.config)) {
        cases.push(adopt(testCase, parent, FOLLOW_UP_GENERATOR));
      }
    });
  }
  return cases;
}

/** "/api/projects" and "/api/projects/{projectId}" are one family; so are a path and its item. */
function familyOf(template: string): string {
  return template.replace(/\/\{[^}]+\}$/, '');
}

/**
 * The step's expectation when it asks for the payload to be refused as invalid (400 or 422 only): then the other
 * writes must refuse it too. A 404 or 409 is about the state, not the payload, and does not carry over.
 */
function refusalOf(expect: Expectation): Expectation | undefined {
  const statuses =
    expect.status === undefined ? [] : Array.isArray(expect.status) ? expect.status : [expect.status];
  const invalid = statuses.length > 0 && statuses.every((s) => s === 400 || s === 422);
  return invalid ? { status: expect.status! } : undefined;
}

function neighboursOf(value: unknown): unknown[] {
  if (typeof value === 'number') return [value - 1, value + 1];
  if (value === '') return [' '];
  if (typeof value === 'string' && value.trim() === '') return [''];
  return [];
}

function exampleOf(
  sources: readonly LoadedUserCase[],
  journey: string,
  api: string,
): Record<string, unknown> {
  for (const source of sources) {
    if (source.userCase.journey !== journey) continue;
    const step = source.userCase.steps.find((s) => s.api === api);
    if (step && isPlainObject(step.example)) return step.example;
  }
  return {};
}

/** The draft as a case of the journey's step, or none when it cannot be assembled (an unknown identity, say). */
export function assembled(
  source: LoadedUserCase,
  stepIndex: number,
  draft: CaseDraft,
  config: GauntletConfig,
): TestCase[] {
  const step = source.userCase.steps[stepIndex];
  if (!step) return [];
  try {
    return [assembleCase({ source, stepIndex, step, config }, draft)];
  } catch (error) {
    if (error instanceof GenerationError) return [];
    throw error;
  }
}
