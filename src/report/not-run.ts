// The cases the machine could not run (no browser, no k6), grouped by what was missing: each reason is said once,
// with how to fix it, on the command line and in every report, apart from the findings about the service.
import type { NotRun, RunResult } from '../cases/index.ts';
import { NEED_FIXES } from '../run/environment.ts';
import { capitalize, plural } from './words.ts';

export interface NotRunGroup {
  need: NotRun['need'];
  /** What is missing, as the run found it: "there is no browser at /usr/bin/chromium". */
  reason: string;
  /** How to fix the machine, in Gauntlet's words (Markdown code spans in backticks), whatever the results file says. */
  fix: string;
  results: RunResult[];
}

/** The results not run for want of something of the machine, one group per need and reason, in run order. */
export function notRunGroups(results: readonly RunResult[]): NotRunGroup[] {
  const groups = new Map<string, NotRunGroup>();
  for (const result of results) {
    if (!result.notRun) continue;
    const reason = result.error ?? `the machine lacks ${result.notRun.need}`;
    const key = `${result.notRun.need}\n${reason}`;
    const group = groups.get(key);
    if (group) group.results.push(result);
    else
      groups.set(key, {
        need: result.notRun.need,
        reason,
        fix: NEED_FIXES[result.notRun.need],
        results: [result],
      });
  }
  return [...groups.values()];
}

const KIND_WORDS: Record<RunResult['kind'], string> = { ui: 'UI case', load: 'load case', api: 'case' };

/** "6 UI cases", "1 load case", "2 UI cases and 1 load case". */
export function casesCounted(results: readonly RunResult[]): string {
  const counts = new Map<RunResult['kind'], number>();
  for (const r of results) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => plural(n, KIND_WORDS[kind])).join(' and ');
}

/** "There is no browser at /x: 6 UI cases were not run." */
export function notRunSentence(group: NotRunGroup): string {
  return `${capitalize(group.reason)}: ${casesCounted(group.results)} ${group.results.length === 1 ? 'was' : 'were'} not run.`;
}
