// Every finding in results.json and `report --format json`, for tools that act on findings (an action, an app),
// and every finding in report.html: the Markdown report cuts findings to fit a comment, these two never do.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunSummary, type RunResult } from '../../src/cases/index.ts';
import { readSummary, writeReports } from '../../src/cli/reports.ts';
import { renderHtml, reportOf, RENDERERS } from '../../src/report/index.ts';
import { Redactor } from '../../src/run/index.ts';
import { cli } from '../support/cli.ts';
import { result, summaryOf } from '../support/results.ts';

const target = 'http://127.0.0.1:4100';
const STACK = 'the response leaks a stack trace (internal file paths and line numbers)';

/** A wrong status on an operation of its own: one finding each. */
const wrong = (i: number): RunResult =>
  result(`Create item ${i} with an empty name`, 'failed', {
    message: 'expected status 400, got 201',
    url: `${target}/api/items-${i}`,
    status: 201,
  });

/** The same leaked stack trace on three operations: three findings, one root cause. */
const leak = (name: string): RunResult =>
  result(`${name}: refuses a body that is not valid JSON`, 'failed', {
    check: 'no_stack_trace',
    message: STACK,
    url: `${target}/api/${name}`,
    status: 400,
  });

const LEAKS = ['beats', 'alerts', 'comments'].map(leak);
/** 63 findings, as on the web shop of issue 21: more than the HTML report's first table shows. */
const MANY = [...LEAKS, ...Array.from({ length: 60 }, (_, i) => wrong(i))];

const jsonOf = (summary: RunSummary, base?: RunSummary): RunSummary =>
  RunSummary.parse(
    JSON.parse(RENDERERS.find((r) => r.name === 'json')!.render(reportOf(summary, base ? { base } : {}))),
  );

async function written(summary: RunSummary, name: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-findings-'));
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, RENDERERS.find((r) => r.name === 'json')!.render(reportOf(summary)));
  return file;
}

describe('results.json', () => {
  it('holds every finding with its id, risk, signature, operations, count and smallest reproduction', () => {
    const summary = summaryOf(MANY);
    const { findings } = jsonOf(summary);
    expect(findings).toHaveLength(63);
    expect(findings!.map((f) => f.id)).toEqual(reportOf(summary).analysis.findings.map((f) => f.id));
    const leaked = findings!.filter((f) => f.check === 'no_stack_trace');
    expect(leaked).toHaveLength(3);
    // One root cause: each of its findings names it and every operation it fails on.
    expect(new Set(leaked.map((f) => f.rootCause))).toEqual(new Set([leaked[0]!.id]));
    expect([...leaked[0]!.operations].sort()).toEqual([
      'POST /api/alerts',
      'POST /api/beats',
      'POST /api/comments',
    ]);
    expect(leaked[0]).toMatchObject({
      risk: 'medium',
      harm: 'exposure',
      kind: 'security',
      label: 'stack trace',
      words: 'a leaked stack trace',
      status: 400,
      message: STACK,
      count: 1,
      journeys: ['Make a song'],
    });
    expect(leaked[0]!.signature).toMatch(/^no_stack_trace \| POST \/api\/(beats|alerts|comments) \| 400 \| /);
    const one = findings!.find((f) => f.operation === 'POST /api/items-7')!;
    expect(one).toMatchObject({
      id: expect.stringMatching(/^F-[0-9a-f]{8}$/),
      check: 'status',
      operations: ['POST /api/items-7'],
      rootCause: one.id,
      caseIds: [wrong(7).caseId],
      reproduction: {
        caseId: wrong(7).caseId,
        title: 'Create item 7 with an empty name',
        file: 'user-cases/music.yml',
        line: 10,
        column: 5,
        location: 'user-cases/music.yml:10:5',
        curl: 'curl -X POST http://127.0.0.1:4100/api/projects # Create item 7 with an empty name',
      },
    });
    // No base run: "new" would say nothing, so there is no state.
    expect(findings!.every((f) => f.state === undefined)).toBe(true);
  });

  it('says against a base run which findings are new, which the base has too, and which are fixed', () => {
    const fixedHere = { ...wrong(1), status: 'passed' as const, failures: [], evidence: [] };
    const base = summaryOf([wrong(0), wrong(1)]);
    const { findings } = jsonOf(summaryOf([wrong(0), fixedHere, wrong(2)]), base);
    expect(findings!.map((f) => [f.operation, f.state, f.count])).toEqual([
      ['POST /api/items-2', 'new', 1],
      ['POST /api/items-0', 'still-failing', 1],
      ['POST /api/items-1', 'fixed', 0],
    ]);
  });

  it('is written without the secrets the run saw, in findings as everywhere else', async () => {
    const secret = 'sk-live-4242424242424242';
    const echoed = result('Sign in echoes the token', 'failed', {
      check: 'body',
      message: `the body contains "${secret}", which it must not`,
      url: `${target}/api/session`,
      status: 200,
    });
    const failing: RunResult = {
      ...echoed,
      reproduction: { curl: `curl -H 'Authorization: Bearer ${secret}' ${target}/api/session` },
    };
    const redactor = new Redactor();
    redactor.remember(secret);
    const out = await mkdtemp(path.join(tmpdir(), 'gauntlet-findings-'));
    const io = { stdout: { write: () => {} }, stderr: { write: () => {} }, redactor };
    expect(await writeReports(summaryOf([failing]), out, io)).toBe(1);
    const text = await readFile(path.join(out, 'results.json'), 'utf8');
    expect(text).not.toContain(secret);
    const [finding] = RunSummary.parse(JSON.parse(text)).findings!;
    expect(finding!.message).toBe('the body contains "[redacted]", which it must not');
    expect(finding!.reproduction.curl).toBe(`curl -H 'Authorization: [redacted]' ${target}/api/session`);
    expect(finding!.signature).not.toContain(secret);
  });

  it('reads back, with or without findings, the findings recomputed from the results', async () => {
    const summary = summaryOf(MANY);
    const withFindings = await readSummary(await written(summary, 'new'));
    expect(withFindings.findings).toBeUndefined();
    expect(withFindings).toEqual(summary);
    // A file of an older Gauntlet, before results.json held findings.
    const older = path.join(path.dirname(await written(summary, 'x')), 'older.json');
    await writeFile(older, JSON.stringify(summary));
    expect(await readSummary(older)).toEqual(summary);
  });
});

