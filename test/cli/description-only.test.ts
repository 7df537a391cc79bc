// A first run on a service known only by its API description, with no identity configured (`run --rules-only
// --no-cases --openapi …`): the sample target without faults gives no finding, though most of its operations need
// credentials, its sign-up refuses an address taken and its sign-in refuses made-up credentials; with the fault that
// lets anyone restart a service, that operation is the finding.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { RunSummary } from '../../src/cases/index.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import { cli } from '../support/cli.ts';

let dir: string;
let correct: RunningAidawg;
let anyoneRestarts: RunningAidawg;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-description-only-'));
  await writeFile(path.join(dir, 'gauntlet.yml'), 'retries: 1\n');
  // One identity, as a new user would write it: secured operations are called signed in.
  await writeFile(
    path.join(dir, 'signed-in.yml'),
    stringify({
      retries: 1,
      identities: {
        user: {
          fresh: true,
          steps: [
            {
              api: 'POST /api/auth/signup',
              example: { email: 'first-{{$uid}}@example.test', password: 'first-pass-1', name: 'First' },
              capture: { token: 'body.token' },
            },
          ],
          headers: { authorization: 'Bearer {{token}}' },
        },
      },
    }),
  );
  [correct, anyoneRestarts] = await Promise.all([startAidawg(), startAidawg({ faults: ['F7'] })]);
});
afterAll(async () => {
  await Promise.all([correct.close(), anyoneRestarts.close(), rm(dir, { recursive: true, force: true })]);
});

async function run(target: RunningAidawg, out: string, config = 'gauntlet.yml') {
  const result = await cli(
    'run',
    ...['--rules-only', '--no-cases', '--openapi', 'examples/aidawg/openapi.yaml'],
    ...['--config', path.join(dir, config), '--target', target.url, '--out', path.join(dir, out)],
  );
  const summary = RunSummary.parse(JSON.parse(await readFile(path.join(dir, out, 'results.json'), 'utf8')));
  return { ...result, summary };
}

describe('a first run from the description alone, with no identity', () => {
  it('finds nothing wrong with the correct target, and says how secured operations were tested', async () => {
    const { code, stderr, summary } = await run(correct, 'correct');
    const problems = summary.results.filter((r) => r.status === 'failed' || r.status === 'error');
    expect(
      problems.map((p) => `${p.title}: ${p.failures.map((f) => f.message).join('; ')}${p.error ?? ''}`),
    ).toEqual([]);
    expect(code).toBe(0);
    expect(summary.totals.passed).toBeGreaterThan(500);
    expect(stderr).toMatch(
      /\d+ operations of the description need credentials and gauntlet\.yml names no identity: their tests are sent without credentials and expect a refusal \(4xx\)\. Add one identity \(identities\) to test them signed in\./,
    );
  });

  it('finds a secured operation that anyone may call', async () => {
    const { code, summary } = await run(anyoneRestarts, 'anyone-restarts');
    expect(code).toBe(1);
    const operations = (summary.findings ?? []).filter((f) => f.state !== 'fixed').map((f) => f.operation);
    expect(operations).toContain('POST /api/jarvis/services/{name}/restart');
  });
});

describe('a first run from the description alone, signed in as one user', () => {
  // Made-up data meets rules no schema states (a trim inside the clip, an e-mail address of an account): a
  // refusal the description declares is no finding; a file field asking for audio is sent audio.
  it('finds nothing wrong with the correct target, and imports a WAV where a WAV is asked for', async () => {
    const { code, summary } = await run(correct, 'signed-in', 'signed-in.yml');
    const problems = summary.results.filter((r) => r.status === 'failed' || r.status === 'error');
    expect(
      problems.map((p) => `${p.title}: ${p.failures.map((f) => f.message).join('; ')}${p.error ?? ''}`),
    ).toEqual([]);
    expect(code).toBe(0);
    const upload = summary.results.find((r) => r.title === 'Upload sample: works with the example data')!;
    expect(upload.status).toBe('passed');
    expect(upload.evidence.at(-1)!.response!.status).toBe(201);
  });
});
