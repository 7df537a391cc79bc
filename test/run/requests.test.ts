// The API runner's requests, against the real sample target: form bodies, cookies kept per identity and per case,
// multipart uploads, and the target served in-process from its handler.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApiStep, ApiTestCase, RunResult } from '../../src/cases/index.ts';
import { runTestCases } from '../../src/index.ts';
import { wav } from '../../examples/aidawg/audio.ts';
import { createAidawgApp, startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import { originOf } from '../support/cases.ts';

let aidawg: RunningAidawg;
let files: string;

beforeAll(async () => {
  // Files to upload must be in the repository (the folder Gauntlet runs in): reports/ is, and is not committed.
  await mkdir('reports', { recursive: true });
  [aidawg, files] = await Promise.all([startAidawg(), mkdtemp(path.join('reports', 'uploads-'))]);
  await writeFile(path.join(files, 'half-second.wav'), wav(0.5));
  await writeFile(path.join(files, 'notes.txt'), 'not audio at all');
});
afterAll(() => Promise.all([aidawg.close(), rm(files, { recursive: true, force: true })]));

const caseOf = (steps: ApiStep[], id = 'tc_00000000f0f0'): ApiTestCase => ({
  id,
  title: `case ${id}`,
  kind: 'api',
  priority: 'high',
  tags: [],
  origin: originOf(`case ${id}`),
  steps,
});

const run = (cases: ApiTestCase[], target: RunningAidawg | ReturnType<typeof createAidawgApp> = aidawg) =>
  runTestCases(cases, {
    target: typeof target === 'function' ? target : new URL(target.url),
    concurrency: 2,
    timeoutMs: 5000,
    retries: 0,
  });

const SIGN_UP_BY_FORM = (as: string): ApiStep => ({
  name: 'sign up through the form',
  as,
  request: {
    method: 'POST',
    path: '/signup',
    form: { email: `${as}-{{$uid}}@example.test`, password: 'form-pass-123' },
  },
  expect: { status: 303, headers: { location: '/projects', 'set-cookie': 'sid=' } },
});

const OWN_PROJECTS = (as: string, status: number): ApiStep => ({
  name: 'open my projects',
  as,
  request: { method: 'GET', path: '/projects' },
  expect: { status, ...(status === 200 && { bodyContains: ['Your projects'] }) },
});

const upload = (files: NonNullable<ApiStep['request']['files']>, status: number, body = {}): ApiStep => ({
  name: 'import a sample',
  request: {
    method: 'POST',
    path: '/api/projects/{{projectId}}/tracks/{{trackId}}/samples',
    headers: { authorization: 'Bearer {{token}}' },
    form: { start: 2 },
    files,
  },
  expect: { status, body },
});

/** A request as the signed-up user, capturing the new resource's id. */
const create = (name: string, path: string, json: unknown, capture: string): ApiStep => ({
  name,
  request: { method: 'POST', path, headers: { authorization: 'Bearer {{token}}' }, json },
  capture: { [capture]: 'body.id' },
  expect: { status: 201 },
});

const withTrack = (step: ApiStep): ApiStep[] => [
  {
    name: 'sign up',
    request: {
      method: 'POST',
      path: '/api/auth/signup',
      json: { email: 'up-{{$uid}}@example.test', password: 'upload-pass-1' },
    },
    capture: { token: 'body.token' },
    expect: { status: 201 },
  },
  create('create a project', '/api/projects', { name: 'Uploads' }, 'projectId'),
  create('add a track', '/api/projects/{{projectId}}/tracks', { type: 'audio' }, 'trackId'),
  step,
];

const verdicts = (results: RunResult[]) => results.map((r) => [r.status, r.error, r.failures]);

describe('the API runner', () => {
  it('sends form bodies, and carries the cookies a response sets to later requests of the same identity', async () => {
    const results = await run([
      caseOf([SIGN_UP_BY_FORM('producer'), OWN_PROJECTS('producer', 200)]),
      // Another identity in the same case has no session: the page sends it to the log-in form.
      caseOf([SIGN_UP_BY_FORM('producer'), OWN_PROJECTS('guest', 303)], 'tc_00000000f0f1'),
    ]);
    expect(verdicts(results)).toEqual([
      ['passed', undefined, []],
      ['passed', undefined, []],
    ]);
  });

  it('keeps cookies within one case: a later case starts signed out', async () => {
    const [first, second] = await run([
      caseOf([SIGN_UP_BY_FORM('producer')]),
      caseOf([OWN_PROJECTS('producer', 303)], 'tc_00000000f0f2'),
    ]);
    expect([first!.status, second!.status]).toEqual(['passed', 'passed']);
    const form = first!.evidence.at(-1)!.request;
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // The password of a form is a secret like any other: it never reaches the evidence.
    expect(form.body).toMatch(/^email=producer-[0-9a-f]+%40example\.test&password=\[redacted\]$/);
  });

  it('uploads files as multipart form data, with the form fields beside them', async () => {
    const wavFile = path.join(files, 'half-second.wav');
    const results = await run([
      caseOf(
        withTrack(
          upload({ sample: { path: wavFile, contentType: 'audio/wav' } }, 201, {
            length: 0.5,
            start: 2,
            'sample.name': 'half-second.wav',
            'sample.bytes': wav(0.5).length,
          }),
        ),
      ),
      caseOf(
        withTrack(upload({ sample: { text: 'plain words', name: 'words.wav' } }, 415)),
        'tc_00000000f0f3',
      ),
      caseOf(
        withTrack(upload({ sample: { base64: wav(0.25).toString('base64') } }, 201, { length: 0.25 })),
        'tc_00000000f0f4',
      ),
    ]);
    expect(verdicts(results)).toEqual([
      ['passed', undefined, []],
      ['passed', undefined, []],
      ['passed', undefined, []],
    ]);
  });

  it('shows an upload in the evidence and the curl line by name, type and size, never its bytes', async () => {
    const [result] = await run([
      caseOf(withTrack(upload({ sample: { path: path.join(files, 'notes.txt') } }, 201))),
    ]);
    expect(result!.status).toBe('failed');
    expect(result!.failures[0]).toMatchObject({ check: 'status', step: 3 });
    expect(result!.evidence.at(-1)!.request.body).toBe(
      'start=2\nsample=@notes.txt (application/octet-stream, 16 bytes)',
    );
    expect(result!.reproduction.curl).toContain(
      `-F 'start=2' -F 'sample=@notes.txt;type=application/octet-stream'`,
    );
  });

  it('reports a file that cannot be read as the case error, naming the file', async () => {
    const missing = path.join(files, 'gone.wav');
    const [result] = await run([caseOf(withTrack(upload({ sample: { path: missing } }, 201)))]);
    expect(result).toMatchObject({
      status: 'error',
      error: `cannot read the file to upload, ${missing} (ENOENT)`,
    });
  });

  it('runs against a Node HTTP handler served in-process', async () => {
    const app = createAidawgApp({ faults: new Set(), operatorPassword: 'in-process' });
    const results = await run([caseOf([SIGN_UP_BY_FORM('producer'), OWN_PROJECTS('producer', 200)])], app);
    expect(verdicts(results)).toEqual([['passed', undefined, []]]);
    expect(results[0]!.evidence[0]!.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/projects$/);
  });
});
