// Turns a draft into an executable test case: signs in each identity it uses, and first runs the earlier journey
// steps that create what it needs (a project before its tracks).
import path from 'node:path';
import { contentId, ownValue, placeholdersIn, renamePlaceholders } from '../cases/index.ts';
import type { ApiStep, ApiTestCase, FileUpload, RequestHint, SourceError, TestCase } from '../cases/index.ts';
import { closestNames, isBuiltInPlaceholder, placeholderOccurrences } from '../cases/template.ts';
import { identityRequestHeaders } from '../cases/config.ts';
import { request, type As, type CaseDraft, type DraftRequest, type StepContext } from './draft.ts';
import { perJourney } from './per-journey.ts';

export class GenerationError extends Error {
  readonly error: SourceError;
  constructor(error: SourceError) {
    super(error.message);
    this.error = error;
  }
}

// `{id}` in a path is a path parameter; `{{id}}` is a placeholder, filled as it is anywhere else.
const PATH_PARAM = /(?<!\{)\{(\w+)\}(?!\})/g;

export function assembleCase(context: StepContext, draft: CaseDraft): TestCase {
  const { source, step, stepIndex } = context;
  const { userCase } = source;
  const origin = {
    file: source.file,
    line: draft.at.line,
    column: draft.at.column,
    ...(userCase.product && { product: userCase.product }),
    role: userCase.role,
    journey: userCase.journey,
    step: step.step,
    title: draft.title,
    generator: draft.rule,
  };
  const meta = {
    title: draft.title,
    priority: draft.priority ?? step.priority ?? userCase.priority ?? 'medium',
    tags: [...new Set([...(userCase.tags ?? []), ...(step.tags ?? []), ...(draft.tags ?? [])])],
    origin,
    ...skipChecksOf(draft.skipChecks ?? step.skipChecks),
  };
  if (draft.ui) {
    return { id: contentId('tc', { kind: 'ui', steps: draft.ui }), kind: 'ui', ...meta, steps: draft.ui };
  }
  if (draft.skip) {
    return {
      id: contentId('tc', { skip: draft.skip, origin }),
      kind: 'api',
      ...meta,
      skip: draft.skip,
      steps: [],
    };
  }
  const fail = (message: string): never => {
    throw new GenerationError({ file: source.file, ...draft.at, message: `${step.step}: ${message}` });
  };

  assertNoBracedCapture(context);

  const planned: DraftRequest[] = [];
  const available = new Set<string>();
  // Identities whose sign-in captures a value the case uses ({{shopper.basketId}}): they sign in even if no request
  // is made as them.
  const signInFor = new Set<string>();
  const addWithPrerequisites = (wanted: DraftRequest, before: number, chain: number[]): void => {
    for (const name of neededValues(wanted)) {
      if (available.has(name)) continue;
      const identity = identityCapturing(context, name);
      if (identity !== undefined) {
        signInFor.add(identity);
        continue;
      }
      const provider = findProvider(context, name, before);
      if (provider === undefined || chain.includes(provider)) {
        const placeholders = context.source.steps[stepIndex]?.placeholders;
        const where = placeholders && ownValue(placeholders, name);
        const message = `${step.step}: ${unknownValue(context, name, before)}`;
        throw new GenerationError({ file: source.file, ...(where ?? draft.at), message });
      }
      const providerStep = userCase.steps[provider!]!;
      addWithPrerequisites(request(providerHint(providerStep)), provider!, [...chain, provider!]);
    }
    planned.push(wanted);
    for (const name of Object.keys(wanted.hint.capture ?? {})) available.add(name);
  };
  // The step's own happy path may provide for its titled cases (a case that reads what the step creates).
  for (const wanted of draft.requests) addWithPrerequisites(wanted, stepIndex + 1, []);

  const signIns: ApiStep[] = [];
  const signedIn = new Set<string>();
  const steps: ApiStep[] = [];
  for (const planStep of planned) {
    if (planStep.as && !signedIn.has(namespaceOf(planStep.as))) {
      signedIn.add(namespaceOf(planStep.as));
      signIns.push(...signInSteps(context, planStep.as, fail));
    }
    steps.push(toApiStep(planStep, context, fail));
  }
  for (const identity of signInFor) {
    if (signedIn.has(identity)) continue;
    signedIn.add(identity);
    signIns.push(...signInSteps(context, { identity, instance: 1 }, fail));
  }
  const all = [...signIns, ...steps];
  if (draft.load) {
    const { repeat: _repeat, ...underLoad } = all.at(-1)!;
    const loadSteps = [...all.slice(0, -1), underLoad];
    return {
      id: contentId('tc', { kind: 'load', steps: loadSteps, load: draft.load }),
      kind: 'load',
      ...meta,
      steps: loadSteps,
      load: draft.load,
    };
  }
  const testCase: ApiTestCase = {
    id: contentId('tc', { kind: 'api', steps: all }),
    kind: 'api',
    ...meta,
    steps: all,
  };
  return testCase;
}

