// The plain-language part of a report: an executive summary of two or three sentences and recommendations, one per
// root cause, most serious first (the risk order of src/analyze/risk.ts). A template writes them from the analysis; an LLM may write them instead, grounded: it sees only
// the report model, and its text is rejected (the template serves) when it names a finding that does not exist.
import type { RunSummary } from '../cases/index.ts';
import type { Analysis, Finding } from '../analyze/model.ts';
import { wordsOf } from '../analyze/risk.ts';
import { rootCausesOf, type RootCause } from '../analyze/root-cause.ts';
import type { Narrative, Recommendation } from './model.ts';
import { casesCounted, notRunGroups, notRunSentence } from './not-run.ts';
import { capitalize, listedSome, lowerFirst, plural } from './words.ts';

/** Root causes recommended one by one; the rest are one recommendation, "then the K other problems". */
const RECOMMENDED_CAUSES = 5;
/** Operations a sentence names before "and K more". */
const OPERATIONS_NAMED = 3;

export function templateNarrative(summary: RunSummary, analysis: Analysis): Narrative {
  const ran = summary.results.length - summary.totals.skipped;
  const { findings } = analysis;
  const causes = rootCausesOf(findings);
  const fresh = causes.filter((cause) => cause.findings.some((f) => f.state === 'new'));
  const sentences: string[] = [];
  if (ran === 0) {
    sentences.push(`No tests ran against ${summary.target}: nothing was tested.`);
  } else if (findings.length === 0) {
    sentences.push(`All ${ran} tests against ${summary.target} passed.`);
  } else {
    const cases = findings.reduce((n, f) => n + f.count, 0);
    const compared = analysis.compared
      ? fresh.length === 0
        ? ', none of them new: the base branch fails the same way'
        : `, ${fresh.length} of them new in this change`
      : '';
    sentences.push(
      `${cases} of ${ran} tests against ${summary.target} failed, for ${plural(causes.length, 'distinct problem')}${compared}.`,
    );
    const worst = causes[0]!;
    const lead = worst.findings[0]!;
    const { operations } = worst;
    const ids = idsOf(worst, 'more');
    const where =
      operations.length === 1
        ? `on ${lead.operation} (${ids}, ${lead.risk} risk)`
        : `on ${operations.length} operations (${listedSome(operations, OPERATIONS_NAMED)}; ${ids}, ${lead.risk} risk)`;
    sentences.push(
      `The most serious is ${wordsOf(lead).words} ${where}: ` +
        `${lowerFirst(lead.message)}${/[.!?]$/.test(lead.message) ? '' : '.'}`,
    );
  }
  if (analysis.fixed.length > 0) {
    sentences.push(
      `${plural(analysis.fixed.length, 'problem')} of the base branch ${analysis.fixed.length === 1 ? 'is' : 'are'} fixed here.`,
    );
  } else if (summary.latency?.withinBudget === false) {
    sentences.push(`Responses are slower than the budget: p95 ${Math.round(summary.latency.p95Ms)} ms.`);
  } else if (analysis.flaky.length > 0) {
    sentences.push(`${plural(analysis.flaky.length, 'test')} passed only on a second try.`);
  }
  const notRun = notRunGroups(summary.results);
  if (notRun.length === 1) sentences.push(notRunSentence(notRun[0]!));
  else if (notRun.length > 1) {
    const results = notRun.flatMap((group) => group.results);
    sentences.push(
      `${casesCounted(results)} were not run: this machine lacks what they need (see "Not run").`,
    );
  }
  return {
    summary: sentences.slice(0, 3).join(' '),
    recommendations: recommendationsOf(summary, analysis),
    author: 'template',
  };
}

/**
 * One recommendation: the cause, where it fails, its findings and the smallest test that shows it. "Fix a crash on
 * POST /a: …", or "Fix a leak of internals on 16 operations: POST /a, POST /b, PATCH /c and 13 more. …".
 */
