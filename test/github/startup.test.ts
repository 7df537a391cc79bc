// The local GitHub reads GitHub's 13 MB description once per module registry, from a compact cache that keeps
// everything validation reads.
import { describe, expect, it } from '@jest/globals';
import { compactDescription } from '../support/github/description.ts';
import { startGitHubEmulator } from '../support/github/index.ts';

describe('starting', () => {
  // How long it takes is measured by `npm run bench:github`, not asserted here.
  it('a second emulator reuses the loaded description, on a port of its own', async () => {
    const first = await startGitHubEmulator();
    const second = await startGitHubEmulator();
    try {
      expect(second.timings.descriptionMs).toBe(first.timings.descriptionMs);
      expect(second.url).not.toBe(first.url);
      expect((await fetch(`${second.url}/repos/acme/none`)).status).toBe(404);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe('the compact description', () => {
  it('drops prose and examples but keeps properties whatever their name', () => {
    const compact = compactDescription({
      paths: {
        '/things': {
          post: {
            operationId: 'things/create',
            summary: 'Create a thing',
            description: 'Long prose',
            externalDocs: { description: 'Docs', url: 'https://docs.github.com/rest/things' },
            'x-github': { category: 'things' },
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    description: 'A thing',
                    properties: { description: { type: 'string', example: 'x' }, title: { type: 'string' } },
                    required: ['description'],
                  },
                  examples: { default: { value: {} } },
                },
              },
            },
            responses: { '201': { description: 'Created' } },
          },
        },
      },
      components: { examples: { big: {} }, schemas: { summary: { type: 'string', title: 'Summary' } } },
    });
    expect(compact).toEqual({
      paths: {
        '/things': {
          post: {
            operationId: 'things/create',
            externalDocs: { url: 'https://docs.github.com/rest/things' },
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { description: { type: 'string' }, title: { type: 'string' } },
                    required: ['description'],
                  },
                },
              },
            },
            responses: { '201': {} },
          },
        },
      },
      components: { schemas: { summary: { type: 'string' } } },
    });
  });

  it('rewrites what ajv reads differently from OpenAPI: nullable without type, nullable enums, parameter oneOf', () => {
    expect(compactDescription({ nullable: true, oneOf: [{ type: 'string' }] })).toEqual({
      oneOf: [{ type: 'string' }, { type: 'null' }],
    });
    expect(compactDescription({ nullable: true, allOf: [{ type: 'object' }] })).toEqual({
      anyOf: [{ allOf: [{ type: 'object' }] }, { type: 'null' }],
    });
    expect(compactDescription({ type: 'string', nullable: true, enum: ['a', 'b'] })).toEqual({
      type: 'string',
      nullable: true,
      enum: ['a', 'b', null],
    });
    expect(compactDescription({ nullable: true })).toEqual({});
    expect(
      compactDescription({
        name: 'workflow_id',
        in: 'path',
        schema: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
      }),
    ).toEqual({
      name: 'workflow_id',
      in: 'path',
      schema: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
    });
  });
});