function skipChecksOf(names: string[] | undefined): { skipChecks?: string[] } {
  return names && names.length > 0 ? { skipChecks: names } : {};
}

/** The values a request needs from earlier steps: path parameters without literals and {{placeholders}}. */
function neededValues({ hint }: DraftRequest): string[] {
  const [, path = ''] = (hint.api ?? '').split(' ');
  const fromPath = [...path.matchAll(PATH_PARAM)]
    .map((m) => m[1]!)
    .filter((p) => hint.params?.[p] === undefined);
  const fromData = placeholdersIn([
    path,
    hint.params,
    hint.query,
    hint.headers,
    hint.example,
    hint.rawBody,
    hint.form,
    hint.files,
  ]);
  return [...new Set([...fromPath, ...fromData])].filter((name) => !isBuiltInPlaceholder(name));
}

/** Whether a step captures `name` (its own capture, never an inherited property). */
function capturesName(step: { capture?: Record<string, unknown> }, name: string): boolean {
  return step.capture !== undefined && Object.hasOwn(step.capture, name);
}

/** The identity whose sign-in captures `name` when it is written `<identity>.<capture>`, as in {{shopper.basketId}}. */
function identityCapturing(context: StepContext, name: string): string | undefined {
  const dot = name.indexOf('.');
  if (dot === -1) return undefined;
  const identity = ownValue(context.config.identities, name.slice(0, dot));
  const captured = name.slice(dot + 1);
  return identity?.steps.some((s) => capturesName(s, captured)) ? name.slice(0, dot) : undefined;
}

/**
 * `{basketId}` in a query, a header or a body is sent as those letters; where the journey or an identity captures
 * that name, it is a placeholder with a brace missing.
 */
function assertNoBracedCapture(context: StepContext): void {
  const braced = context.source.steps[context.stepIndex]?.braced ?? {};
  const captured = capturing(context.source.userCase.steps);
  for (const [name, at] of Object.entries(braced)) {
    const identity = Object.entries(context.config.identities).find(([, { steps }]) =>
      steps.some((s) => capturesName(s, name)),
    )?.[0];
    if (!captured.has(name) && identity === undefined) continue;
    const meant = captured.has(name) ? name : `${identity}.${name}`;
    throw new GenerationError({
      file: context.source.file,
      ...at,
      message: `${context.step.step}: "{${name}}" would be sent as it is: a placeholder takes two braces, {{${meant}}}`,
    });
  }
}

