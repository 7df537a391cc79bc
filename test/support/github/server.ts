// The emulator's HTTP front. REST is served at `/` and under `/api/v3` (where Probot looks for GitHub Enterprise),
// GraphQL at `/graphql` and `/api/graphql`. A REST request is routed and validated against the description, may
// meet a fault, is authenticated, handled, completed to the operation's response schema and recorded.
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { jsonAnswer } from './answer.ts';
import type { Answer, Reply } from './answer.ts';
import { identify } from './auth.ts';
import type { Caller } from './auth.ts';
import { complete, isObject } from './complete.ts';
import type { RestContract, RestOperation } from './contract.ts';
import { errorBody, GitHubError, REST_DOCS } from './errors.ts';
import { faultAnswer } from './faults.ts';
import type { Faults } from './faults.ts';
import { answerGraphql } from './graphql/endpoint.ts';
import type { Inspection, RecordedRequest, ViolationKind } from './inspection.ts';
import { presenters } from './present/index.ts';
import {
  ARTIFACT_DOWNLOAD_TEMPLATE,
  ARTIFACT_STORAGE,
  artifactDownload,
  isArtifactDownload,
} from './rest/actions.ts';
import { APP_JWT_OPERATIONS, restHandlers } from './rest/index.ts';
import type { GitHubState } from './state/state.ts';

export interface ServerParts {
  contract: RestContract;
  state: GitHubState;
  faults: Faults;
  inspection: Inspection;
  publicKey: KeyObject;
  /** Check every answer against the response schemas (the emulator's own tests turn this on). */
  checkResponses: boolean;
}

const RATE_LIMIT = 5000;

interface Exchange {
  method: string;
  url: URL;
  /** `/api/v3` when the client speaks to the emulator as GitHub Enterprise, else empty. */
  prefix: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  record: RecordedRequest;
  violation: (kind: ViolationKind, message: string) => void;
}

export function requestListener(parts: ServerParts): (req: IncomingMessage, res: ServerResponse) => void {
  let seq = 0;
  const used = { core: 0, graphql: 0 };
  return (req, res) => {
    seq += 1;
    const requestId = `EMU0:${seq.toString(16).toUpperCase()}`;
    void exchangeFor(req, seq, parts)
      .then(async (exchange) => {
        const graphql = exchange.method === 'POST' && /^(\/api)?\/graphql$/.test(exchange.url.pathname);
        const answer = graphql
          ? await graphqlAnswer(exchange, parts, requestId)
          : ((await storageAnswer(exchange, parts, requestId)) ??
            (await restAnswer(exchange, parts, requestId)));
        if (answer.drop) {
          req.socket.destroy();
          return;
        }
        const resource = graphql ? 'graphql' : 'core';
        used[resource] += 1;
        exchange.record.status = answer.status;
        exchange.record.response = answer.body;
        send(res, answer, {
          'x-github-request-id': requestId,
          'x-github-media-type': 'github.v3; format=json',
          'x-ratelimit-limit': String(RATE_LIMIT),
          'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - used[resource])),
          'x-ratelimit-used': String(used[resource]),
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
          'x-ratelimit-resource': resource,
        });
      })
      .catch((error: unknown) => {
        parts.inspection.record({
          kind: 'emulator-error',
          message: `${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}`,
          method: req.method ?? '',
          path: req.url ?? '',
          body: undefined,
        });
        if (!res.headersSent) send(res, jsonAnswer(500, { message: 'Server Error', status: '500' }), {});
      });
  };
}

async function exchangeFor(req: IncomingMessage, seq: number, parts: ServerParts): Promise<Exchange> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  const prefix = /^\/api\/v3(\/|$)/.test(url.pathname) ? '/api/v3' : '';
  const path = url.pathname.slice(prefix.length) || '/';
  const record: RecordedRequest = {
    seq,
    method,
    path: `${path}${url.search}`,
    operationId: undefined,
    caller: 'anonymous',
    body,
    status: 0,
    response: undefined,
  };
  parts.inspection.requests.push(record);
  const violation = (kind: ViolationKind, message: string): void =>
    parts.inspection.record({ kind, message, method, path: record.path, body });
  return { method, url, prefix, path, headers: req.headers, body, record, violation };
}

/**
 * An artifact's download URL: GitHub's blob storage, outside the API and its description, so no contract applies;
 * faults do, under the route `artifacts/storage` (or `*`), as storage fails too.
 */
async function storageAnswer(
  exchange: Exchange,
  parts: ServerParts,
  requestId: string,
): Promise<Answer | undefined> {
  if (exchange.method !== 'GET' || !isArtifactDownload(exchange.path)) return undefined;
  exchange.record.operationId = ARTIFACT_STORAGE;
  const target = { operationId: ARTIFACT_STORAGE, method: 'GET', path: ARTIFACT_DOWNLOAD_TEMPLATE };
  return (
    (await applyFaults(parts, target, exchange.record, requestId, false)) ??
    artifactDownload(parts.state, exchange.path)
  );
}

