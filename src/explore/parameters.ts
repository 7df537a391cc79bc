// Mutations of every parameter of a request, one at a time: path parameters, query values, headers (never the
// credentials), cookies, form fields and the top fields of a JSON body. Where the API description declares the
// operation, the values follow its schema (an integer gets 0, −1, its bounds and just past them, a huge value, a
// fraction and a word; a string gets empty, long, its other enum values and other words) and parameters it declares
// but the request left out are tried too; elsewhere the current value's type decides. Values the run's responses
// held under the parameter's name come first: a service's own ids and words reach what made-up values do not.
import { operationKey, placeholdersIn } from '../cases/index.ts';
import type { ApiStep, ApiTestCase } from '../cases/index.ts';
import type { ApiDescription, ApiOperation, JsonSchema } from '../generate/openapi/description.ts';
import { randomAt } from '../generate/openapi/values/random.ts';
import { isSecretName } from '../run/secret-names.ts';
import { deriveCase, isPlainObject, NOT_A_SERVER_ERROR } from './derive.ts';
import { shuffle } from './pairwise.ts';
import type { ResponseValues } from './response-values.ts';

export const PARAMETER_GENERATOR = 'explore/parameter';

export type SlotKind = 'path' | 'query' | 'header' | 'cookie' | 'form' | 'body';

/** One value a request sends, or one its operation declares and the request left out (`current` unset). */
export interface ParameterSlot {
  kind: SlotKind;
  name: string;
  current?: unknown;
  schema?: JsonSchema;
}

export interface Mutant {
  label: string;
  value: unknown;
}

/** A case with one slot of its last request changed, and which slot ("query view", "path id"). */
export interface ParameterMutation {
  testCase: ApiTestCase;
  slot: string;
}

export interface ParameterContext {
  description?: ApiDescription;
  /** Values seen in the run's responses so far. */
  seen?: ResponseValues;
  seed: number;
  /** Names never mutated, whatever their spelling: the description's API-key names. */
  secretNames?: readonly string[];
  /** At most this many mutations of one case (default 40). */
  perCase?: number;
}

/** Headers that carry credentials or framing: never mutated (credentials are the auth probes' business). */
const FIXED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'content-type',
  'content-length',
  'host',
  'transfer-encoding',
  'connection',
]);

/** Words unlike the usual: keywords, numbers and nothing written as text. */
const OTHER_WORDS = ['all', 'none', 'null', '0', 'true', 'admin'];
const LONG_STRING = 'x'.repeat(1000);

/** The operation a step names, in the description: the same method and the same path, parameters aside. */
export function operationOf(
  step: ApiStep,
  description: ApiDescription | undefined,
): ApiOperation | undefined {
  if (!description) return undefined;
  const space = step.name.indexOf(' ');
  if (space < 0) return undefined;
  const key = operationKey(step.name.slice(0, space), step.name.slice(space + 1));
  return description.operations.find((op) => operationKey(op.method, op.path) === key);
}

