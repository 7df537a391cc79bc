// A create whose key the client chooses sends a key of its own in every case, so that cases run at once never
// read, change or delete each other's resource; a key the suffix would make invalid keeps its value.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { journeysFromDescription, loadApiDescription } from '../../src/generate/openapi/index.ts';

const describedWith = (name: string) => `openapi: 3.0.3
info: { title: Kennel, version: '1' }
paths:
  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties: { name: ${name}, age: { type: integer } }
      responses:
        '201':
          description: made
          content: { application/json: { schema: { type: object, properties: { name: { type: string } } } } }
  /pets/{petName}:
    get:
      parameters: [{ name: petName, in: path, required: true, schema: { type: string } }]
      responses: { '200': { description: the pet } }
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-unique-keys-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function createdName(schema: string): Promise<unknown> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, describedWith(schema));
  const [journey] = journeysFromDescription(await loadApiDescription(file), { seed: 1 });
  const create = journey!.userCase.steps.find((s) => s.api === 'POST /pets')!;
  expect(create.capture).toEqual({ petName: 'body.name' });
  return (create.example as { name: unknown }).name;
}

describe('the key of a created resource', () => {
  it.each([
    ['free text', '{ type: string }'],
    ['a pattern the suffix keeps', "{ type: string, pattern: '^[a-zA-Z0-9- ]+$' }"],
    ['room for the suffix', '{ type: string, maxLength: 40 }'],
  ])('is unique to each case for %s', async (_, schema) => {
    expect(await createdName(schema)).toMatch(/^[^{}]+-\{\{\$uid\}\}$/);
  });

  it('is unique in its local part when it is an e-mail address, which a sign-in in the same case repeats', async () => {
    expect(await createdName('{ type: string, format: email }')).toMatch(/^[^{}@]+-\{\{\$uid\}\}@[^{}@]+$/);
    expect(String(await createdName('{ type: string, format: email, maxLength: 16 }'))).not.toContain(
      '{{$uid}}',
    );
  });

  it.each([
    ['an enum', '{ type: string, enum: [rex, fido] }'],
    ['a format', '{ type: string, format: date }'],
    ['a pattern the suffix breaks', "{ type: string, pattern: '^[a-z]+$' }"],
    ['no room for the suffix', '{ type: string, maxLength: 12 }'],
    ['a number', '{ type: integer }'],
  ])('keeps its value for %s', async (_, schema) => {
    expect(String(await createdName(schema))).not.toContain('{{$uid}}');
  });
});
