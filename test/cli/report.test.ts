// Findings against the base branch, through the CLI: runs of one journey file against the sample target with
// different faults switched on stand for the base branch and for pull requests that add, keep or fix a fault.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { convert } from 'xmlbuilder2';
import { RunSummary } from '../../src/cases/index.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import { cli, cliWith } from '../support/cli.ts';

const CASES = 'user-cases/aidawg-beginner.yml';
// F10: a second sign-up with the same address is accepted. F5: a body that is not JSON gets a stack trace.
let base: RunningAidawg;
let both: RunningAidawg;
let fixed: RunningAidawg;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-report-'));
  [base, both, fixed] = await Promise.all([
    startAidawg({ faults: ['F10'] }),
    startAidawg({ faults: ['F10', 'F5'] }),
    startAidawg({ faults: ['F5'] }),
  ]);
});
afterAll(async () => {
  await Promise.all([base.close(), both.close(), fixed.close(), rm(dir, { recursive: true, force: true })]);
});

async function run(target: RunningAidawg, name: string, ...extra: string[]) {
  const out = path.join(dir, name);
  const { code, stdout, stderr } = await cli(
    'run',
    '--target',
    target.url,
    '--cases',
    CASES,
    '--retries',
    '0',
    '--out',
    out,
    ...extra,
  );
  return {
    code,
    stdout,
    stderr,
    results: path.join(out, 'results.json'),
    summary: RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8'))),
    report: await readFile(path.join(out, 'report.md'), 'utf8'),
  };
}

