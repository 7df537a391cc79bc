// `gauntlet explore` against the sample target with its whole fault catalogue on: the rounds after the generated
// run find the faults it did not (F17, a race; F18, two values together), and every finding's minimal reproduction
// fails the same way when run again alone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { failureSignature } from '../../src/analyze/signature.ts';
import { RunSummary } from '../../src/cases/index.ts';
import { loadRegressionCases } from '../../src/generate/regression.ts';
import { runTestCases } from '../../src/run/index.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import { cli } from '../support/cli.ts';

const F17 = 'status | POST /api/projects | 500 | expected status N or Nxx, got N (in N of N requests)';
const F18 =
  'status | POST /api/projects/{projectId}/clips/{clipId}/edits | 500 | expected status Nxx or Nxx or Nxx, got N';

let faulty: RunningAidawg;
let dir: string;
let out: string;
let result: { code: number; stdout: string; stderr: string };
let summary: RunSummary;

beforeAll(async () => {
  faulty = await startAidawg({ faults: 'all' });
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-explore-'));
  out = path.join(dir, 'reports');
  result = await cli(
    'explore',
    '--target',
    faulty.url,
    '--cases',
    'user-cases/aidawg-music-producer.yml',
    '--retries',
    '0',
    '--max-rounds',
    '3',
    '--out',
    out,
  );
  summary = RunSummary.parse(JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')));
});
afterAll(async () => {
  await Promise.all([faulty.close(), rm(dir, { recursive: true, force: true })]);
});

describe('gauntlet explore', () => {
  it('finds in later rounds the faults the generated run did not, and says which', async () => {
    expect(result.code).toBe(1);
    const exploration = summary.exploration!;
    const after = exploration.rounds.filter((r) => r.round > 0);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.length).toBeLessThanOrEqual(3);
    const round = (key: string) => exploration.findings.find((f) => f.signature === key)?.firstSeenRound;
    expect(round(F17)).toBeGreaterThanOrEqual(1);
    expect(round(F18)).toBeGreaterThanOrEqual(1);
    // The generated run alone had neither.
    const generated = summary.results.filter((r) => !r.origin.generator.startsWith('explore/'));
    const keys = new Set(generated.map((r) => failureSignature(r)?.key));
    expect(keys.has(F17) || keys.has(F18)).toBe(false);
    const report = await readFile(path.join(out, 'report.md'), 'utf8');
    expect(report).toMatch(
      new RegExp(
        `## Exploration\n\nExploration ran ${after.length} rounds? after the generated run; it stopped because .+\\.\n\n` +
          `- Round 0, the generated run, ran \\d+ cases \\(\\d+ failed\\)\\.\n` +
          `- Round 1 ran \\d+ cases \\([^)]+\\) and found \\d+ new kinds? of failure`,
      ),
    );
    const found = report.slice(report.indexOf('Found only by exploration:'));
    expect(found).toMatch(/- F-[0-9a-f]{8} \(round \d\): .* on `POST \/api\/projects`/);
    expect(found).toMatch(
      /- F-[0-9a-f]{8} \(round \d\): .* on `POST \/api\/projects\/\{\w*\}\/clips\/\{\w*\}\/edits`/,
    );
  });

  it('keeps each minimal reproduction, which fails the same way when run again alone', async () => {
    // Kept as regression cases, a file per journey, ready to copy into the regression folder.
    const loaded = await loadRegressionCases(path.join(out, 'reproductions'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const reproductions = loaded.value;
    expect(reproductions.length).toBe(summary.exploration!.findings.length);
    const wanted = [F17, F18];
    for (const key of wanted) {
      const finding = summary.exploration!.findings.find((f) => f.signature === key)!;
      const testCase = reproductions.find((c) => c.id === finding.minimalCaseId)!;
      expect(testCase.origin.parent).toBeDefined();
      const [again] = await runTestCases([testCase], {
        target: new URL(faulty.url),
        concurrency: 1,
        timeoutMs: 10_000,
        retries: 0,
      });
      expect(failureSignature(again!)?.key).toBe(key);
    }
  });
});
