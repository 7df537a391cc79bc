// The report people read, in the PR comment and the job summary: what went wrong in plain words, how serious it
// is, what to do, where it was written and how to see it again. It always fits a GitHub comment: detail is cut,
// lowest first, never the summary. Every text Gauntlet did not write itself goes through `inert` (inert.ts): the
// LLM's summary, the service's answers and what was built from them, user-case titles.
import type { RunResult, RunSummary } from '../cases/index.ts';
import type { Finding } from '../analyze/model.ts';
import { wordsOf } from '../analyze/risk.ts';
import { rootCausesOf, type RootCause } from '../analyze/root-cause.ts';
import type { Report } from './model.ts';
import { explorationSentence, roundPhrases } from './exploration.ts';
import { serviceCoverageMarkdown } from './service-coverage.ts';
import { codeBlock, inert, inlineCode } from './inert.ts';
import { notRunGroups, notRunSentence } from './not-run.ts';
import { STATUSES } from './summary.ts';
import { capitalize, clip, listed, listedSome, ms, plural, sentence } from './words.ts';

/** GitHub refuses comments longer than 65,536 characters; keep a margin for the sticky comment's marker. */
export const COMMENT_LIMIT = 65_000;
/** Root causes shown in the key-findings table; the rest are counted. */
const KEY_FINDINGS = 10;
/** Operations a root cause's row names before "and K more"; its details list them all, up to OPERATIONS_LISTED. */
const OPERATIONS_NAMED = 3;
const OPERATIONS_LISTED = 30;

interface Block {
  lines: string[];
  /** Cut first when the report is too long: higher goes first; 0 is never cut. */
  cut: number;
  /** What a reader misses when the block is cut: a finding's details, or a section's title. */
  name: string;
}

/**
 * The order detail is cut in, first cut highest: the details of findings past the key ones (least important
 * first), then the tables and lists, then the key findings' details (least important first). A reproduction
 * of one of the worst findings is worth more to a reader than any table.
 */
const CUT_LATER_FINDING = 1000;
const CUT_KEY_FINDING = 1;

export function renderMarkdown(report: Report, limit = COMMENT_LIMIT): string {
  const { summary, analysis } = report;
  const blocks: Block[] = [
    { lines: headline(report), cut: 0, name: 'headline' },
    { lines: notRunSection(summary), cut: 0, name: 'not run' },
  ];
  if (analysis.findings.length > 0 || summary.latency?.withinBudget === false) {
    blocks.push({ lines: ['## What needs attention', ''], cut: 0, name: 'attention' });
    if (summary.latency?.withinBudget === false)
      blocks.push({ lines: tooSlow(summary), cut: 0, name: 'latency' });
    // One block per root cause, in the risk order: the findings of a cause together, under its most serious one.
    rootCausesOf(analysis.findings).forEach((cause, index) => {
      const base = index < KEY_FINDINGS ? CUT_KEY_FINDING : CUT_LATER_FINDING;
      blocks.push({ lines: describeCause(cause, summary), cut: base + index, name: 'finding' });
    });
  }
  blocks.push(
    { lines: explorationSection(report), cut: 15, name: 'the exploration' },
    { lines: serviceCoverageMarkdown(summary.serviceCoverage), cut: 16, name: 'the service code reached' },
    { lines: fixedSection(report), cut: 20, name: 'the fixed findings' },
    { lines: flakySection(summary), cut: 30, name: 'the flaky tests' },
    { lines: loadSection(summary), cut: 40, name: 'the load figures' },
    { lines: journeyTable(summary), cut: 50, name: 'the journeys' },
    { lines: generationSection(summary), cut: 60, name: 'how the tests were made' },
    { lines: coverage(summary), cut: 70, name: 'the coverage of the user cases' },
    { lines: operationsSection(summary), cut: 80, name: 'the operations' },
  );
  let kept = blocks.filter((b) => b.lines.length > 0);
  const text = (list: Block[]) =>
    `${list
      .flatMap((b) => b.lines)
      .join('\n')
      .trimEnd()}\n`;
  const cut: Block[] = [];
  while (text(kept).length > limit - 400) {
    const worst = kept.reduce((a, b) => (b.cut > a.cut ? b : a));
    if (worst.cut === 0) break;
    kept = kept.filter((b) => b !== worst);
    cut.push(worst);
  }
  if (cut.length === 0) return text(kept);
  const where = report.fullReportUrl
    ? `[the full report](${report.fullReportUrl})`
    : 'the full report (`report.html` and `results.json` beside this file)';
  const findingsCut = cut.filter((b) => b.name === 'finding').length;
  const left = [
    ...(findingsCut > 0 ? [`the details of ${plural(findingsCut, 'finding')}`] : []),
    ...cut.filter((b) => b.name !== 'finding').map((b) => b.name),
  ];
  const note = `_This report was shortened to fit a GitHub comment: ${listed(left)} left out. See ${where}._`;
  const shortened = text([...kept, { lines: ['', note], cut: 0, name: 'note' }]);
  // The essentials alone are bounded (ten findings, clipped messages); this is a last guard.
  return shortened.length <= limit
    ? shortened
    : `${shortened.slice(0, limit - note.length - 10)}\n\n${note}\n`;
}

