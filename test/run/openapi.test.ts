// Responses held to an OpenAPI description: declared statuses, content types and body schemas.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Check } from '../../src/run/checks.ts';
import type { Exchanged } from '../../src/run/http.ts';
import { OpenApiDescription } from '../../src/run/openapi.ts';

const FILE = 'test/fixtures/openapi/songs.yaml';
const TARGET = new URL('http://127.0.0.1:4100/v1/');
let checks: Record<string, Check>;

beforeAll(async () => {
  const description = await OpenApiDescription.load(FILE);
  checks = Object.fromEntries(description.checks(TARGET).map((check) => [check.name, check]));
});

const SONG = { id: 's1', title: 'Lofi', bpm: 90, createdAt: '2026-11-25T10:00:00Z' };

const exchange = (
  method: string,
  pathname: string,
  status: number,
  body: unknown,
  type = 'application/json',
) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    request: { method, url: new URL(pathname.slice(1), TARGET).href, headers: {} },
    response: {
      status,
      headers: { 'content-type': `${type}; charset=utf-8` },
      body: text,
      ...(typeof body !== 'string' && { json: body }),
    },
    durationMs: 1,
  };
};

/** Every OpenAPI check's verdict on one exchange, by check name; undefined means it passed. */
const verdicts = (e: Exchanged) =>
  Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, check.check(e)]));

describe('OpenAPI checks', () => {
  it('pass a response the description allows, found below the target base path', () => {
    expect(verdicts(exchange('POST', '/songs', 201, SONG))).toEqual({
      openapi_status: undefined,
      openapi_content_type: undefined,
      openapi_body: undefined,
    });
    // A status class (4XX) and a wildcard media type (audio/*) are declarations too.
    expect(Object.values(verdicts(exchange('GET', '/songs/s1', 404, { error: 'no such song' })))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(
      checks.openapi_content_type!.check(exchange('GET', '/songs/s1/audio', 200, 'RIFF', 'audio/wav')),
    ).toBe(undefined);
  });

  it('flag a status the operation does not declare, naming the operation and what it declares', () => {
    expect(checks.openapi_status!.check(exchange('POST', '/songs', 200, SONG))).toBe(
      'POST /songs (createSong) answered 200, which the OpenAPI description does not declare (it declares 201, 400)',
    );
    // `default` declares every status.
    expect(checks.openapi_status!.check(exchange('GET', '/songs/s1/audio', 503, ''))).toBeUndefined();
  });

  it('flag a content type the status does not declare', () => {
    expect(
      checks.openapi_content_type!.check(exchange('POST', '/songs', 201, '<p>made</p>', 'text/html')),
    ).toBe(
      'POST /songs (createSong) answered 201 as "text/html"; the OpenAPI description declares application/json',
    );
  });

  it('flag a body that does not conform, saying where and why', () => {
    expect(checks.openapi_body!.check(exchange('POST', '/songs', 201, { ...SONG, bpm: '90' }))).toBe(
      'POST /songs (createSong) answered 201 with a body the OpenAPI description does not allow: body.bpm must be integer',
    );
    const { createdAt: _, ...noDate } = SONG;
    expect(checks.openapi_body!.check(exchange('GET', '/songs/s1', 200, noDate))).toMatch(
      /^GET \/songs\/\{id\} \(getSong\) answered 200 .*: the body must have required property 'createdAt' \(createdAt\)$/,
    );
    expect(
      checks.openapi_body!.check(exchange('GET', '/songs/s1', 200, { ...SONG, createdAt: 'yesterday' })),
    ).toMatch(/body\.createdAt must match format "date-time"/);
  });

  it('prefer a literal path to a template, and leave undescribed requests alone', () => {
    // /songs/latest has no operationId, and only a 200: a 201 there is undeclared, not judged as GET /songs/{id}.
    expect(checks.openapi_status!.check(exchange('GET', '/songs/latest', 201, SONG))).toBe(
      'GET /songs/latest answered 201, which the OpenAPI description does not declare (it declares 200)',
    );
    expect(Object.values(verdicts(exchange('DELETE', '/songs/s1', 500, 'boom', 'text/plain')))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(Object.values(verdicts(exchange('GET', '/elsewhere', 200, {})))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('hold a refusal to what the description declares for its own status or range, not to default', () => {
    // An undeclared 4xx refuses a request: whether it should have is the status checks' to judge.
    expect(Object.values(verdicts(exchange('GET', '/songs/latest', 404, { error: 'none' })))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    // `default` with the success's schema does not make a refusal in the service's own words a finding…
    expect(Object.values(verdicts(exchange('GET', '/charts', 400, { error: 'bad week' })))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(checks.openapi_content_type!.check(exchange('GET', '/charts', 404, 'none', 'text/plain'))).toBe(
      undefined,
    );
    // …but it still holds a success, and a declared 4XX still holds a refusal.
    expect(checks.openapi_body!.check(exchange('GET', '/charts', 201, { error: 'made' }))).toMatch(
      /answered 201 with a body the OpenAPI description does not allow: the body must have required property 'id'/,
    );
    expect(checks.openapi_body!.check(exchange('GET', '/songs/s1', 404, { nope: 1 }))).toMatch(
      /answered 404 with a body the OpenAPI description does not allow: the body must have required property 'error'/,
    );
  });

  it('refuse a file that is not an OpenAPI 3 description, saying why', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-openapi-'));
    const swagger2 = path.join(dir, 'swagger.yaml');
    await writeFile(swagger2, 'swagger: "2.0"\ninfo: { title: T, version: "1" }\npaths: {}\n');
    await expect(OpenApiDescription.load(swagger2)).rejects.toThrow(
      `${swagger2}: responses are checked against OpenAPI 3.x descriptions only`,
    );
    const broken = path.join(dir, 'broken.yaml');
    await writeFile(broken, 'openapi: 3.1.0\ninfo: { title: T }\npaths: {}\n');
    await expect(OpenApiDescription.load(broken)).rejects.toThrow(
      /^.*broken\.yaml: not a valid OpenAPI description: /,
    );
    await expect(OpenApiDescription.load(path.join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml/);
  });
});
