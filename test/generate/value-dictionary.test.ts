// Strings with meaning: the value dictionary (chosen by a name's words, a description, a format and a pattern,
// seeded), its unusual and invalid forms as edge values, values harvested from a description and from responses,
// hostile names, texts and patterns, and a run against a calculator whose code only runs for real words.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunSummary } from '../../src/cases/index.ts';
import {
  edgeValuesFor,
  exampleFor,
  harvestDescription,
  HARVEST_LIMITS,
  journeysFromDescription,
  knownValuesFor,
  loadApiDescription,
  matchDictionary,
  mergeKnownValues,
  nameWords,
  quotedWords,
  VALUE_DICTIONARY,
  valuesFromResponses,
} from '../../src/generate/openapi/index.ts';
import type { JsonSchema } from '../../src/generate/openapi/index.ts';
import { openAiEndpoint } from '../../src/generate/openai/index.ts';
import {
  acceptProposedEntries,
  ENTRY_LIMITS,
  proposeDictionaryEntries,
  unknownNames,
} from '../../src/generate/openapi/index.ts';
import { FileStore } from '../../src/store/file-store.ts';
import { cli } from '../support/cli.ts';
import { useLoopbackServer } from '../support/loopback.ts';
import { useOpenAiServer } from '../support/openai/jest.ts';

const STRING: JsonSchema = { type: 'string' };
const topicOf = (name: string, more: Omit<Parameters<typeof matchDictionary>[0], 'name'> = {}) =>
  matchDictionary({ name, ...more })?.entry.topic;
