// The report as one web page, for a person who would rather look than read: the verdict, the summary in plain
// words, charts of the results, the response times and the trend, the findings with their reproductions, and the
// coverage of the user cases. One self-contained file (inline CSS and SVG, no script) whose Content-Security-Policy
// forbids every load: results carry text from the tested service, markup included, and all of it is escaped.
import { createHash } from 'node:crypto';
import type { RunResult } from '../cases/index.ts';
import type { Finding, JourneyCoverage, TitleCoverage } from '../analyze/model.ts';
import { wordsOf } from '../analyze/risk.ts';
import { rootCausesOf } from '../analyze/root-cause.ts';
import type { Report } from './model.ts';
import { explorationSentence, roundPhrases } from './exploration.ts';
import { serviceCoverageHtml } from './service-coverage.ts';
import { notRunGroups, notRunSentence } from './not-run.ts';
import { STATUSES } from './summary.ts';
import { journeysChart, latencyChart, trendChart } from './html-charts.ts';
import { escapeHtml, html, type Markup } from './html-markup.ts';
import { CSS } from './html-style.ts';
import { capitalize, clip, ms, plural, when } from './words.ts';

/** Rows of a list shown before "…and N more": the page stays small with thousands of results; charts use all. */
const SHOWN = 50;
/** Titles shown per step of a journey. */
const TITLES_SHOWN = 30;

export function renderHtml(report: Report): string {
  const { summary, analysis } = report;
  const body = html`<main>
    ${header(report)} ${summarySection(report)} ${notRunSection(report)}
    <section class="card" id="charts">
      <h2>At a glance</h2>
      <div class="charts">
        ${journeysChart(analysis.coverage)} ${latencyChart(summary)} ${trendChart(report.trend)}
      </div>
    </section>
    ${findingsSection(report)} ${fixedSection(analysis.fixed)} ${flakySection(analysis.flaky)}
    ${explorationSection(report)} ${serviceCoverageHtml(summary.serviceCoverage)}
    ${coverageSection(analysis.coverage)}
    <footer>Written by Gauntlet ${summary.version} from the results of this run.</footer>
  </main>`;
  // Only this stylesheet may apply: no other style, script, font, image or frame, from anywhere.
  const policy = `default-src 'none'; style-src '${hashOf(CSS)}'; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Gauntlet report: ${analysis.verdict === 'pass' ? 'passed' : 'failed'}, ${summary.target}`)}</title>