/** The verdict, totals, executive summary, key findings, risk, recommendations and trend: never cut. */
function headline(report: Report): string[] {
  const { summary, analysis, narrative } = report;
  const lines: string[] = ['# Gauntlet report', ''];
  const problemCount = summary.totals.failed + summary.totals.error;
  const slow = summary.latency?.withinBudget === false;
  const count = problemCount + (slow ? 1 : 0);
  const ran = summary.results.length - summary.totals.skipped;
  const seconds = (summary.durationMs / 1000).toFixed(1);
  lines.push(
    ran === 0 && count === 0
      ? `**No tests ran** against ${summary.target}: nothing was tested (${seconds} s).`
      : count === 0
        ? `**No problems found.** ${ran} tests ran against ${summary.target} and all passed (${seconds} s).`
        : `**${plural(count, 'problem')} found** in ${ran} tests against ${summary.target} (${seconds} s).`,
    '',
    `| ${STATUSES.join(' | ')} |`,
    `| ${STATUSES.map(() => '---').join(' | ')} |`,
    `| ${STATUSES.map((s) => summary.totals[s]).join(' | ')} |`,
    '',
  );
  if (summary.latency) lines.push(latencyLine(summary.latency), '');
  if (summary.generation?.degraded) {
    lines.push(
      `**Degraded run:** ${inert(summary.generation.notes.join(' '))} The verdict stands on the tests that ran.`,
      '',
    );
  }
  // The template names the target in its summary; an LLM's mention of it is text like any other.
  const own = narrative.author === 'template' ? [summary.target] : [];
  lines.push('## Summary', '', inert(narrative.summary, { links: own }), '');
  if (narrative.author !== 'template')
    lines.push(`_Written by ${inert(narrative.author)} from the findings below._`, '');
  if (analysis.findings.length > 0) {
    // The column against the base branch only when there is one to compare with.
    const against = analysis.compared ? ' against base |' : '';
    lines.push(
      '## Key findings',
      '',
      `| finding | risk |${against} what | where | tests |`,
      `| --- | --- |${against ? ' --- |' : ''} --- | --- | --- |`,
    );
    // One row per root cause: a leak on sixteen operations is one problem to fix, not sixteen.
    const causes = rootCausesOf(analysis.findings);
    for (const cause of causes.slice(0, KEY_FINDINGS)) {
      const [f] = cause.findings as [Finding];
      const state = against ? ` ${stateAgainstBase(cause)} |` : '';
      const ids = cause.findings.length === 1 ? f.id : `${f.id} and ${cause.findings.length - 1} more`;
      const named = listedSome(
        cause.operations.map((o) => inlineCode(o)),
        OPERATIONS_NAMED,
      );
      const where = cause.operations.length === 1 ? named : `${cause.operations.length} operations: ${named}`;
      lines.push(
        `| ${ids} | ${f.risk} |${state} ${escapeCell(inert(clip(capitalize(f.message), 160)))} | ${escapeCell(where)} | ${cause.count} |`,
      );
    }
    if (causes.length > KEY_FINDINGS) {
      lines.push('', `…and ${plural(causes.length - KEY_FINDINGS, 'more problem')}, below.`);
    }
    lines.push('', ...riskAssessment(report), '');
  }
  if (narrative.recommendations.length > 0) {
    lines.push('## Recommendations', '');
    narrative.recommendations
      .slice(0, 8)
      .forEach((r, i) => lines.push(`${i + 1}. ${inert(clip(r.text, 400))}`));
    lines.push('');
  }
  lines.push(...trendSection(report));
  return lines;
}

