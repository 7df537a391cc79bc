// Anchors, aliases and repeated keys in user cases and gauntlet.yml: written by anyone who can open a pull request,
// so a hostile one (an alias bomb, a cycle, an alias to nothing, thousands of keys) is an input error at its place,
// never a crash, a circular value or a run that does not end.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { formatSourceError, loadConfig, loadUserCases } from '../../src/cases/index.ts';
import { cli } from '../support/cli.ts';

const errorsOf = (text: string, file = 'user-cases/a.yml'): string[] => {
  const result = loadUserCases([{ path: file, text }]);
  if (result.ok) throw new Error('expected the load to fail');
  return result.errors.map(formatSourceError);
};

const JOURNEY = `role: R
journey: J
steps:
  - step: S
    api: GET /x
    example: &example { name: a, tags: [x, y] }
  - step: T
    api: POST /y
    example: *example
`;

/** Ten anchors, each a list of ten aliases of the one before: 10^10 values once expanded. */
function aliasBomb(levels = 10): string {
  const lines = ['role: R', 'journey: J', 'l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++)
    lines.push(
      `l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  lines.push(`steps: [{ step: S, api: GET /x, example: *l${levels - 1} }]`);
  return `${lines.join('\n')}\n`;
}

describe('aliases in user cases', () => {
  it('expands an alias into its own copy of the value it names', () => {
    const result = loadUserCases([{ path: 'a.yml', text: JOURNEY }]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [first, second] = result.value[0]!.userCase.steps;
    expect(second!.example).toEqual({ name: 'a', tags: ['x', 'y'] });
    expect(second!.example).not.toBe(first!.example);
  });

  it('refuses an alias that names no anchor, at the alias', () => {
    expect(errorsOf('role: R\njourney: J\nsteps: [{ step: S, api: GET /x, example: *nothing }]\n')).toEqual([
      'user-cases/a.yml:3:42: the alias *nothing names no anchor set before it: write &nothing on an earlier value',
    ]);
  });

  it('refuses an alias used before its anchor is set', () => {
    expect(errorsOf('role: R\njourney: *j\nx: &j J\nsteps: []\n')[0]).toMatch(
      /^user-cases\/a\.yml:2:10: the alias \*j names no anchor set before it/,
    );
  });

  it('refuses an alias inside the value it names, which no JSON value can hold', () => {
    expect(errorsOf('role: R\njourney: J\nsteps: &s [{ step: S, api: GET /x, example: *s }]\n')).toEqual([
      'user-cases/a.yml:3:45: the alias *s is inside the value it names (&s): a value cannot contain itself',
    ]);
    expect(errorsOf('role: &r { a: { b: *r } }\njourney: J\nsteps: []\n')[0]).toMatch(
      /:1:20: the alias \*r is inside/,
    );
  });

  it('refuses aliases that expand a small file into billions of values', () => {
    const [error] = errorsOf(aliasBomb());
    expect(error).toMatch(
      /^user-cases\/a\.yml:4:\d+: the aliases expand this document to more than \d+ values/,
    );
  });

  it('reads a file of many anchors and aliases in time that grows with its size, not with its square', () => {
    // 20,000 keys took the yaml package's own duplicate-key check and alias lookup minutes; the test would time out.
    const lines = ['role: R', 'journey: J', 'steps: []', 'x:'];
    for (let i = 0; i < 20_000; i++) lines.push(`  k${i}: &a${i} ${i}`, `  v${i}: *a${i}`);
    expect(errorsOf(`${lines.join('\n')}\n`)).toEqual([
      'user-cases/a.yml:3:8: steps: Too small: expected array to have >=1 items',
      'user-cases/a.yml:4:1: x: unknown key "x"',
    ]);
  });

  it('still finds a repeated key, in a block and in a flow mapping', () => {
    expect(errorsOf('role: R\nrole: S\njourney: J\nsteps: []\n')).toEqual([
      'user-cases/a.yml:2:1: Map keys must be unique',
    ]);
    expect(errorsOf('role: R\njourney: J\nsteps: [{ step: S, step: T, api: GET /x }]\n')).toEqual([
      'user-cases/a.yml:3:20: Map keys must be unique',
    ]);
  });

  it('gives positioned errors, never an exception, for random documents with anchors and aliases', () => {
    const name = fc.constantFrom('a', 'b', 'c');
    // A value tree whose nodes may carry an anchor or be an alias of any name, set before or not, inside itself or not.
    const { node } = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom('1', 'x', 'null', '"s"'),
        name.map((n) => `*${n}`),
        fc.tuple(name, tie('node')).map(([n, v]) => `&${n} ${v}`),
        fc.array(tie('node'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
        fc
          .array(fc.tuple(fc.constantFrom('role', 'journey', 'steps', 'k', '*a'), tie('node')), {
            maxLength: 4,
          })
          .map((pairs) => `{ ${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')} }`),
      ),
    }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('role', 'journey', 'steps', 'x', 'y'), node), { maxLength: 6 }),
        (pairs) => {
          const text = pairs.map(([k, v]) => `${k}: ${v}`).join('\n');
          for (const load of [
            () => loadUserCases([{ path: 'a.yml', text }]),
            () => loadConfig({ path: 'gauntlet.yml', text }),
          ]) {
            const result = load();
            if (result.ok) {
              expect(() => JSON.stringify(result.value)).not.toThrow();
              continue;
            }
            for (const error of result.errors) {
              expect(error.line).toBeGreaterThanOrEqual(1);
              expect(error.column).toBeGreaterThanOrEqual(1);
              expect(error.message).toMatch(/\S/);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('aliases through the command', () => {
  it('exits 2 with file:line:column for an alias bomb, an unresolved alias and a cycle in user cases', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gauntlet-aliases-'));
    mkdirSync(path.join(dir, 'cases'));
    writeFileSync(path.join(dir, 'cases', 'bomb.yml'), aliasBomb());
    writeFileSync(path.join(dir, 'cases', 'missing.yml'), 'role: R\njourney: *j\nsteps: []\n');
    writeFileSync(path.join(dir, 'cases', 'cycle.yml'), 'role: R\njourney: J\nsteps: &s [*s]\n');
    const { code, stderr } = await cli('validate', '--cases', path.join(dir, 'cases'));
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).toContain(`${path.join(dir, 'cases', 'bomb.yml')}:4:`);
    expect(stderr).toContain(`${path.join(dir, 'cases', 'missing.yml')}:2:10: the alias *j names no anchor`);
    expect(stderr).toContain(
      `${path.join(dir, 'cases', 'cycle.yml')}:3:12: the alias *s is inside the value it names`,
    );
  });

  it('exits 2 with gauntlet.yml:line:column for an unresolved alias in the configuration', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gauntlet-aliases-'));
    writeFileSync(path.join(dir, 'gauntlet.yml'), 'timeoutMs: *t\n');
    writeFileSync(path.join(dir, 'a.yml'), JOURNEY);
    const config = path.join(dir, 'gauntlet.yml');
    const { code, stderr } = await cli('validate', '--config', config, '--cases', path.join(dir, 'a.yml'));
    expect(code).toBe(2);
    expect(stderr).toContain(`${config}:1:12: the alias *t names no anchor set before it`);
  });
});
