// The risk order and root causes, the heart of what a report leads with: which harm a failure stands for, how risky
// it is, which of a result's failures signs it, the order of findings, and which findings one fix removes.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Finding } from '../../src/analyze/model.ts';
import { byRisk, harmOf, HARMS, riskOf } from '../../src/analyze/risk.ts';
import { rootCauseKey, rootCausesOf } from '../../src/analyze/root-cause.ts';
import { failureSignature, standingFailure } from '../../src/analyze/signature.ts';
import { result } from '../support/results.ts';

const STACK = 'the response leaks a stack trace (internal file paths and line numbers)';

const finding = (id: string, extra: Partial<Finding> = {}): Finding => ({
  id,
  signature: `${id} signature`,
  check: 'status',
  operation: 'POST /api/projects',
  message: 'expected status 400, got 201',
  status: 201,
  kind: 'behaviour',
  risk: 'low',
  state: 'new',
  journeys: ['Make a song'],
  count: 1,
  caseIds: [],
  reproduction: { caseId: '', title: '', file: 'user-cases/music.yml', line: 1 },
  ...extra,
});

const leak = (id: string, operation: string, extra: Partial<Finding> = {}) =>
  finding(id, {
    check: 'no_stack_trace',
    kind: 'security',
    risk: 'high',
    operation,
    message: STACK,
    status: 400,
    ...extra,
  });

describe('the harm a failure stands for', () => {
  it.each([
    ['owner_only', 'security', 200, 'another user reached what this user created (200)', 'access'],
    ['requires_auth', 'security', 202, 'a request without credentials succeeded (202)', 'access'],
    ['no_sql_error', 'security', 400, 'the response shows a database error', 'injection'],
    ['no_reflected_markup', 'security', 200, 'the page shows the markup', 'injection'],
    ['requires_auth', 'security', 400, 'a request without credentials got 400', 'wrong-answer'],
    ['owner_only', 'security', 500, "another user's request got 500", 'crash'],
    ['no_stack_trace', 'security', 400, STACK, 'exposure'],
    ['no_debug_page', 'security', 404, 'the response is a framework debug page', 'exposure'],
    ['not_a_server_error', 'crash', 500, 'the service failed with 500 (a server error)', 'crash'],
    ['status', 'behaviour', 201, 'expected status 400, got 201', 'wrong-answer'],
    ['json_content_type', 'contract', 200, 'the body is JSON but is sent as "text/html"', 'contract'],
    [
      'openapi_body',
      'contract',
      200,
      'GET /api/me answered 200 with a body the description does not allow',
      'contract',
    ],
    ['duration', 'performance', 200, 'expected an answer within 1000 ms, took 2649 ms', 'slowdown'],
  ] as const)('%s (%s, %d): %s', (check, kind, status, message, harm) => {
    expect(harmOf({ check, kind, status, message })).toBe(harm);
  });

  it('is made worse by what the answer shows, whichever check saw it', () => {
    // The test wanted the request refused, and it was let in: access control, not a wrong status.
    expect(
      harmOf({ check: 'status', kind: 'behaviour', status: 202, message: 'expected status 403, got 202' }),
    ).toBe('access');
    expect(
      harmOf({
        check: 'status',
        kind: 'behaviour',
        status: 200,
        message: 'expected status 401 or 403, got 200',
      }),
    ).toBe('access');
    // Refused with the wrong code, or expected something else than a refusal: still a wrong answer.
    expect(
      harmOf({ check: 'status', kind: 'behaviour', status: 404, message: 'expected status 403, got 404' }),
    ).toBe('wrong-answer');
    expect(
      harmOf({ check: 'status', kind: 'behaviour', status: 200, message: 'expected status 404, got 200' }),
    ).toBe('wrong-answer');
    // A 5xx is a crash; a probe's verdict on what the answer should be is a hostile request that got through.
    expect(
      harmOf({ check: 'status', kind: 'behaviour', status: 503, message: 'expected status 201, got 503' }),
    ).toBe('crash');
    expect(
      harmOf({ check: 'body', kind: 'security', status: 200, message: 'the body contains "root:x:0:0:"' }),
    ).toBe('injection');
    // A lost write is data loss whatever the check; a check this table does not know goes by its kind.
    expect(harmOf({ check: 'body', kind: 'data-loss', status: 200, message: 'got "not saved"' })).toBe(
      'data-loss',
    );
    expect(harmOf({ check: 'load.p95Ms', kind: 'performance', message: 'p95 260 ms' })).toBe('slowdown');
    expect(harmOf({ check: 'custom', kind: 'security', message: 'x' })).toBe('injection');
  });

  it('comes in four levels, most serious first, each harm once', () => {
    expect(HARMS.map((h) => [h.name, h.level])).toEqual([
      ['access', 1],
      ['injection', 1],
      ['data-loss', 1],
      ['crash', 2],
      ['exposure', 2],
      ['wrong-answer', 3],
      ['contract', 3],
      ['slowdown', 4],
    ]);
  });
});

