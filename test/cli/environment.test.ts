// A machine without what some cases need (a browser): those cases are reported apart as not run, the reason is said
// once with how to fix it, and the service is not blamed. Runs `gauntlet run` and the demo against the sample target.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunSummary } from '../../src/cases/index.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';
import { cliWith } from '../support/cli.ts';

// A run of one journey file, and the demo's run of every user case, beside other test files on two cores.
jest.setTimeout(300_000);

const FIX = 'Install Chromium (on Debian or Ubuntu: `sudo apt-get install chromium`)';

/** A journey with two UI cases and an API one: the API case runs whatever the browser does. */
const BROWSER_JOURNEY = `product: AI DAWG
role: Beginner
journey: Sign up in the browser
priority: critical
steps:
  - step: Sign Up
    api: POST /api/auth/signup
    example: { email: 'env-{{$uid}}@example.test', password: 'first-song-1', name: Env }
    expect: { status: 201 }
    cases:
      - title: Sign up with email
      - title: The sign-up page opens
        ui:
          - { action: goto, target: /signup }
          - { action: expectVisible, target: label=E-mail }
      - title: The login page opens
        ui:
          - { action: goto, target: /login }
          - { action: expectVisible, target: label=Password }
`;

let dir: string;
let target: RunningAidawg;
let journey: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-environment-'));
  journey = path.join(dir, 'browser-journey.yml');
  [target] = await Promise.all([startAidawg(), writeFile(journey, BROWSER_JOURNEY)]);
});
afterAll(async () => {
  await Promise.all([target.close(), rm(dir, { recursive: true, force: true })]);
});

async function runWithBrowser(browser: string, cases: string, name: string) {
  const out = path.join(dir, name);
  const env = { GAUNTLET_STORE_DIR: path.join(dir, `${name}-store`), CHROMIUM_PATH: browser };
  const { code, stdout, stderr } = await cliWith(
    env,
    'run',
    '--target',
    target.url,
    '--cases',
    cases,
    '--out',
    out,
  );
  const read = (file: string) => readFile(path.join(out, file), 'utf8');
  return {
    code,
    stdout,
    stderr,
    summary: RunSummary.parse(JSON.parse(await read('results.json'))),
    markdown: await read('report.md'),
    html: await read('report.html'),
    junit: await read('junit.xml'),
  };
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('a machine without a browser', () => {
  it('runs everything else, says once what is missing and how to fix it, and blames nothing on the service', async () => {
    const missing = path.join(dir, 'no-such-chromium');
    const run = await runWithBrowser(missing, 'user-cases/aidawg-beginner.yml', 'missing');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^No problems found: .*, \d+ skipped \(\d+ not run on this machine\)\.\n/);

    const ui = run.summary.results.filter((r) => r.kind === 'ui');
    expect(ui.length).toBeGreaterThanOrEqual(2);
    for (const result of ui) {
      expect(result).toMatchObject({
        status: 'skipped',
        error: `there is no browser at ${missing}`,
        notRun: { reason: 'environment', need: 'browser', fix: expect.stringContaining(FIX) },
      });
    }
    expect(run.summary.totals.error).toBe(0);
    expect(
      run.summary.results.filter((r) => r.kind === 'api' && r.status === 'passed').length,
    ).toBeGreaterThan(50);

    const line = `There is no browser at ${missing}: ${ui.length} UI cases were not run. ${FIX}`;
    expect(run.stderr).toContain(line);
    expect(occurrences(run.stderr, 'were not run')).toBe(1);

    // The report: no finding, no crash; the cases apart, the reason once.
    expect(run.markdown).toMatch(/^\*\*No problems found\.\*\*/m);
    expect(run.markdown).not.toContain('## What needs attention');
    expect(run.markdown).not.toMatch(/crash|Fix a/i);
    expect(run.markdown).toContain('## Not run');
    expect(occurrences(run.markdown, `no browser at ${missing}`)).toBe(2); // the summary and "Not run"
    for (const result of ui) expect(run.markdown).toContain(`  - ${result.title} (`);
    expect(run.html).toContain('<h2>Not run</h2>');
    expect(run.html).toContain('<code>sudo apt-get install chromium</code>');
    expect(run.html).not.toContain('id="F-');
    expect(
      occurrences(run.junit, `<skipped message="not run on this machine: there is no browser at ${missing}.`),
    ).toBe(ui.length);
  });

  it('starts a browser that fails once, says what it said, and does not try again for every UI case', async () => {
    // A "browser" that counts its launches and fails as a Chromium missing a library does.
    const launches = path.join(dir, 'launches');
    const broken = path.join(dir, 'broken-chromium');
    await writeFile(
      broken,
      `#!/bin/sh\necho launched >> '${launches}'\necho 'chromium: error while loading shared libraries: libnss3.so' >&2\nexit 127\n`,
    );
    await chmod(broken, 0o755);
    const run = await runWithBrowser(broken, journey, 'broken');
    expect(run.code).toBe(0);
    const reason =
      `the browser at ${broken} cannot start (it exited with code 127: ` +
      'chromium: error while loading shared libraries: libnss3.so)';
    const ui = run.summary.results.filter((r) => r.kind === 'ui');
    expect(ui.map((r) => [r.status, r.error, r.notRun?.need])).toEqual([
      ['skipped', reason, 'browser'],
      ['skipped', reason, 'browser'],
    ]);
    expect(run.summary.results.find((r) => r.title === 'Sign up with email')?.status).toBe('passed');
    expect((await readFile(launches, 'utf8')).trim().split('\n')).toEqual(['launched']);
    expect(run.stderr).toContain(`The browser at ${broken} cannot start (it exited with code 127: `);
    expect(run.stderr).toContain(': 2 UI cases were not run. Install Chromium');
    expect(run.markdown).toContain('## Not run');
    expect(run.markdown).not.toContain('## What needs attention');
  });

  it('says a browser path that is not an executable file is one', async () => {
    const notExecutable = path.join(dir, 'chromium.txt');
    await writeFile(notExecutable, 'not a browser\n');
    const run = await runWithBrowser(notExecutable, journey, 'not-executable');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `The browser at ${notExecutable} is not an executable file: 2 UI cases were not run.`,
    );
    expect(run.summary.totals).toMatchObject({ skipped: 2, error: 0, failed: 0 });
    expect(run.summary.totals.passed).toBeGreaterThan(0);
  });
});