/** Root causes by risk (their most serious finding's), with what their checks saw. */
function riskAssessment(report: Report): string[] {
  const { findings, compared } = report.analysis;
  const lines = ['## Risk assessment', ''];
  const causes = rootCausesOf(findings);
  for (const risk of ['high', 'medium', 'low'] as const) {
    const of = causes.filter((cause) => cause.findings[0]!.risk === risk);
    if (of.length === 0) continue;
    const harms = count(of.map((cause) => wordsOf(cause.findings[0]!).label));
    const fresh = compared
      ? `, ${of.filter((cause) => cause.findings.some((f) => f.state === 'new')).length} new`
      : '';
    lines.push(`- **${capitalize(risk)}**: ${plural(of.length, 'problem')}${fresh} (${harms}).`);
  }
  return lines;
}

/** New, also on the base branch, or new on some of its operations only. */
function stateAgainstBase(cause: RootCause): string {
  const fresh = cause.findings.filter((f) => f.state === 'new').length;
  return fresh === cause.findings.length
    ? 'new'
    : fresh === 0
      ? 'also on base'
      : `new on ${fresh} of ${cause.findings.length}`;
}

function trendSection(report: Report): string[] {
  if (report.trend.length < 2) return [];
  const points = report.trend.slice(-6);
  const lines = ['## Trend', '', '| run | passed | problems | findings |', '| --- | --- | --- | --- |'];
  for (const [i, p] of points.entries()) {
    const name = i === points.length - 1 ? 'this run' : inert(p.startedAt.slice(0, 16).replace('T', ' '));
    lines.push(`| ${name} | ${p.passed} | ${p.failed} | ${p.findings} |`);
  }
  const previous = points.at(-2)!;
  const now = points.at(-1)!;
  const change =
    now.findings === previous.findings
      ? 'as many findings as the run before'
      : now.findings < previous.findings
        ? `${plural(previous.findings - now.findings, 'finding')} fewer than the run before`
        : `${plural(now.findings - previous.findings, 'finding')} more than the run before`;
  return [...lines, '', `${capitalize(change)}.`, ''];
}

function tooSlow(summary: RunSummary): string[] {
  return [
    '### Too slow: the response-time budget',
    '',
    `- 95% of responses arrived within ${ms(summary.latency!.p95Ms)}; the budget (\`latencyBudget\` of ` +
      `gauntlet.yml) is under ${ms(summary.latency!.budgetP95Ms!)}.`,
    '',
  ];
}

/**
 * A root cause: what, how serious, every operation it fails on (each a finding), and the smallest reproduction of
 * its most serious finding in full. A cause of one finding is that finding.
 */
function describeCause(cause: RootCause, summary: RunSummary): string[] {
  const [lead] = cause.findings as [Finding];
  if (cause.findings.length === 1) return describeFinding(lead, summary);
  const journeys = [...new Set(cause.findings.flatMap((f) => f.journeys))];
  // Each finding by its operation, and by what it says when the findings of the cause say different things.
  const alike = new Set(cause.findings.map((f) => f.message)).size === 1;
  const rows = cause.findings.slice(0, OPERATIONS_LISTED).map((f) => {
    const state = f.state === 'still-failing' ? ', also failing on the base branch' : '';
    const what = alike ? '' : `${inert(clip(f.message, 160))}; `;
    return `- ${f.id} on ${inlineCode(f.operation)}: ${what}${f.risk} risk, ${plural(f.count, 'test')}${state}.`;
  });
  const rest = cause.findings.length - rows.length;
  return [
    `### ${lead.id} and ${plural(cause.findings.length - 1, 'more finding')}: ${inert(clip(capitalize(lead.message), 200))}`,
    '',
    `${capitalize(lead.risk)} risk (${wordsOf(lead).label}) ${sharedBy(cause)}. ` +
      `${plural(cause.count, 'test')} in ${journeys.map((j) => inert(j)).join(', ')} fail this way.`,
    '',
    ...rows,
    ...(rest > 0 ? [`- …and ${plural(rest, 'more finding')}.`] : []),
    '',
    ...reproductionOf(lead, summary),
  ];
}

/** Why the findings of a cause are one: "on 16 operations: one root cause, the same check (`x`) failing …". */
function sharedBy(cause: RootCause): string {
  const checks = cause.checks.map((c) => inlineCode(c));
  return cause.operations.length > 1
    ? `on ${cause.operations.length} operations: one root cause, ` +
        (checks.length === 1
          ? `the same check (${checks[0]}) failing the same way on each`
          : `seen by ${listed(checks)}`) +
        ', most likely in code they share'
    : `on ${inlineCode(cause.operations[0]!)}: one root cause, seen by ${listed(checks)}`;
}

