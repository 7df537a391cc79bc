// The `gauntlet` command as a user runs it: in-process for most tests, once as a real process for the wiring.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TestCase } from '../../src/cases/index.ts';
import { cli } from '../support/cli.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A loopback port nothing listens on: one that was just free. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function casesFolder(name: string, files: Record<string, string>): Promise<string> {
  const folder = path.join(dir, name);
  await mkdir(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(folder, file), text);
  return folder;
}

describe('gauntlet with bad input', () => {
  it('prints every problem of the user cases as file:line:col and exits 2', async () => {
    const folder = await casesFolder('bad', {
      'a.yml': 'role: R\njourney: J\nsteps:\n  - step: S\n    api: FETCH /x\n',
      'b.yaml': 'role: R\njourney: [\n',
      'schema.json': '{}',
    });
    const { code, stderr } = await cli('validate', '--cases', folder, '--config', 'gauntlet.yml');
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('gauntlet: the user cases are not valid: 2 problems');
    expect(lines[1]).toBe(
      `${folder}/a.yml:5:10: steps[0].api: expected "METHOD /path", for example "POST /api/projects"`,
    );
    expect(lines[2]).toMatch(new RegExp(`^${folder}/b\\.yaml:\\d+:\\d+: `));
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reports user cases that cannot become tests, with their position', async () => {
    const folder = await casesFolder('ungenerable', {
      'a.yml': 'role: R\njourney: J\nsteps:\n  - step: S\n    api: GET /p/{id}\n',
    });
    const { code, stderr } = await cli('validate', '--cases', folder);
    expect(code).toBe(2);
    expect(stderr).toContain(`${folder}/a.yml:4:5: S: {{id}} is used but no earlier step of "J" captures it`);
  });

  it('reports a check name that does not exist', async () => {
    const folder = await casesFolder('checks', {
      'a.yml': 'role: R\njourney: J\nsteps:\n  - step: S\n    api: GET /x\n    skipChecks: [no_such_check]\n',
    });
    const { code, stderr } = await cli('validate', '--cases', folder);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `${folder}/a.yml:4:5: skipChecks: no built-in check is named "no_such_check" (known: `,
    );
  });

  it('reports a bad configuration and a missing one that was named', async () => {
    const config = path.join(dir, 'bad-config.yml');
    await writeFile(config, 'timeoutMs: fast\n');
    const bad = await cli('validate', '--config', config);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `${config}:1:12: timeoutMs: Invalid input: expected number, received string`,
    );
    const missing = await cli('validate', '--config', path.join(dir, 'nope.yml'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the configuration .*nope\.yml/);
  });

  it('reports an OpenAPI description that cannot be read before running anything, where gauntlet.yml names it', async () => {
    const config = path.join(dir, 'openapi-config.yml');
    await writeFile(config, 'openapi: test/fixtures/openapi/missing.yaml\n');
    const folder = await casesFolder('openapi', {
      'a.yml': 'role: R\njourney: J\nsteps:\n  - step: S\n    api: GET /x\n',
    });
    const { code, stderr } = await cli(
      'run',
      '--cases',
      folder,
      '--config',
      config,
      '--target',
      'http://127.0.0.1:9/',
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      `gauntlet: ${config}:1:10: openapi: test/fixtures/openapi/missing.yaml: cannot be read: ENOENT`,
    );
    // Named on the command line, it has no place in a file.
    const named = await cli('validate', '--cases', folder, '--openapi', 'test/fixtures/openapi/missing.yaml');
    expect(named.stderr).toMatch(
      /^gauntlet: openapi: test\/fixtures\/openapi\/missing\.yaml: cannot be read/,
    );
  });

  it('reports a missing user-case folder', async () => {
    const { code, stderr } = await cli('validate', '--cases', path.join(dir, 'absent'));
    expect(code).toBe(2);
    expect(stderr).toContain('does not exist');
  });

  it('refuses a target that is not a URL, or not reachable', async () => {
    const notUrl = await cli('run', '--target', 'localhost:4100');
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('expected an http:// or https:// URL');
    const port = await closedPort();
    const unreachable = await cli('run', '--target', `http://127.0.0.1:${port}/`);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain(
      `cannot reach the target at http://127.0.0.1:${port}/ (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}); is it running?`,
    );
  });

  it('refuses bad numbers and unknown commands', async () => {
    expect((await cli('run', '--target', 'http://127.0.0.1:9', '--concurrency', '0')).stderr).toContain(
      'expected a whole number from 1 to 64',
    );
    expect((await cli('explode')).code).toBe(2);
  });
});

describe('gauntlet validate and generate', () => {
  it("counts what the project's user cases give", async () => {
    const { code, stdout } = await cli('validate');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^10 journeys give \d+ test cases; \d+ titles have no test data yet\.\n$/);
  });

  it('writes the generated test cases as JSON that follows the schema', async () => {
    const out = path.join(dir, 'cases.json');
    const { code, stdout } = await cli('generate', '--out', out);
    expect(code).toBe(0);
    const cases = JSON.parse(await readFile(out, 'utf8')) as unknown[];
    expect(stdout).toBe(`Wrote ${cases.length} test cases to ${out}\n`);
    for (const testCase of cases) expect(TestCase.safeParse(testCase).success).toBe(true);
  });

  it('exports every load case as a k6 script', async () => {
    const out = path.join(dir, 'k6');
    const { code, stdout } = await cli('export', 'k6', '--out', out);
    expect(code).toBe(0);
    const [, count, folder] = /^Wrote (\d+) k6 scripts? to (\S+);/.exec(stdout)!;
    expect(folder).toBe(out);
    const scripts = await readdir(out);
    expect(scripts).toHaveLength(Number(count));
    expect(scripts.length).toBeGreaterThan(0);
    const script = await readFile(path.join(out, scripts[0]!), 'utf8');
    expect(script).toContain("import http from 'k6/http';");
    expect(script).toContain('"http_req_duration{gauntlet:load}"');
  });

  it('refuses an unknown export format, and a load case k6 cannot express, with its position', async () => {
    expect(await cli('export', 'jmeter')).toMatchObject({
      code: 2,
      stderr: 'gauntlet: cannot export to "jmeter"; the formats are: k6\n',
    });
    const folder = await casesFolder('upload-load', {
      'up.yml':
        'role: R\njourney: J\nsteps:\n  - step: S\n    api: POST /up\n    cases:\n' +
        '      - title: Uploads under load\n        files: { f: { path: a.wav } }\n' +
        '        load: { vus: 2, requests: 10 }\n',
    });
    const { code, stderr } = await cli('export', 'k6', '--cases', folder, '--out', path.join(dir, 'k6-up'));
    expect(code).toBe(2);
    expect(stderr).toMatch(
      new RegExp(
        `^gauntlet: ${folder}/up\\.yml:7:9: Uploads under load: .*a k6 script cannot read .*a\\.wav`,
      ),
    );
  });

  it('answers --help and --version with exit code 0', async () => {
    expect(await cli('--help')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('Usage: gauntlet'),
    });
    expect(await cli('--version')).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });
});

describe('the installed command', () => {
  it("runs as a process and exits with the CLI's code", async () => {
    const run = promisify(execFile);
    const bin = path.resolve('bin/gauntlet.js');
    const { stdout } = await run(process.execPath, [bin, '--version']);
    expect(stdout).toBe('0.1.0\n');
    await expect(
      run(process.execPath, [bin, 'validate', '--cases', path.join(dir, 'absent')]),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('does not exist'),
    });
  });
});
