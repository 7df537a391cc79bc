// SARIF 2.1.0 for GitHub code scanning: the security and data-loss findings of a run, each an alert on the user-case
// line whose test shows it. One rule per check, one result per finding. Fixed findings are left out: code scanning
// closes an alert by itself when a later upload no longer has it.
import path from 'node:path';
import type { Finding, FindingKind, Risk } from '../analyze/model.ts';
import { BUILT_IN_CHECKS } from '../run/checks.ts';
import { inert, inlineCode } from './inert.ts';
import type { Report } from './model.ts';

/**
 * Code scanning rejects a run with more than 25,000 results and keeps only 5,000 of those it accepts; Gauntlet keeps
 * the 5,000 most important itself (findings come most risky and newest first) and says in `run.properties` that it
 * left the rest out.
 */
export const SARIF_RESULT_LIMIT = 5000;

/** The kinds of finding that code scanning shows: harm an attacker can do or data the user loses. */
const ALERT_KINDS: ReadonlySet<FindingKind> = new Set(['security', 'data-loss']);

const LEVEL: Record<Risk, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note' };

/**
 * Code scanning calls a `security-severity` of 9.0 or more critical, 7.0 to 8.9 high, 4.0 to 6.9 medium and below 4.0
 * low: each risk lands in the middle of its band, and none is called critical, which a test run cannot judge.
 */
const SECURITY_SEVERITY: Record<Risk, string> = { high: '8.0', medium: '5.0', low: '2.0' };

const RISK_ORDER: Record<Risk, number> = { high: 0, medium: 1, low: 2 };

interface CheckFacts {
  title: string;
  /** What to do about it, in a sentence or two. */
  fix: string;
  cwe?: number;
}

/** Checks that guard against attackers; their plain description is the check's own, in BUILT_IN_CHECKS. */
const KNOWN_CHECKS: Record<string, CheckFacts> = {
  requires_auth: {
    title: 'Reachable without valid credentials',
    fix: 'Refuse requests without a valid identity with a 4xx (401 or 403 tell the client why), in the handler or in the middleware in front of it.',
    cwe: 306,
  },
  owner_only: {
    title: "Another user's data is reachable",
    fix: 'Check that the signed-in user owns the record, or may see it, before answering; answer 403 or 404 otherwise.',
    cwe: 639,
  },
  no_sql_error: {
    title: 'Database error shown to the client (possible SQL injection)',
    fix: "Pass input to queries as parameters, never pasted into the query text, and answer errors without the database's message.",
    cwe: 89,
  },
  no_reflected_markup: {
    title: 'Markup sent in a request comes back unescaped (reflected XSS)',
    fix: "Escape every value put into HTML (the template engine's escaping does it) and add a Content-Security-Policy.",
    cwe: 79,
  },
  no_header_injection: {
    title: 'A line break in a value adds a response header (response splitting)',
    fix: 'Reject or strip carriage returns and line feeds from values written into response headers.',
    cwe: 113,
  },
  no_stack_trace: {
    title: 'Stack trace shown to the client',
    fix: 'Log errors on the server and answer with a short message that names no file, line or library.',
    cwe: 209,
  },
  no_debug_page: {
    title: 'Framework debug page exposed',
    fix: 'Turn debug mode off wherever the service is deployed.',
    cwe: 489,
  },
  not_a_server_error: {
    title: 'Server error on a hostile request',
    fix: 'Validate input and answer what the service cannot handle with a 4xx; a crash on crafted input can hide an injection.',
  },
};

const CHECK_DESCRIPTIONS = new Map(BUILT_IN_CHECKS.map((check) => [check.name, check.description]));

interface Message {
  text: string;
  markdown?: string;
}