describe('the risk of a finding', () => {
  it('is high for the first level whatever the case; otherwise the harm, the priority and the reach add up', () => {
    expect(riskOf('access', ['low'], 1)).toBe('high');
    expect(riskOf('data-loss', ['medium'], 1)).toBe('high');
    expect(riskOf('exposure', ['medium'], 1)).toBe('medium');
    expect(riskOf('exposure', ['medium', 'critical'], 1)).toBe('high');
    expect(riskOf('crash', ['high'], 1)).toBe('high');
    expect(riskOf('wrong-answer', ['medium'], 1)).toBe('low');
    expect(riskOf('wrong-answer', ['high'], 1)).toBe('medium');
    expect(riskOf('wrong-answer', ['critical'], 1)).toBe('high');
    expect(riskOf('wrong-answer', ['medium'], 3)).toBe('medium');
    expect(riskOf('slowdown', ['low'], 1)).toBe('low');
    expect(riskOf('contract', ['unknown-priority'], 1)).toBe('low');
  });
});

describe('the failure a result is signed by', () => {
  it('is its most serious one, not the first: a database error behind a wrong status', () => {
    const search = result(
      'search with a quote',
      'failed',
      { method: 'GET', url: 'http://h/api/templates?q=%27', status: 400 },
      {
        failures: [
          { check: 'status', message: 'expected status 200, got 400', step: 1 },
          { check: 'body', message: 'expected body.length to be 0, but it is missing', step: 1 },
          { check: 'no_sql_error', message: 'the response shows a database error', step: 1 },
        ],
      },
    );
    expect(standingFailure(search)!.check).toBe('no_sql_error');
    expect(failureSignature(search)!.key).toBe(
      'no_sql_error | GET /api/templates | 400 | the response shows a database error',
    );
  });

  it('between failures of one harm, is what the test expected, then the more specific built-in check', () => {
    const page = result(
      'unknown project',
      'failed',
      { method: 'GET', status: 404 },
      {
        failures: [
          { check: 'body', message: 'expected the body to contain "No such project."', step: 1 },
          { check: 'no_stack_trace', message: STACK, step: 1 },
          { check: 'no_debug_page', message: 'the response is a framework debug page', step: 1 },
        ],
      },
    );
    expect(standingFailure(page)!.check).toBe('no_debug_page');
    const crash = result(
      'custom beat',
      'failed',
      { status: 500 },
      {
        failures: [
          { check: 'not_a_server_error', message: 'the service failed with 500 (a server error)', step: 1 },
          { check: 'status', message: 'expected status 201, got 500', step: 1 },
        ],
      },
    );
    expect(standingFailure(crash)!.check).toBe('status');
    // Failures of one check: the first.
    const two = result(
      'two',
      'failed',
      {},
      {
        failures: [
          { check: 'body', message: 'expected body.name to be "x"', step: 1 },
          { check: 'body', message: 'expected body.id to be a string', step: 1 },
        ],
      },
    );
    expect(standingFailure(two)!.message).toBe('expected body.name to be "x"');
    expect(
      standingFailure(result('none', 'error', {}, { failures: [], error: 'no answer' })),
    ).toBeUndefined();
  });
});