/** Every slot of the step's request that a mutation may change, in a stable order. */
export function parameterSlots(step: ApiStep, context: Omit<ParameterContext, 'seed'> = {}): ParameterSlot[] {
  const operation = operationOf(step, context.description);
  const secret = new Set((context.secretNames ?? []).map((n) => n.toLowerCase()));
  const off = (name: string) => isSecretName(name) || secret.has(name.toLowerCase());
  const declared = (kind: ApiOperationParameterKind, name: string) =>
    operation?.parameters.find(
      (p) =>
        p.in === kind && (kind === 'header' ? p.name.toLowerCase() === name.toLowerCase() : p.name === name),
    );
  const slots: ParameterSlot[] = [];
  const { request } = step;

  const pathValues = pathParameterValues(step);
  const pathDeclared = operation?.parameters.filter((p) => p.in === 'path') ?? [];
  const pathOrder = operation ? [...operation.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!) : [];
  pathValues?.forEach(({ name, value }, i) => {
    const schema = pathDeclared.find((p) => p.name === pathOrder[i])?.schema;
    slots.push({ kind: 'path', name, ...literal(value), ...(schema && { schema }) });
  });

  const absent = (kind: ApiOperationParameterKind, present: (name: string) => boolean) => {
    for (const p of operation?.parameters ?? []) {
      if (p.in === kind && !present(p.name) && !off(p.name))
        slots.push({ kind, name: p.name, schema: p.schema });
    }
  };

  const query = request.query ?? {};
  for (const [name, value] of Object.entries(query)) {
    if (off(name) || placeholdersIn(value).length > 0) continue;
    const schema = declared('query', name)?.schema;
    slots.push({ kind: 'query', name, current: value, ...(schema && { schema }) });
  }
  absent('query', (name) => Object.hasOwn(query, name));

  const headers = request.headers ?? {};
  const headerNames = Object.keys(headers).map((h) => h.toLowerCase());
  for (const [name, value] of Object.entries(headers)) {
    if (FIXED_HEADERS.has(name.toLowerCase()) || off(name) || placeholdersIn(value).length > 0) continue;
    const schema = declared('header', name)?.schema;
    slots.push({ kind: 'header', name, current: value, ...(schema && { schema }) });
  }
  absent(
    'header',
    (name) => FIXED_HEADERS.has(name.toLowerCase()) || headerNames.includes(name.toLowerCase()),
  );

  const cookies = cookiesOf(headers);
  for (const [name, value] of cookies) {
    if (off(name) || placeholdersIn(value).length > 0) continue;
    const schema = declared('cookie', name)?.schema;
    slots.push({ kind: 'cookie', name, current: value, ...(schema && { schema }) });
  }
  absent('cookie', (name) => cookies.some(([n]) => n === name));

  const properties = bodyProperties(operation);
  if (request.form) {
    for (const [name, value] of Object.entries(request.form)) {
      if (off(name) || placeholdersIn(value).length > 0) continue;
      const schema = properties[name];
      slots.push({ kind: 'form', name, current: value, ...(schema && { schema }) });
    }
  }
  if (isPlainObject(request.json)) {
    for (const [name, value] of Object.entries(request.json)) {
      if (off(name) || placeholdersIn(value).length > 0) continue;
      const schema = properties[name];
      slots.push({ kind: 'body', name, current: value, ...(schema && { schema }) });
    }
  }
  return slots;
}

type ApiOperationParameterKind = 'query' | 'header' | 'cookie';

/** A path parameter's current value: the literal, decoded, or nothing for a placeholder resolved at run time. */
function literal(value: string): { current?: unknown } {
  if (placeholdersIn(value).length > 0) return {};
  try {
    return { current: decodeURIComponent(value) };
  } catch {
    return { current: value };
  }
}

/**
 * The path parameters of the step's request, by the name its step gives them, their raw text as sent; undefined when
 * the request's path does not follow the step's template (a rule sent it elsewhere).
 */
export function pathParameterValues(step: ApiStep): { name: string; value: string }[] | undefined {
  const template = step.name.slice(step.name.indexOf(' ') + 1);
  if (!template.startsWith('/')) return undefined;
  const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  if (names.length === 0) return [];
  const match = templatePattern(template).exec(step.request.path);
  if (!match) return undefined;
  return names.map((name, i) => ({ name, value: match[i + 1]! }));
}

