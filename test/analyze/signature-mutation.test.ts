// The failure signature, piece by piece: which results get one, which exchange names the operation, and what the
// normalisations of paths and messages take out (and keep). Two failures share a finding exactly when these agree.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { RunResult } from '../../src/cases/index.ts';
import { failureSignature, findingId, normalizeMessage, normalizePath } from '../../src/analyze/signature.ts';
import { result } from '../support/results.ts';
import { declaredOperation } from '../../src/cases/index.ts';

type Exchange = RunResult['evidence'][number];
const exchange = (step: number, method: string, url: string, status?: number): Exchange => ({
  step,
  request: { method, url, headers: {} },
  ...(status !== undefined && { response: { status, headers: {}, body: '' } }),
  durationMs: 1,
});

describe('which results have a signature', () => {
  it.each(['passed', 'flaky', 'skipped'] as const)('a %s result has none', (status) => {
    expect(failureSignature(result('x', status))).toBeUndefined();
  });

  it('a failed result is signed by its most serious failure, the exchange of that failure’s step, and its status', () => {
    const signature = failureSignature(
      result(
        'x',
        'failed',
        {},
        {
          failures: [
            { check: 'requires_auth', message: 'got "tok-1" 2 times', step: 1 },
            { check: 'status', message: 'second', step: 2 },
          ],
          evidence: [
            exchange(0, 'POST', 'http://h/api/login', 200),
            exchange(1, 'GET', 'http://h/api/projects/12', 200),
            exchange(2, 'DELETE', 'http://h/api/projects/12', 500),
          ],
        },
      ),
    );
    expect(signature).toEqual({
      key: 'requires_auth | GET /api/projects/{} | 200 | got "…" N times',
      check: 'requires_auth',
      operation: 'GET /api/projects/{}',
      status: 200,
      message: 'got "tok-1" 2 times',
    });
    // Listed second, the access failure still signs the result, with its own step's exchange.
    const reversed = failureSignature(
      result(
        'x',
        'failed',
        {},
        {
          failures: [
            { check: 'status', message: 'expected status 200, got 201', step: 2 },
            { check: 'requires_auth', message: 'got "tok-1" 2 times', step: 1 },
          ],
          evidence: [
            exchange(1, 'GET', 'http://h/api/projects/12', 200),
            exchange(2, 'PUT', 'http://h/b', 201),
          ],
        },
      ),
    );
    expect(reversed!.key).toBe('requires_auth | GET /api/projects/{} | 200 | got "…" N times');
  });

  it('an errored result is signed by its error, as the check "error", on the last exchange', () => {
    const errored = result(
      'x',
      'error',
      {},
      {
        error: 'no answer in 3000 ms',
        evidence: [
          exchange(0, 'GET', 'http://h/a', 200),
          exchange(1, 'PUT', 'http://h/b', 200),
          exchange(2, 'GET', 'http://h/slow/7'),
        ],
      },
    );
    const signature = failureSignature(errored);
    expect(signature).toEqual({
      key: 'error | GET /slow/{} | - | no answer in N ms',
      check: 'error',
      operation: 'GET /slow/{}',
      message: 'no answer in 3000 ms',
    });
    expect(signature).not.toHaveProperty('status');
  });

  it('an errored result with no exchange and no message is signed by its step and "failed"', () => {
    const signature = failureSignature(result('x', 'error', {}, { evidence: [], failures: [] }));
    expect(signature!.key).toBe('error | Create project | - | failed');
    expect(signature!.operation).toBe('Create project');
  });

  it('a UI case is signed by its step, whatever requests the page made', () => {
    const ui = result(
      'x',
      'failed',
      { check: 'ui', message: 'click "Save": timeout 5000 ms' },
      { kind: 'ui', evidence: [exchange(1, 'GET', 'http://h/app/42', 200)] },
    );
    expect(failureSignature(ui)!.operation).toBe('UI Create project');
    expect(failureSignature(ui)!.key).toBe('ui | UI Create project | 200 | click "…": timeout N ms');
  });

  it('an exchange without a response gives no status', () => {
    const signature = failureSignature(
      result('x', 'failed', {}, { evidence: [exchange(1, 'GET', 'http://h/a')] }),
    );
    expect(signature!.key).toBe('status | GET /a | - | expected status N, got N');
    expect(signature).not.toHaveProperty('status');
  });
});