/** A finding: what, how serious, how many tests, and its smallest reproduction in full. */
function describeFinding(finding: Finding, summary: RunSummary): string[] {
  const state = finding.state === 'still-failing' ? ', also failing on the base branch' : '';
  return [
    `### ${finding.id}: ${inert(clip(capitalize(finding.message), 200))}`,
    '',
    `${capitalize(finding.risk)} risk (${wordsOf(finding).label}${state}) on ${inlineCode(finding.operation)}; ` +
      `${plural(finding.count, 'test')} in ${finding.journeys.map((j) => inert(j)).join(', ')} fail this way.`,
    '',
    ...reproductionOf(finding, summary),
  ];
}

/** The smallest failing test of a finding in full, and the titles of the others that fail the same way. */
function reproductionOf(finding: Finding, summary: RunSummary): string[] {
  const result = summary.results.find((r) => r.caseId === finding.reproduction.caseId);
  const lines: string[] = [];
  if (result) {
    lines.push(
      `<details><summary>Reproduce it: ${inert(finding.reproduction.title, { in: 'html' })}</summary>`,
      '',
      ...describeProblem(result),
      '</details>',
      '',
    );
  }
  const others = finding.caseIds.filter((id) => id !== finding.reproduction.caseId);
  if (others.length > 0) {
    const titles = summary.results.filter((r) => others.includes(r.caseId)).map((r) => r.title);
    lines.push(
      `<details><summary>${plural(others.length, 'more test')} failing the same way</summary>`,
      '',
      ...titles.slice(0, 20).map((t) => `- ${inert(t)}`),
      ...(titles.length > 20 ? [`- …and ${titles.length - 20} more`] : []),
      '',
      '</details>',
      '',
    );
  }
  return lines;
}

/** What `gauntlet explore` did after the generated run, and what only it found. */
function explorationSection({ summary, analysis }: Report): string[] {
  const { exploration } = summary;
  if (!exploration) return [];
  const lines = [
    '## Exploration',
    '',
    explorationSentence(exploration),
    '',
    ...roundPhrases(exploration).map((phrase) => `- ${capitalize(phrase)}.`),
    '',
  ];
  const found = analysis.findings.filter((f) => (f.firstSeenRound ?? 0) > 0);
  if (found.length > 0) {
    lines.push('Found only by exploration:', '');
    for (const f of found) {
      lines.push(
        `- ${f.id} (round ${f.firstSeenRound}): ${inert(clip(f.message, 160))} on ${inlineCode(f.operation)}; smallest reproduction: ` +
          `"${inert(f.reproduction.title)}".`,
      );
    }
    lines.push('');
  }
  const shrunk = exploration.findings.filter((f) => f.reduced).length;
  lines.push(
    `Each failure was run again alone and shrunk to the smallest case that fails the same way ` +
      `(${shrunk} of ${exploration.findings.length} could be made smaller).`,
    ...exploration.notes.map((n) => `- ${inert(n)}`),
    '',
  );
  return lines;
}

function fixedSection(report: Report): string[] {
  const { fixed } = report.analysis;
  if (fixed.length === 0) return [];
  return [
    '## Fixed since the base branch',
    '',
    ...fixed.map((f) => `- ${f.id}: ${inert(clip(capitalize(f.message), 200))} (${inlineCode(f.operation)})`),
    '',
  ];
}

function flakySection(summary: RunSummary): string[] {
  const flaky = summary.results.filter((r) => r.status === 'flaky');
  if (flaky.length === 0) return [];
  const lines = [
    '## Flaky',
    '',
    'These failed, then passed when run again. They are not counted as problems, but they are worth a look.',
    '',
  ];
  for (const r of flaky) {
    const first = r.failures[0]?.message ?? r.error ?? 'failed';
    lines.push(
      `- ${inert(r.title)} (${inlineCode(`${r.origin.file}:${r.origin.line}`)}): passed on attempt ${r.attempts}; first: ${inert(first)}`,
    );
  }
  return [...lines, ''];
}