function templatePattern(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/);
  // A placeholder ({{id}}) holds braces but no slash, so one segment's worth of any text stands for a parameter.
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('([^/?#]*)')}$`);
}

/** The request's path with its `index`-th path parameter set to `value`. */
function withPathValue(step: ApiStep, index: number, value: unknown): string | undefined {
  const values = pathParameterValues(step);
  if (!values) return undefined;
  const template = step.name.slice(step.name.indexOf(' ') + 1);
  const parts = template.split(/\{[^}]+\}/);
  return parts
    .map((part, i) =>
      i === 0 ? part : (i - 1 === index ? encodeURIComponent(String(value)) : values[i - 1]!.value) + part,
    )
    .join('');
}

function cookiesOf(headers: Record<string, string>): [string, string][] {
  const header = Object.entries(headers).find(([name]) => name.toLowerCase() === 'cookie')?.[1];
  if (header === undefined) return [];
  return header.split(';').flatMap((pair) => {
    const at = pair.indexOf('=');
    return at > 0 ? [[pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as [string, string]] : [];
  });
}

function bodyProperties(operation: ApiOperation | undefined): Record<string, JsonSchema> {
  const properties = operation?.requestBody?.schema?.properties;
  return isPlainObject(properties) ? (properties as Record<string, JsonSchema>) : {};
}

/** The JSON Schema type a schema asks for, `null` aside; undefined when it names none or several. */
function typeOf(schema: JsonSchema | undefined): string | undefined {
  const type = schema?.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const types = type.filter((t) => t !== 'null');
    return types.length === 1 && typeof types[0] === 'string' ? types[0] : undefined;
  }
  if (Array.isArray(schema?.enum) && schema.enum.length > 0) return typeof schema.enum[0];
  return undefined;
}

/**
 * The values a slot is tried with, most telling first: values the run's responses held under its name, then the
 * schema's (or, without one, the current value's) boundaries, wrong types and other words. The current value is
 * never among them.
 */
export function mutantsOf(slot: ParameterSlot, seen?: ResponseValues): Mutant[] {
  const out: Mutant[] = [];
  // A query value, header or path segment goes as text: there 1 and "1" are the same value.
  const keyOf = (value: unknown) => (slot.kind === 'body' ? JSON.stringify(value) : `text:${String(value)}`);
  const keys = new Set<string>(slot.current === undefined ? [] : [keyOf(slot.current)]);
  const add = (label: string, value: unknown) => {
    const key = keyOf(value);
    if (keys.has(key)) return;
    keys.add(key);
    out.push({ label, value });
  };
  for (const value of seen?.for(slot.name) ?? []) add(`${JSON.stringify(value)}, seen in a response`, value);
  const type = typeOf(slot.schema) ?? typeFromValue(slot.current);
  if (type === 'integer' || type === 'number') numberMutants(slot, type, add);
  else if (type === 'boolean') {
    add('the other truth value', !(slot.current === true || slot.current === 'true'));
    add('a word where a boolean belongs', 'yes');
  } else if (type === 'string' || type === undefined) stringMutants(slot, add);
  else if (type === 'array' || type === 'object') {
    if (slot.kind === 'body') add(`an empty ${type}`, type === 'array' ? [] : {});
    add(`a word where an ${type} belongs`, 'x');
  }
  return out;
}

function typeFromValue(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') {
    if (/^-?\d{1,15}$/.test(value)) return 'integer';
    if (value === 'true' || value === 'false') return 'boolean';
    return 'string';
  }
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  return undefined;
}

function numberMutants(
  slot: ParameterSlot,
  type: string,
  add: (label: string, value: unknown) => void,
): void {
  const schema = slot.schema ?? {};
  const asText = slot.kind !== 'body' && typeof slot.current === 'string';
  const num = (n: number) => (asText ? String(n) : n);
  const min = bound(schema.minimum) ?? bound(schema.exclusiveMinimum);
  const max = bound(schema.maximum) ?? bound(schema.exclusiveMaximum);
  const current = typeof slot.current === 'number' ? slot.current : Number(slot.current);
  const step = type === 'integer' ? 1 : 0.5;
  if (Array.isArray(schema.enum)) {
    for (const value of schema.enum) if (typeof value === 'number') add(`the listed ${value}`, num(value));
  }
  add('zero', num(0));
  add('minus one', num(-1));
  if (min !== undefined) {
    add('the minimum', num(min));
    add('just below the minimum', num(min - step));
  }
  if (max !== undefined) {
    add('the maximum', num(max));
    add('just above the maximum', num(max + step));
  }
  if (slot.current !== undefined && Number.isFinite(current)) add('the next value', num(current + step));
  add('a huge number', num(type === 'integer' ? 2 ** 53 + 2 : 1e308));
  if (type === 'integer') add('a fraction', num(1.5));
  add('a word where a number belongs', 'abc');
}

function bound(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringMutants(slot: ParameterSlot, add: (label: string, value: unknown) => void): void {
  const schema = slot.schema ?? {};
  if (Array.isArray(schema.enum)) {
    for (const value of schema.enum) if (typeof value === 'string') add(`the listed "${value}"`, value);
  }
  add('empty', '');
  const maxLength = bound(schema.maxLength);
  if (maxLength !== undefined && maxLength >= 0 && maxLength < 5000)
    add('one past the longest', 'x'.repeat(maxLength + 1));
  add('a long string', LONG_STRING);
  for (const word of OTHER_WORDS) add(`the word "${word}"`, word);
  add('a number where text belongs', slot.kind === 'body' ? 0 : '0');
}

/**
 * Mutations of the last request of a passing case: each changes one slot to one value and expects anything but a
 * server error. Slots take turns so each gets its most telling values within `perCase`; the order of slots follows
 * the seed.
 */
export function parameterMutations(testCase: ApiTestCase, context: ParameterContext): ParameterMutation[] {
  const last = testCase.steps.at(-1);
  if (!last || last.repeat || last.probe) return [];
  const slots = parameterSlots(last, context);
  if (slots.length === 0) return [];
  const perSlot = slots.map((slot) => ({ slot, mutants: mutantsOf(slot, context.seen) }));
  shuffle(perSlot, randomAt(context.seed, `parameters:${last.name}`));
  const limit = context.perCase ?? 40;
  const cases: ParameterMutation[] = [];
  for (let turn = 0; cases.length < limit; turn++) {
    let any = false;
    for (const { slot, mutants } of perSlot) {
      const mutant = mutants[turn];
      if (!mutant || cases.length >= limit) continue;
      any = true;
      const changed = withSlot(last, slots.indexOf(slot), slots, mutant.value);
      if (!changed) continue;
      const { capture: _capture, ...rest } = changed;
      cases.push({
        testCase: deriveCase(
          testCase,
          [...testCase.steps.slice(0, -1), { ...rest, expect: NOT_A_SERVER_ERROR }],
          {
            generator: PARAMETER_GENERATOR,
            title: `${last.name}: copes with ${mutant.label} in ${slot.kind} ${slot.kind === 'body' ? 'field' : 'parameter'} "${slot.name}"`,
            tags: ['edge-case', 'parameter'],
          },
        ),
        slot: `${slot.kind} ${slot.name}`,
      });
    }
    if (!any) break;
  }
  return cases;
}

/** The step with one slot set to `value`. */
function withSlot(
  step: ApiStep,
  index: number,
  slots: readonly ParameterSlot[],
  value: unknown,
): ApiStep | undefined {
  const slot = slots[index]!;
  const { request } = step;
  const text = String(value);
  switch (slot.kind) {
    case 'path': {
      const pathIndex = slots.slice(0, index).filter((s) => s.kind === 'path').length;
      const path = withPathValue(step, pathIndex, value);
      return path === undefined ? undefined : { ...step, request: { ...request, path } };
    }
    case 'query':
      return { ...step, request: { ...request, query: { ...request.query, [slot.name]: scalar(value) } } };
    case 'header':
      return { ...step, request: { ...request, headers: { ...request.headers, [slot.name]: text } } };
    case 'cookie': {
      const headers = { ...request.headers };
      const name = Object.keys(headers).find((h) => h.toLowerCase() === 'cookie') ?? 'cookie';
      const pairs = cookiesOf(headers).filter(([n]) => n !== slot.name);
      headers[name] = [...pairs, [slot.name, encodeURIComponent(text)]]
        .map(([n, v]) => `${n}=${v}`)
        .join('; ');
      return { ...step, request: { ...request, headers } };
    }
    case 'form':
      return { ...step, request: { ...request, form: { ...request.form, [slot.name]: scalar(value) } } };
    case 'body':
      return { ...step, request: { ...request, json: { ...(request.json as object), [slot.name]: value } } };
  }
}

function scalar(value: unknown): string | number | boolean {
  return typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
}