/** Why a name has no value, with the names that do have one and look like it. */
function unknownValue(context: StepContext, name: string, before: number): string {
  const { identities } = context.config;
  const unknown = `{{${name}}} is used but no earlier step of "${context.source.userCase.journey}" captures it`;
  const dot = name.indexOf('.');
  const identity = dot === -1 ? undefined : ownValue(identities, name.slice(0, dot));
  if (identity) {
    const captured = identity.steps.flatMap((s) => Object.keys(s.capture ?? {}));
    const near = closestNames(name.slice(dot + 1), captured).map((c) => `{{${name.slice(0, dot)}.${c}}}`);
    return (
      `${unknown}, and the sign-in of "${name.slice(0, dot)}" captures ${captured.length ? captured.join(', ') : 'nothing'}` +
      (near.length ? ` (did you mean ${near.join(' or ')}?)` : '')
    );
  }
  const known = new Set<string>(name.startsWith('$') ? ['$uid', '$i'] : []);
  context.source.userCase.steps.slice(0, before).forEach((s) => {
    if (s.api) Object.keys(s.capture ?? {}).forEach((c) => known.add(c));
  });
  for (const [id, { steps }] of Object.entries(identities)) {
    for (const s of steps) Object.keys(s.capture ?? {}).forEach((c) => known.add(`${id}.${c}`));
  }
  const near = closestNames(name, known);
  if (near.length) return `${unknown} (did you mean ${near.map((n) => `{{${n}}}`).join(' or ')}?)`;
  return `${unknown}; capture it where it is created (capture: { ${name}: body.id }) or give params: { ${name}: ... }`;
}

/** The steps of a journey whose happy path captures each name, in order. */
const capturing = perJourney((steps) => {
  const by = new Map<string, number[]>();
  steps.forEach((step, index) => {
    if (!step.api) return;
    for (const [name, from] of Object.entries(step.capture ?? {})) {
      if (from === undefined) continue;
      const indexes = by.get(name);
      if (indexes) indexes.push(index);
      else by.set(name, [index]);
    }
  });
  return by;
});

/** The nearest step before `before` whose happy path captures `name`. */
function findProvider(context: StepContext, name: string, before: number): number | undefined {
  const indexes = capturing(context.source.userCase.steps).get(name);
  if (!indexes) return undefined;
  // The last index below `before`, by binary search: a step may use a value captured thousands of steps earlier.
  let low = 0;
  let high = indexes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (indexes[middle]! < before) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? undefined : indexes[low - 1];
}

function providerHint(step: StepContext['step']): RequestHint {
  const { api, auth, params, query, headers, example, rawBody, form, files, capture, expect } = step;
  return { api, auth, params, query, headers, example, rawBody, form, files, capture, expect };
}

function namespaceOf(as: As): string {
  return as.instance === 1 ? as.identity : `${as.identity}${as.instance}`;
}

/** An identity's sign-in requests, with its captures kept apart from every other identity's. */
function signInSteps(context: StepContext, as: As, fail: (message: string) => never): ApiStep[] {
  const identity = ownValue(context.config.identities, as.identity);
  if (!identity) return fail(unknownIdentity(context, as.identity));
  const ns = namespaceOf(as);
  const captured = new Set(identity.steps.flatMap((s) => Object.keys(s.capture ?? {})));
  const rename = (name: string): string => {
    if (captured.has(name)) return `${ns}.${name}`;
    if (name === '$uid' && as.instance > 1) return `$uid-${as.instance}`;
    return name;
  };
  return identity.steps.map((hint) => {
    const step = toApiStep({ hint: { ...hint, auth: undefined } }, context, fail);
    const renamed = renamePlaceholders({ ...step, name: `sign in as ${ns}: ${step.name}`, as: ns }, rename);
    if (step.capture) {
      renamed.capture = Object.fromEntries(Object.entries(step.capture).map(([k, v]) => [rename(k), v]));
    }
    return renamed;
  });
}

function unknownIdentity(context: StepContext, name: string): string {
  const known = Object.keys(context.config.identities);
  return `auth "${name}" is not an identity of gauntlet.yml (${known.length ? `known: ${known.join(', ')}` : 'it defines none'})`;
}

function identityHeaders(context: StepContext, as: As): Record<string, string> {
  const identity = ownValue(context.config.identities, as.identity)!;
  const captured = new Set(identity.steps.flatMap((s) => Object.keys(s.capture ?? {})));
  const ns = namespaceOf(as);
  return renamePlaceholders(identityRequestHeaders(identity), (name) =>
    captured.has(name) ? `${ns}.${name}` : name,
  );
}