describe('gauntlet report --format json, merge and --base on files that hold findings', () => {
  it('emits the findings results.json holds', async () => {
    const file = await written(summaryOf(MANY), 'run');
    const emitted = await cli('report', '--from', file, '--format', 'json');
    expect(emitted.code).toBe(0);
    const fromFile = RunSummary.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(RunSummary.parse(JSON.parse(emitted.stdout)).findings).toEqual(fromFile.findings);
  });

  it('compares with a base file that holds findings, and merges shards that hold them', async () => {
    const base = await written(summaryOf([wrong(0), ...LEAKS]), 'base');
    const head = await written(summaryOf([wrong(0), wrong(1)]), 'head');
    const compared = await cli('report', '--from', head, '--base', base, '--format', 'json');
    expect(compared.code).toBe(0);
    const states = RunSummary.parse(JSON.parse(compared.stdout)).findings!.map((f) => [f.operation, f.state]);
    expect(states).toEqual([
      ['POST /api/items-1', 'new'],
      ['POST /api/items-0', 'still-failing'],
    ]);

    const shards = await Promise.all([
      written(summaryOf(LEAKS), 'shard-1'),
      written(summaryOf([wrong(0), wrong(1)]), 'shard-2'),
    ]);
    const out = await mkdtemp(path.join(tmpdir(), 'gauntlet-merged-'));
    const merged = await cli('merge', ...shards, '--out', out);
    expect(merged.code).toBe(1);
    const { findings } = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
    expect(findings).toHaveLength(5);
    expect(new Set(findings!.filter((f) => f.check === 'no_stack_trace').map((f) => f.rootCause)).size).toBe(
      1,
    );
  });
});

describe('report.html', () => {
  it('lists every finding, the ones past the first fifty folded away', () => {
    const report = reportOf(summaryOf(MANY));
    const html = renderHtml(report);
    for (const f of report.analysis.findings) expect(html).toContain(`<tr id="${f.id}">`);
    const folded = html.slice(html.indexOf('<details class="more-findings">'));
    expect(folded).toMatch(/^<details class="more-findings">\s*<summary>13 more findings<\/summary>/);
    expect(folded.match(/<tr id="F-/g)).toHaveLength(13);
    expect(html).not.toContain('more findings, not shown here');
  });
});