describe('the root cause of a finding', () => {
  it('leaves out the operation for a check that judges the whole service, and the particulars of the message', () => {
    const a = rootCauseKey(leak('F-1', 'POST /api/projects'));
    expect(a).toBe(`no_stack_trace | 4xx | ${STACK}`);
    expect(rootCauseKey(leak('F-2', 'PATCH /api/projects/{}/tracks/{}', { status: 422 }))).toBe(a);
    // A leak in a server error is told apart from one in a refusal.
    expect(rootCauseKey(leak('F-3', 'POST /api/projects', { status: 500 }))).not.toBe(a);
    expect(
      rootCauseKey(
        finding('F-4', {
          check: 'requires_auth',
          message: 'a request without credentials succeeded (202)',
          status: 202,
        }),
      ),
    ).toBe(
      rootCauseKey(
        finding('F-5', {
          check: 'requires_auth',
          message: 'a request without credentials succeeded (200)',
          status: 200,
          operation: 'GET /x',
        }),
      ),
    );
  });

  it('is the signature itself for a check of what one operation should answer: the same status on two is two bugs', () => {
    const tracks = finding('F-1', {
      operation: 'POST /api/projects/{}/tracks',
      message: 'expected status 409, got 201',
    });
    const signup = finding('F-2', {
      operation: 'POST /api/auth/signup',
      message: 'expected status 409, got 201',
    });
    expect(rootCauseKey(tracks)).toBe(
      'status | POST /api/projects/{}/tracks | 201 | expected status N, got N',
    );
    expect(rootCauseKey(tracks)).not.toBe(rootCauseKey(signup));
    // On one operation, two statuses that read alike once their numbers are out are still two bugs.
    expect(rootCauseKey(finding('F-3', { message: 'expected status 202, got 200', status: 200 }))).not.toBe(
      rootCauseKey(finding('F-4', { message: 'expected status 409, got 201', status: 201 })),
    );
    const crashes = ['POST /api/beats', 'POST /api/projects'].map((operation, i) =>
      finding(`F-${i}`, {
        check: 'not_a_server_error',
        operation,
        message: 'the service failed with 500',
        status: 500,
      }),
    );
    expect(rootCausesOf(crashes)).toHaveLength(2);
    expect(rootCauseKey(finding('F-9', { status: undefined }))).toBe(
      'status | POST /api/projects | - | expected status N, got N',
    );
  });
});

