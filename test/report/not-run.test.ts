// Cases the machine could not run, in every report: apart from the findings, each reason said once with its fix.
import { describe, expect, it } from '@jest/globals';
import type { RunResult } from '../../src/cases/index.ts';
import { analyze } from '../../src/analyze/analyze.ts';
import { exitCodeOf, renderHtml, renderJunit, renderMarkdown, reportOf } from '../../src/report/index.ts';
import { NEED_FIXES } from '../../src/run/environment.ts';
import { result, summaryOf } from '../support/results.ts';

const NO_BROWSER = 'there is no browser at /opt/[chromium](https://evil.example)';
const NO_K6 = 'the load engine is k6, but no k6 executable is on PATH';

const notRun = (title: string, kind: RunResult['kind'], need: 'browser' | 'k6', error: string): RunResult =>
  result(
    title,
    'skipped',
    {},
    { kind, error, notRun: { reason: 'environment', need, fix: NEED_FIXES[need] } },
  );

const uiCases = Array.from({ length: 12 }, (_, i) =>
  notRun(`The page ${i + 1} opens`, 'ui', 'browser', NO_BROWSER),
);
const summary = summaryOf([
  result('Create a project', 'passed'),
  result('Create a project offline', 'skipped', {}, { error: 'Offline mode lives in the browser.' }),
  ...uiCases,
  notRun('The dashboard under load', 'load', 'k6', NO_K6),
]);

describe('cases the machine could not run', () => {
  it('are no finding and fail nothing', () => {
    const analysis = analyze(summary);
    expect(analysis.findings).toEqual([]);
    expect(analysis.verdict).toBe('pass');
    expect(exitCodeOf(summary)).toBe(0);
  });

  it('stand apart in the Markdown report, each reason once with its fix, and are counted in the summary', () => {
    const markdown = renderMarkdown(reportOf(summary));
    expect(markdown).toMatch(/^\*\*No problems found\.\*\* 1 tests ran/m);
    expect(markdown).toContain(
      '12 UI cases and 1 load case were not run: this machine lacks what they need (see "Not run").',
    );
    const section = markdown.slice(markdown.indexOf('## Not run'));
    expect(section).toContain(
      `- **There is no browser at /opt/\\[chromium\\](\`https://evil.example\`): 12 UI cases were not run.** ${NEED_FIXES.browser}`,
    );
    expect(section).toContain(
      `- **The load engine is k6, but no k6 executable is on PATH: 1 load case was not run.** ${NEED_FIXES.k6}`,
    );
    expect(section.match(/^ {2}- The page \d+ opens \(`user-cases\/music\.yml:10`\)$/gm)).toHaveLength(10);
    expect(section).toContain('  - …and 2 more');
    expect(markdown).not.toContain('](https://evil.example)');
    // The coverage of the user cases counts them apart from the cases that cannot be tested against the target.
    expect(markdown).toContain('1 cannot be tested against this target, 13 were not run on this machine');
    const notTestable = markdown.slice(markdown.indexOf('Not testable here:'));
    expect(notTestable).toContain('Create a project offline');
    expect(notTestable).not.toContain('The page 1 opens');
  });

  it('stand apart in the HTML report, with the fix in code, and are skipped with the fix in JUnit', () => {
    const html = renderHtml(reportOf(summary));
    expect(html).toContain('<h2>Not run</h2>');
    expect(html).toContain(
      '<b>The load engine is k6, but no k6 executable is on PATH: 1 load case was not run.</b> Install k6',
    );
    expect(html).toContain('<code>sudo apt-get install chromium</code>');
    expect(html).not.toContain('<a href="https://evil.example"');
    const junit = renderJunit(summary);
    expect(junit).toContain(
      `<skipped message="not run on this machine: ${NO_K6}. Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/)`,
    );
    expect(junit).toContain('<skipped message="Offline mode lives in the browser."/>');
  });

  it('are said in the summary by their reason when there is one', () => {
    const one = summaryOf([
      result('Create a project', 'passed'),
      notRun('The page opens', 'ui', 'browser', NO_BROWSER),
    ]);
    expect(reportOf(one).narrative.summary).toBe(
      `All 1 tests against http://127.0.0.1:4100/ passed. There is no browser at /opt/[chromium](https://evil.example): 1 UI case was not run.`,
    );
  });
});
