// The sample target's OpenAPI description (examples/aidawg/openapi.yaml) holds to its code: a valid document with one
// operation per /api route Express registers, and whatever real requests get back is a status, media type and body
// the description declares for the operation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { wav } from '../../examples/aidawg/audio.ts';
import { MAX_SAMPLE_BYTES } from '../../examples/aidawg/routes/tracks.ts';
import { createAidawgApp, startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';

const FILE = 'examples/aidawg/openapi.yaml';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
interface Document {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
  components: { schemas: Record<string, { properties?: Record<string, { type?: unknown }> }> };
}

/** One request, by what it means: the path parameters, query and body, and who sends it. */
interface Call {
  as?: string; // a session token, sent as a bearer token
  cookie?: string; // a session token, sent as the sid cookie
  path?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  raw?: string; // a body sent as it is, as JSON unless `type` says otherwise
  type?: string;
  form?: FormData;
}
interface Answer {
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- steps read fields the schema check passed
  headers: Headers;
}
type Send = (operationId: string, status: number, call?: Call) => Promise<Answer>;

function operationsOf(document: Document) {
  return Object.entries(document.paths).flatMap(([template, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ method, template, operation: item[method] }] : [])),
  );
}

/**
 * Sends a call to the operation it names, at `base`, and throws unless the answer has the expected status and that
 * status, its media type and its body are what `document` declares; the error names the operation and why.
 */
async function conformingClient(document: Document, base: string, exercised?: Set<string>): Promise<Send> {
  const resolved = (await SwaggerParser.dereference(structuredClone(document) as never)) as Document;
  const operations = new Map(operationsOf(resolved).map((found) => [found.operation.operationId, found]));
  // Strict, so that a misspelt keyword in the description is an error rather than a rule that never applies; type
  // arrays are how OpenAPI 3.1 says "number or string" and "or null".
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  ajv.addVocabulary(['discriminator']);
  addFormats.default(ajv);
  const validators = new Map<object, ValidateFunction>();
  const validatorOf = (schema: object) =>
    validators.get(schema) ?? validators.set(schema, ajv.compile(schema)).get(schema)!;

  return async (operationId, status, call = {}) => {
    const found = operations.get(operationId);
    if (!found) throw new Error(`${operationId}: no such operation in ${FILE}`);
    const path = found.template.replace(/\{(\w+)\}/g, (_, name: string) => call.path?.[name] ?? '');
    const headers: Record<string, string> = {};
    if (call.as) headers.authorization = `Bearer ${call.as}`;
    if (call.cookie) headers.cookie = `sid=${call.cookie}`;
    const body = call.raw ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
    if (body !== undefined) headers['content-type'] = call.type ?? 'application/json';
    const method = found.method.toUpperCase();
    const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
    const response = await fetch(`${base}${path}${query}`, { method, headers, body: call.form ?? body });
    const text = await response.text();
    const where = `${operationId} (${method} ${found.template}) answered ${response.status}`;
    if (response.status !== status) throw new Error(`${where}, not ${status}: ${text.slice(0, 300)}`);
    exercised?.add(operationId);
    const declared = found.operation.responses[String(status)];
    if (!declared) throw new Error(`${where}, a status the description does not declare`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!declared.content) {
      if (text !== '') throw new Error(`${where} with a body, where the description declares none`);
      return { json: undefined, headers: response.headers };
    }
    const media = declared.content[type];
    if (!media)
      throw new Error(`${where} as "${type}"; it declares ${Object.keys(declared.content).join(', ')}`);
    const json: unknown = type === 'application/json' ? JSON.parse(text) : text;
    const validate = validatorOf(media.schema);
    const errors = validate(json) ? undefined : ajv.errorsText(validate.errors, { dataVar: 'body' });
    if (errors) throw new Error(`${where} with a body its ${type} schema does not allow: ${errors}`);
    return { json, headers: response.headers };
  };
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string;
}

/** "METHOD /path" of every route in an Express 5 router stack, nested routers included, in OpenAPI's path syntax. */
function routesOf(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    const { route, handle } = layer;
    if (route) {
      const path = `${prefix}${route.path}`.replace(/(.)\/$/, '$1').replace(/:(\w+)/g, '{$1}');
      return Object.keys(route.methods).map((method) => `${method.toUpperCase()} ${path}`);
    }
    return handle.stack
      ? routesOf(handle.stack, layer.rawPath === '/' ? prefix : `${prefix}${layer.rawPath}`)
      : [];
  });
}