describe('the operation a finding is on', () => {
  const signed = (operation: string | undefined, url: string) =>
    failureSignature(
      result(
        'x',
        'failed',
        {},
        { evidence: [{ ...exchange(1, 'GET', url, 500), ...(operation !== undefined && { operation }) }] },
      ),
    )!;

  it('is the path template the step names, whatever values the case sent', () => {
    const traversal = signed(
      'GET /api/items/{name}/{n}',
      'http://h/api/items/name-3301/..%2F..%2Fetc%2Fpasswd',
    );
    const number = signed('GET /api/items/{name}/{n}', 'http://h/api/items/Smarch/-1');
    expect(traversal.operation).toBe('GET /api/items/{name}/{n}');
    // One failure, whatever the values: one finding.
    expect(findingId(traversal.key)).toBe(findingId(number.key));
  });

  it('is the URL path with ids normalized where the step names none', () => {
    expect(signed(undefined, 'http://h/api/items/12').operation).toBe('GET /api/items/{}');
  });
});

describe('the operation a step declares (declaredOperation)', () => {
  it.each([
    ['GET /api/items/{name}/{n}', 'GET', 'http://h/api/items/a/1', 'GET /api/items/{name}/{n}'],
    ['GET /items/{id}', 'GET', 'http://h/base/v1/items/7', 'GET /items/{id}'],
    ['GET /items/{id}', 'get', 'http://h/items/..%2F..%2Fetc%2Fpasswd', 'GET /items/{id}'],
    ['GET /files/{name}.json', 'GET', 'http://h/files/report.json', 'GET /files/{name}.json'],
    ['GET /items/', 'GET', 'http://h/items', 'GET /items/'],
  ])('%s sent as %s %s is %s', (name, method, url, operation) => {
    expect(declaredOperation(name, method, url)).toBe(operation);
  });

  it.each([
    ['a step named in words', 'Create a project', 'GET', 'http://h/items/1'],
    ['another method than the name', 'GET /items/{id}', 'DELETE', 'http://h/items/1'],
    ['a literal segment that differs', 'GET /items/{id}', 'GET', 'http://h/things/1'],
    ['a longer template than the path', 'GET /a/b/{id}', 'GET', 'http://h/b/1'],
    ['an empty parameter', 'GET /files/{name}.json', 'GET', 'http://h/files/.json'],
    ['a template with spaces', 'GET /items/{id} or more', 'GET', 'http://h/items/1'],
    ['a method no HTTP client sends', 'TRACE /items', 'TRACE', 'http://h/items'],
    ['a URL that does not parse', 'GET /items', 'GET', 'not a url'],
  ])('none for %s', (_, name, method, url) => {
    expect(declaredOperation(name, method, url)).toBeUndefined();
  });

  it('reads a hostile name in time linear in its length', () => {
    const name = `GET /${'{a}b'.repeat(20_000)}`;
    expect(declaredOperation(name, 'GET', `http://h/${'xb'.repeat(20_000)}`)).toBe(name);
    expect(declaredOperation(`GET /${'{'.repeat(50_000)}`, 'GET', 'http://h/x')).toBeUndefined();
  });
});

describe('finding ids', () => {
  it('are F- and the first 8 hex digits of the SHA-256 of the key, the same on every run', () => {
    expect(findingId('a')).toBe('F-ca978112');
    expect(findingId('')).toBe('F-e3b0c442');
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(findingId(a)).toMatch(/^F-[0-9a-f]{8}$/);
        expect(findingId(a) === findingId(b)).toBe(a === b || findingId(a) === findingId(b));
      }),
    );
  });
});

