// Journeys made from an API description, for a service that has no user cases written: one per tag (or first path
// segment), its steps the tag's operations in the order a client uses them, so every rule of the generator applies
// to them as to journeys people write. A step that needs a resource another tag creates borrows that create.
import { formatPath, UserCase } from '../../cases/index.ts';
import type { LoadedUserCase, Position, RequestHint, Step, TitledCase } from '../../cases/index.ts';
import type { ApiDescription, ApiOperation } from './description.ts';
import { ApiDescriptionError } from './errors.ts';
import { isObject } from './json-schema.ts';
import { capturesOf } from './journey/captures.ts';
import { indexOperations } from './journey/operation-index.ts';
import type { OperationIndex } from './journey/operation-index.ts';
import { hintFor } from './journey/step-hint.ts';
import { statefulOrder } from './journey/step-order.ts';
import { pathParameters, resourceName, stepPathOf } from './journey/step-path.ts';
import type { DictionaryEntry } from './values/dictionary.ts';
import { harvestDescription } from './values/harvest.ts';
import { matchesPattern } from './values/regex-sample.ts';

export interface JourneyOptions {
  /** The identity (of gauntlet.yml) secured operations are called as. */
  auth?: string;
  /**
   * No identity to call secured operations as (and no `auth`): they are called without credentials and must refuse
   * (4xx), capture nothing, and are not read back after a delete.
   */
  signedOut?: boolean;
  /** Seeds the generated values; the same seed gives the same journeys. */
  seed?: number;
  /** Dictionary entries an LLM proposed for names the value dictionary does not know (proposeDictionaryEntries). */
  proposed?: readonly DictionaryEntry[];
}

/** The methods a step can name (TRACE cannot be). */
const STEP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export function journeysFromDescription(
  description: ApiDescription,
  options: JourneyOptions = {},
): LoadedUserCase[] {
  const operations = description.operations.filter((op) => STEP_METHODS.has(op.method));
  const index = indexOperations(operations);
  // The description's own words for each name (examples, enums, quoted words), used where a value is made up.
  const known = harvestDescription(description);
  const captures = new Map(operations.map((op) => [op, capturesOf(op, index)]));
  // Which operation makes each path parameter: the first that captures it.
  const creatorOf = new Map<string, ApiOperation>();
  for (const op of operations) {
    for (const name of Object.keys(captures.get(op)!)) if (!creatorOf.has(name)) creatorOf.set(name, op);
  }
  return groupByJourney(description, operations).map(({ name, at, members }) => {
    const ordered = withBorrowedCreates(statefulOrder(members), creatorOf, captures);
    const captured = new Set<string>();
    const names = new Set<string>();
    const steps: { step: Step; at: Position; cases: Position[] }[] = ordered.map((operation) => {
      // A secured operation with no identity to call it as is called without credentials: it must refuse, and
      // what it would have made cannot be read back.
      const anonymous = operation.secured && options.signedOut === true && options.auth === undefined;
      const capture = anonymous ? {} : captures.get(operation)!;
      // A path naming what an earlier step made must find it: there, 404 and 410 are faults, not refusals (unless
      // the request has a body, which may name what is missing).
      const readsWhatWasMade = pathParameters(stepPathOf(operation)).some((name) => captured.has(name));
      const hint = withUniqueKeys(
        hintFor(operation, { ...options, seed: options.seed ?? 1, captured, known }),
        capture,
        operation,
      );
      for (const key of Object.keys(capture)) captured.add(key);
      const cases = readAfterDelete(
        operation,
        index,
        options.signedOut !== true || options.auth !== undefined,
      );
      const step: Step = {
        step: uniqueName(stepName(operation), operation, names),
        ...hint,
        ...(anonymous && { expect: { status: '4xx' as const } }),
        ...(!anonymous && declaredRefusals(operation, hint, readsWhatWasMade)),
        ...(Object.keys(capture).length > 0 && { capture }),
        ...(cases.length > 0 && { cases }),
      };
      return { step, at: operation.at, cases: cases.map(() => operation.at) };
    });
    const parsed = UserCase.safeParse({
      product: description.title.trim() || 'the API',
      role: 'API client',
      journey: name,
      description: `The "${name}" operations of ${description.title.trim() || 'the API'}, as a client uses them.`,
      steps: steps.map((s) => s.step),
    });
    // What the description says is outside data: a value no journey can hold is its author's to fix, at its place.
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const step = typeof issue.path[1] === 'number' ? steps[issue.path[1]] : undefined;
      throw new ApiDescriptionError(
        description.source,
        `the operations tagged "${name}" cannot be a journey: ${formatPath(issue.path)}: ${issue.message}`,
        step?.at ?? at,
      );
    }
    const userCase = parsed.data;
    return {
      file: description.source,
      userCase,
      at,
      steps: steps.map(({ at: stepAt, cases }) => ({ at: stepAt, cases })),
    };
  });
}

