// Exploration guided by the coverage of a service Gauntlet started: a case that reached code no earlier case reached
// is kept as a parent, though an explorer made it and its status did not change, and is mutated first.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunResult, TestCase } from '../../src/cases/index.ts';
import { prepare, type Prepared } from '../../src/cli/prepare.ts';
import { newCodeFirst } from '../../src/explore/coverage-guidance.ts';
import { explore, type Exploration } from '../../src/explore/index.ts';
import { coverageEnv, ServiceCoverage } from '../../src/run/coverage.ts';
import { runTestCases } from '../../src/run/index.ts';
import { startService, type RunningService } from '../../src/run/service.ts';
import { freePort } from '../support/free-port.ts';

let dir: string;
let service: RunningService;
let coverage: ServiceCoverage;
let prepared: Prepared;
let target: URL;
let happy: TestCase;
let happyResult: RunResult;

const run = (cases: readonly TestCase[]) =>
  runTestCases(cases, { target, concurrency: 2, timeoutMs: 10_000, retries: 0 });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-guidance-'));
  const port = await freePort();
  target = new URL(`http://127.0.0.1:${port}/`);
  service = await startService({
    command: `PORT=${port} node test/fixtures/service/server.mjs`,
    cwd: process.cwd(),
    readyUrl: new URL('/health', target),
    readyTimeoutMs: 60_000,
    logFile: path.join(dir, 'service.log'),
    env: coverageEnv(process.env, path.join(dir, 'v8')),
  });
  coverage = new ServiceCoverage(process.cwd(), () => service.output());
  // As `--start` does: coverage is read from before the first case.
  await coverage.take();
  await writeFile(path.join(dir, 'gauntlet.yml'), 'timeoutMs: 10000\n');
  prepared = await prepare({
    cases: false,
    config: path.join(dir, 'gauntlet.yml'),
    openapi: new URL('/openapi.json', target).href,
  });
  // Round 0 is the happy path alone (an item of id 7): the branch of large ids is left for exploration to reach.
  happy = prepared.cases.find((c) => c.origin.generator === 'rules/happy-path')!;
  happyResult = (await run([happy]))[0]!;
});
afterAll(async () => {
  coverage.close();
  await service.stop();
  await rm(dir, { recursive: true, force: true });
});

const exploreFromHappyPath = (guided: boolean): Promise<Exploration> =>
  explore({
    sources: prepared.sources,
    config: prepared.config,
    cases: [happy],
    results: [happyResult],
    run,
    seed: 0,
    budget: { maxRounds: 2 },
    description: prepared.description!,
    ...(guided && { coverage }),
  });

/** The cases of a round, in the order they ran. */
function casesOf(exploration: Exploration, round: number): TestCase[] {
  const before = exploration.rounds
    .filter((r) => r.round > 0 && r.round < round)
    .reduce((n, r) => n + r.cases, 0);
  return exploration.cases.slice(before, before + exploration.rounds.find((r) => r.round === round)!.cases);
}

const urlOf = (exploration: Exploration, testCase: TestCase) =>
  exploration.results[exploration.cases.indexOf(testCase)]!.evidence.at(-1)?.request.url ?? '';

describe('exploration with the coverage of the started service', () => {
  it('mutates first the cases that reached new code, though their status did not change', async () => {
    const guided = await exploreFromHappyPath(true);
    const round1 = guided.rounds.find((r) => r.round === 1)!;
    const reached = new Set(round1.reachedNewCode);
    // A large id answers 200 like the happy path, but through code no case had reached.
    const large = casesOf(guided, 1).find((c) => /\/items\/\d{5,}/.test(urlOf(guided, c)))!;
    expect(large).toBeDefined();
    expect(reached.has(large.id)).toBe(true);
    expect(guided.results[guided.cases.indexOf(large)]!.evidence.at(-1)?.response?.status).toBe(200);

    const round2 = casesOf(guided, 2);
    expect(round2.some((c) => c.origin.parent === large.id)).toBe(true);
    // Every mutation of a case that reached new code comes before any mutation of one that did not.
    const fromNewCode = round2.map((c) => reached.has(c.origin.parent ?? ''));
    expect(
      fromNewCode.indexOf(false) === -1 || fromNewCode.lastIndexOf(true) < fromNewCode.indexOf(false),
    ).toBe(true);
    expect(guided.rounds.filter((r) => r.round > 0).every((r) => r.reachedNewCode !== undefined)).toBe(true);

    // Without coverage the same large-id case, which changed no status, is never a parent.
    const blind = await exploreFromHappyPath(false);
    expect(blind.cases.some((c) => c.id === large.id)).toBe(true);
    expect(blind.cases.some((c) => c.origin.parent === large.id)).toBe(false);
    expect(blind.rounds.every((r) => r.reachedNewCode === undefined)).toBe(true);
  });
});

describe('newCodeFirst', () => {
  it('puts the cases that reached new code first, each group in its order', () => {
    const cases = ['a', 'b', 'c', 'd'].map((id) => ({ id }));
    expect(newCodeFirst(cases, new Set(['c', 'a'])).map((c) => c.id)).toEqual(['a', 'c', 'b', 'd']);
  });
});
