// Generation through the CLI: the regression suite (`generate --save`, read back on every run) and an OpenAPI
// description without any user case, run against the sample target with the operations it exercised reported.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunSummary, TestCase } from '../../src/cases/index.ts';
import { cli } from '../support/cli.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import { startThirdPartyService } from '../support/third-party/index.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';

let dir: string;
let target: RunningAidawg;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-generation-'));
  target = await startAidawg();
});
afterAll(async () => {
  await Promise.all([target.close(), rm(dir, { recursive: true, force: true })]);
});

describe('the regression suite', () => {
  it('saves generated cases a file per journey, and runs them first on later generations without duplicates', async () => {
    const suite = path.join(dir, 'suite');
    const saved = await cli(
      'generate',
      '--cases',
      'user-cases/aidawg-beginner.yml',
      '--out',
      path.join(dir, 'first.json'),
      '--save',
      suite,
      '--all',
    );
    expect(saved.code).toBe(0);
    const count = Number(/^Wrote (\d+) test cases/.exec(saved.stdout)?.[1]);
    expect(saved.stdout).toContain(`Saved ${count} regression cases in 1 files under ${suite}`);
    expect(await readdir(suite)).toEqual(['onboarding-first-song.json']);

    const config = path.join(dir, 'with-suite.yml');
    await writeFile(config, `${await readFile('gauntlet.yml', 'utf8')}\nregression: ${suite}\n`);
    // The committed cases come first; a title changed in review stays changed.
    const file = path.join(suite, 'onboarding-first-song.json');
    const content = JSON.parse(await readFile(file, 'utf8')) as { cases: TestCase[] };
    content.cases[5]!.title = 'Reviewed: the sign-up page opens';
    await writeFile(file, JSON.stringify(content));
    const again = await cli(
      'generate',
      '--cases',
      'user-cases/aidawg-beginner.yml',
      '--config',
      config,
      '--out',
      path.join(dir, 'second.json'),
    );
    expect(again.code).toBe(0);
    const second = TestCase.array().parse(JSON.parse(await readFile(path.join(dir, 'second.json'), 'utf8')));
    expect(second).toHaveLength(count);
    expect(second[5]!.title).toBe('Reviewed: the sign-up page opens');
    expect(second.map((c) => c.id)).toEqual(content.cases.map((c) => c.id));
  });

  it('by default saves only cases the rules cannot make again', async () => {
    const out = path.join(dir, 'only-new');
    const saved = await cli('generate', '--cases', 'user-cases/aidawg-beginner.yml', '--save', out);
    expect(saved.stdout).toContain(`Saved 0 regression cases in 0 files under ${out}`);
  });

  it('reports a damaged regression file with its line and column, and generates nothing', async () => {
    const suite = path.join(dir, 'damaged');
    await cli('generate', '--cases', 'user-cases/aidawg-beginner.yml', '--save', suite, '--all');
    const file = path.join(suite, 'onboarding-first-song.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"kind": "api"', '"kind": "soap"'));
    const config = path.join(dir, 'damaged.yml');
    await writeFile(config, `regression: ${suite}\n`);
    const result = await cli('validate', '--cases', 'user-cases/aidawg-beginner.yml', '--config', config);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^gauntlet: the regression cases are not valid: .*\\n${file.replaceAll('.', '\\.')}:\\d+:\\d+: `,
      ),
    );
  });
});

describe('an OpenAPI description without user cases', () => {
  it('needs a description when told there are no user cases', async () => {
    const config = path.join(dir, 'bare.yml');
    await writeFile(config, 'retries: 0\n');
    const result = await cli('validate', '--no-cases', '--config', config);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('gauntlet: --no-cases needs an OpenAPI description (--openapi or openapi)\n');
  });

  it('generates for every operation it describes, runs, and reports which operations ran', async () => {
    const out = path.join(dir, 'openapi-run');
    const config = path.join(dir, 'openapi.yml');
    await writeFile(config, 'retries: 0\n');
    const { code, stdout } = await cli(
      'run',
      '--target',
      target.url,
      '--no-cases',
      '--openapi',
      'examples/aidawg/openapi.yaml',
      '--config',
      config,
      '--out',
      out,
    );
    expect(stdout).toMatch(/^(No problems found|\d+ problems? found): \d+ passed/);
    expect([0, 1]).toContain(code);
    const summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
    const operations = summary.operations!.operations;
    expect(summary.operations!.source).toBe('examples/aidawg/openapi.yaml');
    expect(operations.length).toBeGreaterThan(40);
    const exercised = operations.filter((o) => o.cases > 0);
    expect(exercised.length).toBeGreaterThan(30);
    expect(
      operations.find((o) => o.method === 'POST' && o.path === '/api/auth/signup')!.passed,
    ).toBeGreaterThan(0);
    expect(summary.results.every((r) => r.origin.file === 'examples/aidawg/openapi.yaml')).toBe(true);
    const report = await readFile(path.join(out, 'report.md'), 'utf8');
    expect(report).toContain(
      `${exercised.length} of ${operations.length} operations in \`examples/aidawg/openapi.yaml\``,
    );
    expect(report).toMatch(/\| `POST \/api\/auth\/signup` \(\w+\) \| \d+ \| \d+ \| \d+ \|/);
    expect(report).toContain('## How these tests were made');
  });
});

describe('the description of a service no one on the team wrote', () => {
  it('gives rules cases that run against it, and the report shows every operation they exercised', async () => {
    // A Swagger 2.0 Petstore served by swagger-express-middleware, its description read from the service itself.
    const service = await startThirdPartyService();
    try {
      const out = path.join(dir, 'third-party');
      const config = path.join(dir, 'third-party.yml');
      await writeFile(config, 'retries: 0\n');
      const source = `${service.url}/api-docs/PetStore.yaml`;
      // One case at a time: "Delete pets" deletes every pet.
      const { code, stdout } = await cli(
        'run',
        '--target',
        service.url,
        '--no-cases',
        '--openapi',
        source,
        '--config',
        config,
        '--out',
        out,
        '--concurrency',
        '1',
      );
      expect(stdout).toMatch(/^(No problems found|\d+ problems? found): \d+ passed/);
      expect([0, 1]).toContain(code);
      const summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
      expect(summary.results.length).toBeGreaterThan(100);
      // Every case ran to a verdict: none was cut short by an error of Gauntlet's or of the set-up.
      expect(
        summary.results.filter((r) => r.status === 'error').map((r) => `${r.title}: ${r.error}`),
      ).toEqual([]);
      expect(summary.totals.passed).toBeGreaterThan(summary.results.length / 2);
      const operations = summary.operations!.operations;
      expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(
        [
          'DELETE /pets',
          'DELETE /pets/{petName}',
          'DELETE /pets/{petName}/photos/{id}',
          'GET /',
          'GET /pets',
          'GET /pets/{petName}',
          'GET /pets/{petName}/photos',
          'GET /pets/{petName}/photos/{id}',
          'PATCH /pets/{petName}',
          'POST /pets',
          'POST /pets/{petName}/photos',
        ].sort(),
      );
      expect(operations.filter((o) => o.passed === 0)).toEqual([]);
      const report = await readFile(path.join(out, 'report.md'), 'utf8');
      expect(report).toContain(`11 of 11 operations in \`${source}\` were exercised.`);
      expect(report).toMatch(/\| `POST \/pets` \(addPet\) \| \d+ \| \d+ \| \d+ \|/);
    } finally {
      await service.close();
    }
  });
});