function describeProblem(result: RunResult): string[] {
  const { origin } = result;
  const lines = [
    `**${result.status === 'error' ? 'Could not test' : 'Failed'}: ${inert(result.title)}**`,
    '',
    `${inert(origin.journey)} › ${inert(origin.step)} (${inert(origin.role)}, ${inert(result.priority)} priority), ` +
      `written at ${inlineCode(`${origin.file}:${origin.line}:${origin.column}`)}, generated by ${inert(origin.generator)}.`,
    '',
  ];
  if (result.error) lines.push(`- ${sentence(inert(result.error))}`);
  for (const failure of result.failures) {
    lines.push(`- ${capitalize(inert(failure.message))} (${inert(failure.check)}).`);
  }
  if (result.passedOnAttempt !== undefined) {
    lines.push(
      `- Attempt ${result.passedOnAttempt} passed, but a security or data-loss failure seen once is a finding: the service did it.`,
    );
  }
  lines.push('');
  if (result.load) lines.push(`Under load: ${loadFigures(result.load)}.`, '');
  if (result.reproduction.steps) {
    lines.push(
      'The browser steps:',
      '',
      ...result.reproduction.steps.map((step, i) => `${i + 1}. ${inert(step)}`),
      '',
    );
  }
  if (result.artifacts?.length) {
    lines.push(`Kept for a look: ${result.artifacts.map((file) => inlineCode(file)).join(', ')}.`, '');
  }
  if (result.reproduction.curl) {
    lines.push('To see it again (credentials redacted; earlier steps of the case sign in first):', '');
    lines.push(...codeBlock(result.reproduction.curl, 'sh'), '');
  }
  const last = result.evidence.at(-1);
  if (last?.response) {
    lines.push(
      `<details><summary>Response: ${last.response.status}, ${last.durationMs} ms</summary>`,
      '',
      ...codeBlock(last.response.body),
      '</details>',
      '',
    );
  }
  return lines;
}

function loadSection(summary: RunSummary): string[] {
  const loaded = summary.results.filter((r) => r.load);
  if (loaded.length === 0) return [];
  const lines = ['## Under load', ''];
  for (const r of loaded) {
    const verdict = r.status === 'passed' ? 'within its thresholds' : 'over its thresholds';
    lines.push(`- ${inert(r.title)}, ${verdict}: ${loadFigures(r.load!)}.`);
  }
  return [...lines, ''];
}

function latencyLine(latency: NonNullable<RunSummary['latency']>): string {
  const budget =
    latency.budgetP95Ms === undefined
      ? ''
      : `; the budget is under ${ms(latency.budgetP95Ms)}${latency.withinBudget ? '' : ', so this run is too slow'}`;
  return (
    `Response times over ${latency.responses} responses: p50 ${ms(latency.p50Ms)}, p95 ${ms(latency.p95Ms)}, ` +
    `p99 ${ms(latency.p99Ms)}${budget}.`
  );
}

function loadFigures(load: NonNullable<RunResult['load']>): string {
  const { p50, p95, p99 } = load.latencyMs;
  return (
    `${load.requests} requests in ${load.durationS.toFixed(1)} s (${Math.round(load.rps)}/s, ${load.engine}), ` +
    `${Math.round(load.errorRate * 10000) / 100}% errors; latency p50 ${ms(p50)}, p95 ${ms(p95)}, p99 ${ms(p99)}`
  );
}

function journeyTable(summary: RunSummary): string[] {
  const byJourney = new Map<string, RunResult[]>();
  for (const result of summary.results) {
    const key = `${result.origin.product ? `${result.origin.product}: ` : ''}${result.origin.journey}`;
    byJourney.set(key, [...(byJourney.get(key) ?? []), result]);
  }
  const lines = [
    '## Journeys',
    '',
    '| journey | tests | passed | problems | skipped |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const [journey, results] of byJourney) {
    const count = (f: (r: RunResult) => boolean) => results.filter(f).length;
    lines.push(
      `| ${escapeCell(inert(journey))} | ${results.length} | ${count((r) => r.status === 'passed')} | ` +
        `${count((r) => r.status === 'failed' || r.status === 'error')} | ${count((r) => r.status === 'skipped')} |`,
    );
  }
  return [...lines, ''];
}

/** Titles listed under a reason for not running: enough to recognize them, the rest counted. */
const NOT_RUN_LISTED = 10;

/**
 * The cases this machine could not run, apart from the findings: each reason once, with the fix, and the cases it
 * kept from running. They say nothing about the service.
 */
function notRunSection(summary: RunSummary): string[] {
  const groups = notRunGroups(summary.results);
  if (groups.length === 0) return [];
  const lines = [
    '## Not run',
    '',
    'This machine lacks something these cases need. They say nothing about the service, and the verdict stands ' +
      'on the tests that ran.',
    '',
  ];
  for (const group of groups) {
    // The fix is Gauntlet's own text; the reason holds a path and what the browser said.
    lines.push(`- **${inert(notRunSentence(group))}** ${group.fix}`);
    for (const r of group.results.slice(0, NOT_RUN_LISTED)) {
      lines.push(`  - ${inert(r.title)} (${inlineCode(`${r.origin.file}:${r.origin.line}`)})`);
    }
    if (group.results.length > NOT_RUN_LISTED)
      lines.push(`  - …and ${group.results.length - NOT_RUN_LISTED} more`);
  }
  return [...lines, ''];
}

