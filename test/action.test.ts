// The root action as a runner runs it: the committed bundle (dist/run/index.js) started by Node with INPUT_*
// variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files and the workspace as its folder; and its parts
// in-process (inputs to a command line, when the step fails, the annotations' cap).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { RunSummary } from '../src/cases/index.ts';
import { startAidawg, type RunningAidawg } from '../examples/aidawg/server.ts';
import {
  commandLine,
  failOnInput,
  publish,
  runAction,
  STEP_ANNOTATIONS,
  stepFails,
} from '../actions/run/main.ts';
import { inputsEnv, parseOutputs, runStep } from './support/actions-runner.ts';
import { useGitHubEmulator } from './support/github/jest.ts';
import { InputError } from '../actions/context.ts';

const BUNDLE = path.resolve('dist/run/index.js');
const action = parse(await readFile('action.yml', 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

const github = useGitHubEmulator();

let target: RunningAidawg;
let dir: string;

beforeAll(async () => {
  target = await startAidawg();
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-action-'));
});
afterAll(async () => {
  await Promise.all([target.close(), rm(dir, { recursive: true, force: true })]);
});

/** Runs the bundle with these inputs in a workspace of its own holding `files`. */
function runBundle(
  name: string,
  inputs: Record<string, string>,
  files: Record<string, string> = {},
  context: Record<string, string> = {},
) {
  return runStep({
    bundle: BUNDLE,
    declared: action.inputs,
    dir,
    name,
    inputs,
    files,
    env: { GAUNTLET_STORE_DIR: path.join(dir, 'store'), ...context },
  });
}

const journey = (status: number) => `role: Listener
journey: Checks the service
steps:
  - step: Health
    api: GET /api/health
    expect: { status: ${status} }
`;

describe('the root action, bundled', () => {
  it('is a JavaScript action on Node 24 whose outputs are all declared', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/run/index.js' });
    expect(Object.keys(action.outputs).sort()).toEqual(
      [
        'comment-id',
        'errors',
        'failed',
        'findings',
        'flaky',
        'new-findings',
        'passed',
        'report',
        'results',
        'skipped',
        'verdict',
      ].sort(),
    );
  });

  it('runs the cases, writes the report as the job summary and says what it found in its outputs', async () => {
    const { code, outputs, summary, workspace, stderr } = await runBundle(
      'passes',
      { target: target.url, cases: 'cases', 'api-key': '' },
      { 'cases/health.yml': journey(200) },
    );
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(outputs).toMatchObject({
      verdict: 'passed',
      failed: '0',
      errors: '0',
      findings: '0',
      'new-findings': '0',
      report: path.join(workspace, 'reports', 'report.md'),
      results: path.join(workspace, 'reports', 'results.json'),
    });
    expect(Number(outputs.passed)).toBeGreaterThan(0);
    expect(summary).toBe(await readFile(path.join(workspace, 'reports', 'report.md'), 'utf8'));
  });

  it('annotates a new finding at the user case it came from, fails the step, and masks the key', async () => {
    const key = 'sk-gauntlet-test-key-5h2k9';
    const { code, stdout, outputs } = await runBundle(
      'finds',
      { target: target.url, cases: 'cases', 'api-key': key, 'rules-only': 'true', retries: '0' },
      { 'cases/health.yml': journey(204) },
    );
    expect(code).toBe(1);
    expect(outputs).toMatchObject({ verdict: 'failed', 'new-findings': '1', findings: '1' });
    // The mask comes before anything else is printed, and the key never appears in the clear.
    expect(stdout.startsWith(`::add-mask::${key}\n`)).toBe(true);
    expect(stdout.split('\n').slice(1).join('\n')).not.toContain(key);
    expect(stdout).toMatch(
      /^::warning title=Low risk%3A a wrong status on GET \/api\/health,file=cases\/health\.yml,line=4::Expected status 204, got 200\.%0AOne test of "Checks the service" failed this way/m,
    );
    expect(stdout).toMatch(/^::error::Gauntlet found 1 new problem \(fail-on: new\); see the job summary$/m);
  });

  it('passes the step with fail-on none, and still says the verdict', async () => {
    const { code, outputs } = await runBundle(
      'fail-on-none',
      { target: target.url, cases: 'cases', 'fail-on': 'none', retries: '0' },
      { 'cases/health.yml': journey(204) },
    );
    expect(code).toBe(0);
    expect(outputs.verdict).toBe('failed');
  });

  it('fails at once on an input out of its values, naming it', async () => {
    const { code, stdout, outputs } = await runBundle('bad', { target: target.url, command: 'generate' });
    expect(code).toBe(1);
    expect(stdout).toContain('::error::command must be run or explore, not "generate"\n');
    expect(outputs).toEqual({ verdict: 'error' });
  });

  it('fails with the command’s own words when the run cannot be made', async () => {
    const { code, stdout, outputs } = await runBundle('missing-cases', {
      target: target.url,
      cases: 'nowhere',
    });
    expect(code).toBe(1);
    expect(outputs.verdict).toBe('error');
    expect(stdout).toMatch(/^::error::.*nowhere/m);
  });
});

describe('the root action on a pull request', () => {
  it('posts the report as one comment, updated by the next run, and only warns when it cannot', async () => {
    const gh = github();
    const repo = gh.state.addRepository({ owner: 'acme', name: 'shop' });
    const pr = gh.state.addPullRequest(repo, { title: 'Cart', head: { ref: 'cart' } });
    const eventFile = path.join(dir, 'pull-request-event.json');
    await writeFile(
      eventFile,
      JSON.stringify(gh.webhooks.build('pull_request', { action: 'opened', pull_request: pr })),
    );
    const context = {
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_PATH: eventFile,
    };
    const inputs = {
      target: target.url,
      cases: 'cases',
      'github-token': gh.state.createToken({ login: 'github-actions[bot]' }),
    };
    const files = { 'cases/health.yml': journey(200) };
    const first = await runBundle('comments', inputs, files, context);
    const second = await runBundle('comments-again', inputs, files, context);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(pr.comments).toHaveLength(1);
    expect(pr.comments[0]!.body).toContain('**No problems found.**');
    expect(second.outputs['comment-id']).toBe(first.outputs['comment-id']);
    expect(Number(first.outputs['comment-id'])).toBeGreaterThan(0);

    // A token that cannot write (a fork's pull request): the comment is lost, the step is not.
    gh.faults.add({ route: 'issues/create-comment', kind: 'server-error', status: 403, times: 1 });
    const other = gh.state.addPullRequest(repo, { title: 'Fork', head: { ref: 'fork' } });
    await writeFile(
      eventFile,
      JSON.stringify(gh.webhooks.build('pull_request', { action: 'opened', pull_request: other })),
    );
    const refused = await runBundle('comment-refused', inputs, files, context);
    expect(refused.code).toBe(0);
    expect(refused.outputs['comment-id']).toBe('');
    expect(refused.stdout).toMatch(
      /^::warning::The report was not posted on pull request #\d+: .*fork-safe pair/m,
    );
    expect(other.comments).toHaveLength(0);
  });
});

describe("the root action's inputs", () => {
  const inputs = (given: Record<string, string>) => (name: string) => given[name] ?? '';

  it('become the command line, options only where given', () => {
    expect(
      commandLine(
        inputs({
          command: 'explore',
          target: 'http://127.0.0.1:1/',
          start: 'npm start',
          shard: '1/2',
          'max-rounds': '9',
          model: 'gpt-4.1-nano',
          'llm-max-cost': '0.5',
          'rules-only': 'TRUE',
          'pass-with-no-tests': 'false',
        }),
      ),
    ).toEqual([
      'explore',
      '--target',
      'http://127.0.0.1:1/',
      '--start',
      'npm start',
      '--shard',
      '1/2',
      '--max-rounds',
      '9',
      '--model',
      'gpt-4.1-nano',
      '--llm-max-cost',
      '0.5',
      '--rules-only',
    ]);
    // An openapi description without cases generates for every operation.
    expect(commandLine(inputs({ openapi: 'openapi.yaml' }))).toEqual([
      'run',
      '--openapi',
      'openapi.yaml',
      '--no-cases',
    ]);
  });

  it.each([
    [{ command: 'deploy' }, 'command must be run or explore, not "deploy"'],
    [{ 'rules-only': 'yes' }, 'rules-only must be true or false, not "yes"'],
  ])('refuses %j', (given, message) => {
    expect(() => commandLine(inputs(given))).toThrow(new InputError(message));
  });

  it('fail-on is new, any or none', () => {
    expect(failOnInput(inputs({}))).toBe('new');
    expect(failOnInput(inputs({ 'fail-on': 'any' }))).toBe('any');
    expect(() => failOnInput(inputs({ 'fail-on': 'sometimes' }))).toThrow(
      'fail-on must be new, any, none, not "sometimes"',
    );
  });
});

describe('when the step fails', () => {
  const finding = (state?: 'new' | 'still-failing' | 'fixed', risk = 'high') =>
    ({
      id: 'F-1',
      risk,
      state,
      words: 'a crash',
      operation: 'GET /',
      operations: ['GET /'],
      message: 'it failed',
      count: 1,
      journeys: [],
      reproduction: { caseId: 'tc_1', title: 'Home', file: 'user-cases/home.yml', line: 3 },
    }) as never;
  const summary = (...findings: unknown[]) =>
    ({ totals: { passed: 1, failed: 1, error: 0, flaky: 0, skipped: 0 }, findings }) as unknown as RunSummary;

  it.each([
    ['new', 1, summary(finding('still-failing')), false],
    ['new', 1, summary(finding('new')), true],
    ['new', 1, summary(finding()), true],
    // Errors with no finding to show for them still fail the step.
    ['new', 1, summary(), true],
    ['any', 1, summary(finding('still-failing')), true],
    ['any', 0, summary(), false],
    ['none', 1, summary(finding('new')), false],
    // A run that could not be made fails whatever fail-on says.
    ['none', 2, undefined, true],
  ] as const)('fail-on %s, exit %d: fails %s', (failOn, code, results, fails) => {
    expect(stepFails(failOn, code, results)).toBe(fails);
  });

  it(`annotates at most ${STEP_ANNOTATIONS.error} errors and ${STEP_ANNOTATIONS.warning} warnings, and counts the rest`, async () => {
    const file = path.join(dir, 'cap.summary');
    await writeFile(file, '');
    const findings = [
      ...Array.from({ length: 12 }, () => finding('new', 'high')),
      ...Array.from({ length: 11 }, () => finding('new', 'low')),
    ];
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const saved = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = file;
    process.stdout.write = ((text: string) => printed.push(text) > 0) as typeof process.stdout.write;
    try {
      await publish(summary(...findings), path.join(dir, 'no-report.md'));
    } finally {
      process.stdout.write = write;
      process.env.GITHUB_STEP_SUMMARY = saved;
    }
    const lines = printed.join('').split('\n');
    expect(lines.filter((l) => l.startsWith('::error ')).length).toBe(10);
    expect(lines.filter((l) => l.startsWith('::warning ')).length).toBe(10);
    expect(await readFile(file, 'utf8')).toContain('3 more new findings not annotated here');
  });
});

describe('the root action, in-process', () => {
  /** runAction with these inputs and files for its outputs and summary; what it printed and set. */
  async function inProcess(name: string, inputs: Record<string, string>, files: Record<string, string> = {}) {
    const workspace = path.join(dir, `in-process-${name}`);
    await mkdir(workspace, { recursive: true });
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(workspace, file)), { recursive: true });
      await writeFile(path.join(workspace, file), text);
    }
    const saved = { ...process.env };
    for (const key of Object.keys(process.env))
      if (key.startsWith('GITHUB_')) Reflect.deleteProperty(process.env, key);
    const cwd = process.cwd();
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const output = path.join(workspace, 'output');
    await writeFile(output, '');
    Object.assign(process.env, inputsEnv(action.inputs, inputs), {
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: path.join(workspace, 'summary'),
      GITHUB_WORKSPACE: workspace,
      GAUNTLET_STORE_DIR: path.join(dir, 'store'),
    });
    await writeFile(process.env.GITHUB_STEP_SUMMARY!, '');
    process.chdir(workspace);
    process.stdout.write = ((text: string) => printed.push(String(text)) > 0) as typeof process.stdout.write;
    try {
      await runAction();
    } finally {
      process.stdout.write = write;
      process.chdir(cwd);
      for (const key of Object.keys(process.env))
        if (!(key in saved)) Reflect.deleteProperty(process.env, key);
      Object.assign(process.env, saved);
    }
    const failed = process.exitCode === 1;
    process.exitCode = 0;
    return { failed, printed: printed.join(''), outputs: parseOutputs(await readFile(output, 'utf8')) };
  }

  it('sets the outputs of a run that finds nothing, and does not fail', async () => {
    const { failed, outputs } = await inProcess(
      'passes',
      { target: target.url, cases: 'health.yml' },
      { 'health.yml': journey(200) },
    );
    expect(failed).toBe(false);
    expect(outputs).toMatchObject({ verdict: 'passed', findings: '0', 'new-findings': '0' });
  });

  it('fails on a finding, naming how many are new', async () => {
    const { failed, printed, outputs } = await inProcess(
      'finds',
      { target: target.url, cases: 'health.yml', retries: '0', 'fail-on': 'any' },
      { 'health.yml': journey(204) },
    );
    expect(failed).toBe(true);
    expect(outputs.verdict).toBe('failed');
    expect(printed).toContain('::error::Gauntlet found 1 new problem (fail-on: any); see the job summary');
  });

  it('refuses comment: yes before running anything', async () => {
    const { failed, printed, outputs } = await inProcess('bad-comment', {
      target: target.url,
      comment: 'yes',
    });
    expect(failed).toBe(true);
    expect(outputs).toEqual({ verdict: 'error' });
    expect(printed).toContain('::error::comment must be true or false, not "yes"');
  });

  it('never reports an earlier run’s results when this one could not be made', async () => {
    // Whatever it holds, it is not this run's.
    const earlier = '{"tool": "gauntlet"}';
    const { failed, outputs } = await inProcess(
      'stale',
      { target: target.url, cases: 'nowhere', out: 'reports' },
      { 'reports/results.json': earlier },
    );
    expect(failed).toBe(true);
    expect(outputs).toMatchObject({ verdict: 'error', results: '', report: '' });
  });

  it('fails on an input out of its values without running', async () => {
    const { failed, printed, outputs } = await inProcess('bad', { target: target.url, 'fail-on': 'often' });
    expect(failed).toBe(true);
    expect(outputs).toEqual({ verdict: 'error' });
    expect(printed).toContain('::error::fail-on must be new, any, none, not "often"');
  });
});
