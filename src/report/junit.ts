// JUnit XML, for CI systems that show test results: one suite per journey, one test case per Gauntlet case.
import { create } from 'xmlbuilder2';
import type { RunResult, RunSummary } from '../cases/index.ts';

export function renderJunit(summary: RunSummary): string {
  const suites = new Map<string, RunResult[]>();
  for (const result of summary.results) {
    const name = `${result.origin.role} — ${result.origin.journey}`;
    suites.set(name, [...(suites.get(name) ?? []), result]);
  }
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: 'gauntlet',
    tests: summary.results.length,
    failures: summary.totals.failed,
    errors: summary.totals.error,
    skipped: summary.totals.skipped,
    time: seconds(summary.durationMs),
    timestamp: summary.startedAt,
  });
  for (const [name, results] of suites) {
    const count = (status: RunResult['status']) => results.filter((r) => r.status === status).length;
    const suite = root.ele('testsuite', {
      name,
      tests: results.length,
      failures: count('failed'),
      errors: count('error'),
      skipped: count('skipped'),
      time: seconds(results.reduce((sum, r) => sum + r.durationMs, 0)),
    });
    for (const result of results) {
      const testcase = suite.ele('testcase', {
        classname: `${result.origin.journey}.${result.origin.step}`,
        name: result.title,
        time: seconds(result.durationMs),
        file: result.origin.file,
        line: result.origin.line,
      });
      if (result.status === 'failed') {
        const message = result.failures.map((f) => f.message).join('; ');
        testcase
          .ele('failure', { message, type: result.failures[0]?.check ?? 'failure' })
          .txt(details(result));
      } else if (result.status === 'error') {
        testcase.ele('error', { message: result.error ?? 'error' }).txt(details(result));
      } else if (result.status === 'flaky') {
        testcase.ele('system-out').txt(`flaky: passed on attempt ${result.attempts}\n${details(result)}`);
      } else if (result.status === 'skipped') {
        // A case the machine could not run says so, and how to fix the machine: it is no verdict on the service.
        const message = result.notRun
          ? `not run on this machine: ${result.error ?? result.notRun.need}. ${result.notRun.fix}`
          : (result.error ?? 'skipped');
        testcase.ele('skipped', { message });
      }
    }
  }
  return root.end({ prettyPrint: true });
}

function details(result: RunResult): string {
  const lines = result.failures.map((f) => `${f.check}: ${f.message}`);
  if (result.reproduction.curl) lines.push('', result.reproduction.curl);
  return lines.join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