<style>${CSS}</style>
</head>
<body>
${body.value}
</body>
</html>
`;
}

function header(report: Report): Markup {
  const { summary, analysis } = report;
  const slow = summary.latency?.withinBudget === false;
  const problems = summary.totals.failed + summary.totals.error + (slow ? 1 : 0);
  const ran = summary.results.length - summary.totals.skipped;
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const verdict =
    ran === 0 && problems === 0
      ? `No tests ran against ${summary.target} (${seconds} s).`
      : problems === 0
        ? `No problems found. ${ran} tests ran against ${summary.target} and all passed (${seconds} s).`
        : `${plural(problems, 'problem')} found in ${ran} tests against ${summary.target} (${seconds} s).`;
  const latency = summary.latency;
  return html`<header class="card verdict-${analysis.verdict}">
    <h1>Gauntlet report <span class="verdict">${analysis.verdict === 'pass' ? 'Passed' : 'Failed'}</span></h1>
    <p class="headline">${verdict}</p>
    <p class="meta">
      Target <code>${summary.target}</code> · started ${when(summary.startedAt)} · took ${seconds} s
    </p>
    <ul class="totals">
      ${STATUSES.map((s) => html`<li class="${s}"><b>${summary.totals[s]}</b> ${s}</li>`)}
    </ul>
    ${
      latency &&
      html`<p>
        Response times over ${latency.responses} responses: p50 ${ms(latency.p50Ms)}, p95
        ${ms(latency.p95Ms)}, p99
        ${ms(latency.p99Ms)}${
          latency.budgetP95Ms !== undefined &&
          `; the budget is under ${ms(latency.budgetP95Ms)}${latency.withinBudget ? '' : ', so this run is too slow'}`
        }.
      </p>`
    }
    ${
      summary.generation?.degraded &&
      html`<p class="note">
        Degraded run: ${summary.generation.notes.join(' ')} The verdict stands on the tests that ran.
      </p>`
    }
  </header>`;
}

function summarySection({ narrative }: Report): Markup {
  return html`<section class="card" id="summary">
    <h2>Summary</h2>
    <p class="summary">${narrative.summary}</p>
    ${narrative.author !== 'template' && html`<p class="note">Written by ${narrative.author} from the findings below.</p>`}
    ${
      narrative.recommendations.length > 0 &&
      html`<h3>Recommendations</h3>
        <ol class="recommendations">
          ${narrative.recommendations.map((r) => html`<li>${r.text}</li>`)}
        </ol>`
    }
  </section>`;
}

/** The cases this machine could not run, each reason once with its fix: apart from the findings about the service. */
function notRunSection({ summary }: Report): Markup | undefined {
  const groups = notRunGroups(summary.results);
  if (groups.length === 0) return undefined;
  return html`<section class="card" id="not-run">
    <h2>Not run</h2>
    <p class="note">
      This machine lacks something these cases need. They say nothing about the service, and the verdict
      stands on the tests that ran.
    </p>
    ${groups.map(
      (group) =>
        html`<p><b>${notRunSentence(group)}</b> ${withCode(group.fix)}</p>
          <ul>
            ${group.results.slice(0, SHOWN).map((r) => html`<li>${r.title} <code>${r.origin.file}:${r.origin.line}</code></li>`)}
            ${group.results.length > SHOWN && html`<li>…and ${group.results.length - SHOWN} more</li>`}
          </ul>`,
    )}
  </section>`;
}

/** What `gauntlet explore` did after the generated run, round by round, in the Markdown report's words. */
function explorationSection({ summary }: Report): Markup | undefined {
  const { exploration } = summary;
  if (!exploration) return undefined;
  return html`<section class="card" id="exploration">
    <h2>Exploration</h2>
    <p>${explorationSentence(exploration)}</p>
    <ul>
      ${roundPhrases(exploration).map((phrase) => html`<li>${capitalize(phrase)}.</li>`)}
    </ul>
    ${
      exploration.notes.length > 0 &&
      html`<ul>
        ${exploration.notes.map((n) => html`<li>${n}</li>`)}
      </ul>`
    }
  </section>`;
}

/** Gauntlet's own text with its `code spans` as code. */
function withCode(text: string): Markup[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : html`${part}`));
}

function findingsSection({ analysis }: Report): Markup {
  const { findings, compared } = analysis;
  if (findings.length === 0) {
    return html`<section class="card" id="findings">
      <h2>Findings</h2>
      <p>No problems found.</p>
    </section>`;
  }
  // The findings of one root cause together, under a row that says they are one problem to fix. Every finding is
  // listed; past the first SHOWN rows the rest of the table is folded away, so a large run's page stays readable.
  const rows = rootCausesOf(findings).flatMap((cause) => {
    const heading =
      cause.findings.length > 1 &&
      html`<tr class="cause">
        <th colspan="8">
          One root cause
          ${cause.operations.length > 1 ? `on ${cause.operations.length} operations` : html`on <code>${cause.operations[0]!}</code>`},
          seen by ${cause.checks.map((check, i) => html`${i > 0 && ', '}<code>${check}</code>`)}
          (${plural(cause.count, 'test')}).
        </th>
      </tr>`;
    return [
      ...(heading ? [{ markup: heading, finding: false }] : []),
      ...cause.findings.map((f) => ({ markup: findingRow(f, compared), finding: true })),
    ];
  });
  // Cut after the SHOWN-th finding's row, never between a cause's heading and its first finding.
  let seen = 0;
  const found = rows.findIndex((row) => row.finding && ++seen > SHOWN);
  const cut = found > 0 && !rows[found - 1]!.finding ? found - 1 : found;
  const first = cut === -1 ? rows : rows.slice(0, cut);
  const rest = cut === -1 ? [] : rows.slice(cut);
  return html`<section class="card" id="findings">
    <h2>Findings: ${plural(findings.length, 'problem')} found</h2>
    ${!compared && html`<p class="note">No base run was given to compare with, so every finding counts against this run.</p>`}
    ${findingsTable(first.map((row) => row.markup))}
    ${
      rest.length > 0 &&
      html`<details class="more-findings">
        <summary>${plural(findings.length - SHOWN, 'more finding')}</summary>
        ${findingsTable(rest.map((row) => row.markup))}
      </details>`
    }
  </section>`;
}

function findingsTable(rows: readonly Markup[]): Markup {
  return html`<table class="findings">
    <thead>
      <tr>
        <th>finding</th>
        <th>risk</th>
        <th>state</th>
        <th>kind</th>
        <th>check</th>
        <th>operation</th>
        <th>tests</th>
        <th>what went wrong</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function findingRow(f: Finding, compared: boolean): Markup {
  return html`<tr id="${f.id}">
    <td><code>${f.id}</code></td>
    <td><span class="badge risk-${f.risk}">${f.risk}</span></td>
    <td>${compared ? stateWords(f) : html`<span title="No base run to compare with">–</span>`}</td>
    <td>${wordsOf(f).label}</td>
    <td><code>${f.check}</code></td>
    <td>
      <code>${f.operation}</code>${f.status !== undefined && html` <span class="status">${f.status}</span>`}
    </td>
    <td class="count">${f.count}</td>
    <td class="message">${clip(capitalize(f.message), 400)}${reproduction(f)}</td>
  </tr>`;
}

