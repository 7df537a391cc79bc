// OpenAPI input: descriptions of every version read into one shape, values their schemas allow (and those just
// outside), and journeys made from them that the generator and runner take as they take written ones.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { parse as parseYaml, stringify } from 'yaml';
import { formatSourceError, GauntletConfig, loadUserCases } from '../../src/cases/index.ts';
import type { LoadedUserCase, Step } from '../../src/cases/index.ts';
import { generateTestCases } from '../../src/generate/index.ts';
import { happyPath } from '../../src/generate/rules/happy-path.ts';
import { titledCases } from '../../src/generate/rules/titled.ts';
import {
  ApiDescriptionError,
  edgeValuesFor,
  exampleFor,
  journeysFromDescription,
  loadApiDescription,
  MISSING,
  RECURSIVE,
  resolveOperationIds,
} from '../../src/generate/openapi/index.ts';
import type { ApiDescription, ApiOperation, JsonSchema } from '../../src/generate/openapi/index.ts';
import { joinPaths, serversPath } from '../../src/generate/openapi/base-path.ts';
import { runTestCases } from '../../src/run/index.ts';
import { startThirdPartyService, THIRD_PARTY_DESCRIPTION } from '../support/third-party/index.ts';

const FIXTURES = 'test/fixtures/openapi';
const SWAGGER2 = `${FIXTURES}/swagger2-shop.yaml`;
const OPENAPI30 = `${FIXTURES}/openapi30-pets.yaml`;
const OPENAPI31 = `${FIXTURES}/openapi31-notes.yaml`;
const AIDAWG = 'examples/aidawg/openapi.yaml';

const ajv = new Ajv2020({ strict: false, strictNumbers: true, allErrors: true, logger: false });
addFormats.default(ajv);
const validator = new Map<JsonSchema, ReturnType<typeof ajv.compile>>();
/** An independent judge: the same dialect and formats the runner's response checks use. */
const accepts = (schema: JsonSchema, value: unknown): boolean => {
  let validate = validator.get(schema);
  if (!validate) validator.set(schema, (validate = ajv.compile(schema)));
  return validate(value) as boolean;
};
const errorsOf = (schema: JsonSchema, value: unknown) =>
  accepts(schema, value) ? [] : validator.get(schema)!.errors;

const operation = (description: ApiDescription, operationId: string): ApiOperation => {
  const found = description.operations.find((op) => op.operationId === operationId);
  if (!found) throw new Error(`no ${operationId} in ${description.source}`);
  return found;
};

let swagger2: ApiDescription;
let openapi30: ApiDescription;
let openapi31: ApiDescription;
let aidawg: ApiDescription;
let thirdParty: ApiDescription;

beforeAll(async () => {
  const sources = [SWAGGER2, OPENAPI30, OPENAPI31, AIDAWG, THIRD_PARTY_DESCRIPTION];
  [swagger2, openapi30, openapi31, aidawg, thirdParty] = (await Promise.all(
    sources.map((source) => loadApiDescription(source)),
  )) as [ApiDescription, ApiDescription, ApiDescription, ApiDescription, ApiDescription];
});