const entry = (topic: string) => VALUE_DICTIONARY.find((e) => e.topic === topic)!;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-value-dictionary-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the value dictionary', () => {
  it('splits names into words: camelCase, snake_case, kebab-case, acronyms and digits', () => {
    expect(nameWords('sortOrder')).toEqual(['sort', 'order']);
    expect(nameWords('sort_order')).toEqual(['sort', 'order']);
    expect(nameWords('X-Sort-Order')).toEqual(['x', 'sort', 'order']);
    expect(nameWords('HTTPMethod2')).toEqual(['http', 'method', '2']);
    expect(nameWords('')).toEqual([]);
  });

  it('chooses an entry by the words of a name, the last word and the longest phrase first', () => {
    expect(topicOf('op')).toBe('operator');
    expect(topicOf('operator')).toBe('operator');
    expect(topicOf('month')).toBe('month');
    expect(topicOf('dayOfWeek')).toBe('weekday');
    expect(topicOf('unit')).toBe('unit');
    expect(topicOf('target_units')).toBe('unit');
    expect(topicOf('sortOrder')).toBe('sort order');
    expect(topicOf('sort_by')).toBe('sort field');
    expect(topicOf('startDate')).toBe('date');
    expect(topicOf('firstName')).toBe('first name');
    expect(topicOf('fileType')).toBe('file extension');
    expect(topicOf('Accept-Language')).toBe('language');
    expect(topicOf('currencyCode')).toBe('currency');
    expect(topicOf('countryCode')).toBe('country');
    expect(topicOf('callbackUrl')).toBe('URL');
    expect(topicOf('contactEmail')).toBe('e-mail address');
    expect(topicOf('mobilePhone')).toBe('phone number');
    expect(topicOf('userId')).toBe('identifier');
  });

  it('chooses by the words of a description where the name says nothing', () => {
    const match = matchDictionary({ name: 'd', description: 'Sort direction: ascending or descending.' });
    expect(match).toMatchObject({ entry: { topic: 'sort order' }, by: 'description' });
    expect(topicOf('x', { description: 'The IANA time zone of the report' })).toBe('timezone');
    expect(topicOf('x', { description: 'Nothing to go by here.' })).toBeUndefined();
  });

  it('chooses by format before the name, and keeps only the forms every pattern matches', () => {
    expect(matchDictionary({ name: 'unit', format: 'email' })).toMatchObject({
      entry: { topic: 'e-mail address' },
      by: 'format',
    });
    expect(topicOf('whatever', { format: 'date' })).toBe('date');
    expect(matchDictionary({ name: 'month', patterns: ['^[A-Z][a-z]{2,3}$'] })?.valid).toEqual([
      'May',
      'June',
      'July',
    ]);
  });

  it('chooses by a specific pattern alone, and not by one any word matches', () => {
    const match = matchDictionary({ name: 'x', patterns: ['^(add|sub|mul|div)$'] });
    expect(match).toMatchObject({ entry: { topic: 'operator' }, by: 'pattern' });
    expect(match?.valid).toEqual(['add', 'sub', 'mul', 'div']);
    expect(matchDictionary({ name: 'x', patterns: ['^[a-z]+$'] })).toBeUndefined();
    expect(exampleFor({ type: 'string', pattern: '^(asc|desc)$' }, { name: 'x' })).toMatch(/^(asc|desc)$/);
  });

  it('makes the happy-path value of a string from the dictionary, within its lengths', () => {
    expect(entry('operator').valid).toContain(exampleFor(STRING, { name: 'op' }));
    expect(entry('month').valid).toContain(exampleFor(STRING, { name: 'month' }));
    expect(entry('unit').valid).toContain(exampleFor(STRING, { name: 'unit' }));
    expect(entry('sort order').valid).toContain(
      exampleFor(STRING, { name: 'dir', description: 'ascending or descending' }),
    );
    // A schema's own description counts too, and so does a nested field's name.
    expect(exampleFor({ type: 'object', properties: { currency: STRING } })).toEqual({
      currency: expect.stringMatching(/^[A-Z]{3}$/),
    });
    // No month name fits in 3 characters: the value still does.
    expect([...(exampleFor({ type: 'string', maxLength: 3 }, { name: 'month' }) as string)].length).toBe(3);
    // A known format keeps its own values; an enum or example comes first as before.
    expect(exampleFor({ type: 'string', format: 'uuid' }, { name: 'op' })).toMatch(/^[0-9a-f-]{36}$/);
    expect(exampleFor({ type: 'string', enum: ['ping'] }, { name: 'op' })).toBe('ping');
    // Names the dictionary does not know keep the readable word and digits.
    expect(exampleFor(STRING, { name: 'flibbertigibbet' })).toMatch(/^flibbertigibbet-\d{4}$/);
  });

  it('gives the same values for the same seed, and the seed picks among them', () => {
    const values = (seed: number) =>
      ['op', 'month', 'unit', 'lang'].map((name) => exampleFor(STRING, { name, seed }));
    expect(values(11)).toEqual(values(11));
    const ops = new Set(Array.from({ length: 30 }, (_, seed) => exampleFor(STRING, { name: 'op', seed })));
    expect(ops.size).toBeGreaterThan(3);
    for (const op of ops) expect(entry('operator').valid).toContain(op);
  });

  it('holds sound entries: valid forms, invalid forms, names as lowercase words, no form both valid and invalid', () => {
    expect(VALUE_DICTIONARY.length).toBeGreaterThan(40);
    for (const e of VALUE_DICTIONARY) {
      expect(e.valid.length).toBeGreaterThan(0);
      expect(e.invalid.length).toBeGreaterThan(0);
      for (const name of e.names) expect(name).toMatch(/^[a-z0-9]+( [a-z0-9]+)*$/);
      for (const form of e.invalid) expect([...e.valid, ...(e.unusual ?? [])]).not.toContain(form);
    }
  });
});

