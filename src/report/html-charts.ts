// The charts of the HTML report: inline SVG drawn here, coloured by the stylesheet, each with a title and a description for screen readers.
// Their markup is built with `svg`, the same escaping as `html`, which the formatter leaves on one line.

import type { RunResult, RunSummary } from '../cases/index.ts';
import type { JourneyCoverage } from '../analyze/model.ts';
import type { TrendPoint } from './model.ts';
import { html, svg, type Content, type Markup } from './html-markup.ts';
import { clip, ms, plural, tenth as r, when } from './words.ts';

const number = (value: number): string => r(value).toLocaleString('en');

const WIDTH = 760;
const JOURNEY_STATUSES = ['passed', 'failed', 'flaky', 'skipped'] as const;
/** Bars of the latency histogram. */
const BINS = 40;

export function journeysChart(coverage: readonly JourneyCoverage[]): Markup {
  const title = 'Results by journey';
  if (coverage.length === 0) return noChart(title, 'No tests ran, so there is nothing to chart.');
  const [left, right, top, bottom, row] = [210, 24, 8, 44, 28];
  const plotBottom = top + coverage.length * row;
  const height = plotBottom + bottom;
  const scale = scaleOf(maxOf(coverage.map((j) => j.passed + j.failed + j.flaky + j.skipped)));
  const x = (value: number) => left + (value / scale.max) * (WIDTH - left - right);
  const countsOf = (j: JourneyCoverage) => JOURNEY_STATUSES.map((s) => `${j[s]} ${s}`).join(', ');
  const rows = coverage.map((j, i) => {
    const y = top + i * row;
    let start = 0;
    const segments = JOURNEY_STATUSES.filter((status) => j[status] > 0).map((status) => {
      const bar = svg`<rect class="bar ${status}" x="${r(x(start))}" y="${y + 5}" width="${r(x(start + j[status]) - x(start))}" height="18"/>`;
      start += j[status];
      return bar;
    });
    return svg`<g><title>${j.journey}: ${countsOf(j)}</title><text class="label" x="${left - 8}" y="${y + 18}" text-anchor="end">${clip(j.journey, 30)}</text>${segments}</g>`;
  });
  const axes = [
    scale.ticks.map(
      (t) =>
        svg`<line class="grid" x1="${r(x(t))}" x2="${r(x(t))}" y1="${top}" y2="${plotBottom}"/><text class="tick" x="${r(x(t))}" y="${plotBottom + 16}" text-anchor="middle">${number(t)}</text>`,
    ),
    axisLabels('tests', undefined, r(x(scale.max / 2)), height, r((top + plotBottom) / 2)),
  ];
  const description = coverage.map((j) => `${j.journey}: ${countsOf(j)}.`).join(' ');
  return chart('journeys', title, description, height, [axes, rows], JOURNEY_STATUSES);
}