describe('root causes', () => {
  it('group one leak on sixteen operations into one cause naming them all, in the order the findings came', () => {
    const operations = Array.from({ length: 16 }, (_, i) => `POST /api/resource-${i}`);
    const findings = [
      finding('F-a', {
        check: 'requires_auth',
        operation: 'POST /api/jarvis/services/{}/restart',
        message: 'a request without credentials succeeded (202)',
        status: 202,
      }),
      ...operations.map((operation, i) => leak(`F-${i}`, operation, { count: i % 2 === 0 ? 2 : 1 })),
      finding('F-b', { operation: 'POST /api/projects' }),
    ];
    const causes = rootCausesOf(findings);
    expect(causes.map((c) => [c.findings.length, c.harm.name, c.count])).toEqual([
      [1, 'access', 1],
      [16, 'exposure', 24],
      [1, 'wrong-answer', 1],
    ]);
    expect(causes[1]!.operations).toEqual(operations);
    expect(causes[1]!.checks).toEqual(['no_stack_trace']);
    expect(causes[1]!.key).toBe(`no_stack_trace | 4xx | ${STACK}`);
  });

  it('join every failure of access control on one operation: it checks nobody, whichever test showed it', () => {
    const restart = 'POST /api/jarvis/services/{}/restart';
    const findings = [
      finding('F-1', { operation: restart, message: 'expected status 403, got 202', status: 202 }),
      finding('F-2', {
        check: 'requires_auth',
        operation: restart,
        message: 'a request with made-up credentials succeeded (202)',
        status: 202,
      }),
      finding('F-3', {
        check: 'requires_auth',
        operation: restart,
        message: 'a request without credentials succeeded (202)',
        status: 202,
      }),
      // The same check on another operation: the same cause as F-3, so all four are one.
      finding('F-4', {
        check: 'requires_auth',
        operation: 'DELETE /api/jarvis/alerts/{}',
        message: 'a request without credentials succeeded (200)',
        status: 200,
      }),
      // A wrong status on the same operation is not access control: a cause of its own.
      finding('F-5', { operation: restart, message: 'expected status 202, got 200', status: 200 }),
    ];
    const causes = rootCausesOf(findings);
    expect(causes.map((c) => c.findings.map((f) => f.id))).toEqual([['F-1', 'F-2', 'F-3', 'F-4'], ['F-5']]);
    expect(causes[0]!.operations).toEqual([restart, 'DELETE /api/jarvis/alerts/{}']);
    expect(causes[0]!.checks).toEqual(['status', 'requires_auth']);
    // Joined whichever order they come in: F-4 first links to F-1 only through F-3.
    expect(
      rootCausesOf([findings[3]!, findings[0]!, findings[4]!, findings[2]!, findings[1]!]).map(
        (c) => c.findings.length,
      ),
    ).toEqual([4, 1]);
  });

  it('put every finding in exactly one cause, and are the same whatever else is in the list', () => {
    const checks = ['no_stack_trace', 'requires_auth', 'status', 'not_a_server_error', 'owner_only'];
    const arbitrary = fc.array(
      fc.record({
        check: fc.constantFrom(...checks),
        operation: fc.constantFrom('GET /a', 'POST /a', 'PATCH /b/{}', 'DELETE /c'),
        status: fc.constantFrom(200, 201, 400, 403, 500),
        message: fc.constantFrom(
          STACK,
          'expected status 403, got 200',
          'a request without credentials succeeded (200)',
        ),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arbitrary, (specs) => {
        const findings = specs.map((spec, i) => finding(`F-${i}`, spec));
        const causes = rootCausesOf(findings);
        expect(causes.flatMap((c) => c.findings.map((f) => f.id)).sort()).toEqual(
          findings.map((f) => f.id).sort(),
        );
        // Two findings with one root-cause key always share a cause.
        const causeOf = new Map(causes.flatMap((c, i) => c.findings.map((f) => [f.id, i])));
        for (const a of findings)
          for (const b of findings)
            if (rootCauseKey(a) === rootCauseKey(b)) expect(causeOf.get(a.id)).toBe(causeOf.get(b.id));
        // Causes come in the order of their first finding.
        const firsts = causes.map((c) => findings.indexOf(c.findings[0]!));
        expect(firsts).toEqual([...firsts].sort((x, y) => x - y));
        for (const cause of causes) expect(cause.count).toBe(cause.findings.reduce((n, f) => n + f.count, 0));
      }),
    );
  });
});

describe('the order of findings', () => {
  it('is risk, then the level of harm, then writes before reads and critical before low, then the harm', () => {
    const findings = [
      finding('F-read-leak', {
        check: 'no_stack_trace',
        kind: 'security',
        risk: 'high',
        operation: 'GET /a',
        message: STACK,
        status: 400,
        priority: 'critical',
      }),
      finding('F-wrong', { risk: 'high', priority: 'critical' }),
      finding('F-access', {
        check: 'owner_only',
        kind: 'security',
        risk: 'high',
        operation: 'GET /p/{}',
        message: 'another user reached it (200)',
        status: 200,
        priority: 'low',
      }),
      finding('F-write-leak', {
        check: 'no_stack_trace',
        kind: 'security',
        risk: 'high',
        operation: 'POST /a',
        message: STACK,
        status: 400,
        priority: 'low',
      }),
      finding('F-crash', {
        check: 'not_a_server_error',
        kind: 'crash',
        risk: 'high',
        operation: 'GET /a',
        message: 'failed with 500',
        status: 500,
        priority: 'critical',
      }),
      finding('F-medium-access', {
        check: 'requires_auth',
        kind: 'security',
        risk: 'medium',
        operation: 'POST /r',
        message: 'without credentials (202)',
        status: 202,
      }),
      finding('F-slow', {
        check: 'duration',
        kind: 'performance',
        risk: 'high',
        operation: 'GET /d',
        message: 'took 2 s',
        status: 200,
      }),
    ];
    expect([...findings].sort(byRisk).map((f) => f.id)).toEqual([
      'F-access',
      'F-write-leak',
      'F-crash',
      'F-read-leak',
      'F-wrong',
      'F-slow',
      'F-medium-access',
    ]);
  });

  it('puts new before still failing, more tests before fewer, and breaks every other tie by id', () => {
    const same = (id: string, extra: Partial<Finding> = {}) => finding(id, { operation: 'GET /a', ...extra });
    expect(
      [
        same('F-3'),
        same('F-1'),
        same('F-4', { count: 5 }),
        same('F-0', { state: 'still-failing', count: 9 }),
        same('F-2'),
      ]
        .sort(byRisk)
        .map((f) => f.id),
    ).toEqual(['F-4', 'F-1', 'F-2', 'F-3', 'F-0']);
  });
});
