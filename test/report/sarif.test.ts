import { describe, expect, it } from '@jest/globals';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { createRequire } from 'node:module';
import type { Finding } from '../../src/analyze/model.ts';
import type { RunResult, RunSummary } from '../../src/cases/index.ts';
import type { Report } from '../../src/report/model.ts';
import { renderSarif, SARIF_RESULT_LIMIT } from '../../src/report/sarif.ts';

// The SARIF 2.1.0 schema as Microsoft's SARIF SDK ships it (the OASIS standard's schema, "rtm.5" in its title).
// It is written in JSON Schema draft-04, hence Ajv's draft-04 class. Its `language` patterns hold a stray `]` that
// only a non-Unicode regular expression accepts, as JSON Schema's ECMA-262 patterns do.
const SCHEMA_FILE = '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
const schema = createRequire(import.meta.url)(SCHEMA_FILE) as { id: string; title: string };
const ajv = new AjvDraft04.default({ allErrors: true, unicodeRegExp: false });
addFormats.default(ajv);
const validateSarif = ajv.compile(schema);

/** The schema's complaints about a document, as "path message" lines; none for a valid log. */
function schemaErrors(document: unknown): string[] {
  return validateSarif(document)
    ? []
    : (validateSarif.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

interface Rule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: { tags: string[]; precision: string; 'security-severity': string };
}

interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  baselineState?: string;
  properties: Record<string, unknown>;
}

interface Log {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri?: string; rules: Rule[] } };
    invocations: { executionSuccessful: boolean; startTimeUtc?: string; endTimeUtc?: string }[];
    results: Result[];
    properties: Record<string, unknown>;
  }[];
}

const parse = (text: string) => JSON.parse(text) as Log;

const result = (title: string, status: RunResult['status'], line: number): RunResult => ({
  caseId: `tc_${line.toString(16).padStart(12, '0')}`,
  title,
  kind: 'api',
  priority: 'high',
  origin: {
    file: 'user-cases/music.yml',
    line,
    column: 9,
    role: 'Music Producer',
    journey: 'Create New Song',
    step: 'Create Project',
    title,
    generator: 'rules/no-credentials',
  },
  status,
  durationMs: 12,
  failures: status === 'failed' ? [{ check: 'requires_auth', message: 'refused nothing', step: 0 }] : [],
  evidence: [],
  reproduction: {},
});

const SUMMARY: RunSummary = {
  tool: 'gauntlet',
  version: '0.1.0',
  target: 'http://127.0.0.1:4100/',
  startedAt: '2026-11-25T10:00:00.000Z',
  durationMs: 2345,
  totals: { passed: 1, failed: 2, error: 0, flaky: 0, skipped: 0 },
  untested: [],
  results: [
    result('Create project without credentials', 'failed', 12),
    result('Open another producer project', 'failed', 30),
    result('Create project with valid name', 'passed', 8),
  ],
};

let seq = 0;
const finding = (overrides: Partial<Finding>): Finding => {
  seq += 1;
  return {
    id: `F-${seq.toString(16).padStart(8, '0')}`,
    signature: `requires_auth | POST /api/projects | 201 | case ${seq}`,
    check: 'requires_auth',
    operation: 'POST /api/projects',
    status: 201,
    message: 'a request without credentials succeeded (201); it must be refused with 401 or 403',
    kind: 'security',
    risk: 'high',
    state: 'new',
    journeys: ['Create New Song'],
    count: 1,
    caseIds: [`tc_${seq}`],
    reproduction: {
      caseId: `tc_${seq}`,
      title: 'Create project without credentials',
      file: 'user-cases/music.yml',
      line: 12,
    },
    ...overrides,
  };
};

const NO_AUTH = finding({
  count: 2,
  reproduction: {
    caseId: 'tc_00000000000c',
    title: 'Create project without credentials',
    file: 'user-cases/music.yml',
    line: 12,
    curl: 'curl -sS -i -X POST \'http://127.0.0.1:4100/api/projects\' --data-raw \'{"name":"x"}\'',
  },
});
const SQL_ERROR = finding({
  check: 'no_sql_error',
  signature: 'no_sql_error | GET /api/projects | 500 | the response shows a database error',
  operation: 'GET /api/projects',
  status: 500,
  message: 'the response shows a database error, which suggests the input reaches a query unescaped',
  risk: 'medium',
  state: 'still-failing',
  journeys: ['Browse Projects', 'Create New Song'],
  reproduction: {
    caseId: 'tc_2',
    title: 'Search projects by name',
    file: './user-cases/admin panel.yml',
    line: 41,
  },
});
const NO_AUTH_LOW = finding({
  operation: 'GET /api/health/details',
  status: 200,
  risk: 'low',
  reproduction: {
    caseId: 'tc_3',
    title: 'Health details without credentials',
    file: 'user-cases\\ops.yml',
    line: 7,
  },
});
const LOST_WRITE = finding({
  check: 'status',
  signature: 'status | PUT /api/projects/{} | 200 | the update was lost',
  operation: 'PUT /api/projects/{}',
  status: 200,
  message: 'the update was lost: the project still has its old name',
  kind: 'data-loss',
  state: 'still-failing',
  reproduction: { caseId: 'tc_4', title: 'Rename a project', file: 'user-cases/music.yml', line: 55 },
});
const CRASH = finding({
  check: 'not_a_server_error',
  kind: 'crash',
  risk: 'medium',
  message: 'the service failed',
});
const CONTRACT = finding({
  check: 'openapi_body',
  kind: 'contract',
  risk: 'low',
  message: 'name must be a string',
});
const BEHAVIOUR = finding({
  check: 'status',
  kind: 'behaviour',
  risk: 'low',
  message: 'expected 400, got 201',
});
const FIXED = finding({ check: 'owner_only', state: 'fixed', count: 0, message: 'another user reached it' });