export function latencyChart(summary: RunSummary): Markup {
  const title = 'Response times';
  const timings = timingsOf(summary.results);
  if (timings.length === 0) return noChart(title, 'No response times were recorded in this run.');
  const slowest = maxOf(timings);
  const { latency } = summary;
  // A few very slow answers would squash all the others into the first bar: they go into the last one instead.
  const reach = latency && latency.p99Ms > 0 && slowest > latency.p99Ms * 2 ? latency.p99Ms * 2 : slowest;
  const xScale = scaleOf(reach, false);
  const counts = new Array<number>(BINS).fill(0);
  let beyond = 0;
  for (const t of timings) {
    if (t > xScale.max) beyond++;
    counts[Math.min(BINS - 1, Math.floor((t / xScale.max) * BINS))]!++;
  }
  const yScale = scaleOf(maxOf(counts));
  const [left, right, top, bottom, height] = [64, 20, 56, 46, 300];
  const plotBottom = height - bottom;
  const x = (value: number) => left + (Math.min(value, xScale.max) / xScale.max) * (WIDTH - left - right);
  const y = (value: number) => plotBottom - (value / yScale.max) * (plotBottom - top);
  const binMs = xScale.max / BINS;
  const bars = counts.map((n, i) => {
    if (n === 0) return undefined;
    const range = `${number(i * binMs)}–${number((i + 1) * binMs)} ms${i === BINS - 1 && beyond > 0 ? ' and slower' : ''}`;
    return svg`<rect class="bar latency" x="${r(x(i * binMs) + 1)}" y="${r(y(n))}" width="${r(x(binMs) - x(0) - 2)}" height="${r(plotBottom - y(n))}"><title>${range}: ${plural(n, 'response')}</title></rect>`;
  });
  const marks: [string, number | undefined][] = latency
    ? [
        ['p50', latency.p50Ms],
        ['p95', latency.p95Ms],
        ['p99', latency.p99Ms],
        ['budget', latency.budgetP95Ms],
      ]
    : [];
  // Labels one above the other, so that close percentiles stay readable.
  const markers = marks
    .filter((m): m is [string, number] => m[1] !== undefined)
    .map(([name, value], i) => {
      const at = r(x(value));
      const end = at > WIDTH - 140;
      return svg`<g class="marker ${name}"><line x1="${at}" x2="${at}" y1="${4 + i * 13}" y2="${plotBottom}"/><text x="${end ? at - 4 : at + 4}" y="${13 + i * 13}" text-anchor="${end ? 'end' : 'start'}">${name} ${ms(value)}</text></g>`;
    });
  const axes = [
    xScale.ticks.map(
      (t) =>
        svg`<line class="tick-mark" x1="${r(x(t))}" x2="${r(x(t))}" y1="${plotBottom}" y2="${plotBottom + 4}"/><text class="tick" x="${r(x(t))}" y="${plotBottom + 16}" text-anchor="middle">${number(t)}</text>`,
    ),
    yGrid(yScale.ticks, y, left),
    axisLabels('response time (ms)', 'responses', r(x(xScale.max / 2)), height, r((top + plotBottom) / 2)),
  ];
  const description =
    `${plural(timings.length, 'response')}, the slowest in ${ms(slowest)}` +
    (latency ? `; p50 ${ms(latency.p50Ms)}, p95 ${ms(latency.p95Ms)}, p99 ${ms(latency.p99Ms)}` : '') +
    (beyond > 0 ? `; ${beyond} slower than ${ms(xScale.max)} are counted in the last bar.` : '.');
  return chart('latency', title, description, height, [axes, bars, markers]);
}

export function trendChart(trend: readonly TrendPoint[]): Markup {
  const title = 'Trend over runs';
  if (trend.length === 0) return noChart(title, 'There is no run to show yet.');
  const [left, right, top, bottom, height] = [64, 20, 20, 58, 280];
  const plotBottom = height - bottom;
  const scale = scaleOf(maxOf(trend.map((p) => Math.max(p.passed + p.failed, p.findings))));
  const slot = (WIDTH - left - right) / trend.length;
  const barWidth = r(Math.min(48, slot * 0.6));
  const cx = (i: number) => r(left + slot * (i + 0.5));
  const y = (value: number) => plotBottom - (value / scale.max) * (plotBottom - top);
  const every = Math.ceil(trend.length / 8);
  const last = trend.length - 1;
  const groups = trend.map((p, i) => {
    const x0 = r(cx(i) - barWidth / 2);
    const name = i === last ? 'this run' : when(p.startedAt);
    const label = (last - i) % every === 0 && (i === last ? 'this run' : name.slice(5, 16));
    return svg`<g><title>${name}: ${p.passed} passed, ${p.failed} failed, ${plural(p.findings, 'finding')}</title><rect class="bar passed" x="${x0}" y="${r(y(p.passed))}" width="${barWidth}" height="${r(plotBottom - y(p.passed))}"/><rect class="bar failed" x="${x0}" y="${r(y(p.passed + p.failed))}" width="${barWidth}" height="${r(y(p.passed) - y(p.passed + p.failed))}"/>${label && svg`<text class="tick" x="${cx(i)}" y="${plotBottom + 16}" text-anchor="middle">${label}</text>`}</g>`;
  });
  const line = trend.map((p, i) => `${cx(i)},${r(y(p.findings))}`).join(' ');
  const points = trend.map(
    (p, i) =>
      svg`<circle class="point" cx="${cx(i)}" cy="${r(y(p.findings))}" r="4"><title>${plural(p.findings, 'finding')}</title></circle>${trend.length <= 20 && svg`<text class="value" x="${cx(i) + 7}" y="${r(y(p.findings) - 7)}">${p.findings}</text>`}`,
  );
  const axes = [
    yGrid(scale.ticks, y, left),
    axisLabels(
      'run (oldest first)',
      'tests and findings',
      r(left + (WIDTH - left - right) / 2),
      height,
      r((top + plotBottom) / 2),
    ),
  ];
  const now = trend[last]!;
  const description =
    `${plural(trend.length, 'run')}${trend.length > 1 ? ` from ${when(trend[0]!.startedAt)}` : ''}; this run: ` +
    `${now.passed} passed, ${now.failed} failed, ${plural(now.findings, 'finding')}.`;
  const findingsLine = trend.length > 1 && svg`<polyline class="findings-line" points="${line}"/>`;
  return chart(
    'trend',
    title,
    description,
    height,
    [axes, groups, findingsLine, points],
    ['passed', 'failed', 'findings'],
  );
}