interface JourneyGroup {
  name: string;
  at: Position;
  members: ApiOperation[];
}

/** One group per tag (an operation's first), in the order the description declares its tags; else by path. */
function groupByJourney(description: ApiDescription, operations: readonly ApiOperation[]): JourneyGroup[] {
  const prefix = commonPrefix(operations.map((op) => op.template));
  const groups = new Map<string, JourneyGroup>();
  for (const tag of description.tags) groups.set(tag.name, { name: tag.name, at: tag.at, members: [] });
  for (const operation of operations) {
    const name = operation.tags[0] ?? firstSegment(operation.template, prefix);
    if (!groups.has(name)) groups.set(name, { name, at: operation.at, members: [] });
    groups.get(name)!.members.push(operation);
  }
  return [...groups.values()].filter((group) => group.members.length > 0);
}

/** The segments every template starts with ("/api" when all do), which say nothing about the journey. */
function commonPrefix(templates: readonly string[]): number {
  const split = templates.map((t) => t.split('/').filter(Boolean));
  let n = 0;
  while (
    split.length > 0 &&
    split.every((s) => s.length > n + 1 && s[n] === split[0]![n] && !s[n]!.includes('{'))
  )
    n++;
  return n;
}

function firstSegment(template: string, prefix: number): string {
  return template.split('/').filter(Boolean)[prefix] ?? 'root';
}

/**
 * The journey's operations, after the creates (from any tag) that make what its paths need and none of its own
 * steps captures: a tracks journey starts by creating a project.
 */
function withBorrowedCreates(
  ordered: ApiOperation[],
  creatorOf: ReadonlyMap<string, ApiOperation>,
  captures: ReadonlyMap<ApiOperation, Record<string, string>>,
): ApiOperation[] {
  const borrowed: ApiOperation[] = [];
  const captured = new Set<string>();
  const own = new Set(ordered);
  const provide = (operation: ApiOperation, chain: ApiOperation[]): void => {
    for (const name of pathParameters(stepPathOf(operation))) {
      if (captured.has(name)) continue;
      const creator = creatorOf.get(name);
      if (!creator || chain.includes(creator) || own.has(creator)) continue;
      provide(creator, [...chain, creator]);
      borrowed.push(creator);
      for (const key of Object.keys(captures.get(creator)!)) captured.add(key);
    }
  };
  for (const operation of ordered) {
    provide(operation, [operation]);
    for (const key of Object.keys(captures.get(operation)!)) captured.add(key);
  }
  return [...new Set([...borrowed, ...ordered])];
}

/** On a delete of something that can be read: reading it afterwards finds it gone. */
function readAfterDelete(operation: ApiOperation, index: OperationIndex, signedIn: boolean): TitledCase[] {
  if (operation.method !== 'DELETE') return [];
  const path = stepPathOf(operation);
  const read = index.readByPath.get(path);
  if (!read || pathParameters(path).length === 0) return [];
  // Without an identity a secured delete or read is refused: nothing is deleted, or read back.
  if (!signedIn && (operation.secured || read.secured)) return [];
  const gone = ['404', '410'].filter((s) => read.responses[s]).map(Number);
  const status = gone.length === 0 ? ('4xx' as const) : gone.length === 1 ? gone[0]! : gone;
  const last =
    path
      .split('/')
      .filter((s) => s && !s.includes('{'))
      .at(-1) ?? 'resource';
  return [
    {
      title: `The ${resourceName(last)} is gone once deleted`,
      steps: [{}, { api: `GET ${path}`, expect: { status } }],
    },
  ];
}

/** "createProject" reads "Create project"; an operation named by Gauntlet reads as its summary or its request. */
function stepName(operation: ApiOperation): string {
  if (operation.operationIdDeclared) {
    const words = operation.operationId
      .replace(/([a-z\d])([A-Z])/g, '$1 $2')
      .replace(/[_\-.]+/g, ' ')
      .trim()
      .toLowerCase();
    if (words) return words.charAt(0).toUpperCase() + words.slice(1);
  }
  const summary = operation.summary
    ?.split(/(?<=\.)\s/)[0]
    ?.replace(/\.$/, '')
    .trim();
  return summary || `${operation.method} ${operation.template}`;
}

/** Step names identify steps in results: a second step of the same name is told apart by its request. */
function uniqueName(name: string, operation: ApiOperation, taken: Set<string>): string {
  const unique = taken.has(name) ? `${name} (${operation.method} ${operation.template})` : name;
  taken.add(unique);
  return unique;
}

/** What `{{$uid}}` adds to a value: a hyphen and 12 hex digits. */
const UNIQUE_SUFFIX_LENGTH = 13;

/**
 * Values two cases run at once must not share. A create whose key the client chooses (POST /pets with `name`, later
 * read at /pets/{petName}) sends a key of its own in every case: the same generated name in two cases would make one
 * case read, change or delete the other's resource. So does an e-mail address (a sign-up with an address another
 * case took first is rightly refused): `{{$uid}}` joins its local part, the same in every step of a case, so that a
 * sign-in after the sign-up names the same account. Only a value that takes the suffix gets it: one whose enum,
 * format, pattern or length limit it would break keeps its value.
 */