const report = (findings: Finding[], fixed: Finding[] = [], compared = true): Report => ({
  summary: SUMMARY,
  analysis: {
    findings,
    fixed,
    compared,
    flaky: [],
    coverage: [],
    verdict: findings.length > 0 ? 'fail' : 'pass',
  },
  narrative: { summary: 'Two security problems.', recommendations: [], author: 'template' },
  trend: [{ startedAt: SUMMARY.startedAt, passed: 1, failed: 2, findings: findings.length }],
});

const REPORT = report([NO_AUTH, SQL_ERROR, LOST_WRITE, NO_AUTH_LOW, CRASH, CONTRACT, BEHAVIOUR], [FIXED]);

describe('renderSarif', () => {
  it('reads the official SARIF 2.1.0 schema from the package that ships it', () => {
    expect(schema.title).toBe('Static Analysis Results Format (SARIF) Version 2.1.0-rtm.5 JSON Schema');
    expect(schema.id).toMatch(/\/sarif-2\.1\.0-rtm\.5\.json$/);
  });

  it('writes a log the SARIF 2.1.0 schema accepts, as pretty JSON ending in a newline', () => {
    const text = renderSarif(REPORT);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "version": "2.1.0",\n');
    expect(schemaErrors(parse(text))).toEqual([]);
  });

  it('is caught by the schema when a result has no message, so the validation can fail', () => {
    const log = parse(renderSarif(REPORT));
    delete (log.runs[0]!.results[0] as Partial<Result>).message;
    expect(schemaErrors(log)).toContain("/runs/0/results/0 must have required property 'message'");
    expect(schemaErrors({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toContain(
      "/runs/0/tool/driver must have required property 'name'",
    );
  });

  it('reports only the security and data-loss findings that still fail, one result each', () => {
    const { results } = parse(renderSarif(REPORT)).runs[0]!;
    expect(results.map((r) => r.properties.findingId)).toEqual([
      NO_AUTH.id,
      SQL_ERROR.id,
      LOST_WRITE.id,
      NO_AUTH_LOW.id,
    ]);
    expect(results.map((r) => r.properties.state)).toEqual(['new', 'still-failing', 'still-failing', 'new']);
    expect(results.map((r) => r.baselineState)).toEqual(['new', 'unchanged', 'unchanged', 'new']);
  });

  it('has one rule per check, tagged security, with a severity code scanning sorts by', () => {
    const run = parse(renderSarif(REPORT)).runs[0]!;
    const rules = run.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(['requires_auth', 'no_sql_error', 'status']);
    for (const rule of rules) {
      expect(rule.properties.tags).toContain('security');
      expect(rule.properties.precision).toBe('high');
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.fullDescription.text).not.toBe('');
      expect(rule.help.text).not.toBe('');
      expect(rule.help.markdown).toContain(`\`${rule.id}\``);
    }
    const byId = Object.fromEntries(rules.map((r) => [r.id, r]));
    // requires_auth has a high and a low finding: the rule is as severe as the worst.
    expect(byId.requires_auth!.properties['security-severity']).toBe('8.0');
    expect(byId.requires_auth!.defaultConfiguration.level).toBe('error');
    expect(byId.requires_auth!.properties.tags).toContain('external/cwe/cwe-306');
    expect(byId.requires_auth!.fullDescription.text).toMatch(/refused \(a 4xx, such as 401 or 403\)/);
    expect(byId.no_sql_error!.properties['security-severity']).toBe('5.0');
    expect(byId.no_sql_error!.properties.tags).toContain('external/cwe/cwe-089');
    expect(byId.status!.properties.tags).toEqual(['security', 'data-loss']);
    expect(byId.status!.shortDescription.text).toContain('"status"');
    expect(run.results.map((r) => rules[r.ruleIndex]!.id)).toEqual(run.results.map((r) => r.ruleId));
  });

  it('gives each result the level of its risk: high an error, medium a warning, low a note', () => {
    const { results } = parse(renderSarif(REPORT)).runs[0]!;
    expect(results.map((r) => [r.properties.risk, r.level])).toEqual([
      ['high', 'error'],
      ['medium', 'warning'],
      ['high', 'error'],
      ['low', 'note'],
    ]);
  });

  it('places each alert on the user-case line whose test reproduces it, relative to the repository root', () => {
    const { results } = parse(renderSarif(REPORT)).runs[0]!;
    const places = results.map((r) => r.locations.map((l) => l.physicalLocation));
    expect(places).toEqual([
      [{ artifactLocation: { uri: 'user-cases/music.yml' }, region: { startLine: 12 } }],
      [{ artifactLocation: { uri: 'user-cases/admin%20panel.yml' }, region: { startLine: 41 } }],
      [{ artifactLocation: { uri: 'user-cases/music.yml' }, region: { startLine: 55 } }],
      [{ artifactLocation: { uri: 'user-cases/ops.yml' }, region: { startLine: 7 } }],
    ]);
  });

  it('says in plain words what happened where, and carries the curl line that shows it again', () => {
    const [first, second] = parse(renderSarif(REPORT)).runs[0]!.results;
    expect(first!.message.text).toBe(
      'POST /api/projects: a request without credentials succeeded (201); it must be refused with 401 or 403 ' +
        '(2 tests of "Create New Song" failed this way; the smallest is "Create project without credentials").',
    );
    expect(first!.properties).toMatchObject({
      operation: 'POST /api/projects',
      status: 201,
      count: 2,
      curl: NO_AUTH.reproduction.curl,
    });
    expect(second!.properties).not.toHaveProperty('curl');
  });

  it('fingerprints a finding the same on every render and differently from every other finding', () => {
    const fingerprints = (r: Report) =>
      parse(renderSarif(r)).runs[0]!.results.map((x) => x.partialFingerprints);
    const first = fingerprints(REPORT);
    expect(fingerprints(structuredClone(REPORT))).toEqual(first);
    expect(first[0]).toEqual({ 'gauntletFinding/v1': NO_AUTH.id });
    expect(new Set(first.map((f) => f['gauntletFinding/v1'])).size).toBe(first.length);
    // A finding's fingerprint does not depend on where it falls in the list.
    expect(fingerprints(report([NO_AUTH_LOW, NO_AUTH]))).toEqual([first[3], first[0]]);
  });

  it('names the tool, its version and the run it made', () => {
    const run = parse(renderSarif(REPORT)).runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'Gauntlet', version: '0.1.0' });
    expect(run.tool.driver).not.toHaveProperty('informationUri');
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        startTimeUtc: '2026-11-25T10:00:00.000Z',
        endTimeUtc: '2026-11-25T10:00:02.345Z',
      },
    ]);
    expect(run.properties).toEqual({ target: 'http://127.0.0.1:4100/', findings: 4 });
  });

  it('leaves baselineState out when there was no base run to compare with', () => {
    const { results } = parse(renderSarif(report([NO_AUTH, SQL_ERROR], [], false))).runs[0]!;
    expect(results.map((r) => r.baselineState)).toEqual([undefined, undefined]);
    expect(results.map((r) => r.properties.state)).toEqual(['new', 'still-failing']);
  });

  it('writes a valid log with no results for a run without security findings', () => {
    for (const empty of [report([]), report([CRASH, CONTRACT, BEHAVIOUR], [FIXED])]) {
      const log = parse(renderSarif(empty));
      expect(schemaErrors(log)).toEqual([]);
      expect(log.runs[0]!.results).toEqual([]);
      expect(log.runs[0]!.tool.driver.rules).toEqual([]);
    }
  });

  it('keeps the most important findings within what code scanning stores, and says how many it left out', () => {
    const many = Array.from({ length: SARIF_RESULT_LIMIT + 25 }, (_, i) =>
      finding({
        signature: `requires_auth | GET /api/items/${i} | 200 | many`,
        operation: `GET /api/items/${i}`,
      }),
    );
    const log = parse(renderSarif(report(many)));
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(SARIF_RESULT_LIMIT);
    expect(run.results[0]!.properties.findingId).toBe(many[0]!.id);
    expect(run.results.at(-1)!.properties.findingId).toBe(many[SARIF_RESULT_LIMIT - 1]!.id);
    expect(run.tool.driver.rules).toHaveLength(1);
    expect(run.properties).toMatchObject({
      findings: SARIF_RESULT_LIMIT + 25,
      truncated: true,
      resultLimit: SARIF_RESULT_LIMIT,
      omittedFindings: 25,
    });
    expect(schemaErrors(log)).toEqual([]);
  });
});
