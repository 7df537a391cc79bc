// The HTML report: one self-contained page, markup from the tested service kept as text, and charts that a real
// headless Chromium draws without a single request.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { RunResult, RunSummary } from '../../src/cases/index.ts';
import type { Analysis, Finding } from '../../src/analyze/model.ts';
import { renderHtml } from '../../src/report/html.ts';
import { reportOf, summarize } from '../../src/report/index.ts';
import type { Report } from '../../src/report/index.ts';
import { CHROMIUM_ARGS } from '../../src/run/ui/browser.ts';
import { DRAW_PNG } from '../support/png-in-browser.ts';

const SCRIPT = `<script>document.title='pwned'</script>`;
const IMG = `<img src=x onerror="document.title='pwned'">`;
const CURL = `curl -sS -i -X POST 'http://127.0.0.1:4100/api/projects' --data-raw '{"name":"${IMG}"}'`;

const origin = (journey: string, step: string, title: string, line: number): RunResult['origin'] => ({
  file: 'user-cases/music.yml',
  line,
  column: 9,
  product: 'AI DAWG',
  role: 'Music Producer',
  journey,
  step,
  title,
  generator: 'user-case',
});

function withoutGenerator({ generator: _, ...rest }: RunResult['origin']): RunSummary['untested'][number] {
  return rest;
}

const result = (
  caseId: string,
  status: RunResult['status'],
  where: RunResult['origin'],
  extra: Partial<RunResult> = {},
): RunResult => ({
  caseId,
  title: where.title,
  kind: 'api',
  priority: 'medium',
  origin: where,
  status,
  durationMs: 20,
  failures: [],
  evidence: [],
  reproduction: {},
  ...extra,
});

const RESULTS: RunResult[] = [
  result('tc_000000000001', 'passed', origin('Create New Song', 'Create Project', 'Create a project', 12), {
    timings: [12, 14, 15, 18, 22],
  }),
  result('tc_000000000002', 'failed', origin('Create New Song', 'Create Project', `Name it ${IMG}`, 14), {
    priority: 'critical',
    failures: [{ check: 'no_reflected_markup', message: `the page runs ${SCRIPT}`, step: 1 }],
    timings: [31, 35],
    reproduction: { curl: CURL },
  }),
  result('tc_000000000003', 'error', origin('Create New Song', 'Add Track', 'Add a track', 20), {
    error: 'no answer within 100 ms',
    timings: [100],
  }),
  result('tc_000000000004', 'flaky', origin('Share a Song', 'Share Link', 'Share a link', 30), {
    attempts: 2,
    failures: [{ check: 'status', message: 'expected status 200, got 503', step: 0 }],
    timings: [40, 45, 250],
  }),
  result('tc_000000000005', 'skipped', origin('Share a Song', 'Share Link', 'Share while offline', 32), {
    error: 'Offline mode lives in the browser.',
  }),
  result('tc_000000000006', 'failed', origin('Share a Song', 'Open Link', 'Open a shared link', 36), {
    kind: 'ui',
    failures: [{ check: 'ui', message: 'click text=Open: Timeout 5000ms exceeded.', step: 1 }],
    reproduction: { steps: ['goto /songs/1', 'click text=Open'] },
    timings: [60, 65],
  }),
];

const SUMMARY: RunSummary = {
  tool: 'gauntlet',
  version: '0.1.0',
  target: 'http://127.0.0.1:4100/',
  startedAt: '2026-11-25T10:00:00.000Z',
  durationMs: 2345,
  totals: { passed: 1, failed: 2, error: 1, flaky: 1, skipped: 1 },
  untested: [withoutGenerator(origin('Share a Song', 'Share Link', 'Share with a team', 34))],
  latency: { responses: 13, p50Ms: 35, p95Ms: 250, p99Ms: 250, budgetP95Ms: 200, withinBudget: false },
  results: RESULTS,
};