function coverage(summary: RunSummary): string[] {
  const authored = summary.results.filter((r) => r.origin.generator === 'user-case');
  const tested = authored.filter((r) => r.status !== 'skipped');
  // Cases the machine could not run are under "Not run", with their reason said once.
  const notRun = authored.filter((r) => r.notRun);
  const skipped = authored.filter((r) => r.status === 'skipped' && !r.notRun);
  const total = authored.length + summary.untested.length;
  const lines = [
    '## Coverage of the user cases',
    '',
    `${tested.length} of ${total} test-case titles written in user cases were tested; ` +
      `${skipped.length} cannot be tested against this target` +
      `${notRun.length > 0 ? `, ${notRun.length} ${notRun.length === 1 ? 'was' : 'were'} not run on this machine (see "Not run")` : ''} ` +
      `and ${summary.untested.length} have no test data yet.`,
    '',
  ];
  if (skipped.length > 0) {
    lines.push('Not testable here:', '');
    for (const r of skipped) {
      lines.push(
        `- ${inert(r.origin.journey)} › ${inert(r.origin.step)} › ${inert(r.title)}: ${inert(r.error ?? '')}`,
      );
    }
    lines.push('');
  }
  if (summary.untested.length > 0) {
    lines.push('No test data yet (add `example` and `expect` to these titles):', '');
    for (const u of summary.untested)
      lines.push(
        `- ${inert(u.journey)} › ${inert(u.step)} › ${inert(u.title)} (${inlineCode(`${u.file}:${u.line}`)})`,
      );
    lines.push('');
  }
  return lines;
}

function operationsSection(summary: RunSummary): string[] {
  if (!summary.operations) return [];
  const { operations, source, responses } = summary.operations;
  const exercised = operations.filter((o) => o.cases > 0);
  const checked =
    responses === undefined
      ? ''
      : responses.checked
        ? ` Their answers were checked ${inert(responses.note)}.`
        : ` **Their answers were not checked against it**: ${inert(responses.note)}.`;
  const lines = [
    '## Operations of the API description',
    '',
    `${exercised.length} of ${plural(operations.length, 'operation')} in ${inlineCode(source)} were exercised.${checked}`,
    '',
    '| operation | tests | passed | problems |',
    '| --- | --- | --- | --- |',
  ];
  for (const o of operations) {
    lines.push(
      `| ${escapeCell(inlineCode(`${o.method} ${o.path}`))} (${escapeCell(inert(o.operationId))}) | ${o.cases || 'none'} | ${o.passed} | ${o.failed} |`,
    );
  }
  return [...lines, ''];
}

function generationSection(summary: RunSummary): string[] {
  const generation = summary.generation;
  if (!generation) return [];
  const sources = generation.providers
    .filter((p) => p.cases > 0 || p.journeys > 0 || p.failed > 0)
    .map((p) => {
      const cached = p.cached > 0 ? `, ${p.cached} of ${plural(p.journeys, 'journey')} from the cache` : '';
      return `${plural(p.cases, 'case')} from ${inert(p.name)}${cached}`;
    });
  if (generation.regression > 0)
    sources.push(`${plural(generation.regression, 'case')} from the regression suite`);
  const lines = [
    '## How these tests were made',
    '',
    `${sentence(sources.join('; '))} Seed ${generation.seed}.`,
  ];
  const { usage } = generation;
  if (usage.requests > 0 || usage.promptTokens > 0) {
    const cost = usage.costUsd > 0 ? `, about $${usage.costUsd.toFixed(usage.costUsd < 1 ? 4 : 2)}` : '';
    lines.push(
      '',
      `The LLM was asked ${plural(usage.requests, 'time')}: ${usage.promptTokens.toLocaleString('en')} prompt and ` +
        `${usage.completionTokens.toLocaleString('en')} completion tokens${cost}.`,
    );
  }
  if (generation.notes.length > 0 && !generation.degraded)
    lines.push('', ...generation.notes.map((n) => `- ${inert(n)}`));
  return [...lines, ''];
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function count(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => `${n} ${item}`).join(', ');
}