function fixOf(cause: RootCause): Recommendation {
  const lead = cause.findings[0]!;
  const { words } = wordsOf(lead);
  const about = `${idsOf(cause, 'more finding')}; reproduce with "${lead.reproduction.title}"`;
  const { operations } = cause;
  const text =
    operations.length === 1
      ? `Fix ${words} on ${lead.operation}: ${lowerFirst(lead.message)} (${about}).`
      : `Fix ${words} on ${operations.length} operations: ${listedSome(operations, OPERATIONS_NAMED)}. ` +
        `${capitalize(lead.message.replace(/[.!?]$/, ''))} on every one of them, one cause (${about}).`;
  return { text, findings: cause.findings.map((f) => f.id) };
}

/** "F-1a2b3c4d", or "F-1a2b3c4d and 15 more findings" for a cause of several. */
function idsOf(cause: RootCause, more: 'more' | 'more finding'): string {
  const [lead, ...others] = cause.findings as [Finding, ...Finding[]];
  if (others.length === 0) return lead.id;
  return more === 'more'
    ? `${lead.id} and ${others.length} more`
    : `${lead.id} and ${plural(others.length, more)}`;
}

/** One recommendation per root cause, most serious first, then what is not a finding (speed, flakiness, data). */
function recommendationsOf(summary: RunSummary, analysis: Analysis): Recommendation[] {
  const out: Recommendation[] = [];
  const deciding = rootCausesOf(
    analysis.compared ? analysis.findings.filter((f) => f.state === 'new') : analysis.findings,
  );
  out.push(...deciding.slice(0, RECOMMENDED_CAUSES).map(fixOf));
  if (deciding.length > RECOMMENDED_CAUSES) {
    const rest = deciding.slice(RECOMMENDED_CAUSES);
    out.push({
      text: `Then the ${rest.length} other ${analysis.compared ? 'new ' : ''}problems, highest risk first.`,
      findings: rest.flatMap((cause) => cause.findings.map((f) => f.id)),
    });
  }
  const old = analysis.compared
    ? rootCausesOf(analysis.findings.filter((f) => f.state === 'still-failing'))
    : [];
  if (old.length > 0) {
    out.push({
      text: `Plan a fix for the ${plural(old.length, 'problem')} the base branch has too; this change did not cause them.`,
      findings: old.flatMap((cause) => cause.findings.map((f) => f.id)),
    });
  }
  if (summary.latency?.withinBudget === false) {
    out.push({
      text: `Bring p95 response time under ${Math.round(summary.latency.budgetP95Ms!)} ms (now ${Math.round(summary.latency.p95Ms)} ms).`,
      findings: [],
    });
  }
  if (analysis.flaky.length > 0) {
    out.push({
      text: `Look at the ${plural(analysis.flaky.length, 'flaky test')}: an answer that changes between tries is a bug or a race.`,
      findings: [],
    });
  }
  if (summary.untested.length > 0) {
    out.push({
      text: `Add example data to the ${plural(summary.untested.length, 'user-case title')} that have none, so they are tested.`,
      findings: [],
    });
  }
  return out;
}

/** A narrative as an LLM wrote it, before it is checked. */
export interface WrittenNarrative {
  summary: string;
  recommendations: Recommendation[];
}

/** Writes a narrative from the report model; `author` names it in the report. */
export interface NarrativeWriter {
  readonly name: string;
  /** What its requests spent, counted with the run's other LLM requests. */
  readonly usage?: { requests: number; promptTokens: number; completionTokens: number };
  write(model: NarrativeInput): Promise<WrittenNarrative>;
}

/** All an LLM is told: the figures and the findings, nothing it could take for instructions beyond them. */
export interface NarrativeInput {
  target: string;
  totals: RunSummary['totals'];
  compared: boolean;
  /** In the risk order, one root cause's findings together; `cause` is the id of its cause's first finding. */
  findings: (Pick<
    Finding,
    'id' | 'kind' | 'risk' | 'state' | 'check' | 'operation' | 'status' | 'message' | 'count' | 'journeys'
  > & { harm: string; cause: string })[];
  fixed: string[];
  flaky: number;
  untested: number;
  latency?: RunSummary['latency'];
}