let aidawg: RunningAidawg;
let document: Document;
let op: Send;
const exercised = new Set<string>();
let accounts = 0;

beforeAll(async () => {
  aidawg = await startAidawg();
  document = (await SwaggerParser.parse(FILE)) as unknown as Document;
  op = await conformingClient(document, aidawg.url, exercised);
});
afterAll(() => aidawg.close());

const signUp = async (): Promise<string> =>
  (await op('signUp', 201, { body: { email: `user${accounts++}@example.test`, password: 'test-pass-1' } }))
    .json.token;
const sample = (bytes: Uint8Array | string, start = '2') => {
  const form = new FormData();
  form.set('sample', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), 'take.wav');
  form.set('start', start);
  return form;
};

describe('the AI DAWG OpenAPI description', () => {
  it('is a valid OpenAPI 3.1 document, every operation with its own camelCase operationId', async () => {
    const valid = (await SwaggerParser.validate(FILE)) as unknown as Document & { openapi: string };
    expect(valid.openapi).toBe('3.1.0');
    const ids = operationsOf(valid).map(({ operation }) => operation.operationId);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes every /api route Express registers, and no other', () => {
    const app = createAidawgApp({ faults: new Set(), operatorPassword: 'unused' });
    const routes = routesOf((app.router as unknown as { stack: Layer[] }).stack);
    const described = operationsOf(document).map((o) => `${o.method.toUpperCase()} ${o.template}`);
    expect(described.sort()).toEqual(routes.filter((route) => / \/api\//.test(route)).sort());
  });

  it('declares what the account operations answer', async () => {
    await op('getHealth', 200);
    const ann = { email: 'Ann@Example.test', password: 'abcdefg1' };
    const { json: session } = await op('signUp', 201, { body: { ...ann, name: 'Ann' } });
    await op('signUp', 409, { body: { ...ann, email: 'ann@example.test' } });
    await op('signUp', 400, { body: { email: 'nope', password: 'abcdefgh' } });
    await op('signUp', 400, { raw: '{"email":' });
    await op('signUp', 413, { body: { ...ann, password: 'x'.repeat(200_000) } });
    await op('signUp', 415, { raw: '{}', type: 'application/json; charset=latin1' });
    const { json: login } = await op('logIn', 200, { body: { ...ann, email: 'ann@example.test' } });
    await op('logIn', 401, { body: { ...ann, password: 'wrong-pass-1' } });
    await op('logIn', 400, { body: {} });
    expect((await op('getMe', 200, { as: session.token })).json).toEqual(session.user);
    await op('getMe', 200, { cookie: login.token });
    await op('getMe', 401);
    await op('requestPasswordReset', 202, { body: { email: 'nobody@example.test' } });
    await op('requestPasswordReset', 400, { body: { email: 'nobody' } });
    await op('signInWithProvider', 400, { path: { provider: 'google' } });
    await op('logOut', 204, { as: login.token });
    await op('logOut', 401, { as: login.token });
  });

  it('declares what the project operations answer, to owners, collaborators and others', async () => {
    const [ann, bob] = [await signUp(), await signUp()];
    const bobEmail = (await op('getMe', 200, { as: bob })).json.email;
    const { json: song } = await op('createProject', 201, { as: ann, body: { name: 'Song' } });
    await op('createProject', 201, { as: ann, body: { name: 'Covers', template: 'lofi-study' } });
    const mine = { as: ann, path: { id: song.id } };
    const bobs = { as: bob, path: { id: song.id } };
    await op('createProject', 409, { as: ann, body: { name: 'SONG' } });
    await op('createProject', 400, { as: ann, body: { name: '  ' } });
    await op('createProject', 400, { as: ann, body: { name: 'Other', template: 'polka' } });
    await op('createProject', 401, { body: { name: 'Song' } });
    await op('listProjects', 200, { as: ann });
    await op('getProject', 404, bobs);
    await op('renameProject', 200, { ...mine, body: { name: 'Song 2' } });
    await op('renameProject', 400, { ...mine, body: { name: 7 } });
    await op('saveProject', 200, mine);
    await op('createVersion', 201, mine);
    await op('listVersions', 200, mine);
    await op('addCollaborator', 201, { ...mine, body: { email: bobEmail, role: 'viewer' } });
    await op('addCollaborator', 404, { ...mine, body: { email: 'nobody@example.test', role: 'editor' } });
    await op('addCollaborator', 400, { ...mine, body: { email: bobEmail, role: 'owner' } });
    await op('getProject', 200, bobs);
    await op('renameProject', 404, { ...bobs, body: { name: 'Mine now' } });
    await op('addComment', 201, { ...bobs, body: { text: 'Love the keys' } });
    await op('addComment', 400, { ...bobs, body: { text: ' ' } });
    await op('listComments', 200, mine);
    await op('deleteProject', 404, bobs);
    await op('deleteProject', 204, mine);
    await op('getProject', 404, mine);
  });

  it('declares what the track, clip, sample and export operations answer', async () => {
    const ann = await signUp();
    const { json: project } = await op('createProject', 201, { as: ann, body: { name: 'Beat tape' } });
    const at = { as: ann, path: { id: project.id } };
    const { json: track } = await op('createTrack', 201, { ...at, body: { type: 'midi', color: '#ff8800' } });
    await op('createTrack', 400, { ...at, body: { type: 'video' } });
    await op('listTracks', 200, at);
    const onTrack = { as: ann, path: { id: project.id, trackId: track.id } };
    const effects = [{ type: 'reverb', mix: 0.3, room: 'hall' }];
    await op('updateTrack', 200, { ...onTrack, body: { name: 'Vox', volume: 1.5, pan: -0.5, effects } });
    await op('updateTrack', 400, { ...onTrack, body: { pan: 2 } });
    await op('updateTrack', 404, { ...at, path: { ...at.path, trackId: 'nope' }, body: {} });
    const { json: clip } = await op('createClip', 201, { ...onTrack, body: { start: 0, length: 8 } });
    await op('createClip', 400, { ...onTrack, body: { start: 0, length: 0 } });
    const onClip = { as: ann, path: { id: project.id, clipId: clip.id } };
    await op('editClip', 200, { ...onClip, body: { op: 'trim', start: 1, end: 7 } });
    const { json: split } = await op('editClip', 200, { ...onClip, body: { op: 'split', at: 4 } });
    await op('editClip', 200, { ...onClip, body: { op: 'fade', fadeIn: 0.5, fadeOut: 0.5 } });
    await op('editClip', 200, { ...onClip, body: { op: 'gain', gainDb: -6 } });
    await op('editClip', 200, { ...onClip, body: { op: 'duplicate' } });
    await op('editClip', 400, { ...onClip, body: { op: 'split', at: 100 } });
    await op('editClip', 404, { ...at, path: { ...at.path, clipId: 'nope' }, body: { op: 'duplicate' } });
    await op('deleteClip', 204, { ...onClip, path: { ...onClip.path, clipId: split.clips[1].id } });
    await op('undoEdit', 200, at);
    await op('redoEdit', 200, at);
    await op('redoEdit', 409, at);
    const { json: imported } = await op('uploadSample', 201, { ...onTrack, form: sample(wav(0.5)) });
    expect(imported).toMatchObject({ start: 2, length: 0.5, sample: { sampleRate: 22050, channels: 1 } });
    await op('uploadSample', 415, { ...onTrack, form: sample('not a wav file') });
    await op('uploadSample', 400, { ...onTrack, form: sample(wav(0.5), '-1') });
    await op('uploadSample', 413, { ...onTrack, form: sample(new Uint8Array(MAX_SAMPLE_BYTES + 1)) });
    await op('uploadSample', 401, { path: onTrack.path, form: sample(wav(0.5)) });
    await op('exportProject', 200, at);
    await op('exportProject', 200, { ...at, query: { format: 'midi' } });
    await op('exportProject', 200, { ...at, query: { format: 'stems' } });
    await op('exportProject', 400, { ...at, query: { format: 'mp3' } });
  });

  it('declares what the beat, vocal coach, template and tutorial operations answer', async () => {
    const me = await signUp();
    const edm = { genre: 'edm', bpm: 200, variations: 2 };
    const { json: beat } = await op('createBeat', 201, { as: me, body: edm });
    await op('createBeat', 400, { as: me, body: { ...edm, bpm: 201 } });
    await op('createBeat', 401, { body: edm });
    await op('deleteBeat', 204, { as: me, path: { id: beat.id } });
    await op('deleteBeat', 404, { as: me, path: { id: beat.id } });
    await op('scoreVocal', 200, { as: me, body: { target: 'A4', frequencies: [440, 442, 438] } });
    await op('scoreVocal', 200, { as: me, body: { target: 440, frequencies: [466], intervalMs: 20 } });
    await op('scoreVocal', 400, { as: me, body: { target: 'H2', frequencies: [440] } });
    await op('listVocalSessions', 200, { as: me });
    await op('listTemplates', 200, { query: { q: 'lofi' } });
    await op('listTemplates', 400, { query: { q: 'x'.repeat(201) } });
    await op('getTutorial', 200, { as: me });
    await op('updateTutorialProgress', 200, { as: me, body: { step: 1 } });
    await op('updateTutorialProgress', 200, { as: me, body: { skipped: true } });
    await op('updateTutorialProgress', 400, { as: me, body: { step: 6 } });
    await op('getTutorial', 401);
  });

  it('declares what JARVIS answers, to operators and to anyone else', async () => {
    const login = { email: 'operator@aidawg.test', password: 'aidawg-operator' };
    const operator = { as: (await op('logIn', 200, { body: login })).json.token as string };
    const user = await signUp();
    await op('listServices', 401);
    await op('listServices', 403, { as: user });
    await op('listServices', 200, operator);
    const rule = { name: 'Engine down', metric: 'service_down', comparator: '>', threshold: 0 };
    const alerting = (type: string) => ({ ...operator, body: { ...rule, channel: { type, target: 'ops' } } });
    const { json: alert } = await op('createAlert', 201, alerting('slack'));
    await op('createAlert', 400, alerting('pager'));
    await op('getService', 200, { ...operator, path: { name: 'audio-engine' } });
    await op('getService', 404, { ...operator, path: { name: 'nope' } });
    await op('restartServices', 202, { ...operator, body: { names: ['api-gateway', 'vocal-coach'] } });
    await op('restartServices', 404, { ...operator, body: { names: ['nope'] } });
    await op('restartServices', 400, { ...operator, body: { names: [] } });
    const engine = { path: { name: 'audio-engine' } };
    await op('restartService', 202, { ...operator, ...engine, query: { withDependencies: 'true' } });
    await op('restartService', 400, { ...operator, ...engine, query: { withDependencies: 'yes' } });
    await op('restartService', 401, engine);
    await op('restartService', 403, { as: user, ...engine });
    await op('getDashboard', 200, operator);
    await op('getMetrics', 200, operator);
    await op('getBusinessReport', 200, { ...operator, query: { format: 'json' } });
    await op('getBusinessReport', 200, { ...operator, query: { format: 'csv' } });
    await op('getBusinessReport', 400, operator);
    await op('listAlerts', 200, operator);
    await op('testAlert', 200, { ...operator, path: { id: alert.id } });
    await op('listAlertDeliveries', 200, operator);
    await op('deleteAlert', 204, { ...operator, path: { id: alert.id } });
    await op('deleteAlert', 404, { ...operator, path: { id: alert.id } });
    await op('getDeploymentPreflight', 200, operator);
    const deploy = (version: string) => ({ ...operator, body: { version, strategy: 'blue-green' } });
    const { json: first } = await op('createDeployment', 201, deploy('1.4.0'));
    const { json: second } = await op('createDeployment', 201, deploy('1.5.0-rc.1'));
    expect(second).toMatchObject({ previous: '1.4.0', activeColor: 'green' });
    await op('createDeployment', 400, deploy('v2'));
    await op('getDeployment', 200, { ...operator, path: { id: first.id } });
    await op('getDeployment', 404, { ...operator, path: { id: 'nope' } });
    await op('rollBackDeployment', 200, { ...operator, path: { id: second.id } });
    await op('rollBackDeployment', 409, { ...operator, path: { id: second.id } });
    await op('searchLogs', 200, { ...operator, query: { service: 'audio-engine', q: 'restarted' } });
    await op('searchLogs', 400, { ...operator, query: { q: 'x'.repeat(201) } });
    const requestId = (await op('getHealth', 200)).headers.get('x-request-id')!;
    await op('getTrace', 200, { ...operator, path: { requestId } });
    await op('getTrace', 404, { ...operator, path: { requestId: 'nope' } });
  });

  it('has had every operation it describes exercised by the tests above', () => {
    const described = operationsOf(document).map(({ operation }) => operation.operationId);
    expect(described.filter((id) => !exercised.has(id))).toEqual([]);
  });

  it('fails a real response against a deliberately altered copy of a schema', async () => {
    const altered = structuredClone(document);
    altered.components.schemas.Project!.properties!.name!.type = 'integer';
    const strict = await conformingClient(altered, aidawg.url);
    const owner = await signUp();
    const { json: project } = await op('createProject', 201, { as: owner, body: { name: 'Song' } });
    await expect(strict('getProject', 200, { as: owner, path: { id: project.id } })).rejects.toThrow(
      'getProject (GET /api/projects/{id}) answered 200 with a body its application/json schema does not allow: ' +
        'body/name must be integer',
    );
  });
});