describe('reading an API description', () => {
  it('reads Swagger 2.0: basePath joined, body and form parameters as the request body, security per operation', async () => {
    expect(swagger2).toMatchObject({
      source: SWAGGER2,
      specVersion: '2.0',
      title: 'Shop',
      version: '2.1',
      tags: [],
    });
    expect(swagger2.operations.map((op) => `${op.method} ${op.path}`)).toEqual([
      'GET /api/v1/orders',
      'POST /api/v1/orders',
      'GET /api/v1/orders/{orderId}',
      'DELETE /api/v1/orders/{orderId}',
      'POST /api/v1/orders/{orderId}/receipt',
      'GET /api/v1/health',
    ]);
    const list = operation(swagger2, 'listOrders');
    expect(list.parameters).toEqual([
      {
        name: 'status',
        in: 'query',
        required: true,
        schema: { type: 'string', enum: ['open', 'shipped'], example: 'open' },
        example: 'open',
      },
      { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
    ]);
    const create = operation(swagger2, 'createOrder');
    expect(create.requestBody).toMatchObject({ contentType: 'application/json', required: true });
    // Swagger's boolean exclusiveMinimum and x-nullable are said the JSON Schema 2020-12 way; the external file is in.
    expect(create.requestBody!.schema!.properties).toEqual({
      item: { type: 'string', minLength: 2, maxLength: 40 },
      quantity: { type: 'integer', exclusiveMinimum: 0, maximum: 10 },
      giftNote: { type: ['string', 'null'] },
      address: expect.objectContaining({ required: ['city'] }),
    });
    expect(create.responses['201']).toMatchObject({
      contentTypes: ['application/json'],
      headers: ['Location'],
    });
    expect(operation(swagger2, 'uploadReceipt').requestBody).toEqual({
      contentType: 'multipart/form-data',
      contentTypes: ['multipart/form-data'],
      schema: {
        type: 'object',
        properties: { note: { type: 'string', maxLength: 200 }, scan: { type: 'string', format: 'binary' } },
        required: ['scan'],
      },
      required: true,
      examples: [],
    });
    expect(operation(swagger2, 'health')).toMatchObject({
      secured: false,
      responses: { '200': { contentTypes: ['text/plain'] } },
    });
    expect(create.secured).toBe(true);
  });

  it('reads OpenAPI 3.0: server variables at their defaults, JSON chosen over a form, links, public operations', () => {
    expect(openapi30.tags.map((t) => t.name)).toEqual(['pets', 'categories']);
    const create = operation(openapi30, 'createPet');
    expect(create).toMatchObject({
      method: 'POST',
      path: '/api/v1/pets',
      template: '/pets',
      tags: ['pets'],
      secured: true,
    });
    expect(create.requestBody).toMatchObject({
      contentType: 'application/json',
      contentTypes: ['application/x-www-form-urlencoded', 'application/json'],
      examples: [{ name: 'Rex', species: 'dog', birthday: '2020-05-01' }],
    });
    expect(create.requestBody!.schema!.properties).toMatchObject({
      weightKg: { type: 'number', exclusiveMinimum: 0, maximum: 200 },
      nickname: { type: ['string', 'null'] },
    });
    // A link names its operation by id or by its place; a parameter may say where it goes ("path.petId").
    expect(create.links).toEqual([
      { status: '201', name: 'GetPet', operationId: 'getPet', parameters: { petId: '$response.body#/key' } },
      {
        status: '201',
        name: 'DeletePet',
        operationId: 'deletePet',
        parameters: { petId: '$response.body#/key' },
      },
    ]);
    // `security: []` and `security: [{}]` both make an operation public.
    expect(operation(openapi30, 'listPets').secured).toBe(false);
    expect(operation(openapi30, 'getStatus').secured).toBe(false);
    expect(operation(openapi30, 'getPet').parameters).toEqual([
      { name: 'petId', in: 'path', required: true, schema: { type: 'string' }, example: 'rex-1' },
    ]);
    // A parameter may give its schema by media type.
    expect(operation(openapi30, 'listPets').parameters[0]!.schema).toEqual({
      type: 'object',
      properties: { species: { type: 'string' } },
    });
    expect(operation(openapi30, 'replacePet').responses).toEqual({
      '2XX': { contentTypes: [], headers: [] },
    });
  });

  it('cuts a recursive schema, in the description or a file it refers to, into a tree that JSON and ajv take', () => {
    const category = operation(openapi30, 'createCategory').requestBody!.schema!;
    expect(category).toMatchObject({
      required: ['name'],
      properties: {
        children: { type: 'array', items: { [RECURSIVE]: true } },
      },
    });
    const thread = operation(openapi31, 'get_notes_noteId_thread').responses['200']!.schema!;
    expect(thread.properties).toMatchObject({
      replies: { items: { [RECURSIVE]: true } },
    });
    for (const description of [openapi30, openapi31]) expect(() => JSON.stringify(description)).not.toThrow();
    expect(
      accepts(thread, { note: { id: crypto.randomUUID(), title: 'a', kind: 'text' }, replies: [] }),
    ).toBe(true);
  });

  it('reads OpenAPI 3.1: a relative server URL is a path, type lists with null, and unique made-up operationIds', () => {
    expect(openapi31.specVersion).toBe('3.1.0');
    expect(
      openapi31.operations.map((op) => `${op.method} ${op.path} ${op.operationId} ${op.operationIdDeclared}`),
    ).toEqual([
      'POST /notes-api/notes createNote true',
      'GET /notes-api/notes/{noteId} getNote true',
      'DELETE /notes-api/notes/{noteId} delete_notes_noteId false',
      'GET /notes-api/notes/{noteId}/thread get_notes_noteId_thread false',
      'GET /notes-api/notes/noteId/thread get_notes_noteId_thread_2 false',
    ]);
    expect(operation(openapi31, 'createNote').requestBody!.schema!.properties).toMatchObject({
      body: { type: ['string', 'null'], maxLength: 2000 },
      kind: { const: 'text' },
    });
  });

  it('gives each operation and tag the place it is written, in YAML and in JSON', async () => {
    expect(operation(openapi30, 'replacePet').at).toEqual(
      await keyAbove(OPENAPI30, 'operationId: replacePet'),
    );
    expect(operation(aidawg, 'createTrack').at).toEqual(await keyAbove(AIDAWG, 'operationId: createTrack'));
    expect(aidawg.tags[1]).toMatchObject({
      name: 'projects',
      at: await positionOf(AIDAWG, 'name: projects'),
    });
    // YAML reads `201:` as a number; the place of a response is found all the same.
    expect(operation(thirdParty, 'addPet').at).toEqual(
      await keyAbove(THIRD_PARTY_DESCRIPTION, 'operationId: addPet'),
    );
    // The same description as JSON, which is located without the YAML parser (slow on large files).
    const json = path.join(await mkdtemp(path.join(tmpdir(), 'openapi-')), 'aidawg.json');
    await writeFile(json, JSON.stringify(parseYaml(await readFile(AIDAWG, 'utf8')), null, 2));
    const fromJson = await loadApiDescription(json);
    expect(operation(fromJson, 'createTrack').at).toEqual(
      await keyAbove(json, '"operationId": "createTrack"'),
    );
    expect(fromJson.operations).toHaveLength(aidawg.operations.length);
  });

  it('never joins a server path and a path into "//"', () => {
    expect(joinPaths(serversPath([{ url: 'https://x.example/api/v1/' }]), '/pets')).toBe('/api/v1/pets');
    expect(joinPaths(serversPath([{ url: 'https://x.example' }]), '/pets')).toBe('/pets');
    expect(joinPaths(serversPath([{ url: '/' }]), '/')).toBe('/');
    expect(joinPaths(serversPath([{ url: '//x.example/v2' }]), '/pets')).toBe('/v2/pets');
    expect(joinPaths(serversPath([{ url: 'v2' }]), '/pets')).toBe('/v2/pets');
    expect(joinPaths(serversPath(undefined), '/pets')).toBe('/pets');
    const segments = fc.array(fc.constantFrom('api', 'v1', 'pets', '{petId}'), { maxLength: 3 });
    fc.assert(
      fc.property(
        fc.constantFrom('https://x.example', 'http://127.0.0.1:4100', ''),
        segments,
        fc.boolean(),
        segments,
        fc.boolean(),
        (origin, base, baseSlash, route, routeSlash) => {
          const url = `${origin}/${base.join('/')}${baseSlash && base.length ? '/' : ''}`;
          const template = `/${route.join('/')}${routeSlash && route.length ? '/' : ''}`;
          const joined = joinPaths(serversPath([{ url }]), template);
          const all = [...base, ...route];
          const expected =
            route.length === 0
              ? `/${base.join('/')}${base.length ? '/' : ''}`
              : `/${all.join('/')}${routeSlash ? '/' : ''}`;
          expect(joined).toBe(expected);
          expect(joined).not.toContain('//');
        },
      ),
    );
  });

  it('reads a description from a URL, with the files it refers to fetched from there too', async () => {
    const description = await loadApiDescription(`${fixtureServer.url}/openapi30-pets.yaml`);
    expect(description.source).toBe(`${fixtureServer.url}/openapi30-pets.yaml`);
    expect(description.operations.map((op) => op.operationId)).toEqual(
      openapi30.operations.map((op) => op.operationId),
    );
    // common/address.yaml came over HTTP.
    expect(operation(description, 'createPet').requestBody!.schema!.properties).toMatchObject({
      owner: { required: ['city'] },
    });
    expect(fixtureServer.requested).toEqual(
      expect.arrayContaining(['/openapi30-pets.yaml', '/common/address.yaml', '/common/category.yaml']),
    );
  });

  it('says which description is bad, where, and why', async () => {
    const failure = async (source: string, options = {}) => {
      const error = await loadApiDescription(source, options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ApiDescriptionError);
      return (error as ApiDescriptionError).message;
    };
    // Files that are not YAML are written here rather than kept: the formatter checks every YAML file of the repository.
    const broken = await mkdtemp(path.join(tmpdir(), 'openapi-broken-'));
    const write = (name: string, text: string) => writeFile(path.join(broken, name), text);
    await write('not-yaml.yaml', 'openapi: 3.0.3\ninfo: { title: Broken, version: 1\npaths: {}\n');
    await write('broken.yaml', 'kind: [unclosed\n');
    await write(
      'refers-to-broken.yaml',
      (await readFile(`${FIXTURES}/bad-missing-file.yaml`, 'utf8')).replace(
        'common/no-such-file.yaml',
        'broken.yaml',
      ),
    );
    expect(await failure(path.join(broken, 'not-yaml.yaml'))).toMatch(
      new RegExp(`^${broken}/not-yaml\\.yaml:3:1: not valid YAML or JSON: Flow map in block collection`),
    );
    expect(await failure(`${FIXTURES}/bad-not-openapi.yaml`)).toBe(
      `${FIXTURES}/bad-not-openapi.yaml:2:1: not an OpenAPI description: it says neither "openapi: 3.x" nor "swagger: '2.0'"`,
    );
    expect(await failure(`${FIXTURES}/bad-dangling-ref.yaml`)).toBe(
      `${FIXTURES}/bad-dangling-ref.yaml:11:25: $ref "#/components/schemas/Thing" points at nothing: there is no "Thing"`,
    );
    expect(await failure(`${FIXTURES}/bad-missing-file.yaml`)).toBe(
      `${FIXTURES}/bad-missing-file.yaml:11:25: $ref "common/no-such-file.yaml" cannot be resolved: ` +
        `there is no file ${FIXTURES}/common/no-such-file.yaml`,
    );
    expect(await failure(`${FIXTURES}/no-such-description.yaml`)).toMatch(
      /^test\/fixtures\/openapi\/no-such-description\.yaml: cannot be read: ENOENT/,
    );
    expect(await failure(`${fixtureServer.url}/nothing-here.yaml`)).toBe(
      `${fixtureServer.url}/nothing-here.yaml: cannot be fetched: the server answered 404`,
    );
    expect(await failure(`${fixtureServer.url}/never-answers`, { timeoutMs: 200 })).toBe(
      `${fixtureServer.url}/never-answers: cannot be fetched: no answer within 200 ms`,
    );
    // A $ref that points at nothing in a file the description refers to, or written in one; a referenced file
    // that is not YAML.
    expect(await failure(`${FIXTURES}/bad-dangling-external.yaml`)).toBe(
      `${FIXTURES}/bad-dangling-external.yaml:11:25: $ref "common/category.yaml#/Nothing" points at nothing: ` +
        `there is no "Nothing" in ${FIXTURES}/common/category.yaml`,
    );
    expect(await failure(`${FIXTURES}/bad-dangling-inside.yaml`)).toBe(
      `${FIXTURES}/common/dangles.yaml:4:11: $ref "#/definitions/Part" points at nothing: there is no "definitions" ` +
        `(in a file ${FIXTURES}/bad-dangling-inside.yaml refers to)`,
    );
    expect(await failure(path.join(broken, 'refers-to-broken.yaml'))).toBe(
      `${broken}/broken.yaml:2:1: not valid YAML or JSON (in a file ${broken}/refers-to-broken.yaml refers to): ` +
        'unexpected end of the stream within a flow collection',
    );
    const version = await failure(`${fixtureServer.url}/inline/swagger-1.2.yaml`);
    expect(version).toBe(
      `${fixtureServer.url}/inline/swagger-1.2.yaml:1:1: Swagger 1.2 is not read: only 2.0 is`,
    );
    // Reported as every other problem of an input is.
    expect(new ApiDescriptionError('api.yaml', 'no answer').toSourceError()).toEqual({
      file: 'api.yaml',
      line: 1,
      column: 1,
      message: 'no answer',
    });
  });

  it('makes up operationIds that stay the same and never take a declared one', async () => {
    expect(operation(swagger2, 'delete_orders_orderId')).toMatchObject({
      method: 'DELETE',
      operationIdDeclared: false,
    });
    expect(operation(thirdParty, 'patch_pets_petName').template).toBe('/pets/{petName}');
    expect(operation(thirdParty, 'get_root').template).toBe('/');
    const again = await loadApiDescription(OPENAPI31);
    expect(again.operations.map((op) => op.operationId)).toEqual(
      openapi31.operations.map((op) => op.operationId),
    );
  });
});

describe('values from schemas', () => {
  /** Every schema a client sends in the descriptions at hand: bodies and parameters. */
  const requestSchemas = () =>
    [swagger2, openapi30, openapi31, aidawg, thirdParty].flatMap((d) =>
      d.operations.flatMap((op) => [
        ...(op.requestBody?.schema
          ? [{ where: `${op.operationId} body`, schema: op.requestBody.schema }]
          : []),
        ...op.parameters.map((p) => ({ where: `${op.operationId} ${p.name}`, schema: p.schema })),
      ]),
    );

  it('builds values every schema accepts, in both modes, whatever the seed', () => {
    const schemas = requestSchemas();
    expect(schemas.length).toBeGreaterThan(80);
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom('all-fields' as const, 'required-only' as const),
        (seed, mode) => {
          for (const { where, schema } of schemas) {
            const value = exampleFor(schema, { mode, seed });
            if (!accepts(schema, value))
              throw new Error(
                `${where}: ${JSON.stringify(value)} ${JSON.stringify(errorsOf(schema, value))}`,
              );
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('builds values that satisfy formats, patterns, lengths, bounds and item rules', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['email', 'id', 'day', 'at', 'site', 'code', 'password', 'bpm', 'ratio', 'tags', 'step'],
      properties: {
        email: { type: 'string', format: 'email' },
        id: { type: 'string', format: 'uuid' },
        day: { type: 'string', format: 'date' },
        at: { type: 'string', format: 'date-time' },
        site: { type: 'string', format: 'uri' },
        code: { type: 'string', pattern: '^[A-Z]{2}-\\d{3}$' },
        password: {
          type: 'string',
          minLength: 12,
          maxLength: 14,
          allOf: [{ pattern: '[A-Za-z]' }, { pattern: '\\d' }],
        },
        bpm: { type: 'integer', minimum: 40, maximum: 200, multipleOf: 5 },
        ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        tags: { type: 'array', items: { enum: ['a', 'b', 'c'] }, minItems: 3, uniqueItems: true },
        step: {
          oneOf: [
            { type: 'integer', minimum: 1, maximum: 5 },
            { type: 'string', format: 'uuid' },
          ],
        },
        color: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' },
      },
    };
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const value = exampleFor(schema, { seed });
        expect(errorsOf(schema, value)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('uses what the schema offers first: const, example, examples, default, then an enum value', () => {
    expect(exampleFor({ type: 'string', const: 'text', example: 'x' })).toBe('text');
    expect(exampleFor({ type: 'string', example: 'Rex', default: 'Max' })).toBe('Rex');
    expect(exampleFor({ type: 'string', examples: ['Groceries'], default: 'x' })).toBe('Groceries');
    expect(exampleFor({ type: 'boolean', default: false })).toBe(false);
    expect(['dog', 'cat']).toContain(exampleFor({ type: 'string', enum: ['dog', 'cat'] }, { seed: 7 }));
  });

  it('gives the same value for the same seed, other values for other seeds', () => {
    const schema = operation(aidawg, 'createProject').requestBody!.schema!;
    expect(exampleFor(schema, { seed: 3 })).toEqual(exampleFor(schema, { seed: 3 }));
    const values = new Set(
      Array.from({ length: 10 }, (_, seed) => JSON.stringify(exampleFor(schema, { seed }))),
    );
    expect(values.size).toBeGreaterThan(5);
  });

  it('leaves optional fields out in required-only mode, and what the server writes out of all-fields', () => {
    const schema = operation(openapi31, 'createNote').requestBody!.schema!;
    expect(Object.keys(exampleFor(schema, { mode: 'required-only' }) as object).sort()).toEqual([
      'kind',
      'title',
    ]);
    expect(Object.keys(exampleFor(schema, { mode: 'all-fields' }) as object).sort()).toEqual([
      'body',
      'email',
      'kind',
      'pinned',
      'position',
      'priority',
      'remindAt',
      'tags',
      'title',
    ]);
    const order = operation(swagger2, 'getOrder').responses['200']!.schema!;
    expect(exampleFor(order)).not.toHaveProperty('id');
    const response = exampleFor(order, { direction: 'response' });
    expect(response).toHaveProperty('id');
    expect(accepts(order, response)).toBe(true);
  });

  it('labels the edge values of a number at and past its limits', () => {
    const edges = edgeValuesFor({ type: 'integer', minimum: 40, maximum: 200 }, 'bpm', { required: true });
    expect(edges.map(({ label, value, valid, kind }) => [label, value, valid, kind])).toEqual([
      ['bpm at its minimum (40)', 40, true, 'boundary'],
      ['bpm one below its minimum (39)', 39, false, 'boundary'],
      ['bpm at its maximum (200)', 200, true, 'boundary'],
      ['bpm one above its maximum (201)', 201, false, 'boundary'],
      [expect.stringMatching(/^bpm not a whole number \(\d+\.5\)$/), expect.any(Number), false, 'invalid'],
      ['bpm beyond 64-bit integers (9223372036854775808)', 2 ** 63, false, 'invalid'],
      [expect.stringMatching(/^bpm as text \("\d+"\)$/), expect.any(String), false, 'invalid'],
      ['bpm null', null, false, 'invalid'],
      ['bpm missing', MISSING, false, 'invalid'],
    ]);
    expect(edges.find((e) => e.label.includes('64-bit'))!.json).toBe('9223372036854775808');
    const weight = edgeValuesFor({ type: ['number', 'null'], exclusiveMinimum: 0 }, 'weight');
    expect(weight.find((e) => e.label === 'weight null')!.valid).toBe(true);
    expect(weight.find((e) => e.label === 'weight at its exclusive minimum (0)')!.valid).toBe(false);
    expect(weight.find((e) => e.label === 'weight beyond double precision (1e309)')).toMatchObject({
      valid: false,
      json: '1e309',
    });
  });

  it('labels the edge values of a string: lengths, whitespace, unicode, formats, patterns and options', () => {
    const labels = (schema: JsonSchema, name: string) =>
      Object.fromEntries(edgeValuesFor(schema, name).map((e) => [e.label, e.valid]));
    expect(labels({ type: 'string', minLength: 1, maxLength: 120, pattern: '\\S' }, 'name')).toEqual({
      'name empty': false,
      'name only whitespace': false,
      'name at its minimum length (1)': true,
      'name at its maximum length (120)': true,
      'name one character too long (121)': false,
      'name of 10 000 characters': false,
      'name in unicode and emoji': true,
      'name not matching its pattern (" ")': false,
      // Other forms and near misses of what the name means (the value dictionary): the schema allows them.
      'name as another form of person name ("Zoë Ñúñez")': true,
      'name as another form of person name ("Conan O\'Brien")': true,
      'name not a real person name ("42")': true,
      'name not a real person name ("<b>Ada</b>")': true,
      'name not a real person name ("Ada\\tLovelace")': true,
      'name as a number (12345)': false,
      'name null': false,
    });
    expect(labels({ type: 'string', format: 'date' }, 'day')).toMatchObject({
      'day not a real date (2024-02-30)': false,
    });
    expect(labels({ type: 'string', format: 'email', maxLength: 254 }, 'email')).toMatchObject({
      'email not an e-mail address': false,
      'email at its maximum length (254)': true,
    });
    expect(labels({ type: 'string', format: 'uuid' }, 'id')).toMatchObject({ 'id not a UUID': false });
    expect(labels({ type: 'string', enum: ['trap', 'lofi'] }, 'genre')).toMatchObject({
      'genre outside its options ("not-one-of-them")': false,
    });
    const state = edgeValuesFor({ type: 'string', minLength: 2, maxLength: 2, pattern: '^[A-Z]+$' }, 'state');
    expect(state.find((e) => e.label === 'state at its minimum length (2)')).toMatchObject({
      valid: true,
      value: expect.stringMatching(/^[A-Z]{2}$/),
    });
  });

  it('labels the edge values of objects and lists: extra and missing fields, item counts, repeats', () => {
    const note = operation(openapi31, 'createNote').requestBody!.schema!;
    const body = Object.fromEntries(edgeValuesFor(note, 'body').map((e) => [e.label, e.valid]));
    expect(body).toMatchObject({
      'body with an extra field': false,
      'body without title': false,
      'body empty': false,
    });
    const tags = Object.fromEntries(
      edgeValuesFor((note.properties as Record<string, JsonSchema>).tags!, 'tags').map((e) => [
        e.label,
        e.valid,
      ]),
    );
    expect(tags).toMatchObject({
      'tags empty': true,
      'tags with its most items (5)': true,
      'tags one item too many (6)': false,
      'tags with a repeated item': false,
    });
  });

  it('labels every edge value of every field as ajv judges it', () => {
    const fields = requestSchemas().flatMap(({ schema }) =>
      Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([name, field]) => ({
        name,
        field,
      })),
    );
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        for (const { name, field } of fields) {
          for (const edge of edgeValuesFor(field, name, { seed })) {
            if (edge.value === MISSING || edge.json) continue;
            if (accepts(field, edge.value) !== edge.valid)
              throw new Error(`${edge.label}: ${JSON.stringify(edge.value)}`);
          }
        }
      }),
      { numRuns: 5 },
    );
  });
});

describe('journeys from a description', () => {
  /** Through the loader people's user cases go through, from the YAML a person could have written. */
  const reload = (journeys: LoadedUserCase[]) => {
    const loaded = loadUserCases(
      journeys.map((j, i) => ({ path: `journey-${i}.yml`, text: stringify(j.userCase) })),
    );
    if (!loaded.ok) throw new Error(loaded.errors.map(formatSourceError).join('\n'));
    return loaded.value.map((l) => l.userCase);
  };
  const stepsOf = (journeys: LoadedUserCase[], name: string) =>
    journeys.find((j) => j.userCase.journey === name)!.userCase.steps;
  /** Every path parameter of a step is captured by an earlier step or given as a literal. */
  const expectFedParameters = (steps: Step[]) => {
    const captured = new Set<string>();
    for (const step of steps) {
      for (const [, name] of (step.api ?? '').matchAll(/\{(\w+)\}/g)) {
        expect(captured.has(name!) || step.params?.[name!] !== undefined).toBe(true);
      }
      for (const name of Object.keys(step.capture ?? {})) captured.add(name);
    }
  };

  it("makes the sample target's journeys: one per tag, creates first, each key captured for the steps that need it", () => {
    const journeys = journeysFromDescription(aidawg, { auth: 'user', seed: 1 });
    expect(reload(journeys).map((u) => u.journey)).toEqual([
      'accounts',
      'projects',
      'tracks',
      'music',
      'jarvis',
    ]);
    const projects = stepsOf(journeys, 'projects');
    expect(projects[0]).toMatchObject({
      step: 'Create project',
      api: 'POST /api/projects',
      operationId: 'createProject',
      auth: 'user',
      capture: { projectId: 'body.id' },
      // The 409, 400 and 415 it declares are refusals generated data cannot foresee: as good an answer as success.
      expect: { status: [201, 409, 400, 415] },
    });
    const index = (api: string) => projects.findIndex((s) => s.api === api);
    expect(index('POST /api/projects')).toBeLessThan(index('GET /api/projects/{projectId}'));
    expect(index('GET /api/projects/{projectId}')).toBeLessThan(index('PATCH /api/projects/{projectId}'));
    expect(index('PATCH /api/projects/{projectId}')).toBeLessThan(index('DELETE /api/projects/{projectId}'));
    // The tracks journey first creates the project its tracks belong to.
    const tracks = stepsOf(journeys, 'tracks');
    expect(tracks.slice(0, 3).map((s) => [s.api, s.capture])).toEqual([
      ['POST /api/projects', { projectId: 'body.id' }],
      ['POST /api/projects/{projectId}/tracks', { trackId: 'body.id' }],
      ['POST /api/projects/{projectId}/tracks/{trackId}/clips', { clipId: 'body.id' }],
    ]);
    for (const journey of journeys) expectFedParameters(journey.userCase.steps);
    // Public operations are called without credentials; the rest as the given identity.
    expect(stepsOf(journeys, 'accounts').find((s) => s.operationId === 'signUp')!.auth).toBeUndefined();
    expect(journeys[0]!.steps[0]!.at).toEqual(
      operation(aidawg, stepsOf(journeys, 'accounts')[0]!.operationId!).at,
    );
    expect(journeys[0]!.file).toBe(AIDAWG);
  });

  it('checks a deleted resource is gone, and expects what the description declares', () => {
    const journeys = journeysFromDescription(aidawg, { auth: 'user' });
    const remove = stepsOf(journeys, 'projects').find((s) => s.operationId === 'deleteProject')!;
    // A 404 it declares is no answer here: the project deleted is the one the journey made.
    expect(remove).toMatchObject({ expect: { status: 204 } });
    expect(remove.cases).toEqual([
      {
        title: 'The project is gone once deleted',
        steps: [{}, { api: 'GET /api/projects/{projectId}', expect: { status: 404 } }],
      },
    ]);
    // An operation that declares only a refusal is expected to refuse.
    expect(stepsOf(journeys, 'accounts').find((s) => s.operationId === 'signInWithProvider')).toMatchObject({
      params: { provider: 'google' },
      expect: { status: 400 },
    });
    const exportStep = stepsOf(journeys, 'projects').find((s) => s.operationId === 'exportProject')!;
    expect(exportStep.query).toBeUndefined();
  });

  it('takes a declared 400, 404, 415 or 422 for made-up data in a body, never a 404 for what the journey made', () => {
    const journeys = journeysFromDescription(aidawg, { auth: 'user' });
    const step = (id: string) =>
      journeys.flatMap((j) => j.userCase.steps).find((s) => s.operationId === id)!.expect!.status;
    // An e-mail address the service must know, a trim that must fall inside the clip: no schema says so.
    expect(step('addCollaborator')).toEqual(expect.arrayContaining([201, 400, 404]));
    expect(step('editClip')).toEqual(expect.arrayContaining([400]));
    // A read of the project the journey made has no data of its own: a 404 there is a fault.
    expect(step('getProject')).toBe(200);
    // A public operation with a body: its made-up credentials or data may be refused, as declared.
    expect(step('logIn')).toEqual(expect.arrayContaining([200, 400, 401, 415]));
  });

  it('fills bodies, forms, required query parameters and literal path parameters from the schemas', () => {
    const journeys = journeysFromDescription(openapi31, { seed: 2 });
    const [notes] = reload(journeys);
    const create = notes!.steps.find((s) => s.operationId === 'createNote')!;
    expect(accepts(operation(openapi31, 'createNote').requestBody!.schema!, create.example)).toBe(true);
    expect(create.capture).toEqual({ noteId: 'body.id' });
    expect(notes!.steps.find((s) => s.operationId === 'getNote')!.query).toEqual({
      fields: expect.any(String),
    });
    const receipt = stepsOf(journeysFromDescription(swagger2, { auth: 'clerk' }), 'orders').find(
      (s) => s.operationId === 'uploadReceipt',
    )!;
    expect(receipt).toMatchObject({
      auth: 'clerk',
      form: { note: expect.any(String) },
      files: { scan: { name: 'scan.txt', contentType: 'text/plain' } },
    });
    // A link names the field that feeds a parameter: the pet's key, not an id.
    expect(stepsOf(journeysFromDescription(openapi30), 'pets')[0]).toMatchObject({
      operationId: 'createPet',
      example: { name: 'Rex', species: 'dog', birthday: '2020-05-01' },
      capture: { petId: 'body.key' },
    });
    // `{id}` is named after its resource, so two resources never feed each other's requests.
    expect(stepsOf(journeysFromDescription(openapi30), 'categories').map((s) => s.api)).toEqual([
      'POST /api/v1/categories',
      'GET /api/v1/categories/{categoryId}',
    ]);
  });

  it("makes the third party's journeys: the created pet's name feeds the paths that name a pet", () => {
    const journeys = journeysFromDescription(thirdParty, { seed: 1 });
    const [pets] = reload(journeys);
    expect(pets!.journey).toBe('pets');
    expect(pets!.steps.map((s) => s.api)).toEqual([
      'POST /pets',
      'POST /pets/{petName}/photos',
      'GET /pets',
      'GET /pets/{petName}',
      'GET /pets/{petName}/photos',
      'GET /pets/{petName}/photos/{photoId}',
      'PATCH /pets/{petName}',
      'DELETE /pets/{petName}/photos/{photoId}',
      'DELETE /pets/{petName}',
      'DELETE /pets',
    ]);
    expect(pets!.steps[0]!.capture).toEqual({ petName: 'body.name' });
    expect(pets!.steps[1]!.capture).toEqual({ photoId: 'body.id' });
    expectFedParameters(pets!.steps);
  });

  it('fills in the request of a step that names an operationId, and refuses an unknown one at the step', () => {
    const text = `role: Producer
journey: Songs
steps:
  - step: Create
    operationId: createProject
    example: { name: Song }
    capture: { projectId: body.id }
  - step: Read
    operationId: getProject
    cases:
      - title: Rename it
        operationId: renameProject
  - step: Typo
    operationId: createProjekt
  - step: Mismatch
    operationId: getProject
    api: POST /api/projects
`;
    const loaded = loadUserCases([{ path: 'user-cases/songs.yml', text }]);
    if (!loaded.ok) throw new Error('the user case does not load');
    const resolved = resolveOperationIds(loaded.value, aidawg);
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(resolved.errors.map(formatSourceError)).toEqual([
      `user-cases/songs.yml:13:5: steps[2].operationId: no operation "createProjekt" in ${AIDAWG} (did you mean "createProject"?)`,
      `user-cases/songs.yml:15:5: steps[3].operationId: "getProject" is GET /api/projects/{projectId} in ${AIDAWG}, but api says POST /api/projects`,
    ]);
    const fine = resolveOperationIds(
      [
        {
          ...loaded.value[0]!,
          userCase: { ...loaded.value[0]!.userCase, steps: loaded.value[0]!.userCase.steps.slice(0, 2) },
        },
      ],
      aidawg,
    );
    if (!fine.ok) throw new Error(fine.errors.map(formatSourceError).join('\n'));
    const [create, read] = fine.value[0]!.userCase.steps;
    expect(create!.api).toBe('POST /api/projects');
    expect(read!.api).toBe('GET /api/projects/{projectId}');
    expect(read!.cases).toEqual([
      { title: 'Rename it', operationId: 'renameProject', api: 'PATCH /api/projects/{projectId}' },
    ]);
  });
});

describe('the third-party service', () => {
  let service: Awaited<ReturnType<typeof startThirdPartyService>>;
  beforeAll(async () => {
    service = await startThirdPartyService();
  });
  afterAll(() => service.close());

  it('starts on loopback and answers the operations of its description, keeping what it is sent', async () => {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(service.description).toBe(THIRD_PARTY_DESCRIPTION);
    const call = async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`${service.url}${route}`, {
        method,
        ...(body !== undefined && {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      });
      return { status: response.status, body: (await response.text()).trim() };
    };
    expect(await call('POST', '/pets', { name: 'Fido', type: 'dog' })).toEqual({
      status: 201,
      body: '{"name":"Fido","type":"dog"}',
    });
    expect((await call('GET', '/pets/Fido')).status).toBe(200);
    expect(JSON.parse((await call('GET', '/pets')).body)).toEqual([{ name: 'Fido', type: 'dog' }]);
    expect((await call('PATCH', '/pets/Fido', { name: 'Fido', type: 'cat' })).status).toBe(200);
    expect((await call('DELETE', '/pets/Fido')).status).toBe(200);
    expect((await call('GET', '/pets/Fido')).status).toBe(404);
    // It holds requests to its description: a name of one character is refused.
    expect((await call('POST', '/pets', { name: 'x', type: 'dog' })).status).toBe(400);
  });

  it('serves its description, which reads the same from there', async () => {
    const fromService = await loadApiDescription(`${service.url}/api-docs/PetStore.yaml`);
    expect(fromService.operations.map((op) => `${op.method} ${op.path}`)).toEqual(
      thirdParty.operations.map((op) => `${op.method} ${op.path}`),
    );
  });

  it('passes the tests generated from the journeys of its description', async () => {
    const config = GauntletConfig.parse({});
    const generated = generateTestCases(journeysFromDescription(thirdParty, { seed: 1 }), config, {
      rules: [happyPath, titledCases],
    });
    if (!generated.ok) throw new Error(generated.errors.map(formatSourceError).join('\n'));
    expect(generated.cases.length).toBeGreaterThanOrEqual(12);
    // One at a time: "Delete pets" deletes every pet.
    const results = await runTestCases(generated.cases, {
      target: new URL(service.url),
      concurrency: 1,
      timeoutMs: 5000,
      checks: [],
    });
    const failed = results.filter((r) => r.status !== 'passed');
    expect(failed.map((r) => `${r.title}: ${r.error ?? ''} ${JSON.stringify(r.failures)}`)).toEqual([]);
  });
});

/** The fixtures over HTTP on loopback, as a description published by a service would be. */
const fixtureServer = { url: '', requested: [] as string[], server: undefined as Server | undefined };
const INLINE: Record<string, string> = {
  '/inline/swagger-1.2.yaml': "swagger: '1.2'\ninfo: { title: Old, version: '1' }\n",
};

beforeAll(async () => {
  fixtureServer.server = createServer((req, res) => {
    const route = new URL(req.url!, 'http://x').pathname;
    fixtureServer.requested.push(route);
    if (route === '/never-answers') return;
    const inline = INLINE[route];
    if (inline) return res.writeHead(200, { 'content-type': 'application/yaml' }).end(inline);
    readFile(path.join(FIXTURES, route)).then(
      (content) => res.writeHead(200, { 'content-type': 'application/yaml' }).end(content),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => fixtureServer.server!.listen(0, '127.0.0.1', resolve));
  fixtureServer.url = `http://127.0.0.1:${(fixtureServer.server!.address() as AddressInfo).port}`;
});
afterAll(async () => {
  fixtureServer.server!.closeAllConnections();
  await new Promise((resolve) => fixtureServer.server!.close(resolve));
});

/** The place of the method key of the operation whose `operationId` line is `text`. */
async function keyAbove(file: string, text: string) {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const method = /^"?(get|put|post|delete|patch|options|head|trace)"?:( \{)?$/;
  let line = lines.findIndex((l) => l.trim().replace(/,$/, '') === text);
  while (!method.test(lines[line]!.trim())) line--;
  return { line: line + 1, column: lines[line]!.search(/\S/) + 1 };
}

async function positionOf(file: string, text: string) {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const line = lines.findIndex((l) => l.includes(text));
  return { line: line + 1, column: lines[line]!.indexOf(text) + 1 };
}