function reproduction(f: Finding): Markup {
  const { reproduction: r } = f;
  return html`<details>
    <summary>How to see it again</summary>
    <p>
      The smallest failing test: ${r.title} (<code>${r.file}:${r.line}</code>), in ${f.journeys.join(', ')}.
    </p>
    ${
      r.steps &&
      html`<ol class="steps">
        ${r.steps.map((step) => html`<li><code>${step}</code></li>`)}
      </ol>`
    }
    ${r.curl && html`<pre><code>${r.curl}</code></pre>`}
    ${!r.steps && !r.curl && html`<p>Run the test again with <code>gauntlet run</code>.</p>`}
  </details>`;
}

function fixedSection(fixed: readonly Finding[]): Markup | undefined {
  if (fixed.length === 0) return undefined;
  return html`<section class="card" id="fixed">
    <h2>Fixed since the base branch</h2>
    <ul class="fixed">
      ${fixed.slice(0, SHOWN).map(
        (f) =>
          html`<li>
            <code>${f.id}</code>
            <span class="badge risk-${f.risk}">${f.risk}</span> ${clip(capitalize(f.message), 200)}
            (<code>${f.operation}</code>)
          </li>`,
      )}
    </ul>
    ${more(fixed.length, 'more fixed finding')}
  </section>`;
}

function flakySection(flaky: readonly RunResult[]): Markup | undefined {
  if (flaky.length === 0) return undefined;
  return html`<section class="card" id="flaky">
    <h2>Flaky</h2>
    <p>
      These failed, then passed when run again. They are not counted as problems, but they are worth a look.
    </p>
    <table>
      <thead>
        <tr>
          <th>test</th>
          <th>written at</th>
          <th>attempts</th>
          <th>first failure</th>
        </tr>
      </thead>
      <tbody>
        ${flaky.slice(0, SHOWN).map(
          (r) =>
            html`<tr>
              <td>${r.title}</td>
              <td><code>${r.origin.file}:${r.origin.line}</code></td>
              <td class="count">${r.attempts ?? 1}</td>
              <td>${clip(r.failures[0]?.message ?? r.error ?? 'failed', 300)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${more(flaky.length, 'more flaky test')}
  </section>`;
}

const TITLE_MARKS: Record<TitleCoverage['state'], string> = { passing: '✓', failing: '✗', untested: '○' };

function coverageSection(coverage: readonly JourneyCoverage[]): Markup {
  const journeys = coverage.map((j) => {
    const titles = j.steps.flatMap((s) => s.titles);
    const of = (state: TitleCoverage['state']) => titles.filter((t) => t.state === state).length;
    const steps = j.steps.map(
      (s) =>
        html`<tr>
          <td>${s.step}</td>
          <td class="count">${s.passed}</td>
          <td class="count">${s.failed}</td>
          <td>
            <ul class="titles">
              ${s.titles
                .slice(0, TITLES_SHOWN)
                .map(
                  (t) =>
                    html`<li class="title ${t.state}" title="${t.state}, line ${t.line}">
                      ${TITLE_MARKS[t.state]} ${t.title}
                    </li>`,
                )}
            </ul>
            ${more(s.titles.length, 'more title', TITLES_SHOWN)}
          </td>
        </tr>`,
    );
    return html`<section class="journey">
      <h3>
        ${j.journey} <small>${j.role} · <code>${j.file}</code></small>
      </h3>
      <p>${plural(of('passing'), 'title')} passing, ${of('failing')} failing, ${of('untested')} untested.</p>
      <table>
        <thead>
          <tr>
            <th>step</th>
            <th>passed</th>
            <th>failed</th>
            <th>titles</th>
          </tr>
        </thead>
        <tbody>
          ${steps}
        </tbody>
      </table>
    </section>`;
  });
  return html`<section class="card" id="coverage">
    <h2>Coverage of the user cases</h2>
    ${coverage.length === 0 ? html`<p>No user case was tested.</p>` : journeys}
  </section>`;
}

function more(total: number, what: string, shown = SHOWN): Markup | undefined {
  return total > shown
    ? html`<p class="more">
        …and ${plural(total - shown, what)}, not shown here; <code>results.json</code> has them all.
      </p>`
    : undefined;
}

function stateWords(f: Finding): string {
  return f.state === 'still-failing' ? 'still failing' : f.state;
}

function hashOf(css: string): string {
  return `sha256-${createHash('sha256').update(css).digest('base64')}`;
}