/** A chart in a figure with its caption and legend, the SVG with its text alternative for screen readers. */
function chart(
  name: string,
  title: string,
  description: string,
  height: number,
  body: Content,
  legend: readonly string[] = [],
): Markup {
  const keys = legend.map((k) => html`<li><span class="swatch ${k}"></span>${k}</li>`);
  return html`<figure id="chart-${name}">
    <figcaption>${title}</figcaption>
    ${svg`<svg class="chart" data-chart="${name}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${title}" aria-describedby="${name}-desc"><title>${title}</title><desc id="${name}-desc">${description}</desc>${body}</svg>`}
    ${
      legend.length > 0 &&
      html`<ul class="legend">
        ${keys}
      </ul>`
    }
  </figure>`;
}

/** Horizontal grid lines with their values on the left. */
function yGrid(ticks: readonly number[], y: (value: number) => number, left: number): Markup[] {
  return ticks.map(
    (t) =>
      svg`<line class="grid" x1="${left}" x2="${WIDTH - 20}" y1="${r(y(t))}" y2="${r(y(t))}"/><text class="tick" x="${left - 6}" y="${r(y(t) + 4)}" text-anchor="end">${number(t)}</text>`,
  );
}

/** The axes' names; none on the y axis when its labels name themselves (journeys). */
function axisLabels(
  xLabel: string,
  yLabel: string | undefined,
  xMiddle: number,
  height: number,
  yMiddle: number,
): Markup {
  const x = svg`<text class="axis" x="${xMiddle}" y="${height - 6}" text-anchor="middle">${xLabel}</text>`;
  if (yLabel === undefined) return x;
  return svg`${x}<text class="axis" transform="translate(14 ${yMiddle}) rotate(-90)" text-anchor="middle">${yLabel}</text>`;
}

function noChart(title: string, text: string): Markup {
  return html`<figure>
    <figcaption>${title}</figcaption>
    <p class="empty">${text}</p>
  </figure>`;
}

/** Round ticks from 0 to just past `max`: about five, whole numbers when counting. */
function scaleOf(max: number, whole = true): { max: number; ticks: number[] } {
  const raw = Math.max(max, 1) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(
    whole ? 1 : 0,
    [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * 0.999)!,
  );
  const steps = Math.max(1, Math.ceil(max / step - 1e-9));
  return { max: step * steps, ticks: Array.from({ length: steps + 1 }, (_, i) => i * step) };
}

function timingsOf(results: readonly RunResult[]): number[] {
  const timings: number[] = [];
  for (const result of results) for (const t of result.timings ?? []) timings.push(t);
  return timings;
}

/** The largest value; a loop, since spreading thousands of values into Math.max can overflow the stack. */
function maxOf(values: readonly number[]): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}
