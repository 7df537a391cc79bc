// The analysis of results: failures grouped by signature, labelled against a base run, given a risk; the coverage
// of the user-case matrix; and the Markdown report that must fit a GitHub comment however many failures there are.
import { describe, expect, it } from '@jest/globals';
import type { RunResult } from '../../src/cases/index.ts';
import { analyze } from '../../src/analyze/analyze.ts';
import { failureSignature, normalizeMessage, normalizePath } from '../../src/analyze/signature.ts';
import { COMMENT_LIMIT, renderMarkdown, reportOf, ungrounded } from '../../src/report/index.ts';
import { result, summaryOf } from '../support/results.ts';

describe('failure signatures', () => {
  it('leave out what differs between two failures of one cause: ids in paths, numbers, quoted values, addresses', () => {
    expect(normalizePath('http://h/api/projects/42/tracks/3f0c2b9e-1d7a-4c1e-9b2a-6f1e0d9c8b7a?x=1')).toBe(
      '/api/projects/{}/tracks/{}',
    );
    expect(normalizePath('http://h/api/projects/new')).toBe('/api/projects/new');
    expect(normalizeMessage('expected "dup-a1@example.test" to be refused, got 12 ms\nstack')).toBe(
      'expected "…" to be refused, got N ms',
    );
    const one = failureSignature(
      result('a', 'failed', { url: 'http://h/api/projects/7', message: 'took 120 ms' }),
    );
    const two = failureSignature(
      result('b', 'failed', { url: 'http://h/api/projects/9', message: 'took 340 ms' }),
    );
    expect(one!.key).toBe(two!.key);
    expect(one!.key).toBe('status | POST /api/projects/{} | 201 | took N ms');
    expect(failureSignature(result('c', 'passed'))).toBeUndefined();
  });
});

describe('findings', () => {
  it('are one per root cause, with their count, every case, and the smallest reproduction', () => {
    const analysis = analyze(
      summaryOf([
        result('empty name, long body', 'failed', { body: '{"name":"","genre":"rock","bpm":120}' }),
        result('empty name', 'failed', { body: '{"name":""}' }),
        result('blank name', 'failed', { body: '{"name":"   ","genre":"jazz"}' }),
        result('no token', 'failed', {
          check: 'requires_auth',
          message: 'a request without credentials succeeded (200); it must be refused with 401 or 403',
          method: 'GET',
          url: 'http://h/api/projects',
          status: 200,
        }),
        result('valid', 'passed'),
      ]),
    );
    expect(analysis.findings.map((f) => [f.check, f.count, f.kind, f.risk])).toEqual([
      ['requires_auth', 1, 'security', 'high'],
      ['status', 3, 'behaviour', 'low'],
    ]);
    const grouped = analysis.findings[1]!;
    expect(grouped.caseIds).toHaveLength(3);
    expect(grouped.reproduction.title).toBe('empty name');
    expect(grouped.id).toMatch(/^F-[0-9a-f]{8}$/);
    expect(analysis.verdict).toBe('fail');
  });

  it('weigh priority, crashes and how many journeys show them', () => {
    const crash = (title: string, journey: string, priority = 'medium') =>
      result(
        title,
        'failed',
        { check: 'not_a_server_error', message: 'the service failed with 500 (a server error)', status: 500 },
        { priority, origin: { ...result(title, 'failed').origin, journey } },
      );
    const risks = (results: RunResult[]) => analyze(summaryOf(results)).findings.map((f) => f.risk);
    expect(risks([crash('a', 'J1')])).toEqual(['medium']);
    expect(risks([crash('a', 'J1', 'high')])).toEqual(['high']);
    expect(risks([crash('a', 'J1'), crash('b', 'J2'), crash('c', 'J3')])).toEqual(['high']);
    expect(risks([result('d', 'failed', {}, { priority: 'critical' })])).toEqual(['high']);
  });
});

describe('against the base run', () => {
  const stays = result('stays broken', 'failed', {
    message: 'expected status 409, got 201',
    url: 'http://h/api/signup',
  });
  const fixedLater = result('fixed later', 'failed', {
    message: 'expected status 404, got 200',
    url: 'http://h/api/a',
  });
  const base = summaryOf([stays, fixedLater, result('fine', 'passed')]);

  it('labels findings new or still failing, and the base findings whose cases now pass fixed', () => {
    const head = summaryOf([
      stays,
      { ...fixedLater, status: 'passed', failures: [], evidence: [], reproduction: {} },
      result('fine', 'failed', {
        check: 'no_stack_trace',
        message: 'the response leaks a stack trace',
        status: 400,
      }),
    ]);
    const analysis = analyze(head, { base });
    expect(analysis.compared).toBe(true);
    expect(analysis.findings.map((f) => [f.check, f.state])).toEqual([
      ['no_stack_trace', 'new'],
      ['status', 'still-failing'],
    ]);
    expect(analysis.fixed.map((f) => [f.message, f.state, f.count])).toEqual([
      ['expected status 404, got 200', 'fixed', 0],
    ]);
    expect(analysis.verdict).toBe('fail');
  });

  it('passes a change that adds no finding, and does not call fixed what did not run', () => {
    const head = summaryOf([stays]);
    const analysis = analyze(head, { base });
    expect(analysis.findings.map((f) => f.state)).toEqual(['still-failing']);
    expect(analysis.fixed).toEqual([]);
    expect(analysis.verdict).toBe('pass');
    // Without a base, every finding counts.
    expect(analyze(head).verdict).toBe('fail');
  });
});

