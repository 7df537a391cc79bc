// A small service whose parameters carry the meaning (numbers in the path, the query and a form, a header, a cookie,
// two search texts), with its OpenAPI description: correct, it checks every value against the description and
// refuses what it does not allow with a 400; with faults, it fails the way careless code does. It also keeps each
// Cookie header it receives, so tests can see that no generated value ever added a cookie of its own.
import { afterAll, beforeAll } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadApiDescription } from '../../src/generate/openapi/index.ts';
import type { ApiDescription } from '../../src/generate/openapi/index.ts';

export const RANGES_DESCRIPTION = `openapi: 3.0.3
info: { title: Ranges, version: '1' }
components:
  responses:
    Refused:
      description: a value the description does not allow
      content:
        application/json:
          schema: { type: object, required: [error], properties: { error: { type: string } } }
paths:
  /api/ranges/{from}/{to}:
    get:
      operationId: listRange
      tags: [ranges]
      parameters:
        - { name: from, in: path, required: true, schema: { type: integer, minimum: 0, maximum: 1000 } }
        - { name: to, in: path, required: true, schema: { type: integer, minimum: 0, maximum: 1000 } }
        - { name: step, in: query, required: true, schema: { type: integer, minimum: 1, maximum: 100 } }
        - { name: limit, in: query, schema: { type: integer, minimum: 0, maximum: 50 } }
        - { name: X-Trace, in: header, schema: { type: string, pattern: '^[a-z0-9-]{1,32}$' } }
        - { name: lang, in: cookie, schema: { type: string, enum: [en, fr] } }
      responses:
        '200':
          description: the numbers of the range
          content:
            application/json:
              schema:
                type: object
                required: [numbers]
                properties: { numbers: { type: array, items: { type: integer } } }
        '400': { $ref: '#/components/responses/Refused' }
  /api/search:
    get:
      operationId: search
      tags: [search]
      parameters:
        - { name: q, in: query, required: true, schema: { type: string, maxLength: 40 } }
        - { name: near, in: query, schema: { type: string, maxLength: 40 } }
      responses:
        '200':
          description: what matched
          content:
            application/json:
              schema: { type: object, required: [matches], properties: { matches: { type: integer } } }
        '400': { $ref: '#/components/responses/Refused' }
  /api/notes:
    post:
      operationId: addNote
      tags: [notes]
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [title, priority]
              properties:
                title: { type: string, minLength: 1, maxLength: 40 }
                priority: { type: integer, minimum: 0, maximum: 5 }
                weight: { type: integer, minimum: 1, maximum: 9 }
      responses:
        '201':
          description: the note
          content:
            application/json:
              schema: { type: object, required: [id], properties: { id: { type: integer } } }
        '400': { $ref: '#/components/responses/Refused' }
`;

export interface RangesFaults {
  /** A negative limit reaches `new Array(limit)`, which throws: a 500. */
  negativeLimit?: boolean;
  /** Equal ends divide by zero and the service throws: a 500. */
  equalEnds?: boolean;
}

export interface RangesService {
  server: Server;
  /** Every Cookie header received, as sent. */
  cookies: string[];
}

class Refused extends Error {}