async function restAnswer(exchange: Exchange, parts: ServerParts, requestId: string): Promise<Answer> {
  const { method, path, url, record, violation } = exchange;
  const route = parts.contract.route(method, path);
  if (route.kind === 'unknown-path') {
    violation('unknown-operation', `${method} ${path} matches no operation in ${parts.contract.source}`);
    return errorAnswer(new GitHubError(404, 'Not Found'), REST_DOCS);
  }
  if (route.kind === 'wrong-method') {
    const allowed = route.allowed.map((o) => `${o.method} ${o.path} (${o.operationId})`).join(', ');
    violation(
      'unknown-operation',
      `${method} ${path} matches no operation in ${parts.contract.source}; ${allowed} do`,
    );
    return errorAnswer(new GitHubError(404, 'Not Found'), REST_DOCS);
  }
  const { operation, params } = route;
  record.operationId = operation.operationId;
  const problem = parts.contract.checkRequest(operation, {
    method,
    path,
    headers: exchange.headers as Record<string, string | string[]>,
    query: queryOf(url),
    body: exchange.body,
  });
  if (problem) {
    violation('invalid-request', `${method} ${path} (${operation.operationId}): ${problem.detail}`);
    const message = problem.status === 404 ? 'Not Found' : problem.githubMessage;
    return errorAnswer(new GitHubError(problem.status, message), operation.docsUrl);
  }
  const faulted = await applyFaults(
    parts,
    { operationId: operation.operationId, method, path: operation.path },
    record,
    requestId,
    false,
  );
  if (faulted) return faulted;

  try {
    const caller = authenticate(exchange, parts, operation);
    const handler = restHandlers[operation.operationId];
    if (!handler) {
      violation(
        'unimplemented',
        `${method} ${path} is ${operation.operationId}, which the emulator does not implement yet ` +
          '(add a handler under test/support/github/rest/)',
      );
      return jsonAnswer(501, {
        message: `The GitHub emulator does not implement ${operation.operationId} yet`,
      });
    }
    const answer = handler({
      operation,
      params,
      url,
      body: isObject(exchange.body) ? exchange.body : {},
      accept: String(exchange.headers.accept ?? ''),
      caller,
      state: parts.state,
      present: presenters(`${url.origin}${exchange.prefix}`),
    });
    const { status } = answer;
    if (answer.contentType) {
      return {
        drop: false,
        status,
        headers: answer.headers ?? {},
        body: answer.body,
        contentType: answer.contentType,
      };
    }
    const body =
      answer.body === undefined
        ? undefined
        : complete(parts.contract.responseSchema(operation, status), answer.body);
    checkResponse(parts, exchange, operation, status, body);
    return jsonAnswer(status, body, answer.headers);
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    const answer = errorAnswer(error, operation.docsUrl);
    checkResponse(parts, exchange, operation, answer.status, answer.body);
    return answer;
  }
}

/** Refuses credentials GitHub would refuse, and the wrong kind of credentials for the operation. */
function authenticate(exchange: Exchange, parts: ServerParts, operation: RestOperation): Caller {
  const caller = identify(exchange.headers.authorization, parts.state, parts.publicKey);
  exchange.record.caller = callerName(caller);
  const needsJwt = APP_JWT_OPERATIONS.has(operation.operationId);
  if (needsJwt && caller.kind !== 'app') throw new GitHubError(401, 'A JSON web token could not be decoded');
  if (!needsJwt && caller.kind === 'app')
    throw new GitHubError(403, 'Resource not accessible by integration');
  if (exchange.method !== 'GET' && caller.kind === 'anonymous')
    throw new GitHubError(401, 'Requires authentication');
  return caller;
}

async function graphqlAnswer(exchange: Exchange, parts: ServerParts, requestId: string): Promise<Answer> {
  exchange.record.operationId = 'graphql';
  const faulted = await applyFaults(
    parts,
    { operationId: 'graphql', method: 'POST', path: '/graphql' },
    exchange.record,
    requestId,
    true,
  );
  if (faulted) return faulted;
  let caller: Caller;
  try {
    caller = identify(exchange.headers.authorization, parts.state, parts.publicKey);
  } catch (error) {
    if (error instanceof GitHubError) return errorAnswer(error, 'https://docs.github.com/graphql');
    throw error;
  }
  exchange.record.caller = callerName(caller);
  return answerGraphql({
    body: exchange.body,
    actor: caller.kind === 'token' ? caller.token.actor : undefined,
    state: parts.state,
    record: exchange.record,
    violation: exchange.violation,
  });
}

async function applyFaults(
  parts: ServerParts,
  target: { operationId: string; method: string; path: string },
  record: RecordedRequest,
  requestId: string,
  graphql: boolean,
): Promise<Answer | undefined> {
  const { delayMs, ending } = parts.faults.take(target);
  if (delayMs > 0) {
    record.fault = 'latency';
    await sleep(delayMs);
  }
  if (!ending) return undefined;
  record.fault = ending.kind;
  return faultAnswer(ending, graphql, requestId);
}

function checkResponse(
  parts: ServerParts,
  exchange: Exchange,
  operation: RestOperation,
  status: number,
  body: unknown,
): void {
  if (!parts.checkResponses || status === 204) return;
  const problems = parts.contract.checkResponse(operation, status, body);
  if (problems.length > 0) {
    exchange.violation(
      'invalid-response',
      `the emulator's ${status} answer to ${exchange.method} ${exchange.path} (${operation.operationId}): ` +
        problems.join('; '),
    );
  }
}

function errorAnswer(error: GitHubError, documentationUrl: string): Reply {
  return jsonAnswer(error.status, errorBody(error, documentationUrl), error.headers);
}

function callerName(caller: Caller): string {
  if (caller.kind === 'token') return caller.token.actor.login;
  return caller.kind;
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

function send(res: ServerResponse, answer: Reply, headers: Record<string, string>): void {
  const text =
    answer.body instanceof Uint8Array
      ? answer.body
      : answer.contentType
        ? String(answer.body)
        : answer.body === undefined
          ? ''
          : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...headers,
    ...answer.headers,
    ...(text !== '' ? { 'content-type': answer.contentType ?? 'application/json; charset=utf-8' } : {}),
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