interface SarifRule {
  id: string;
  shortDescription: Message;
  fullDescription: Message;
  help: Message & { markdown: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
  properties: { tags: string[]; precision: 'high'; 'security-severity': string };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning' | 'note';
  message: Message;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  baselineState?: 'new' | 'unchanged';
  properties: Record<string, unknown>;
}

/** The report as a SARIF log with one run, for `github/codeql-action/upload-sarif`. */
export function renderSarif(report: Report): string {
  const { summary, analysis } = report;
  const alerts = analysis.findings.filter((f) => ALERT_KINDS.has(f.kind) && f.state !== 'fixed');
  const kept = alerts.slice(0, SARIF_RESULT_LIMIT);
  const rules = rulesOf(kept);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results = kept.map((finding) => resultOf(finding, ruleIndex.get(finding.check)!, analysis.compared));
  const started = Date.parse(summary.startedAt);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Gauntlet', version: summary.version, rules } },
        invocations: [
          {
            executionSuccessful: true,
            ...(Number.isFinite(started) && {
              startTimeUtc: new Date(started).toISOString(),
              endTimeUtc: new Date(started + summary.durationMs).toISOString(),
            }),
          },
        ],
        results,
        properties: {
          target: summary.target,
          findings: alerts.length,
          ...(kept.length < alerts.length && {
            truncated: true,
            resultLimit: SARIF_RESULT_LIMIT,
            omittedFindings: alerts.length - kept.length,
          }),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** One rule per check, in the order the results first use them; a rule is as severe as its worst finding. */
function rulesOf(findings: readonly Finding[]): SarifRule[] {
  const byCheck = new Map<string, Finding[]>();
  for (const finding of findings) {
    const found = byCheck.get(finding.check);
    if (found) found.push(finding);
    else byCheck.set(finding.check, [finding]);
  }
  return [...byCheck].map(([check, found]) => {
    const risk = found.reduce<Risk>(
      (worst, f) => (RISK_ORDER[f.risk] < RISK_ORDER[worst] ? f.risk : worst),
      'low',
    );
    const kinds = [...new Set(found.map((f) => f.kind))].filter((kind) => kind !== 'security');
    const facts = KNOWN_CHECKS[check];
    const description =
      CHECK_DESCRIPTIONS.get(check) ??
      `A test Gauntlet ran to probe security or data integrity failed its "${check}" check: the service answered in a way the test does not accept.`;
    const title = facts?.title ?? `Gauntlet check "${check}" failed on a security or data-loss test`;
    const fix =
      facts?.fix ??
      'Fix the service so that the test passes; the user case at the location says what it expects.';
    const reproduce =
      'Each alert points at the user case whose test failed; its properties hold the finding id and, for HTTP steps, a curl line that shows the problem again.';
    return {
      id: check,
      shortDescription: { text: title },
      fullDescription: { text: description },
      help: {
        text: `${description}\n\n${fix}\n\n${reproduce}`,
        // The check's name may come from a generated case: shown inert, as in report.md.
        markdown: `**${inert(title)}** (Gauntlet check ${inlineCode(check)})\n\n${inert(description)}\n\n**What to do:** ${fix}\n\n${reproduce}`,
      },
      defaultConfiguration: { level: LEVEL[risk] },
      properties: {
        tags: [
          'security',
          ...kinds,
          ...(facts?.cwe ? [`external/cwe/cwe-${String(facts.cwe).padStart(3, '0')}`] : []),
        ],
        precision: 'high',
        'security-severity': SECURITY_SEVERITY[risk],
      },
    };
  });
}

function resultOf(finding: Finding, ruleIndex: number, compared: boolean): SarifResult {
  const { reproduction } = finding;
  const times = finding.count === 1 ? 'one test' : `${finding.count} tests`;
  const journeys =
    finding.journeys.length > 0 ? ` of ${finding.journeys.map((j) => `"${j}"`).join(', ')}` : '';
  return {
    ruleId: finding.check,
    ruleIndex,
    level: LEVEL[finding.risk],
    message: {
      text: `${finding.operation}: ${finding.message} (${times}${journeys} failed this way; the smallest is "${reproduction.title}").`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: repositoryUri(reproduction.file) },
          region: { startLine: reproduction.line },
        },
      },
    ],
    // The finding id hashes the failure's signature, so an alert stays one alert across runs and edits of the file.
    partialFingerprints: { 'gauntletFinding/v1': finding.id },
    // Only a run compared with the base branch knows which findings are new.
    ...(compared && { baselineState: finding.state === 'new' ? 'new' : 'unchanged' }),
    properties: {
      findingId: finding.id,
      state: finding.state,
      kind: finding.kind,
      risk: finding.risk,
      operation: finding.operation,
      ...(finding.status !== undefined && { status: finding.status }),
      count: finding.count,
      journeys: finding.journeys,
      caseId: reproduction.caseId,
      ...(reproduction.curl !== undefined && { curl: reproduction.curl }),
      ...(reproduction.steps !== undefined && { steps: reproduction.steps }),
    },
  };
}

/**
 * User-case paths as code scanning wants them: relative to the repository root (Gauntlet runs from it; an absolute
 * path is made relative to where it ran), with forward slashes, encoded.
 */
function repositoryUri(file: string): string {
  return (path.isAbsolute(file) ? path.relative(process.cwd(), file) : file)
    .replaceAll('\\', '/')
    .replace(/^(?:\.\/)+/, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}
