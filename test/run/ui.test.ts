// The UI runner in a real headless Chromium against the sample target's pages.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../src/run/ui/browser.ts';
import { pixelsAt } from '../support/png-in-browser.ts';
import type { TestCase, UiStep } from '../../src/cases/index.ts';
import { REDACTED } from '../../src/run/redact.ts';
import { originOf } from '../support/cases.ts';
import { runTestCases } from '../../src/run/index.ts';
import { startAidawg } from '../../examples/aidawg/server.ts';
import type { RunningAidawg } from '../../examples/aidawg/server.ts';

const BROWSER = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A HAR request or response of the trace, as much as these tests read. */
interface Har {
  headers: { name: string; value: string }[];
}
let correct: RunningAidawg;
let faulty: RunningAidawg;
let artifactsDir: string;

beforeAll(async () => {
  [correct, faulty] = await Promise.all([startAidawg(), startAidawg({ faults: ['F3'] })]);
  artifactsDir = await mkdtemp(path.join(tmpdir(), 'gauntlet-ui-'));
});
afterAll(() =>
  Promise.all([correct.close(), faulty.close(), rm(artifactsDir, { recursive: true, force: true })]),
);

const uiCase = (id: string, steps: UiStep[]): TestCase => ({
  id,
  title: `ui ${id}`,
  kind: 'ui',
  priority: 'high',
  tags: [],
  origin: originOf(`ui ${id}`),
  steps,
});

const SIGN_UP_AND_CREATE: UiStep[] = [
  { action: 'goto', target: '/signup' },
  { action: 'fill', target: 'label=E-mail', value: 'ui-{{$uid}}@example.test' },
  { action: 'fill', target: 'label=Password', value: 'ui-pass-123' },
  { action: 'click', target: "role=button[name='Create account']" },
  { action: 'expectUrl', value: '/projects' },
  { action: 'fill', target: 'label=Project name', value: 'Browser song' },
  { action: 'click', target: 'text=Create project' },
  { action: 'expectText', target: 'h1', value: 'Browser song' },
  { action: 'expectVisible', target: '#export' },
  { action: 'expectNoText', value: 'No such project' },
];

const run = (cases: TestCase[], target: RunningAidawg) =>
  runTestCases(cases, {
    target: new URL(target.url),
    concurrency: 2,
    timeoutMs: 5000,
    retries: 0,
    browserPath: BROWSER,
    artifactsDir,
  });

