// The analysis of a run: failures grouped into findings (one failure on one operation, one finding), each labelled
// against the base branch's run and given a risk, in the risk order with the findings of one root cause together;
// the coverage of the user-case matrix; and what the verdict rests on.
import type { RunResult } from '../cases/index.ts';

export type Risk = 'high' | 'medium' | 'low';

/** Against the base run: failing only here, failing there too, or failing there and passing here. */
export type FindingState = 'new' | 'still-failing' | 'fixed';

/** What kind of harm a finding stands for; security and data loss weigh most. */
export type FindingKind = 'security' | 'data-loss' | 'crash' | 'performance' | 'contract' | 'behaviour';

export interface Finding {
  /** Stable across runs for the same signature: "F-" and 8 hex digits. */
  id: string;
  /** check | operation | status | normalized message: the same failure on the same operation, the same signature. */
  signature: string;
  check: string;
  /** "POST /api/projects/{}" for HTTP steps (ids in the path normalized), "UI <step>" for browser steps. */
  operation: string;
  /** The status the failing step got, when it got an answer. */
  status?: number;
  /** The first failure's message, as the check wrote it. */
  message: string;
  kind: FindingKind;
  risk: Risk;
  /** The highest priority of the cases that fail this way: the users' data at stake orders findings of one risk. */
  priority?: string;
  state: FindingState;
  /** The journeys it shows in, by name. */
  journeys: string[];
  /** Results that fail this way (for a fixed finding: none here). */
  count: number;
  caseIds: string[];
  /** The exploration round that first failed this way (0: the generated run), after `gauntlet explore`. */
  firstSeenRound?: number;
  /** The smallest failing case: exploration's shrunk one, else the fewest steps, then shortest request bodies. */
  reproduction: {
    caseId: string;
    title: string;
    file: string;
    line: number;
    curl?: string;
    steps?: string[];
  };
}

export interface TitleCoverage {
  title: string;
  line: number;
  state: 'passing' | 'failing' | 'untested';
}

export interface StepCoverage {
  step: string;
  passed: number;
  failed: number;
  titles: TitleCoverage[];
}

export interface JourneyCoverage {
  file: string;
  role: string;
  journey: string;
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
  steps: StepCoverage[];
}

export interface Analysis {
  /** Findings of this run, most serious first (risk.ts), the findings of one root cause together (root-cause.ts). */
  findings: Finding[];
  /** Findings of the base run that no longer fail. */
  fixed: Finding[];
  /** Whether a base run was given to compare with. */
  compared: boolean;
  flaky: RunResult[];
  coverage: JourneyCoverage[];
  /** What fails the check: new findings (with a base), every finding (without one), or a latency budget missed. */
  verdict: 'pass' | 'fail';
}
