// A run's findings as annotations at the user-case line each came from: for a check run (Checks API) and, through
// the same mapping, for the root action's `core.error`/`core.warning`. Plain data in and out, no Octokit.
import path from 'node:path';
import type { ResultFinding, RunSummary } from '../cases/index.ts';
import { findingRecords, isNewFinding, isOpenFinding } from '../report/results-json.ts';
import { reportOf } from '../report/index.ts';
import { capitalize, plural, sentence } from '../report/words.ts';
import { fitPlain } from './fit-text.ts';

export type AnnotationLevel = 'notice' | 'warning' | 'failure';

/** One annotation in the Checks API's shape (`output.annotations[]`). */
export interface CheckAnnotation {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: AnnotationLevel;
  title: string;
  message: string;
  raw_details?: string;
}

/** GitHub's limits on one annotation: title 255 characters, message and raw details 64 KB each. */
export const ANNOTATION_TITLE_LIMIT = 255;
export const ANNOTATION_TEXT_BYTES = 64 * 1024;

/**
 * High and medium risks are what the team should fix before merging (a security hole, lost data, a crash, a broken
 * contract), so they are failures, shown as errors on the line; low risks (slowness, a cosmetic answer) are worth
 * a look but block nothing, so they are warnings. `notice` is left for what is not a problem.
 */
export const LEVEL_OF_RISK: Record<ResultFinding['risk'], AnnotationLevel> = {
  high: 'failure',
  medium: 'failure',
  low: 'warning',
};

export interface AnnotationOptions {
  /** Only findings new against the base run. A run not compared with a base has every finding new. */
  onlyNew?: boolean;
  /**
   * At most this many annotations, or this many of each level (GitHub Actions shows 10 errors and 10 warnings per
   * step); the most serious findings are kept, as results.json lists them most serious first.
   */
  max?: number | Partial<Record<AnnotationLevel, number>>;
  /** Where absolute user-case paths are made relative from: the repository root (default: the working directory). */
  root?: string;
  /** The base run to compare with: the findings are then recomputed against it, with their new/existing state. */
  base?: RunSummary;
}

export interface Annotations {
  annotations: CheckAnnotation[];
  /** Findings left out: past `max`, or with no file in the repository to point at (an OpenAPI URL, no path). */
  omitted: number;
}

/** Annotations for the open findings of a results file (fixed findings are no problem, so they get none). */
export function annotationsFor(summary: RunSummary, options: AnnotationOptions = {}): Annotations {
  // A results file read back (readSummary), or an older one, has no findings: they are recomputed from its results,
  // as `report` does, and so are they against a base run, which the file's own findings may not have been.
  const recorded = options.base ? undefined : summary.findings;
  const all = recorded ?? findingRecords(reportOf(summary, options.base ? { base: options.base } : {}));
  const findings = all.filter((f) => isOpenFinding(f) && (!options.onlyNew || isNewFinding(f)));
  const root = options.root ?? process.cwd();
  const taken: Partial<Record<AnnotationLevel, number>> = {};
  const annotations: CheckAnnotation[] = [];
  for (const finding of findings) {
    const file = repositoryPath(finding.reproduction.file, root);
    const level = LEVEL_OF_RISK[finding.risk];
    if (file === undefined || !room(options.max, level, taken, annotations.length)) continue;
    taken[level] = (taken[level] ?? 0) + 1;
    annotations.push(annotationOf(finding, file, level));
  }
  return { annotations, omitted: findings.length - annotations.length };
}

function room(
  max: AnnotationOptions['max'],
  level: AnnotationLevel,
  taken: Partial<Record<AnnotationLevel, number>>,
  total: number,
): boolean {
  if (max === undefined) return true;
  if (typeof max === 'number') return total < max;
  return (taken[level] ?? 0) < (max[level] ?? Infinity);
}

function annotationOf(finding: ResultFinding, file: string, level: AnnotationLevel): CheckAnnotation {
  const { reproduction: r } = finding;
  const risk = `${capitalize(finding.risk)} risk`;
  const state = finding.state === 'new' ? ', new against the base run' : '';
  const tests = finding.count === 1 ? 'One test' : plural(finding.count, 'test');
  const journeys =
    finding.journeys.length > 0 ? ` of ${finding.journeys.map((j) => `"${j}"`).join(', ')}` : '';
  const message = [
    sentence(finding.message),
    `${tests}${journeys} failed this way; the smallest is "${r.title}" (${r.caseId}).`,
    finding.operations.length > 1
      ? `Its root cause also fails ${plural(finding.operations.length - 1, 'other operation')}: ${finding.operations
          .filter((o) => o !== finding.operation)
          .join(', ')}.`
      : '',
    `Finding ${finding.id}.`,
  ]
    .filter(Boolean)
    .join('\n');
  const details = r.curl ?? r.steps?.map((step, i) => `${i + 1}. ${step}`).join('\n');
  return {
    path: file,
    start_line: r.line,
    end_line: r.line,
    annotation_level: level,
    title: fitPlain(`${risk}${state}: ${finding.words} on ${finding.operation}`, ANNOTATION_TITLE_LIMIT),
    message: fitPlain(message, ANNOTATION_TEXT_BYTES, 'bytes'),
    ...(details !== undefined && {
      raw_details: fitPlain(`To see it again:\n${details}`, ANNOTATION_TEXT_BYTES, 'bytes'),
    }),
  };
}

/**
 * The user case's path relative to the repository, with forward slashes; undefined for what is no file of the
 * repository: nothing, a URL (an OpenAPI description fetched over HTTP), or a path outside the root.
 */
export function repositoryPath(file: string, root: string): string | undefined {
  if (file.trim() === '' || /^[a-z][a-z0-9+.-]+:/i.test(file)) return undefined;
  const slashed = file.replaceAll('\\', '/');
  const relative = path.posix.isAbsolute(slashed)
    ? path.posix.relative(root.replaceAll('\\', '/'), slashed)
    : path.posix.normalize(slashed);
  if (relative === '' || relative === '.' || relative === '..' || relative.startsWith('../'))
    return undefined;
  return relative.replace(/^(?:\.\/)+/, '');
}