function withUniqueKeys(
  hint: RequestHint,
  capture: Record<string, string>,
  operation: ApiOperation,
): RequestHint {
  const example = hint.example;
  if (!isObject(example)) return hint;
  const properties = operation.requestBody?.schema?.properties;
  const schemaOf = (field: string) =>
    isObject(properties) && Object.hasOwn(properties, field) ? properties[field] : undefined;
  let unique: Record<string, unknown> | undefined;
  const keys = new Set(Object.values(capture).map((source) => /^body\.([^.]+)$/.exec(source)?.[1]));
  for (const [field, value] of Object.entries(example)) {
    const schema = schemaOf(field);
    if (typeof value !== 'string' || !isObject(schema)) continue;
    const made =
      keys.has(field) && isFreeText(schema, value) ? `${value}-{{$uid}}` : uniqueEmail(schema, value);
    if (made === undefined) continue;
    unique ??= { ...example };
    unique[field] = made;
  }
  return unique ? { ...hint, example: unique } : hint;
}

/** "ada@example.test" as "ada-{{$uid}}@example.test", for a field of format email with room for it. */
function uniqueEmail(schema: Record<string, unknown>, value: string): string | undefined {
  const at = value.lastIndexOf('@');
  if (schema.format !== 'email' || at <= 0 || schema.enum !== undefined || schema.const !== undefined) return;
  if (typeof schema.maxLength === 'number' && value.length + UNIQUE_SUFFIX_LENGTH > schema.maxLength) return;
  const made = `${value.slice(0, at)}-{{$uid}}${value.slice(at)}`;
  return typeof schema.pattern === 'string' &&
    !matchesPattern(schema.pattern, made.replace('{{$uid}}', '0a1b2c3d4e5f'), false)
    ? undefined
    : made;
}

function isFreeText(schema: Record<string, unknown>, value: string): boolean {
  if (['enum', 'const', 'format'].some((keyword) => schema[keyword] !== undefined)) return false;
  // A pattern must take the suffix too: "^[a-zA-Z0-9- ]+$" does, "^[a-z]+$" does not.
  const pattern = schema.pattern;
  if (
    pattern !== undefined &&
    (typeof pattern !== 'string' || !matchesPattern(pattern, `${value}-0a1b2c3d4e5f`, false))
  )
    return false;
  return typeof schema.maxLength !== 'number' || value.length + UNIQUE_SUFFIX_LENGTH <= schema.maxLength;
}

/** The operations a run without an identity can test only for their refusal: secured ones, when none is named. */
export function anonymousOperations(description: ApiDescription, auth: string | undefined): ApiOperation[] {
  return auth === undefined
    ? description.operations.filter((op) => op.secured && STEP_METHODS.has(op.method))
    : [];
}

/**
 * Refusals a first run cannot tell from a fault, where the description declares them: a public operation that
 * declares 401 or 403 judges the credentials its request carries (a sign-in: made-up or example ones are rightly
 * refused); a secured one may refuse the identity Gauntlet chose for lack of a role (403), or refuse for a state
 * generated data cannot know: nothing there (404, 410, unless its path names what an earlier step made), a
 * conflict (409). Made-up data (a body, a query, header or path value no earlier step gave) may be refused by a rule
 * no schema states (a range that must fall inside another resource, an e-mail address that must belong to an
 * account, a word from a list only the service knows, a file that must be audio): 400 or 422 (415 for a body), and
 * 404 or 410 for what a body or a made-up path value names. Each is as good an answer as success.
 */
function declaredRefusals(
  operation: ApiOperation,
  hint: RequestHint,
  readsWhatWasMade: boolean,
): Pick<Step, 'expect'> | undefined {
  const body = operation.requestBody !== undefined;
  const madeUpPath = Object.keys(hint.params ?? {}).length > 0;
  const madeUp = body || madeUpPath || Object.keys({ ...hint.query, ...hint.headers }).length > 0;
  const ofTheData = madeUp ? ['400', '422', ...(body ? ['415'] : [])] : [];
  const namesWhatIsNotThere = body || madeUpPath || (operation.secured && !readsWhatWasMade);
  const possible = [
    ...(operation.secured ? ['403', '409'] : body ? ['401', '403'] : []),
    ...(namesWhatIsNotThere ? ['404', '410'] : []),
    ...ofTheData,
  ];
  const success = hint.expect?.status;
  if (success === undefined) return undefined;
  const expected = Array.isArray(success) ? success : [success];
  const refusals = possible
    .filter((status) => Object.hasOwn(operation.responses, status))
    .map(Number)
    .filter((status) => !expected.includes(status));
  if (refusals.length === 0) return undefined;
  return { expect: { ...hint.expect, status: [...expected, ...refusals] } };
}