describe('dictionary edge values', () => {
  const labelled = (schema: JsonSchema, name: string, options = {}) =>
    Object.fromEntries(
      edgeValuesFor(schema, name, options).map((e) => [e.label, [e.value, e.valid, e.kind]]),
    );

  it('tries other forms and near misses, tolerated where the schema allows them', () => {
    expect(labelled(STRING, 'month')).toMatchObject({
      'month as another form of month ("jan")': ['jan', true, 'boundary'],
      'month not a real month ("Smarch")': ['Smarch', true, 'boundary'],
      'month not a real month ("13")': ['13', true, 'boundary'],
    });
    // The description chooses the entry where the name cannot.
    expect(labelled(STRING, 'd', { description: 'ascending or descending' })).toMatchObject({
      'd not a real sort order ("sideways")': ['sideways', true, 'boundary'],
    });
  });

  it('marks a near miss invalid only where the enum, pattern or format refuses it', () => {
    const months = ['January', 'February', 'March'];
    expect(labelled({ type: 'string', enum: months }, 'month')).toMatchObject({
      'month not a real month ("Smarch")': ['Smarch', false, 'boundary'],
    });
    expect(labelled({ type: 'string', pattern: '^[A-Z][a-z]+$' }, 'month')).toMatchObject({
      'month not a real month ("Smarch")': ['Smarch', true, 'boundary'],
      'month not a real month ("13")': ['13', false, 'boundary'],
    });
    expect(labelled({ type: 'string', format: 'date' }, 'since')).toMatchObject({
      'since not a real date ("2026-13-01")': ['2026-13-01', false, 'boundary'],
    });
  });

  it('adds nothing for a name it does not know', () => {
    expect(
      Object.keys(labelled(STRING, 'flibbertigibbet')).some((l) => /another form|not a real/.test(l)),
    ).toBe(false);
  });
});