describe('a run compared with the base branch', () => {
  let baseRun: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    baseRun = await run(base, 'base');
  });

  it('fails on the base branch itself, where nothing is compared', () => {
    expect(baseRun.code).toBe(1);
    expect(baseRun.stdout).toMatch(/^\d+ problems? found: .* \d+ findings?\.\n/);
    expect(baseRun.report).toContain('| Expected status 409, got 201 |');
  });

  it('labels a finding the change adds new, and one the base has too still failing; new ones decide', async () => {
    const head = await run(both, 'head', '--base', baseRun.results);
    expect(head.code).toBe(1);
    expect(head.stdout).toMatch(/ \d+ findings, \d+ new\.\n/);
    const table = head.report.slice(head.report.indexOf('## Key findings'), head.report.indexOf('## Risk'));
    const rows = table.split('\n').filter((line) => line.startsWith('| F-'));
    const stateOf = (text: string) => rows.find((row) => row.includes(text))?.split(' | ')[2];
    expect(stateOf('Expected status 409, got 201')).toBe('also on base');
    expect(stateOf('leaks a stack trace')).toBe('new');
    expect(head.report).toMatch(/, \d+ of them new in this change\./);
    // The leak on every operation that reads JSON is one root cause: one row naming them, one recommendation.
    const leaks = rows.filter((row) => row.includes('leaks a stack trace'));
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatch(/ \| \d+ operations: `(POST|PATCH|PUT) \/api\/[^`]+`, /);
    const recommended = head.report.slice(
      head.report.indexOf('## Recommendations'),
      head.report.indexOf('## What needs attention'),
    );
    expect(recommended.split('\n').filter((line) => line.includes('stack trace'))).toHaveLength(1);
    expect(recommended).toMatch(/^1\. Fix a leaked stack trace on \d+ operations: /m);

    // The same findings as the base: the change adds none, so it passes although tests fail.
    const same = await run(base, 'same', '--base', baseRun.results);
    expect(same.summary.totals.failed).toBeGreaterThan(0);
    expect(same.code).toBe(0);
    expect(same.report).toContain('none of them new: the base branch fails the same way');
  });

  it('says which findings of the base are fixed', async () => {
    const head = await run(fixed, 'fixed', '--base', baseRun.results);
    expect(head.report).toMatch(
      /## Fixed since the base branch\n\n- F-[0-9a-f]{8}: Expected status 409, got 201/,
    );
    // The one fixed above at least: on a busy machine a run under --retries 0 may hold one more (a case with no
    // answer in time), which the other run does not.
    expect(head.report).toMatch(/\b(?:1 problem|\d+ problems) of the base branch (?:is|are) fixed here\./);
    // `report` gives the same from the two files.
    const again = await cli('report', '--from', head.results, '--base', baseRun.results, '--format', 'md');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('## Fixed since the base branch');
  });
});

describe('the base branch from the run store', () => {
  it("keeps each branch's latest results, and compares a pull request with its base branch's", async () => {
    await run(base, 'on-main', '--branch', 'main');
    const head = await run(both, 'on-feature', '--branch', 'feature', '--base-branch', 'main');
    const table = head.report.slice(head.report.indexOf('## Key findings'), head.report.indexOf('## Risk'));
    expect(table).toMatch(/\| also on base \| Expected status 409, got 201 \|/);
    expect(table).toMatch(/\| new \| .*leaks a stack trace/);
    // With no results of the base branch, nothing is compared, and the run says why.
    const alone = await run(both, 'no-base', '--base-branch', 'release');
    expect(alone.stderr).toContain(
      'The store holds no results of the branch release; findings are not compared with it.',
    );
    expect(alone.report).not.toContain('also on base');
  });
});

describe('shards', () => {
  it("compare with the base once merged, and the merge is kept as the branch's latest", async () => {
    const baseRun = await run(base, 'shards-base');
    const shards = await Promise.all(
      ['1/2', '2/2'].map((shard, i) => run(both, `shard-${i + 1}`, '--shard', shard, '--branch', 'sharded')),
    );
    const out = path.join(dir, 'merged');
    const merged = await cli(
      'merge',
      ...shards.map((s) => s.results),
      '--base',
      baseRun.results,
      '--branch',
      'merged',
      '--out',
      out,
    );
    const report = await readFile(path.join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/\| also on base \| Expected status 409, got 201 \|/);
    expect(report).toMatch(/\| new \| .*leaks a stack trace/);
    expect(merged.code).toBe(1);
    // A shard keeps nothing; the merge is the branch's latest.
    const later = await run(both, 'after-merge', '--base-branch', 'merged');
    expect(later.code).toBe(0);
    expect(later.report).toContain('none of them new: the base branch fails the same way');
    const none = await run(both, 'after-shards', '--base-branch', 'sharded');
    expect(none.stderr).toContain('The store holds no results of the branch sharded');
  });
});

describe('a run store that fails', () => {
  it('costs the trend and the base, never the reports or the verdict', async () => {
    // The store's folder would have to be inside a file: every read and write fails.
    const blocked = path.join(dir, 'a-file');
    await writeFile(blocked, '');
    const out = path.join(dir, 'no-store');
    const result = await cliWith(
      { GAUNTLET_STORE_DIR: path.join(blocked, 'store') },
      'run',
      '--target',
      base.url,
      '--cases',
      CASES,
      '--retries',
      '0',
      '--branch',
      'main',
      '--base-branch',
      'main',
      '--out',
      out,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The run store failed \(.*\); the report goes on without it\./);
    expect(await readFile(path.join(out, 'report.md'), 'utf8')).toContain('| Expected status 409, got 201 |');
  });
});

describe('gauntlet report', () => {
  it('renders a results file in each format, to standard output or a file', async () => {
    const { results } = await run(both, 'formats');
    const junit = await cli('report', '--from', results, '--format', 'junit');
    expect(junit.code).toBe(0);
    const parsed = convert(junit.stdout, { format: 'object' }) as { testsuites: { '@tests': string } };
    expect(Number(parsed.testsuites['@tests'])).toBeGreaterThan(10);
    const out = path.join(dir, 'written', 'report.md');
    const md = await cli('report', '--from', results, '--out', out);
    expect(md.code).toBe(0);
    expect(md.stderr).toBe(`Wrote ${out}\n`);
    expect(await readFile(out, 'utf8')).toMatch(/^# Gauntlet report\n/);
    const json = await cli('report', '--from', results, '--format', 'json');
    expect(RunSummary.parse(JSON.parse(json.stdout)).results.length).toBeGreaterThan(10);
    // Every finding, as the run wrote them into results.json.
    const emitted = RunSummary.parse(JSON.parse(json.stdout)).findings!;
    expect(emitted.length).toBeGreaterThan(0);
    expect(emitted).toEqual(RunSummary.parse(JSON.parse(await readFile(results, 'utf8'))).findings);
    // The stack trace F5 shows is a security finding: code scanning gets it, on the line of the user case.
    const sarif = JSON.parse((await cli('report', '--from', results, '--format', 'sarif')).stdout) as {
      version: string;
      runs: {
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const alerts = sarif.runs[0]!.results;
    expect(alerts.some((a) => a.ruleId === 'no_stack_trace')).toBe(true);
    expect(new Set(alerts.map((a) => a.locations[0]!.physicalLocation.artifactLocation.uri))).toEqual(
      new Set([CASES]),
    );
    const page = await cli('report', '--from', results, '--format', 'html');
    expect(page.stdout).toMatch(/^<!doctype html>/i);
  });

  it('refuses an unknown format and a file that is not results, saying what is wrong', async () => {
    const { results } = await run(base, 'for-errors');
    const unknown = await cli('report', '--from', results, '--format', 'pdf');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^gauntlet: unknown format "pdf"; the formats are: md, json, html, junit, sarif\n/,
    );
    const notResults = await cli('report', '--from', 'package.json');
    expect(notResults.code).toBe(2);
    expect(notResults.stderr).toMatch(
      /^gauntlet: package\.json is not a Gauntlet results file: \d+ problems\n/,
    );
    expect(notResults.stderr).toMatch(/^package\.json:2:3: name: unknown key "name"$/m);

    // Every problem of a damaged results file, where it is; a file that is not JSON, where it stops being JSON.
    const summary = JSON.parse(await readFile(results, 'utf8')) as { results: { status: string }[] };
    summary.results[1]!.status = 'green';
    const damaged = path.join(dir, 'damaged.json');
    await writeFile(damaged, JSON.stringify(summary, null, 2));
    const wrong = await cli('report', '--from', damaged);
    expect(wrong.code).toBe(2);
    const line = (await readFile(damaged, 'utf8')).split('\n').findIndex((l) => l.includes('"green"')) + 1;
    expect(wrong.stderr).toContain(`${damaged}:${line}:17: results[1].status: `);
    await writeFile(damaged, '{\n  "tool": "gauntlet",\n  "results": [\n}\n');
    const broken = await cli('report', '--from', damaged);
    expect([broken.code, broken.stderr]).toEqual([
      2,
      `gauntlet: ${damaged} is not JSON: 1 problem\n${damaged}:4:1: Unexpected token '}'\n`,
    ]);
  });

  it('answers any damaged results file with a usage error, never a crash', async () => {
    const file = path.join(dir, 'random.json');
    const { results } = await run(base, 'for-damage');
    const good = await readFile(results, 'utf8');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          // A real results file cut anywhere, or with a character changed.
          fc.nat({ max: good.length - 1 }).map((at) => good.slice(0, at)),
          fc
            .tuple(fc.nat({ max: good.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }))
            .map(([at, c]) => good.slice(0, at) + c + good.slice(at + 1)),
        ),
        async (text) => {
          await writeFile(file, text);
          const { code, stderr } = await cli('report', '--from', file, '--format', 'json');
          if (code === 0) return;
          expect(code).toBe(2);
          expect(stderr).toMatch(
            new RegExp(
              `^gauntlet: ${file} is not (JSON|a Gauntlet results file): \\d+ problems?\n${file}:\\d+:\\d+: `,
            ),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
