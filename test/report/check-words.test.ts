// A finding's words come from its check: a JSON body sent as text/html was labelled "an answer off the API
// description" (the broad harm of its check), though the check has nothing to do with an API description.
import { describe, expect, it } from '@jest/globals';
import { CHECK_HARMS, CHECK_WORDS, wordsOf } from '../../src/analyze/risk.ts';
import { renderHtml, renderMarkdown, reportOf } from '../../src/report/index.ts';
import { BUILT_IN_CHECKS } from '../../src/run/index.ts';
import { OPENAPI_CHECK_NAMES } from '../../src/run/openapi.ts';
import { ESCAPE_CHECK } from '../../src/run/ui/run-ui-case.ts';
import { result, summaryOf } from '../support/results.ts';

const sentAsHtml = (status: number) =>
  result(`GET /api/items answers with ${status}`, 'failed', {
    check: 'json_content_type',
    message: 'the body is JSON but is sent as "text/html"',
    method: 'GET',
    url: 'http://127.0.0.1:4100/api/items',
    status,
  });

describe('the words of each check', () => {
  it('exist for every check Gauntlet has, each its own', () => {
    const checks = new Set([
      ...Object.keys(CHECK_HARMS),
      ...BUILT_IN_CHECKS.map((check) => check.name),
      ...OPENAPI_CHECK_NAMES,
      ESCAPE_CHECK,
    ]);
    const missing = [...checks].filter((check) => !CHECK_WORDS[check]);
    expect(missing).toEqual([]);
    const words = [...checks].map((check) => CHECK_WORDS[check]!.words);
    const labels = [...checks].map((check) => CHECK_WORDS[check]!.label);
    expect(new Set(words).size).toBe(words.length);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('name a JSON body sent as another type as such, nowhere calling it off the API description', () => {
    const report = reportOf(summaryOf([sentAsHtml(200)]));
    const [finding] = report.analysis.findings;
    expect(wordsOf(finding!)).toEqual({
      words: 'a JSON body sent with another content type',
      label: 'JSON content type',
    });
    const [fix] = report.narrative.recommendations;
    expect(fix!.text).toMatch(/^Fix a JSON body sent with another content type on GET \/api\/items: /);
    expect(report.narrative.summary).toContain(
      'The most serious is a JSON body sent with another content type',
    );
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('risk (JSON content type) on `GET /api/items`');
    for (const text of [markdown, renderHtml(report)]) {
      expect(text).not.toMatch(/API description|off the contract/);
    }
    expect(renderHtml(report)).toContain('<td>JSON content type</td>');
  });

  it('give way to the harm when the answer makes it another: a server error seen by any check is a crash', () => {
    const [finding] = reportOf(summaryOf([sentAsHtml(500)])).analysis.findings;
    expect(wordsOf(finding!)).toEqual({ words: 'a crash', label: 'crash' });
    // A refusal the service ignored is broken access control, whichever check saw it.
    const ignored = reportOf(
      summaryOf([
        result('GET /api/admin without credentials', 'failed', {
          message: 'expected status 401, got 200',
          method: 'GET',
          url: 'http://127.0.0.1:4100/api/admin',
          status: 200,
        }),
      ]),
    ).analysis.findings[0]!;
    expect(wordsOf(ignored).words).toBe('broken access control');
  });

  it('of a check without words of its own, a load threshold, are its harm’s', () => {
    expect(
      wordsOf({ check: 'load.p95', kind: 'performance', message: 'p95 was 900 ms, over 500 ms' }),
    ).toEqual({ words: 'a slowdown', label: 'slowdown' });
  });
});