function integer(text: string | undefined, name: string, min: number, max: number): number {
  if (text === undefined || !/^-?\d+$/.test(text)) throw new Refused(`${name} must be a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw new Refused(`${name} must be from ${min} to ${max}`);
  return value;
}

function optionalText(text: string | null, name: string, max: number): string | undefined {
  if (text !== null && text.length > max) throw new Refused(`${name} is longer than ${max}`);
  return text ?? undefined;
}

function cookiesOf(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) cookies.set(pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim()));
  }
  return cookies;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body;
}

export function rangesService(faults: RangesFaults = {}): RangesService {
  const cookies: string[] = [];
  const answer = (response: ServerResponse, status: number, body: unknown, headers = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
  const server = createServer((request, response) => {
    if (request.headers.cookie !== undefined) cookies.push(request.headers.cookie);
    const url = new URL(request.url ?? '/', 'http://ranges.test');
    const range = /^\/api\/ranges\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const handle = async (): Promise<void> => {
      if (range && request.method === 'GET') {
        const from = integer(decodeURIComponent(range[1]!), 'from', 0, 1000);
        const to = integer(decodeURIComponent(range[2]!), 'to', 0, 1000);
        const step = integer(url.searchParams.get('step') ?? undefined, 'step', 1, 100);
        const limitText = url.searchParams.get('limit');
        let limit = 50;
        if (limitText !== null && limitText !== '') {
          limit = faults.negativeLimit ? Number(limitText) : integer(limitText, 'limit', 0, 50);
          if (!Number.isInteger(limit)) throw new Refused('limit must be a whole number');
        }
        const trace = request.headers['x-trace'];
        if (typeof trace === 'string' && trace !== '' && !/^[a-z0-9-]{1,32}$/.test(trace)) {
          throw new Refused('X-Trace must be lowercase letters, digits and dashes');
        }
        const lang = cookiesOf(request.headers.cookie).get('lang');
        if (lang !== undefined && lang !== '' && lang !== 'en' && lang !== 'fr')
          throw new Refused('lang is en or fr');
        if (faults.equalEnds) {
          // Careless: the number of pages divides by the width of the range.
          const pages = step / (to - from);
          if (!Number.isFinite(pages)) throw new Error('division by zero');
        }
        const numbers = new Array<number>(limit).fill(0).map((_, i) => from + i * step);
        answer(response, 200, { numbers: numbers.filter((n) => (from <= to ? n <= to : n >= to)) });
        return;
      }
      if (range) return answer(response, 405, { error: 'only GET' }, { allow: 'GET' });
      if (url.pathname === '/api/search') {
        if (request.method !== 'GET') return answer(response, 405, { error: 'only GET' }, { allow: 'GET' });
        const q = optionalText(url.searchParams.get('q'), 'q', 40);
        if (q === undefined) throw new Refused('q is required');
        const near = optionalText(url.searchParams.get('near'), 'near', 40);
        return answer(response, 200, { matches: near !== undefined && near.includes(q) ? 1 : 0 });
      }
      if (url.pathname === '/api/notes') {
        if (request.method !== 'POST')
          return answer(response, 405, { error: 'only POST' }, { allow: 'POST' });
        const form = new URLSearchParams(await bodyOf(request));
        const title = form.get('title');
        if (title === null || title.length < 1 || title.length > 40)
          throw new Refused('title is 1 to 40 characters');
        integer(form.get('priority') ?? undefined, 'priority', 0, 5);
        const weight = form.get('weight');
        if (weight !== null && weight !== '') integer(weight, 'weight', 1, 9);
        return answer(response, 201, { id: 1 });
      }
      answer(response, 404, { error: 'no such path' });
    };
    handle().catch((error: unknown) => {
      if (error instanceof Refused || error instanceof URIError)
        answer(response, 400, { error: String(error.message) });
      else answer(response, 500, { error: 'internal error' });
    });
  });
  return { server, cookies };
}

/** A test file's folder with the ranges description and a gauntlet.yml of its own (no retries), made before its tests. */
export interface RangesProject {
  dir: string;
  /** The description's file. */
  description: string;
  /** The configuration's file. */
  config: string;
  /** The description as read. */
  ranges: ApiDescription;
}

export function useRangesProject(name: string): RangesProject {
  const project = {} as RangesProject;
  beforeAll(async () => {
    project.dir = await mkdtemp(path.join(tmpdir(), `gauntlet-${name}-`));
    project.description = path.join(project.dir, 'ranges.yaml');
    await writeFile(project.description, RANGES_DESCRIPTION);
    project.config = path.join(project.dir, 'gauntlet.yml');
    await writeFile(project.config, 'retries: 0\n');
    project.ranges = await loadApiDescription(project.description);
  });
  afterAll(() => rm(project.dir, { recursive: true, force: true }));
  return project;
}
