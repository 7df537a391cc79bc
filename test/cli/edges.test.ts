// The rough edges a new user meets: a run with nothing to run, files in the cases folder that are not user cases,
// errors that would quote megabytes, the size limits of user-case files, and the help of every command.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunSummary, TestCase } from '../../src/cases/index.ts';
import { nothingToRun } from '../../src/cli/no-cases.ts';
import { capLine, MAX_ERROR_LINE } from '../../src/cli/usage-error.ts';
import { inShard } from '../../src/run/shard.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import { apiCase } from '../support/cases.ts';
import { cli } from '../support/cli.ts';

let dir: string;
let target: RunningAidawg;
/** A configuration of the tests' own: the project's gauntlet.yml does not reach them. */
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-edges-'));
  target = await startAidawg();
  config = path.join(dir, 'gauntlet.yml');
  await writeFile(config, 'retries: 0\n');
});
afterAll(async () => {
  await Promise.all([target.close(), rm(dir, { recursive: true, force: true })]);
});

async function folder(name: string, files: Record<string, string | Buffer> = {}): Promise<string> {
  const at = path.join(dir, name);
  await mkdir(at, { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(path.join(at, file), content);
  return at;
}

const HEALTH_JOURNEY = 'role: R\njourney: Health\nsteps:\n  - step: Check\n    api: GET /api/health\n';

async function results(out: string): Promise<RunSummary> {
  return RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
}

describe('a run with no test case to run', () => {
  it('fails with the folder and what was searched for, and passes with --pass-with-no-tests', async () => {
    const empty = await folder('empty', { 'notes.txt': 'not a user case' });
    const out = path.join(dir, 'empty-out');
    const args = ['--cases', empty, '--config', config, '--target', target.url, '--out', out, '--rules-only'];

    const refused = await cli('run', ...args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `gauntlet: no user-case files in ${empty} (searched for *.yml and *.yaml files, in subfolders too)`,
    );
    expect(refused.stderr).toContain('--pass-with-no-tests');

    const accepted = await cli('run', ...args, '--pass-with-no-tests');
    expect(accepted.code).toBe(0);
    expect(accepted.stderr).toContain(`No test cases to run: no user-case files in ${empty}`);
    expect((await results(out)).results).toEqual([]);

    const explored = await cli('explore', ...args);
    expect(explored.code).toBe(2);
    expect(explored.stderr).toContain(`no user-case files in ${empty}`);
    expect((await cli('explore', ...args, '--pass-with-no-tests')).code).toBe(0);
  });

  it('names the folder when validate finds no user-case file', async () => {
    const empty = await folder('empty-validate');
    const { code, stderr } = await cli('validate', '--cases', empty, '--config', config);
    expect(code).toBe(2);
    expect(stderr).toContain(`no user-case files in ${empty} (searched for *.yml and *.yaml`);
    expect(stderr).not.toContain('(cases)');
  });

  it('fails when an OpenAPI description alone gives nothing to test', async () => {
    const description = path.join(await folder('no-operations'), 'openapi.yaml');
    await writeFile(description, "openapi: 3.0.3\ninfo: { title: Empty, version: '1' }\npaths: {}\n");
    const args = ['--no-cases', '--openapi', description, '--config', config, '--target', target.url];
    const refused = await cli('run', ...args, '--out', path.join(dir, 'no-operations-out'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `gauntlet: no test cases to run: the OpenAPI description ${description} has no operation to test`,
    );
  });

  it('passes an empty shard of a suite that has cases: the other shards run them', async () => {
    const cases = await folder('small-suite', { 'health.yml': HEALTH_JOURNEY });
    const generatedFile = path.join(dir, 'small-suite.json');
    await cli('generate', '--cases', cases, '--config', config, '--rules-only', '--out', generatedFile);
    const generated = TestCase.array().parse(JSON.parse(await readFile(generatedFile, 'utf8')));
    const total = generated.length + 1;
    const index = Array.from({ length: total }, (_, i) => i + 1).find((i) =>
      generated.every((c) => !inShard(c, { index: i, total })),
    )!;
    const out = path.join(dir, 'empty-shard-out');
    const { code, stderr } = await cli(
      'run',
      ...['--cases', cases, '--config', config, '--target', target.url, '--out', out, '--rules-only'],
      ...['--shard', `${index}/${total}`],
    );
    expect(code).toBe(0);
    expect(stderr).toContain(
      `No test cases to run: shard ${index} of ${total} got none of the ${generated.length} cases to run`,
    );
    expect((await results(out)).results).toEqual([]);
  });

  it('says why when every case is marked skip, and what to do', () => {
    const skipped = [
      apiCase([], 'upload a 2 GB file', { skip: 'the target has no storage' }),
      apiCase([], 'another', { skip: 'not here' }),
    ];
    const prepared = { cases: skipped, journeys: 1, untested: [], userCasesAt: 'user-cases' };
    expect(nothingToRun(prepared, skipped)).toEqual({
      reason: 'all 2 test cases are marked skip (the first, "upload a 2 GB file": the target has no storage)',
      advice: 'remove skip from the cases that can run against this target',
    });
    const runnable = [...skipped, apiCase([], 'runs')];
    expect(nothingToRun({ ...prepared, cases: runnable }, runnable)).toBeUndefined();
    expect(nothingToRun({ ...prepared, cases: [], untested: [] }, [])).toMatchObject({
      reason: 'the 1 journeys give no test case',
    });
  });
});

describe('files in a cases folder that are not user cases', () => {
  it('says a picture renamed .yml is not a text file, once, without printing its bytes', async () => {
    const png = Buffer.concat([
      Buffer.from('\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 'latin1'),
      Buffer.alloc(100_000, 'garbage: [ "\u0007 '),
    ]);
    const cases = await folder('picture', { 'logo.yml': png, 'health.yml': HEALTH_JOURNEY });
    const { code, stderr } = await cli('validate', '--cases', cases, '--config', config);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'gauntlet: the user cases are not valid: 1 problem\n' +
        `${cases}/logo.yml: not a text file (it holds NUL bytes); user cases are YAML text in UTF-8\n`,
    );
  });

  it('says a file that is not UTF-8 is not a text file', async () => {
    const cases = await folder('latin1', {
      'cafe.yml': Buffer.from('role: R\njourney: Caf\xe9\n', 'latin1'),
    });
    const { code, stderr } = await cli('validate', '--cases', cases, '--config', config);
    expect(code).toBe(2);
    expect(stderr).toContain(`${cases}/cafe.yml: not a text file (it is not valid UTF-8)`);
  });

  it('refuses a named pipe called .yml without waiting on it, and reads a folder called .yml as a folder', async () => {
    const cases = await folder('pipe', { 'health.yml': HEALTH_JOURNEY });
    execFileSync('mkfifo', [path.join(cases, 'pipe.yml')]);
    await folder('pipe/more.yml', { 'health.yml': HEALTH_JOURNEY.replace('Health', 'Health again') });
    const { code, stderr } = await cli('validate', '--cases', cases, '--config', config);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'gauntlet: the user cases are not valid: 1 problem\n' +
        `${cases}/pipe.yml: ${await realpath(cases)}/pipe.yml is a named pipe, not a regular file\n`,
    );
    await rm(path.join(cases, 'pipe.yml'));
    const valid = await cli('validate', '--cases', cases, '--config', config);
    expect(valid.stdout).toMatch(/^2 journeys give \d+ test cases/);
  });

  it('says which file cannot be read, such as a link to nowhere', async () => {
    const cases = await folder('dangling', { 'health.yml': HEALTH_JOURNEY });
    await symlink(path.join(dir, 'nowhere.yml'), path.join(cases, 'gone.yml'));
    const { code, stderr } = await cli('validate', '--cases', cases, '--config', config);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      new RegExp(`^gauntlet: cannot read the user cases in ${cases}/gone\\.yml: ENOENT`),
    );
  });

  it('cuts an error that quotes a 1 MB line of a minified file', async () => {
    const cases = await folder('minified', { 'min.yml': `"a"\n"b"\n${'x'.repeat(1_000_000)}\n` });
    const { code, stderr } = await cli('validate', '--cases', cases, '--config', config);
    expect(code).toBe(2);
    expect(stderr).toContain(`${cases}/min.yml:3:1: Unexpected scalar token in YAML stream: "xxx`);
    expect(stderr).toMatch(/… \(\d+ more characters\)\n/);
    for (const line of stderr.split('\n')) expect(line.length).toBeLessThanOrEqual(MAX_ERROR_LINE + 40);
  });

  it('never cuts a line in the middle of a character', () => {
    const line = `${'x'.repeat(MAX_ERROR_LINE - 1)}😀${'y'.repeat(10)}`;
    expect(capLine(line)).toBe(`${'x'.repeat(MAX_ERROR_LINE - 1)}… (12 more characters)`);
    expect(capLine('short')).toBe('short');
  });
});

describe('the size limits of user-case files', () => {
  it('refuses a file over 5 MB by default, naming it, its size, the limit and the way out', async () => {
    const cases = await folder('large', {
      'big.yml': `${HEALTH_JOURNEY}${'# a comment line of the journey\n'.repeat(160_000)}`,
    });
    const { code, stderr } = await cli('validate', '--cases', cases, '--config', config);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'gauntlet: the user cases are not valid: 1 problem\n' +
        `${cases}/big.yml: 5.1 MB (5,120,072 bytes), more than limits.maxUserCaseFileBytes (5 MB) allows; ` +
        'split its journeys into several files, or raise limits.maxUserCaseFileBytes in gauntlet.yml\n',
    );
  });

  it('refuses a huge file before reading it', async () => {
    const cases = await folder('huge');
    // A sparse file: 3 GB by its size, nothing on the disk; reading it whole would take a string Node cannot hold.
    await writeFile(path.join(cases, 'huge.yml'), '');
    await truncate(path.join(cases, 'huge.yml'), 3_000_000_000);
    const { code, stderr } = await cli('validate', '--cases', cases, '--config', config);
    expect(code).toBe(2);
    expect(stderr).toContain(`${cases}/huge.yml: 3 GB, more than limits.maxUserCaseFileBytes`);
  });

  it('takes the limits from gauntlet.yml, for a file and for all of them', async () => {
    const limited = path.join(dir, 'limited.yml');
    await writeFile(limited, 'limits: { maxUserCaseFileBytes: 2000, maxUserCasesBytes: 4000 }\n');
    const padded = `${HEALTH_JOURNEY}${'#'.repeat(1500)}\n`;
    const oneTooLarge = await folder('one-too-large', { 'a.yml': `${padded}${'#'.repeat(1000)}\n` });
    const file = await cli('validate', '--cases', oneTooLarge, '--config', limited);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('more than limits.maxUserCaseFileBytes (2 kB) allows');

    const many = await folder('many', { 'a.yml': padded, 'b.yml': padded, 'c.yml': padded });
    const all = await cli('validate', '--cases', many, '--config', limited);
    expect(all.code).toBe(2);
    expect(all.stderr).toContain(
      `gauntlet: the user cases in ${many} are 4.7 kB (4,719 bytes) in 3 files, more than limits.maxUserCasesBytes (4 kB) allows\n` +
        'run a part of them (--cases <a file or subfolder>), or raise limits.maxUserCasesBytes in gauntlet.yml\n',
    );
    expect((await cli('validate', '--cases', many, '--config', config)).code).toBe(0);
  });
});