const finding = (id: string, extra: Partial<Finding>): Finding => ({
  id,
  signature: `${id} signature`,
  check: 'status',
  operation: 'POST /api/projects',
  message: 'failed',
  kind: 'behaviour',
  risk: 'low',
  state: 'new',
  journeys: ['Create New Song'],
  count: 1,
  caseIds: [],
  reproduction: { caseId: '', title: '', file: 'user-cases/music.yml', line: 1 },
  ...extra,
});

const MARKUP = finding('F-1a2b3c4d', {
  check: 'no_reflected_markup',
  status: 201,
  message: `the page runs ${SCRIPT}`,
  kind: 'security',
  risk: 'high',
  caseIds: ['tc_000000000002'],
  reproduction: {
    caseId: 'tc_000000000002',
    title: `Name it ${IMG}`,
    file: 'user-cases/music.yml',
    line: 14,
    curl: CURL,
  },
});
const TIMEOUT = finding('F-5e6f7a8b', {
  check: 'error',
  operation: 'POST /api/projects/{}/tracks',
  message: 'no answer within 100 ms',
  kind: 'crash',
  risk: 'medium',
  state: 'still-failing',
  caseIds: ['tc_000000000003'],
  reproduction: { caseId: 'tc_000000000003', title: 'Add a track', file: 'user-cases/music.yml', line: 20 },
});
const UI = finding('F-9c0d1e2f', {
  check: 'ui',
  operation: 'UI Open Link',
  message: 'click text=Open: Timeout 5000ms exceeded.',
  journeys: ['Share a Song'],
  caseIds: ['tc_000000000006'],
  reproduction: {
    caseId: 'tc_000000000006',
    title: 'Open a shared link',
    file: 'user-cases/music.yml',
    line: 36,
    steps: ['goto /songs/1', 'click text=Open'],
  },
});

const ANALYSIS: Analysis = {
  findings: [MARKUP, TIMEOUT, UI],
  fixed: [finding('F-3a4b5c6d', { state: 'fixed', count: 0, message: 'expected status 404, got 500' })],
  compared: true,
  flaky: [RESULTS[3]!],
  coverage: [
    {
      file: 'user-cases/music.yml',
      role: 'Music Producer',
      journey: 'Create New Song',
      passed: 1,
      failed: 2,
      flaky: 0,
      skipped: 0,
      steps: [
        {
          step: 'Create Project',
          passed: 1,
          failed: 1,
          titles: [
            { title: 'Create a project', line: 12, state: 'passing' },
            { title: `Name it ${IMG}`, line: 14, state: 'failing' },
          ],
        },
        {
          step: 'Add Track',
          passed: 0,
          failed: 1,
          titles: [{ title: 'Add a track', line: 20, state: 'failing' }],
        },
      ],
    },
    {
      file: 'user-cases/music.yml',
      role: 'Music Producer',
      journey: 'Share a Song',
      passed: 0,
      failed: 1,
      flaky: 1,
      skipped: 1,
      steps: [
        {
          step: 'Share Link',
          passed: 0,
          failed: 0,
          titles: [
            { title: 'Share a link', line: 30, state: 'passing' },
            { title: 'Share with a team', line: 34, state: 'untested' },
          ],
        },
        {
          step: 'Open Link',
          passed: 0,
          failed: 1,
          titles: [{ title: 'Open a shared link', line: 36, state: 'failing' }],
        },
      ],
    },
  ],
  verdict: 'fail',
};

const REPORT: Report = {
  summary: SUMMARY,
  analysis: ANALYSIS,
  narrative: {
    summary: `3 of 5 tests against http://127.0.0.1:4100/ failed, for 3 distinct problems, 2 of them new in this change. The most serious is a security weakness on POST /api/projects (F-1a2b3c4d, high risk): the page runs ${SCRIPT}.`,
    recommendations: [
      { text: `Fix a security weakness on POST /api/projects (F-1a2b3c4d).`, findings: ['F-1a2b3c4d'] },
      { text: 'Bring p95 response time under 200 ms (now 250 ms).', findings: [] },
    ],
    author: 'template',
  },
  trend: [
    { startedAt: '2026-11-23T09:00:00.000Z', passed: 5, failed: 0, findings: 0 },
    { startedAt: '2026-11-24T09:30:00.000Z', passed: 3, failed: 1, findings: 1 },
    { startedAt: '2026-11-25T10:00:00.000Z', passed: 1, failed: 3, findings: 3 },
  ],
};