export function narrativeInput(summary: RunSummary, analysis: Analysis): NarrativeInput {
  const causeOf = new Map(
    rootCausesOf(analysis.findings).flatMap((cause) =>
      cause.findings.map((f) => [f.id, cause.findings[0]!.id]),
    ),
  );
  return {
    target: summary.target,
    totals: summary.totals,
    compared: analysis.compared,
    findings: analysis.findings.slice(0, 50).map((f) => ({
      id: f.id,
      kind: f.kind,
      harm: wordsOf(f).label,
      cause: causeOf.get(f.id)!,
      risk: f.risk,
      state: f.state,
      check: f.check,
      operation: f.operation,
      ...(f.status !== undefined && { status: f.status }),
      message: f.message.slice(0, 300),
      count: f.count,
      journeys: f.journeys,
    })),
    fixed: analysis.fixed.map((f) => f.id),
    flaky: analysis.flaky.length,
    untested: summary.untested.length,
    ...(summary.latency && { latency: summary.latency }),
  };
}

/** An LLM's summary longer than this is not two or three plain sentences. */
const MAX_SUMMARY = 1000;
/** The report shows eight; the prompt asks for six at most. */
const MAX_RECOMMENDATIONS = 8;

/** Why an LLM's narrative cannot be used, or undefined when it can. */
export function ungrounded(written: WrittenNarrative, analysis: Analysis): string | undefined {
  const known = new Set([...analysis.findings, ...analysis.fixed].map((f) => f.id));
  const texts = [written.summary, ...written.recommendations.map((r) => r.text)];
  const named = [
    ...texts.flatMap((text) => text.match(/\bF-[0-9a-z]+\b/gi) ?? []),
    ...written.recommendations.flatMap((r) => r.findings),
  ];
  const invented = [...new Set(named.filter((id) => !known.has(id)))];
  if (invented.length > 0) return `it names findings that do not exist: ${invented.join(', ')}`;
  // It goes into a comment's own lines, where a "/" would be a command to bots, and is never cut.
  if (/^\s*\//.test(written.summary)) return 'the summary starts with "/", which bots read as a command';
  if (written.summary.length > MAX_SUMMARY) {
    return `the summary is ${written.summary.length} characters long, more than ${MAX_SUMMARY}`;
  }
  if (written.recommendations.length > MAX_RECOMMENDATIONS) {
    return `it makes ${written.recommendations.length} recommendations, more than ${MAX_RECOMMENDATIONS}`;
  }
  const sentences = written.summary.split(/(?<=[.!?])\s+/).filter((s) => s.trim() !== '');
  if (sentences.length === 0 || sentences.length > 4) {
    return `the summary must be two or three sentences, it has ${sentences.length}`;
  }
  if (analysis.findings.length > 0 && written.recommendations.length === 0) {
    return 'there are findings but no recommendation';
  }
  return undefined;
}

/**
 * The LLM's narrative when it writes one that holds to the findings; the template's otherwise, with the reason.
 * A writer that fails (network, budget, garbage) never fails the report.
 */
export async function writeNarrative(
  summary: RunSummary,
  analysis: Analysis,
  writer?: NarrativeWriter,
): Promise<{ narrative: Narrative; note?: string }> {
  const template = templateNarrative(summary, analysis);
  if (!writer) return { narrative: template };
  let written: WrittenNarrative;
  try {
    written = await writer.write(narrativeInput(summary, analysis));
  } catch (error) {
    return {
      narrative: template,
      note: `${writer.name} could not write the summary (${(error as Error).message}); the template did.`,
    };
  }
  const problem = ungrounded(written, analysis);
  if (problem) {
    return {
      narrative: template,
      note: `The summary ${writer.name} wrote was not used: ${problem}. The template wrote it.`,
    };
  }
  return { narrative: { ...written, author: writer.name } };
}