describe('normalizePath', () => {
  it.each([
    ['/api/projects/42', '/api/projects/{}'],
    ['/api/projects/0/tracks/007', '/api/projects/{}/tracks/{}'],
    ['/t/3F0C2B9E-1D7A-4C1E-9B2A-6F1E0D9C8B7A', '/t/{}'],
    ['/t/3f0c2b9e-1d7a-4c1e-9b2a-6f1e0d9c8b7a', '/t/{}'],
    // A UUID with no digit in it is still an id; one group short, it is a word.
    ['/t/abcdefab-cdef-abcd-efab-cdefabcdefab', '/t/{}'],
    ['/t/abcdefa-cdef-abcd-efab-cdefabcdefab', '/t/abcdefa-cdef-abcd-efab-cdefabcdefab'],
    ['/t/abcdefab-cde-abcd-efab-cdefabcdefab', '/t/abcdefab-cde-abcd-efab-cdefabcdefab'],
    ['/t/abcdefab-cdef-abc-efab-cdefabcdefab', '/t/abcdefab-cdef-abc-efab-cdefabcdefab'],
    ['/t/abcdefab-cdef-abcd-efa-cdefabcdefab', '/t/abcdefab-cdef-abcd-efa-cdefabcdefab'],
    ['/t/abcdefab-cdef-abcd-efab-cdefabcdefa', '/t/abcdefab-cdef-abcd-efab-cdefabcdefa'],
    ['/t/ghijklmn-cdef-abcd-efab-cdefabcdefab', '/t/ghijklmn-cdef-abcd-efab-cdefabcdefab'],
    ['/t/3f0c2b9e-1d7a-4c1e-9b2a', '/t/{}'],
    ['/t/3f0c2b9e1d7a', '/t/{}'],
    ['/t/3F0C2B9E1D7A', '/t/{}'],
    ['/t/3f0c2b9e1d7', '/t/3f0c2b9e1d7'],
    ['/t/abcdefabcdef', '/t/{}'],
    ['/t/cus_1234567890a', '/t/cus_1234567890a'],
    ['/t/cus_1234567890ab', '/t/{}'],
    ['/t/CUS-1234567890ABC', '/t/{}'],
    ['/t/customer_profile', '/t/customer_profile'],
    ['/t/customer-profiles-all', '/t/customer-profiles-all'],
    ['/t/v2', '/t/v2'],
    ['/t/42abc', '/t/42abc'],
    ['/t/abc42', '/t/abc42'],
    ['/t/new', '/t/new'],
  ])('%s → %s', (path, normalized) => {
    expect(normalizePath(`http://h${path}?id=42#7`)).toBe(normalized);
    expect(normalizePath(path)).toBe(normalized);
  });

  it('keeps what it cannot parse as a URL, without its query', () => {
    expect(normalizePath('http://[::1/x/42?y=1')).toBe('http://[::1/x/{}');
  });
});

describe('normalizeMessage', () => {
  it.each([
    ['only the first line counts\nat x (y.js:1:2)', 'only the first line counts'],
    ['expected "a \\" b" and \'c \\\' d\'', 'expected "…" and "…"'],
    ['to ann.o+tag@mail.example.co.uk twice', 'to <email> twice'],
    ['from user1@example.com', 'from <email>'],
    ['a@b is not an address', 'a@b is not an address'],
    ['id 3F0C2B9E-1D7A-4C1E-9B2A-6F1E0D9C8B7A gone', 'id <id> gone'],
    ['took 1.5 s, 200 ms, 3 tries, 12.25 %', 'took N s, N ms, N tries, N %'],
    ['   padded 1   ', 'padded N'],
    ['', ''],
  ])('%j → %j', (message, normalized) => {
    expect(normalizeMessage(message)).toBe(normalized);
  });

  it('gives two messages that differ only in particulars of one kind one signature', () => {
    const kinds = [
      fc.integer({ min: 0 }).map(String),
      fc.double({ min: 0, max: 1e9, noNaN: true }).map((n) => n.toFixed(3)),
      fc.uuid(),
      // The addresses services send; RFC 5322's rarer characters (!#$%…) are not taken out.
      fc.emailAddress().filter((address) => /^[\w.+-]+@/.test(address)),
      fc.string().map((text) => JSON.stringify(text)),
      fc.string().map((text) => `'${text.replace(/['\\]/g, '')}'`),
    ];
    const pair = fc.constantFrom(...kinds).chain((kind) => fc.tuple(kind, kind));
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(normalizeMessage(`expected ${a} to be refused`)).toBe(
          normalizeMessage(`expected ${b} to be refused`),
        );
      }),
    );
  });
});