describe('the help of every command', () => {
  /** Each option of a command's help with its whole description, the wrapped lines joined. */
  async function optionsOf(command: string): Promise<Map<string, string>> {
    const { code, stdout } = await cli(command, '--help');
    expect(code).toBe(0);
    const options = new Map<string, string>();
    let current: string | undefined;
    for (const line of stdout.split('\n')) {
      const start = /^ {2}(-\S+(?: <[^>]+>)?)\s+(.*)$/.exec(line);
      if (start) {
        current = start[1]!;
        options.set(current, start[2]!);
      } else if (current !== undefined && /^ {4,}\S/.test(line)) {
        options.set(current, `${options.get(current)} ${line.trim()}`);
      } else {
        current = undefined;
      }
    }
    return options;
  }

  it('marks --target required and shows the defaults and ranges of run', async () => {
    const run = await optionsOf('run');
    expect(run.get('--target <url>')).toBe('base URL of the service under test (required)');
    expect(run.get('--concurrency <n>')).toBe(
      'test cases in flight at once, 1–64 (default: concurrency of the configuration, else twice the CPU count)',
    );
    expect(run.get('--timeout <ms>')).toContain(
      '1–600000 (default: timeoutMs of the configuration, else 10000)',
    );
    expect(run.get('--retries <n>')).toContain('0–10 (default: retries of the configuration, else 2)');
    expect(run.get('--pass-with-no-tests')).toContain('instead of failing with the reason (exit 2)');
  });

  it.each(['validate', 'generate', 'run', 'explore', 'export', 'merge', 'report'])(
    'shows, for every option of %s that takes a value, its default or that it is required',
    async (command) => {
      const options = await optionsOf(command);
      const withValue = [...options].filter(([flags]) => flags.includes('<'));
      expect(withValue.length).toBeGreaterThan(0);
      for (const [flags, description] of withValue) {
        expect(`${flags}: ${description}`).toMatch(/\((required|default: [^)]+)\)$/);
      }
      // A number's help says which numbers it takes.
      for (const [flags, description] of withValue.filter(([f]) => /<(n|ms|s)>/.test(f))) {
        expect(`${flags}: ${description}`).toMatch(/\d–\d/);
      }
    },
  );
});