function toApiStep(
  { hint, as, probe }: DraftRequest,
  context: StepContext,
  fail: (message: string) => never,
): ApiStep {
  if (!hint.api) {
    return fail(
      hint.operationId ? `operationId "${hint.operationId}" needs an OpenAPI description` : 'no api hint',
    );
  }
  if (as && !ownValue(context.config.identities, as.identity)) fail(unknownIdentity(context, as.identity));
  const [method, rawPath] = hint.api.split(' ') as [ApiStep['request']['method'], string];
  const path = rawPath.replace(PATH_PARAM, (_, name: string) => {
    const literal = hint.params?.[name];
    return literal === undefined ? `{{${name}}}` : encodePathLiteral(String(literal));
  });
  const headers = withIdentityHeaders(hint.headers ?? {}, as ? identityHeaders(context, as) : {});
  // GET and HEAD carry no body, even one inherited from the step.
  const bodyless = method === 'GET' || method === 'HEAD';
  if (
    !bodyless &&
    hint.rawBody !== undefined &&
    !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
  ) {
    headers['content-type'] = 'application/json';
  }
  const step: ApiStep = {
    name: `${method} ${rawPath}`,
    ...(as && { as: namespaceOf(as) }),
    // Carried so exploration's follow-ups, too, leave a public endpoint's missing credentials alone.
    ...(as && hint.authOptional === true && { authOptional: true as const }),
    request: {
      method,
      path,
      ...(hint.query && Object.keys(hint.query).length > 0 && { query: hint.query }),
      ...(Object.keys(headers).length > 0 && { headers }),
      ...(!bodyless && hint.example !== undefined && hint.example !== null && { json: hint.example }),
      ...(!bodyless && hint.rawBody !== undefined && { body: hint.rawBody }),
      ...(!bodyless && hint.form !== undefined && { form: hint.form }),
      ...(!bodyless && hint.files !== undefined && { files: filesFrom(hint.files, context.source.file) }),
      ...(hint.followRedirects && { followRedirects: true }),
    },
    ...(hint.capture && Object.keys(hint.capture).length > 0 && { capture: hint.capture }),
    expect: hint.expect ?? { status: '2xx' },
    ...(probe && { probe }),
  };
  if (hint.repeat && hint.repeat > 1) {
    step.repeat = { count: hint.repeat, concurrency: Math.min(hint.concurrency ?? 1, hint.repeat) };
  }
  return step;
}

/**
 * The request's headers, the identity's over them, but Cookie headers joined: a step's own cookie (a cookie
 * parameter of the description) is sent beside the identity's session, not dropped for it.
 */
function withIdentityHeaders(
  own: Record<string, string>,
  identity: Record<string, string>,
): Record<string, string> {
  const isCookie = (name: string) => name.toLowerCase() === 'cookie';
  const ownCookie = Object.entries(own).find(([name]) => isCookie(name));
  const identityCookie = Object.entries(identity).find(([name]) => isCookie(name));
  const headers = { ...own, ...identity };
  if (!ownCookie || !identityCookie) return headers;
  const merged = Object.fromEntries(Object.entries(headers).filter(([name]) => !isCookie(name)));
  return { ...merged, [identityCookie[0]]: `${identityCookie[1]}; ${ownCookie[1]}` };
}

/** Upload paths are written relative to the user-case file; the test case holds them relative to where it runs. */
function filesFrom(files: Record<string, FileUpload>, userCaseFile: string): Record<string, FileUpload> {
  return Object.fromEntries(
    Object.entries(files).map(([field, file]) => [
      field,
      file.path === undefined || path.isAbsolute(file.path)
        ? file
        : { ...file, path: path.join(path.dirname(userCaseFile), file.path) },
    ]),
  );
}

/** A path parameter's literal, encoded; its placeholders are kept, to be filled when the case runs. */
function encodePathLiteral(literal: string): string {
  let encoded = '';
  let last = 0;
  for (const { index } of placeholderOccurrences(literal)) {
    const end = literal.indexOf('}}', index) + 2;
    encoded += encodeURIComponent(literal.slice(last, index)) + literal.slice(index, end);
    last = end;
  }
  return encoded + encodeURIComponent(literal.slice(last));
}