const HTML = renderHtml(REPORT);

describe('the HTML report as text', () => {
  it('opens with the verdict, the totals, the summary and the recommendations', () => {
    expect(HTML).toMatch(/^<!doctype html>/);
    expect(HTML).toContain('<span class="verdict">Failed</span>');
    expect(HTML).toContain('4 problems found in 5 tests against http://127.0.0.1:4100/ (2.3 s).');
    expect(HTML).toContain('<li class="failed"><b>2</b> failed</li>');
    expect(HTML).toContain('3 of 5 tests against http://127.0.0.1:4100/ failed, for 3 distinct problems');
    expect(HTML).toContain('<li>Bring p95 response time under 200 ms (now 250 ms).</li>');
    expect(HTML).toContain('the budget is under 200 ms, so this run is too slow');
  });

  it('lists every finding, the fixed ones apart, and the flaky tests apart', () => {
    for (const f of ANALYSIS.findings) expect(HTML).toContain(`<tr id="${f.id}">`);
    expect(HTML).toContain('<span class="badge risk-high">high</span>');
    expect(HTML).toContain('still failing');
    expect(HTML).toMatch(/id="fixed">[\s\S]*F-3a4b5c6d[\s\S]*Expected status 404, got 500/);
    expect(HTML).toMatch(/id="flaky">[\s\S]*Share a link[\s\S]*expected status 200, got 503/);
    expect(HTML).toContain('<li><code>goto /songs/1</code></li>');
  });

  it('escapes every piece of text from the results, so markup from the tested service stays text', () => {
    expect(HTML).not.toContain(SCRIPT);
    expect(HTML).not.toContain(IMG);
    expect(HTML).not.toMatch(/<script|<img|<[^>]*\sonerror=/i);
    expect(HTML).toContain('the page runs &lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;');
    expect(HTML).toContain('Name it &lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;');
    expect(HTML).toContain('--data-raw &#39;{&quot;name&quot;:&quot;&lt;img src=x');
  });

  it('loads nothing from anywhere, and says so in its Content-Security-Policy', () => {
    expect(HTML).not.toMatch(/\s(?:src|href|xlink:href)\s*=\s*["']?\s*(?:[a-z]+:)?\/\//i);
    expect(HTML).not.toMatch(/<link|<iframe|<object|@import|url\(/i);
    expect(HTML).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[A-Za-z0-9+/=]+&#39;;/,
    );
  });

  it('is sane without a single result', () => {
    const empty = renderHtml(
      reportOf(
        summarize({
          version: '0.1.0',
          target: 'http://127.0.0.1:4100/',
          startedAt: new Date('2026-11-25T10:00:00Z'),
          durationMs: 0,
          results: [],
          untested: [],
        }),
      ),
    );
    expect(empty).toContain('<span class="verdict">Passed</span>');
    expect(empty).toContain('No tests ran against http://127.0.0.1:4100/ (0.0 s).');
    expect(empty).toContain('No tests ran, so there is nothing to chart.');
    expect(empty).toContain('No response times were recorded in this run.');
    expect(empty).toContain('data-chart="trend"');
    expect(empty).not.toContain('NaN');
    expect(empty).not.toContain('Infinity');
  });
});

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--disable-dev-shm-usage'],
  });
});
afterAll(() => browser?.close());