describe('the UI runner', () => {
  it('runs data-driven browser steps, each case in a fresh context of one shared browser', async () => {
    const results = await run(
      [uiCase('tc_0000000000a1', SIGN_UP_AND_CREATE), uiCase('tc_0000000000a2', SIGN_UP_AND_CREATE)],
      correct,
    );
    expect(results.map((r) => [r.status, r.failures])).toEqual([
      ['passed', []],
      ['passed', []],
    ]);
    expect(results[0]!.reproduction.steps).toEqual([
      'goto /signup',
      'fill label=E-mail "ui-{{$uid}}@example.test"',
      // What is typed into a password field is a secret of the case, hidden like a credential header.
      'fill label=Password "[redacted]"',
      "click role=button[name='Create account']",
      'expectUrl "/projects"',
      'fill label=Project name "Browser song"',
      'click text=Create project',
      'expectText h1 "Browser song"',
      'expectVisible #export',
      'expectNoText "No such project"',
    ]);
  });

  it('fails with the step that did not hold, and keeps a screenshot and a trace', async () => {
    const [result] = await run(
      [
        uiCase('tc_0000000000b1', [
          { action: 'goto', target: '/templates?q=lofi' },
          { action: 'expectText', target: '#count', value: '9 templates' },
        ]),
      ],
      correct,
    );
    expect(result!.status).toBe('failed');
    expect(result!.failures[0]).toMatchObject({ check: 'ui', step: 1 });
    expect(result!.failures[0]!.message).toMatch(/^expectText #count "9 templates": Timeout 5000ms exceeded/);
    expect(result!.artifacts).toEqual([
      path.join(artifactsDir, 'tc_0000000000b1.png'),
      path.join(artifactsDir, 'tc_0000000000b1.trace.zip'),
    ]);
    for (const file of result!.artifacts!) expect(existsSync(file)).toBe(true);
  });

  it("keeps a trace with the case's secrets hidden: the typed password, the session cookie the service set", async () => {
    const steps: UiStep[] = [
      ...SIGN_UP_AND_CREATE.slice(0, 5),
      { action: 'expectText', target: 'h1', value: 'No such heading' },
    ];
    const [result] = await run([uiCase('tc_0000000000b2', steps)], correct);
    expect(result!.status).toBe('failed');
    const trace = unzipSync(await readFile(path.join(artifactsDir, 'tc_0000000000b2.trace.zip')));
    const texts = Object.entries(trace)
      .filter(([name]) => !name.endsWith('.jpeg'))
      .map(([name, bytes]) => [name, strFromU8(bytes)] as const);
    for (const [, text] of texts) expect(text).not.toContain('ui-pass-123');
    const network = texts
      .find(([name]) => name === 'trace.network')![1]
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { snapshot: { request: Har; response: Har } });
    const sent = network.flatMap((n) => [...n.snapshot.request.headers, ...n.snapshot.response.headers]);
    const cookies = sent.filter((h) => /^(set-)?cookie$/i.test(h.name));
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookies.every((h) => h.value === REDACTED)).toBe(true);
    // The trace still tells the story: the e-mail typed, the button clicked.
    const events = texts.find(([name]) => name === 'trace.trace')![1];
    expect(events).toMatch(
      /"method":"fill","params":\{"selector":"internal:label=[^}]*"value":"ui-\w+@example\.test"/,
    );
    expect(events).toMatch(/"method":"click"/);
  });

  it('masks in the screenshot a field the case typed a secret into, and only that field', async () => {
    // Two plain text fields at known places: an API key (a secret by its label) and a name.
    const form = `<style>input{position:absolute;left:20px;width:300px;height:40px;border:0;background:#fff}</style>
      <label for="k">API key</label><input id="k" style="top:20px">
      <label for="n">Name</label><input id="n" style="top:120px">`;
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(form));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const [result] = await runTestCases(
        [
          uiCase('tc_0000000000b3', [
            { action: 'goto', target: '/' },
            { action: 'fill', target: 'label=API key', value: 'sk-live-0123456789' },
            { action: 'fill', target: 'label=Name', value: 'Ann' },
            { action: 'expectText', target: 'body', value: 'Saved' },
          ]),
        ],
        {
          target: new URL(url),
          concurrency: 1,
          timeoutMs: 5000,
          retries: 0,
          browserPath: BROWSER,
          artifactsDir,
        },
      );
      expect(result!.status).toBe('failed');
      const png = await readFile(path.join(artifactsDir, 'tc_0000000000b3.png'));
      // The screenshot read back by the browser itself: Playwright paints a mask magenta.
      const browser = await chromium.launch({ executablePath: BROWSER, args: CHROMIUM_ARGS });
      try {
        const pixels = await pixelsAt(await browser.newPage(), png, [
          [100, 40],
          [100, 140],
        ]);
        expect(pixels).toEqual([
          [255, 0, 255],
          [255, 255, 255],
        ]);
      } finally {
        await browser.close();
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('stops the page from reaching outside the target, and says so', async () => {
    const probe = encodeURIComponent('<img src="http://169.254.169.254/latest/meta-data/">');
    const steps: UiStep[] = [
      { action: 'goto', target: `/templates?q=${probe}` },
      { action: 'expectVisible', target: '#count' },
    ];
    const [safe] = await run([uiCase('tc_0000000000c1', steps)], correct);
    expect(safe!.status).toBe('passed');
    const [unsafe] = await run([uiCase('tc_0000000000c2', steps)], faulty);
    expect(unsafe!.status).toBe('failed');
    expect(unsafe!.failures[0]!.message).toBe(
      'the page tried to reach outside the target, and was stopped: http://169.254.169.254/latest/meta-data/ (a cloud metadata address)',
    );
  });

  it('reports a case the machine has no browser for as not run, not as a problem of the service', async () => {
    const [result] = await runTestCases([uiCase('tc_0000000000d1', [{ action: 'goto', target: '/' }])], {
      target: new URL(correct.url),
      concurrency: 1,
      timeoutMs: 5000,
      retries: 0,
      browserPath: '/nonexistent/chromium',
    });
    expect(result).toMatchObject({
      status: 'skipped',
      error: 'there is no browser at /nonexistent/chromium',
      notRun: { reason: 'environment', need: 'browser' },
    });
  });
});