describe('hostile names, texts and patterns', () => {
  it('knows no entry for the names of inherited properties, and makes their values as before', () => {
    for (const name of [
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '__defineGetter__',
      'prototype',
    ]) {
      expect(matchDictionary({ name })).toBeUndefined();
      expect(exampleFor(STRING, { name })).toMatch(/^[a-z-]+-\d{4}$/);
      expect(edgeValuesFor(STRING, name).length).toBeGreaterThan(3);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads only the head of a huge description or name', () => {
    const huge = 'lorem ipsum '.repeat(500_000);
    expect(topicOf('x', { description: `${huge} ascending` })).toBeUndefined();
    expect(topicOf('x', { description: `ascending ${huge}` })).toBe('sort order');
    expect(topicOf(`${'a'.repeat(1_000_000)}Month`)).toBeUndefined();
    expect(quotedWords(`${'`'.repeat(2_000_000)}`)).toEqual([]);
  });

  it('matches patterns that would backtrack in linear time, and ignores patterns it cannot compile', () => {
    const evil = ['^(a+)+$', '^(a|aa)*b$', '^(\\w+\\s?)*$'];
    for (const pattern of evil) {
      const value = exampleFor({ type: 'string', pattern }, { name: 'op' });
      expect(typeof value).toBe('string');
      expect(matchDictionary({ name: 'x', patterns: [pattern] })?.entry.topic ?? 'none').toEqual(
        expect.any(String),
      );
    }
    expect(matchDictionary({ name: 'op', patterns: ['('] })).toBeUndefined();
    expect(matchDictionary({ name: 'op', patterns: ['(?<=a)b\\1'] })).toBeUndefined();
  });
});

describe('harvested values', () => {
  it('takes the words a description quotes or introduces', () => {
    const words = quotedWords(
      "Sort order: `asc` or `desc`; the unit is \"celsius\" or 'kelvin', e.g. km. Don't stop, it's fine.",
    );
    expect(words).toEqual(expect.arrayContaining(['asc', 'desc', 'celsius', 'kelvin', 'km']));
    expect(words).not.toContain('t stop, it');
    expect(quotedWords(undefined)).toEqual([]);
    expect(quotedWords('`a` '.repeat(100)).length).toBeLessThanOrEqual(HARVEST_LIMITS.valuesPerName);
  });

  it('gathers examples, defaults, enums and quoted words of a name from anywhere in the description', async () => {
    const file = path.join(dir, 'harvest.yaml');
    await writeFile(
      file,
      [
        'openapi: 3.1.0',
        "info: { title: Harvest, version: '1' }",
        'paths:',
        '  /reports:',
        '    get:',
        '      parameters:',
        '        - { name: order, in: query, required: true, schema: { type: string, enum: [newest, oldest] } }',
        "      responses: { '200': { description: ok } }",
        '  /archive:',
        '    get:',
        '      parameters:',
        '        - { name: order, in: query, required: true, schema: { type: string } }',
        '        - name: finish',
        '          in: query',
        '          examples: { shiny: { value: satin }, plain: { summary: no value } }',
        '          schema: { type: string }',
        '        - name: scale',
        '          in: query',
        '          required: true',
        '          description: "The scale: `celsius` or `kelvin`."',
        '          schema: { type: string }',
        "      responses: { '200': { description: ok } }",
        '  /notes:',
        '    post:',
        '      requestBody:',
        '        content:',
        '          application/json:',
        '            schema:',
        '              type: object',
        '              properties:',
        '                mood: { type: string, default: cheerful }',
        '                finish:',
        '                  type: string',
        '                  examples: [glossy, matte]',
        '                __proto__: { type: string, example: polluted }',
        '                constructor: { type: string, example: built }',
        "      responses: { '201': { description: ok } }",
      ].join('\n'),
    );
    const description = await loadApiDescription(file);
    const known = harvestDescription(description);
    expect(knownValuesFor(known, 'order')).toEqual(['newest', 'oldest']);
    expect(knownValuesFor(known, 'scale')).toEqual(['celsius', 'kelvin']);
    expect(knownValuesFor(known, 'Mood')).toEqual(['cheerful']);
    expect(knownValuesFor(known, 'constructor')).toEqual(['built']);
    expect(knownValuesFor(known, 'toString')).toEqual([]);
    expect(knownValuesFor(known, 'finish')).toEqual(['satin', 'glossy', 'matte']);
    // A description read without its document (made in code) offers its parameters' values.
    const bare = harvestDescription({
      ...description,
      operations: [
        {
          ...description.operations[0]!,
          parameters: [
            { name: 'unit', in: 'query', required: true, schema: { enum: ['km'] }, example: 'mi' },
          ],
        },
      ],
    });
    expect(knownValuesFor(bare, 'unit')).toEqual(['mi', 'km']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // The journeys made from it send the description's own words where the schema offers none.
    const steps = journeysFromDescription(description).flatMap((j) => j.userCase.steps);
    const archive = steps.find((s) => s.api === 'GET /archive')!;
    expect(archive.query).toEqual({
      order: expect.stringMatching(/^(newest|oldest)$/),
      scale: expect.stringMatching(/^(celsius|kelvin)$/),
    });
  });

  it('collects values by field name from responses, within limits, for a later round to send', () => {
    const deep: Record<string, unknown> = {};
    let node = deep;
    for (let i = 0; i < 5000; i++) node = node.next = {} as Record<string, unknown>;
    const harvest = valuesFromResponses([
      {
        items: [
          { id: 7, status: 'sold' },
          { id: 8, status: 'sold' },
        ],
      },
      '{"status":"available","long":"' + 'x'.repeat(500) + '"}',
      'not json',
      deep,
      { many: Array.from({ length: 100 }, (_, i) => `v${i}`) },
      { constructor: 'c', __proto__: 'p', ok: true },
    ]);
    expect(harvest.valuesFor('status')).toEqual(['sold', 'available']);
    expect(harvest.valuesFor('id')).toEqual([7, 8]);
    expect(harvest.valuesFor('long')).toEqual([]);
    expect(harvest.valuesFor('many')).toHaveLength(HARVEST_LIMITS.valuesPerName);
    expect(harvest.valuesFor('constructor')).toEqual(['c']);
    expect(harvest.valuesFor('ok')).toEqual([true]);
    // A later value of the field takes what the service answered.
    expect(['sold', 'available']).toContain(exampleFor(STRING, { name: 'status', known: harvest.known }));
    expect(exampleFor({ type: 'string', maxLength: 4 }, { name: 'status', known: harvest.known })).toBe(
      'sold',
    );
    // Merged harvests keep the first one's values first.
    const merged = mergeKnownValues(valuesFromResponses([{ status: 'new' }]).known, harvest.known);
    expect(knownValuesFor(merged, 'status')).toEqual(['new', 'sold', 'available']);
  });
});

describe('dictionary entries an LLM proposes', () => {
  const openai = useOpenAiServer();
  const endpoint = () =>
    openAiEndpoint({
      model: 'gpt-4.1-mini',
      baseURL: openai().url,
      apiKey: openai().apiKey,
      timeoutMs: 60_000,
    }).endpoint;
  const GLAZE = {
    name: 'glaze',
    topic: 'pottery glaze',
    valid: ['celadon', 'tenmoku'],
    invalid: ['plastic'],
  };

  it('asks only about names the table does not know, and uses the answer where the table has nothing', async () => {
    expect(unknownNames([{ name: 'op' }, { name: 'glaze' }, { name: 'Glaze' }, { name: '' }])).toEqual([
      { name: 'glaze' },
    ]);
    openai().reply({ entries: [GLAZE] });
    const store = new FileStore(path.join(dir, 'store-asks'));
    const first = await proposeDictionaryEntries([{ name: 'glaze' }, { name: 'op' }], {
      endpoint: endpoint(),
      store,
    });
    expect(first).toMatchObject({ cached: false, dropped: 0, usage: { requests: 1 } });
    expect(first.entries).toEqual([
      { topic: 'pottery glaze', names: ['glaze'], valid: ['celadon', 'tenmoku'], invalid: ['plastic'] },
    ]);
    const prompt = JSON.stringify(openai().requests[0]!.chat);
    expect(prompt).toContain('glaze');
    expect(prompt).not.toContain('"name":"op"');
    expect(['celadon', 'tenmoku']).toContain(exampleFor(STRING, { name: 'glaze', proposed: first.entries }));
    expect(
      edgeValuesFor(STRING, 'glaze', { proposed: first.entries }).find((e) => e.value === 'plastic'),
    ).toMatchObject({ label: 'glaze not a real pottery glaze ("plastic")', valid: true });

    // Journeys made from a description take them too.
    const file = path.join(dir, 'pottery.yaml');
    await writeFile(
      file,
      [
        'openapi: 3.0.3',
        "info: { title: Pottery, version: '1' }",
        'paths:',
        '  /pots:',
        '    get:',
        '      parameters: [{ name: glaze, in: query, required: true, schema: { type: string } }]',
        "      responses: { '200': { description: ok } }",
      ].join('\n'),
    );
    const [journey] = journeysFromDescription(await loadApiDescription(file), { proposed: first.entries });
    expect(journey!.userCase.steps[0]!.query).toEqual({
      glaze: expect.stringMatching(/^(celadon|tenmoku)$/),
    });

    // Cached like every generation: the second run asks nothing and gets the same entries.
    const second = await proposeDictionaryEntries([{ name: 'glaze' }], { endpoint: endpoint(), store });
    expect(second).toMatchObject({ cached: true, usage: { requests: 0 }, entries: first.entries });
    expect(openai().requests).toHaveLength(1);
  });

  it('never lets a proposal replace the table, and reads hostile replies within bounds', async () => {
    const month = { name: 'month', topic: 'month', valid: ['Smarch'], invalid: ['January'] };
    // A proposal for a name the table knows is not used even when passed in.
    expect(
      matchDictionary({ name: 'month' }, undefined, [{ ...month, names: ['month'] }])?.valid,
    ).not.toContain('Smarch');
    const asked = [{ name: 'glaze' }, { name: '__proto__x' }];
    const hostile = {
      entries: [
        month,
        { name: 'constructor', topic: 'x', valid: ['y'], invalid: [] },
        { name: 'glaze', topic: 'glaze', valid: ['ok\u0000bad'], invalid: [] },
        {
          name: 'glaze',
          topic: 'glaze',
          valid: Array.from({ length: 500 }, (_, i) => `g${i}`),
          invalid: ['g1'],
        },
        { name: 'glaze', topic: 'again', valid: ['second'], invalid: [] },
        { name: '__proto__x', topic: 'proto', valid: ['p'], __proto__: { polluted: true } },
        'not an entry',
      ],
    };
    const accepted = acceptProposedEntries(JSON.stringify(hostile), asked);
    expect(accepted.entries.map((e) => e.topic)).toEqual(['glaze', 'proto']);
    expect(accepted.entries[0]!.valid).toHaveLength(ENTRY_LIMITS.formsPerList - 1);
    expect(accepted.entries[0]!.valid).not.toContain('g1');
    expect(accepted.dropped).toBe(5);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const raw = '{"entries":[{"name":"glaze","topic":"t","valid":["v"],"__proto__":{"polluted":true}}]}';
    expect(acceptProposedEntries(raw, asked).entries).toEqual([
      { topic: 't', names: ['glaze'], valid: ['v'], invalid: [] },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const onlyInvalid = { entries: [{ name: 'glaze', topic: 't', valid: ['x'], invalid: ['x'] }] };
    expect(acceptProposedEntries(JSON.stringify(onlyInvalid), asked)).toMatchObject({
      entries: [],
      dropped: 1,
    });
    expect(acceptProposedEntries('not json', asked)).toMatchObject({ entries: [], dropped: 1 });
    expect(acceptProposedEntries('{"entries": 3}', asked)).toMatchObject({ entries: [], dropped: 1 });
    expect(acceptProposedEntries(' '.repeat(ENTRY_LIMITS.replyBytes + 1), asked)).toMatchObject({
      dropped: 1,
    });

    // Through the model: a reply that cannot be read adds nothing, and is not a failure of the run.
    openai().reply('this is not JSON at all');
    const proposal = await proposeDictionaryEntries([{ name: 'kiln' }], { endpoint: endpoint() });
    expect(proposal).toMatchObject({ entries: [], dropped: 1 });
  });
});

/** A calculator and a unit converter whose code only does something for real words; `broken` crashes in it. */
function calculator(broken: boolean) {
  const reached = new Set<string>();
  const OPS: Record<string, (a: number, b: number) => number | boolean> = {
    add: (a, b) => a + b,
    sub: (a, b) => a - b,
    mul: (a, b) => a * b,
    div: (a, b) => a / b,
    mod: (a, b) => a % b,
    pow: (a, b) => a ** b,
    eq: (a, b) => a === b,
    ne: (a, b) => a !== b,
    lt: (a, b) => a < b,
    le: (a, b) => a <= b,
    gt: (a, b) => a > b,
    ge: (a, b) => a >= b,
  };
  const METRES: Record<string, number> = { m: 1, km: 1000, mi: 1609.344, ft: 0.3048 };
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const integer = (name: string) => {
      const text = url.searchParams.get(name) ?? '';
      const value = Number(text);
      return /^-?\d+$/.test(text) && Math.abs(value) <= 1000 ? value : undefined;
    };
    if (request.method !== 'GET') return answer(405, { error: 'GET only' });
    if (url.pathname === '/calc') {
      const [op, a, b] = [url.searchParams.get('op') ?? '', integer('a'), integer('b')];
      if (a === undefined || b === undefined) return answer(400, { error: 'a and b are integers' });
      if (!Object.hasOwn(OPS, op)) return answer(400, { error: 'unknown operator' });
      reached.add(op);
      if (broken) throw new Error(`the ${op} code path crashes`);
      const result = OPS[op]!(a, b);
      if (typeof result === 'number' && !Number.isFinite(result))
        return answer(400, { error: 'no finite result' });
      return answer(200, { result: typeof result === 'boolean' ? Number(result) : result });
    }
    if (url.pathname === '/convert') {
      const [unit, value] = [url.searchParams.get('unit') ?? '', integer('value')];
      if (value === undefined) return answer(400, { error: 'value is an integer' });
      if (!Object.hasOwn(METRES, unit)) return answer(400, { error: 'unknown unit' });
      reached.add(`unit:${unit}`);
      if (broken) throw new Error('the conversion code crashes');
      return answer(200, { metres: value * METRES[unit]! });
    }
    answer(404, { error: 'not found' });
  };
  // A crash answers 500, as a framework's default error handler would.
  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: String(error) }));
    }
  });
  return { server, reached };
}