describe('npm run demo on a machine without a browser', () => {
  it('exits 0 with the UI cases reported as not run, installing nothing when told not to', async () => {
    // The demo reads gauntlet.yml and what it names from where it runs, and writes reports/ there: a folder of its
    // own, not the checkout's. Copies, not links: a file to upload must be inside the folder the run is in.
    const cwd = path.join(dir, 'demo');
    for (const name of ['user-cases', 'gauntlet.yml', 'examples/aidawg/openapi.yaml']) {
      await cp(path.resolve(name), path.join(cwd, name), { recursive: true });
    }
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? cwd,
      GAUNTLET_STORE_DIR: path.join(cwd, 'store'),
      GAUNTLET_DEMO_NO_INSTALL: '1',
      CHROMIUM_PATH: '/nonexistent/chromium',
    };
    const child = spawn(process.execPath, [path.resolve('scripts/demo.ts')], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    // The verdict line beside the exit code, so that a failure shows what the run found.
    const verdict = /^.*(?:problems? found).*$/im.exec(stdout)?.[0];
    const notRun = stderr.split('\n').filter((line) => line.includes('not run'));
    expect({ code, verdict, notRun }).toEqual({
      code: 0,
      verdict: expect.stringMatching(/^No problems found: /),
      notRun: [
        expect.stringMatching(
          /^There is no browser at \/nonexistent\/chromium: \d+ UI cases were not run\. Install Chromium /,
        ),
      ],
    });
    expect(stdout).not.toContain('Installing Chromium');
    const report = await readFile(path.join(cwd, 'reports', 'report.md'), 'utf8');
    expect(report).toContain('## Not run');
    expect(report).not.toContain('## What needs attention');
  });
});
