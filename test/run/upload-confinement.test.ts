// Files to upload are named by test cases, which a pull request or an LLM may write: only regular, non-hidden files
// of the repository are ever sent. Against a real server that records every byte it receives.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { ApiTestCase } from '../../src/cases/index.ts';
import { runTestCases } from '../../src/run/index.ts';
import { originOf } from '../support/cases.ts';

const SECRET = 'upload-secret-7f3a9c';
let base: URL;
let inside: string;
let outside: string;
let received = '';

const server = createServer((req, res) => {
  req.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{}'));
});

beforeAll(async () => {
  await mkdir('reports', { recursive: true });
  [inside, outside] = await Promise.all([
    mkdtemp(path.join('reports', 'uploads-')),
    mkdtemp(path.join(tmpdir(), 'gauntlet-outside-')),
  ]);
  await mkdir(path.join(inside, '.hidden'));
  await mkdir(path.join(inside, '.git'));
  await Promise.all([
    writeFile(path.join(inside, 'ok.txt'), 'allowed content'),
    writeFile(path.join(inside, '.env'), SECRET),
    writeFile(path.join(inside, '.hidden', 'k.txt'), SECRET),
    writeFile(
      path.join(inside, '.git', 'config'),
      `[http]\n  extraheader = AUTHORIZATION: basic ${SECRET}\n`,
    ),
    writeFile(path.join(outside, 'secret.txt'), SECRET),
  ]);
  await symlink(path.join(outside, 'secret.txt'), path.join(inside, 'link.txt'));
  await symlink(outside, path.join(inside, 'dir-link'));
  execFileSync('mkfifo', [path.join(inside, 'pipe')]);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.all([
    rm(inside, { recursive: true, force: true }),
    rm(outside, { recursive: true, force: true }),
  ]);
});

const uploading = (file: string, id = 'tc_0000000000c1'): ApiTestCase => ({
  id,
  title: 'upload',
  kind: 'api',
  priority: 'medium',
  tags: [],
  origin: originOf('upload'),
  steps: [
    {
      name: 'upload',
      request: { method: 'POST', path: '/up', files: { f: { path: file } } },
      expect: { status: 201 },
    },
  ],
});

const run = async (file: string) => {
  const [result] = await runTestCases([uploading(file)], {
    target: base,
    concurrency: 1,
    timeoutMs: 5000,
    retries: 0,
  });
  return result!;
};

describe('files to upload', () => {
  it('sends a regular file of the repository', async () => {
    const result = await run(path.join(inside, 'ok.txt'));
    expect(result.status).toBe('passed');
    expect(received).toContain('allowed content');
  });

  it.each([
    ['a file outside the repository', () => path.join(outside, 'secret.txt'), /is outside the repository/],
    ['the process environment', () => '/proc/self/environ', /is outside the repository/],
    [
      'a symbolic link out of the repository',
      () => path.join(inside, 'link.txt'),
      /really .*secret\.txt\) is outside/,
    ],
    [
      'a file through a linked folder',
      () => path.join(inside, 'dir-link', 'secret.txt'),
      /is outside the repository/,
    ],
    ['a hidden file', () => path.join(inside, '.env'), /hidden file or folder \(\.env\)/],
    [
      'a file in a hidden folder',
      () => path.join(inside, '.hidden', 'k.txt'),
      /hidden file or folder \(\.hidden\)/,
    ],
    ['a git configuration', () => path.join(inside, '.git', 'config'), /hidden file or folder \(\.git\)/],
    [
      'a named pipe, without waiting on it',
      () => path.join(inside, 'pipe'),
      /is a named pipe, not a regular file/,
    ],
    ['a folder', () => inside, /is a folder, not a regular file/],
  ])('refuses %s and sends nothing', async (_what, file, reason) => {
    received = '';
    const result = await run(file());
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/^cannot read the file to upload, /);
    expect(result.error).toMatch(reason);
    expect(received).toBe('');
  });

  it('never sends a file from outside, whatever way the path is written', async () => {
    const relativeOut = path.relative(process.cwd(), path.join(outside, 'secret.txt'));
    const spelling = fc.constantFrom(
      relativeOut,
      `./${relativeOut}`,
      path.join(inside, '..', '..', relativeOut),
      path.join(outside, '.', 'secret.txt'),
      `${outside}//secret.txt`,
      path.join(inside, 'dir-link', '..', 'dir-link', 'secret.txt'),
    );
    await fc.assert(
      fc.asyncProperty(spelling, async (file) => {
        received = '';
        const result = await run(file);
        expect(result.status).toBe('error');
        expect(received).not.toContain(SECRET);
      }),
      { numRuns: 30 },
    );
  });
});
