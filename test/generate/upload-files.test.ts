// What a file field is sent: a real file of the kind the description asks for, read back by real readers (the
// sample target's own WAV reader, the PNG and PDF structure), chosen by declared media type first, then by words.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { readWav } from '../../examples/aidawg/audio.ts';
import type { FileUpload } from '../../src/cases/index.ts';
import { loadApiDescription } from '../../src/generate/openapi/index.ts';
import { journeysFromDescription } from '../../src/generate/openapi/journeys.ts';
import { uploadFor } from '../../src/generate/openapi/values/files.ts';

const bytesOf = (file: FileUpload) =>
  file.base64 !== undefined ? Buffer.from(file.base64, 'base64') : Buffer.from(file.text ?? '', 'latin1');

describe('the file a file field is sent', () => {
  it('is a PCM WAV file the sample target can read, where audio is asked for', () => {
    const file = uploadFor('sample', { type: 'string', format: 'binary', contentMediaType: 'audio/wav' });
    expect(file).toMatchObject({ name: 'sample.wav', contentType: 'audio/wav' });
    expect(readWav(bytesOf(file))).toEqual({
      channels: 1,
      sampleRate: 8000,
      bitsPerSample: 16,
      seconds: 0.25,
    });
  });

  it('is a PNG with its signature and header chunk, where a picture is asked for', () => {
    const bytes = bytesOf(uploadFor('avatar', { type: 'string', format: 'binary' }));
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1, 1]);
  });

  it('is a PDF whose cross-reference table points at each of its objects', () => {
    const file = uploadFor('invoice', { description: 'The invoice, as a PDF.' });
    expect(file).toMatchObject({ name: 'invoice.pdf', contentType: 'application/pdf' });
    const text = bytesOf(file).toString('latin1');
    expect(text.startsWith('%PDF-1.')).toBe(true);
    const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
    expect(text.slice(xref, xref + 4)).toBe('xref');
    const offsets = [...text.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(3);
    offsets.forEach((at, i) => expect(text.slice(at).startsWith(`${i + 1} 0 obj`)).toBe(true));
  });

  it.each<[string, unknown, string | undefined, Partial<FileUpload>]>([
    // The declared type wins over the words.
    [
      'avatar',
      { contentMediaType: 'audio/wav' },
      undefined,
      { name: 'avatar.wav', contentType: 'audio/wav' },
    ],
    ['sample', {}, 'image/png, image/jpeg', { name: 'sample.png', contentType: 'image/png' }],
    // A range is sent as the kind's own type.
    ['upload', {}, 'image/*', { name: 'upload.png', contentType: 'image/png' }],
    ['clip', {}, 'audio/*', { name: 'clip.wav', contentType: 'audio/wav' }],
    ['table', {}, 'text/csv', { text: 'name,value\nexample,1\n', contentType: 'text/csv' }],
    ['settings', {}, 'application/json', { name: 'settings.json', contentType: 'application/json' }],
    // Any bytes at all: the words choose.
    ['recording', {}, 'application/octet-stream', { name: 'recording.wav', contentType: 'audio/wav' }],
    ['photo', { contentMediaType: '*/*' }, undefined, { name: 'photo.png', contentType: 'image/png' }],
    ['data', { description: 'A CSV export.' }, undefined, { name: 'data.csv', contentType: 'text/csv' }],
    // A type no kind knows is sent as declared, never as a file of another type.
    ['avatar', {}, 'video/mp4', { name: 'avatar.txt', contentType: 'video/mp4' }],
    ['attachment', {}, undefined, { name: 'attachment.txt', contentType: 'text/plain' }],
    // Words are whole words: an invoice holds no voice.
    ['invoice', {}, undefined, { name: 'invoice.txt', contentType: 'text/plain' }],
    ['notes', 'not a schema', undefined, { name: 'notes.txt', contentType: 'text/plain' }],
  ])('for %s (%j, encoding %s): %j', (name, schema, encoding, expected) => {
    expect(uploadFor(name, schema, encoding)).toMatchObject(expected);
  });

  it("sends what an OpenAPI 3.0 multipart body's encoding declares, and the sample target's upload a WAV", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-upload-'));
    const file = path.join(dir, 'openapi.yaml');
    await writeFile(
      file,
      stringify({
        openapi: '3.0.3',
        info: { title: 'Scans', version: '1' },
        paths: {
          '/scans': {
            post: {
              operationId: 'uploadScan',
              requestBody: {
                content: {
                  'multipart/form-data': {
                    schema: {
                      type: 'object',
                      required: ['scan'],
                      properties: { scan: { type: 'string', format: 'binary' }, note: { type: 'string' } },
                    },
                    encoding: { scan: { contentType: 'application/pdf' } },
                  },
                },
              },
              responses: { '201': { description: 'Kept.' } },
            },
          },
        },
      }),
    );
    const [scans] = journeysFromDescription(await loadApiDescription(file));
    expect(scans!.userCase.steps[0]!.files).toEqual({
      scan: expect.objectContaining({ name: 'scan.pdf', contentType: 'application/pdf' }),
    });
    const aidawg = journeysFromDescription(await loadApiDescription('examples/aidawg/openapi.yaml'), {
      auth: 'user',
    });
    const upload = aidawg.flatMap((j) => j.userCase.steps).find((s) => s.operationId === 'uploadSample')!;
    expect(readWav(bytesOf(upload.files!.sample!))).toMatchObject({ channels: 1, bitsPerSample: 16 });
  });
});