describe('coverage of the user-case matrix', () => {
  it('marks each written title passing, failing or untested, by journey and step', () => {
    const coverage = analyze(
      summaryOf(
        [
          result('valid', 'passed'),
          result('empty name', 'failed'),
          result('offline', 'skipped'),
          result('retry', 'flaky'),
        ],
        [
          {
            file: 'user-cases/music.yml',
            line: 30,
            column: 9,
            role: 'Producer',
            journey: 'Make a song',
            step: 'Share',
            title: 'Share with a band',
          },
        ],
      ),
    ).coverage;
    expect(coverage).toHaveLength(1);
    expect(coverage[0]).toMatchObject({ journey: 'Make a song', passed: 1, failed: 1, skipped: 1, flaky: 1 });
    expect(
      coverage[0]!.steps.map((s) => [s.step, s.titles.map((t) => `${t.title}: ${t.state}`).sort()]),
    ).toEqual([
      ['Create project', ['empty name: failing', 'retry: passing', 'valid: passing']],
      ['Share', ['Share with a band: untested']],
    ]);
  });
});

describe('the Markdown report of a run with many failures', () => {
  it('fits a GitHub comment by cutting detail, never the summary or the key findings', () => {
    const results = Array.from({ length: 400 }, (_, i) =>
      result(`case ${i}`, 'failed', {
        message: `expected status 400, got 201 at step ${i % 7 === 0 ? 'x' : i}`,
        url: `http://h/api/resource-${i % 120}`,
        body: 'x'.repeat(2000),
      }),
    );
    const report = reportOf(summaryOf(results), { fullReportUrl: 'https://example.test/run/1' });
    const markdown = renderMarkdown(report);
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(markdown).toContain(`## Summary\n\n${report.narrative.summary}\n`);
    expect(markdown).toContain('## Key findings');
    // Each finding here is its own root cause (a status check judges one operation): one row each.
    expect(markdown).toContain(`…and ${report.analysis.findings.length - 10} more problems, below.`);
    expect(markdown).toMatch(
      /_This report was shortened to fit a GitHub comment: the details of \d+ findings(, [a-z ]+)*( and [a-z ]+)? left out\. See \[the full report\]\(https:\/\/example\.test\/run\/1\)\._\n$/,
    );
    // The details of the most important findings are the last to go; the least important go first.
    const { findings } = report.analysis;
    expect(markdown).toContain(`### ${findings[0]!.id}:`);
    expect(markdown).not.toContain(`### ${findings.at(-1)!.id}:`);
    // Without a base to compare with, the key findings have no column for it.
    expect(markdown).toContain('| finding | risk | what | where | tests |');
    // A report that fits is not cut.
    expect(renderMarkdown(reportOf(summaryOf(results.slice(0, 2))))).not.toContain('shortened');
  });
});

describe('text from the tested service in the Markdown report', () => {
  it('cannot close its code block or open HTML', () => {
    const hostile = result('echoes', 'failed', { message: 'expected <b>bold</b> to be refused' });
    hostile.evidence[0]!.response!.body = 'before\n```\n</details><img src=x onerror=alert(1)>\n```\nafter';
    const markdown = renderMarkdown(reportOf(summaryOf([hostile])));
    expect(markdown).toContain('````\nbefore\n```\n</details><img src=x onerror=alert(1)>\n```\nafter\n````');
    expect(markdown).toContain('Expected &lt;b>bold&lt;/b> to be refused');
    expect(markdown).not.toMatch(/^[^`\n]*<b>/m);
  });

  it('says so when nothing ran, rather than that everything passed', () => {
    const markdown = renderMarkdown(reportOf(summaryOf([result('offline', 'skipped')])));
    expect(markdown).toContain('**No tests ran** against http://127.0.0.1:4100/: nothing was tested');
    expect(markdown).toContain('No tests ran against http://127.0.0.1:4100/: nothing was tested.');
  });
});

describe('a summary written by an LLM', () => {
  const analysis = analyze(summaryOf([result('empty name', 'failed')]));
  const real = analysis.findings[0]!.id;

  it('is accepted when it names only findings that exist', () => {
    expect(
      ungrounded(
        {
          summary: `One test failed. Empty project names are accepted (${real}).`,
          recommendations: [{ text: `Refuse empty names (${real}).`, findings: [real] }],
        },
        analysis,
      ),
    ).toBeUndefined();
  });

  it('is rejected when it names a finding that does not exist, in its text or its list, or is not a summary', () => {
    expect(
      ungrounded(
        { summary: 'A leak was found (F-00000000).', recommendations: [{ text: 'Fix it.', findings: [] }] },
        analysis,
      ),
    ).toBe('it names findings that do not exist: F-00000000');
    expect(
      ungrounded(
        { summary: 'One test failed.', recommendations: [{ text: 'Fix it.', findings: ['F-12345678'] }] },
        analysis,
      ),
    ).toBe('it names findings that do not exist: F-12345678');
    expect(ungrounded({ summary: '', recommendations: [] }, analysis)).toBe(
      'the summary must be two or three sentences, it has 0',
    );
    expect(ungrounded({ summary: 'One test failed.', recommendations: [] }, analysis)).toBe(
      'there are findings but no recommendation',
    );
  });
});