/** A page with the report, and every console error, page error and request it made. */
async function open(html: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const seen = { errors: [] as string[], requests: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('request', (request) => {
    if (!/^(about|data):/.test(request.url())) seen.requests.push(request.url());
  });
  await page.setContent(html);
  return { page, seen };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * The share of sampled pixels that are not white, and how many colours they have, decoded in a blank page. It is
 * a string because it runs in the browser and these tests are typed without the DOM.
 */
const INK_OF = `async (base64) => {
  const context = await (${DRAW_PNG})(base64);
  const { data } = context.getImageData(0, 0, context.canvas.width, context.canvas.height);
  let inked = 0;
  let sampled = 0;
  const colours = new Set();
  for (let i = 0; i < data.length; i += 4 * 7) {
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    sampled++;
    if (r + g + b < 750) inked++;
    colours.add((r >> 4) * 256 + (g >> 4) * 16 + (b >> 4));
  }
  return { ink: inked / sampled, colours: colours.size };
}`;

async function inkOf(png: Buffer): Promise<{ ink: number; colours: number }> {
  const page = await browser.newPage();
  try {
    return (await page.evaluate(`(${INK_OF})(${JSON.stringify(png.toString('base64'))})`)) as {
      ink: number;
      colours: number;
    };
  } finally {
    await page.close();
  }
}

describe('the HTML report in headless Chromium', () => {
  let page: Page;
  let seen: { errors: string[]; requests: string[] };

  beforeAll(async () => {
    ({ page, seen } = await open(HTML));
  });
  afterAll(() => page?.close());

  it('renders without an error or a single request', () => {
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
  });

  it('draws the three charts, with a bar per status of each journey, per latency bin and per run', async () => {
    for (const name of ['journeys', 'latency', 'trend']) {
      const chart = page.locator(`svg[data-chart="${name}"]`);
      await expect(chart.isVisible()).resolves.toBe(true);
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(50);
      await expect(chart.getAttribute('aria-label')).resolves.toBeTruthy();
      await expect(chart.locator('desc').textContent()).resolves.toBeTruthy();
    }
    // Create New Song: passed and failed; Share a Song: failed, flaky and skipped.
    await expect(page.locator('svg[data-chart="journeys"] rect.bar').count()).resolves.toBe(5);
    await expect(page.locator('svg[data-chart="journeys"] text.label').allTextContents()).resolves.toEqual([
      'Create New Song',
      'Share a Song',
    ]);
    const bins = await page.locator('svg[data-chart="latency"] rect.bar').count();
    expect(bins).toBeGreaterThanOrEqual(5);
    const counted = await page
      .locator('svg[data-chart="latency"] rect.bar title')
      .allTextContents()
      .then((titles) => titles.reduce((n, t) => n + Number(/: (\d+) response/.exec(t)![1]), 0));
    expect(counted).toBe(13);
    await expect(page.locator('svg[data-chart="latency"] .marker').allTextContents()).resolves.toEqual([
      'p50 35 ms',
      'p95 250 ms',
      'p99 250 ms',
      'budget 200 ms',
    ]);
    await expect(page.locator('svg[data-chart="trend"] circle.point').count()).resolves.toBe(3);
    await expect(page.locator('svg[data-chart="trend"] rect.bar').count()).resolves.toBe(6);
    await expect(page.locator('svg[data-chart="trend"] polyline').count()).resolves.toBe(1);
  });

  it('shows one row per finding, most serious first, and the curl when a reproduction is opened', async () => {
    const rows = page.locator('table.findings tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    await expect(rows.locator('td:first-child').allTextContents()).resolves.toEqual([
      'F-1a2b3c4d',
      'F-5e6f7a8b',
      'F-9c0d1e2f',
    ]);
    const first = page.locator('#F-1a2b3c4d');
    await expect(first.locator('td.message').textContent()).resolves.toContain(`The page runs ${SCRIPT}`);
    const curl = first.locator('details pre');
    await expect(curl.isVisible()).resolves.toBe(false);
    await first.locator('details summary').click();
    await expect(curl.isVisible()).resolves.toBe(true);
    await expect(curl.textContent()).resolves.toBe(CURL);
    await expect(page.locator('#F-9c0d1e2f details ol.steps li').allTextContents()).resolves.toEqual([
      'goto /songs/1',
      'click text=Open',
    ]);
  });

  it('shows the coverage of each journey, step and title', async () => {
    const journeys = page.locator('#coverage section.journey');
    await expect(journeys.count()).resolves.toBe(2);
    await expect(journeys.nth(1).locator('li.title.untested').textContent()).resolves.toContain(
      'Share with a team',
    );
    await expect(journeys.nth(0).locator('li.title.failing').first().textContent()).resolves.toContain(IMG);
  });

  it('keeps markup from the tested service inert even without its Content-Security-Policy', async () => {
    const bare = HTML.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    expect(bare).not.toBe(HTML);
    const { page: unguarded, seen: unguardedSeen } = await open(bare);
    await expect(unguarded.title()).resolves.not.toBe('pwned');
    await expect(unguarded.locator('body script, body img').count()).resolves.toBe(0);
    expect(unguardedSeen.requests).toEqual([]);
    await unguarded.close();
  });

  it('makes a full-page screenshot that is large and not blank', async () => {
    const png = await page.screenshot({ fullPage: true });
    const { width, height } = pngSize(png);
    expect(width).toBeGreaterThanOrEqual(800);
    expect(height).toBeGreaterThan(1200);
    expect(png.length).toBeGreaterThan(50_000);
    const { ink, colours } = await inkOf(png);
    expect(ink).toBeGreaterThan(0.03);
    expect(colours).toBeGreaterThan(20);
  });
});

describe('the HTML report of a large run', () => {
  const JOURNEYS = ['Create New Song', 'Share a Song', 'Mix a Track', 'Export a Song', 'Sign Up'];
  const results: RunResult[] = Array.from({ length: 5000 }, (_, i) => {
    const where = origin(JOURNEYS[i % 5]!, `Step ${i % 11}`, `Title ${i % 400}`, 1 + (i % 400));
    const failing = i % 7 === 0;
    return result(`tc_${i.toString(16).padStart(12, '0')}`, failing ? 'failed' : 'passed', where, {
      timings: [5 + (i % 90), 10 + ((i * 7) % 200), 2000 * (i % 1000 === 0 ? 1 : 0) + 8],
      ...(failing && {
        evidence: [
          {
            step: 0,
            request: { method: 'GET', url: `http://127.0.0.1:4100/api/items/${i}`, headers: {} },
            response: { status: 500, headers: {}, body: '' },
            durationMs: 5,
          },
        ],
        failures: [{ check: `check_${i % 120}`, message: `expected status 400, got 500 for ${i}`, step: 0 }],
        reproduction: { curl: `curl -sS 'http://127.0.0.1:4100/api/items/${i}'` },
      }),
    });
  });

  it('renders 5,000 results quickly into a page of reasonable size, cutting long lists', async () => {
    const report = reportOf(
      summarize({
        version: '0.1.0',
        target: 'http://127.0.0.1:4100/',
        startedAt: new Date('2026-11-25T10:00:00Z'),
        durationMs: 600_000,
        results,
        untested: [],
      }),
    );
    expect(report.analysis.findings).toHaveLength(120);
    const html = renderHtml(report);
    expect(Buffer.byteLength(html)).toBeLessThan(3_000_000);
    // Every finding is on the page; past the first 50, folded away under one line.
    expect(html).toMatch(/<details class="more-findings">\s*<summary>70 more findings<\/summary>/);
    expect(html).toContain('15000 responses, the slowest in 2008 ms');

    const { page, seen } = await open(html);
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    await expect(page.locator('table.findings tbody tr[id^="F-"]').count()).resolves.toBe(120);
    await expect(page.locator('table.findings tbody tr[id^="F-"]:visible').count()).resolves.toBe(50);
    await expect(page.locator('svg[data-chart="journeys"] text.label').count()).resolves.toBe(5);
    const counted = await page
      .locator('svg[data-chart="latency"] rect.bar title')
      .allTextContents()
      .then((titles) => titles.reduce((n, t) => n + Number(/: (\d+) response/.exec(t)![1]), 0));
    expect(counted).toBe(15_000);
    await page.close();
  });
});
