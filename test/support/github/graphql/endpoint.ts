// POST /graphql: parses the document and validates it against GitHub's schema (a document GitHub would refuse is a
// contract violation), then executes it against the emulator's records. Fields the views do not serve fail loudly
// as `unimplemented` instead of coming back null.
import { execute, getOperationAST, parse, validate } from 'graphql';
import type { DocumentNode, GraphQLError, GraphQLFieldResolver } from 'graphql';
import { asGraphqlFailure } from './failure.ts';
import { rootValue } from './resolvers.ts';
import { githubSchema } from './schema.ts';
import { jsonAnswer } from '../answer.ts';
import type { Answer } from '../answer.ts';
import { isObject } from '../complete.ts';
import type { RecordedRequest, ViolationKind } from '../inspection.ts';
import type { Account } from '../state/records.ts';
import type { GitHubState } from '../state/state.ts';

export interface GraphqlCall {
  body: unknown;
  /** The account the request acts as; undefined for an unauthenticated request. */
  actor: Account | undefined;
  state: GitHubState;
  record: RecordedRequest;
  violation: (kind: ViolationKind, message: string) => void;
}

class Unimplemented extends Error {}

/** Like graphql-js's default resolver, except that a field the view does not have is an emulator gap. */
const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  if (!isObject(source) || !(info.fieldName in source)) {
    throw new Unimplemented(`the emulator does not serve ${info.parentType.name}.${info.fieldName} yet`);
  }
  const value = source[info.fieldName];
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown)(args, context, info) : value;
};

export async function answerGraphql(call: GraphqlCall): Promise<Answer> {
  const request = isObject(call.body) ? call.body : {};
  const { query, variables, operationName } = request as {
    query?: unknown;
    variables?: Record<string, unknown> | null;
    operationName?: string | null;
  };
  if (typeof query !== 'string') {
    call.violation('invalid-graphql', 'POST /graphql without a `query` string');
    return jsonAnswer(400, {
      message: 'Problems parsing JSON',
      documentation_url: 'https://docs.github.com/graphql',
    });
  }
  const schema = githubSchema();
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return refuse(call, [error as GraphQLError]);
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return refuse(call, invalid);

  const operation = getOperationAST(document, operationName ?? undefined);
  const fields = (operation?.selectionSet.selections ?? []).flatMap((s) =>
    s.kind === 'Field' ? [s.name.value] : [],
  );
  call.record.graphql = { type: operation?.operation ?? 'query', fields, variables: variables ?? {} };
  if (!call.actor) {
    return jsonAnswer(401, {
      message: 'This endpoint requires you to be authenticated.',
      documentation_url:
        'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
    });
  }
  const result = await execute({
    schema,
    document,
    rootValue: rootValue(call.state, call.actor),
    variableValues: variables ?? {},
    operationName: operationName ?? undefined,
    fieldResolver,
  });
  const errors = (result.errors ?? []).map((error) => {
    const failure = asGraphqlFailure(error.originalError);
    if (failure)
      return { type: failure.type, path: error.path, locations: error.locations, message: failure.message };
    const kind = error.originalError instanceof Unimplemented ? 'unimplemented' : 'emulator-error';
    call.violation(
      kind,
      `GraphQL ${fields.join(', ')}: ${error.message}${error.path ? ` at ${error.path.join('.')}` : ''}`,
    );
    return { path: error.path, locations: error.locations, message: error.message };
  });
  return jsonAnswer(200, { data: result.data ?? null, ...(errors.length > 0 ? { errors } : {}) });
}

/** GitHub answers a document it cannot parse or validate with 200 and the errors, and runs nothing. */
function refuse(call: GraphqlCall, errors: readonly GraphQLError[]): Answer {
  const messages = errors.map((e) => e.message);
  call.violation('invalid-graphql', `POST /graphql: ${messages.join('; ')}`);
  return jsonAnswer(200, { errors: errors.map((e) => ({ message: e.message, locations: e.locations })) });
}