const CALCULATOR = `openapi: 3.0.3
info: { title: Calculator, version: '1' }
paths:
  /calc:
    get:
      operationId: calculate
      parameters:
        - { name: op, in: query, required: true, schema: { type: string } }
        - { name: a, in: query, required: true, schema: { type: integer, minimum: -1000, maximum: 1000 } }
        - { name: b, in: query, required: true, schema: { type: integer, minimum: -1000, maximum: 1000 } }
      responses:
        '200':
          description: the result
          content:
            application/json:
              schema: { type: object, required: [result], properties: { result: { type: number } } }
        '400': { description: an unknown operator or a bad number }
  /convert:
    get:
      operationId: convert
      parameters:
        - name: unit
          in: query
          required: true
          description: 'The unit of the value: \`m\`, \`km\`, \`mi\` or \`ft\`.'
          schema: { type: string }
        - { name: value, in: query, required: true, schema: { type: integer, minimum: -1000, maximum: 1000 } }
      responses:
        '200':
          description: the value in metres
          content:
            application/json:
              schema: { type: object, required: [metres], properties: { metres: { type: number } } }
        '400': { description: an unknown unit or a bad number }
`;

describe('against a calculator whose code only runs for real words', () => {
  const correct = calculator(false);
  const correctUrl = useLoopbackServer(correct.server);
  const broken = calculator(true);
  const brokenUrl = useLoopbackServer(broken.server);

  const run = async (target: URL, name: string) => {
    const description = path.join(dir, 'calculator.yaml');
    const config = path.join(dir, 'gauntlet.yml');
    await writeFile(description, CALCULATOR);
    await writeFile(config, 'identities: {}\n');
    const out = path.join(dir, name);
    const result = await cli(
      'run',
      ...['--rules-only', '--no-cases', '--openapi', description, '--config', config],
      ...['--target', target.href, '--out', out, '--concurrency', '1'],
    );
    const summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
    return { ...result, summary };
  };

  it('reaches the code behind real words, and finds nothing wrong with a correct service', async () => {
    const { code, stdout, summary } = await run(correctUrl(), 'correct');
    const failed = summary.results.filter((r) => r.status !== 'passed');
    expect(failed.map((r) => `${r.title}: ${r.error ?? JSON.stringify(r.failures)}`)).toEqual([]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No problems found/);
    // An operator from the dictionary (the name "op") and a unit the description quotes (`km`…) reached the code.
    expect([...correct.reached].some((r) => !r.startsWith('unit:'))).toBe(true);
    expect([...correct.reached].some((r) => r.startsWith('unit:'))).toBe(true);
  }, 300_000);

  it('catches a crash that only real words reach', async () => {
    const { code, summary } = await run(brokenUrl(), 'broken');
    expect(code).toBe(1);
    const crashed = summary.results.filter((r) => r.status === 'failed');
    expect(crashed.length).toBeGreaterThan(0);
    expect(broken.reached.size).toBeGreaterThan(0);
  }, 300_000);
});
