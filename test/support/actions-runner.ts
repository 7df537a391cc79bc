// What tests of the bundled actions do as a runner would: run a step's bundle with its inputs, files and context in
// the environment, and read back the outputs and the job summary it wrote.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/** An action's declared inputs, as its action.yml lists them. */
export type DeclaredInputs = Record<string, { default?: string }>;

/** GITHUB_OUTPUT's `name<<delimiter` blocks (what @actions/core's setOutput writes). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[i]!);
    if (!heredoc) continue;
    const end = lines.indexOf(heredoc[2]!, i + 1);
    outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

/**
 * Every declared input as the runner sets it, INPUT_<NAME>: the given value, or the default. A default that is an
 * expression (`${{ github.token }}`) is the runner's to evaluate; with no workflow around it, it is empty.
 */
export function inputsEnv(declared: DeclaredInputs, given: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, { default: value = '' }] of Object.entries(declared)) {
    env[`INPUT_${name.toUpperCase()}`] = given[name] ?? (value.includes('${{') ? '' : value);
  }
  return env;
}

export interface Step {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

/**
 * Runs `bundle` as a step named `name`: a workspace `<dir>/<name>` holding `files`, its output and summary files
 * beside it, every declared input in the environment, and `env` (the step's GITHUB_* context) on top. Nothing of
 * this process's own INPUT_* or GITHUB_* variables (the CI job's, when the tests run in a workflow) leaks in.
 */
export async function runStep(options: {
  bundle: string;
  declared: DeclaredInputs;
  dir: string;
  name: string;
  inputs: Record<string, string>;
  files?: Record<string, string>;
  env?: Record<string, string>;
}): Promise<Step> {
  const { dir, name } = options;
  const workspace = path.join(dir, name);
  await mkdir(workspace, { recursive: true });
  for (const [file, text] of Object.entries(options.files ?? {})) {
    await mkdir(path.dirname(path.join(workspace, file)), { recursive: true });
    await writeFile(path.join(workspace, file), text);
  }
  const output = path.join(dir, `${name}.output`);
  const summary = path.join(dir, `${name}.summary`);
  await Promise.all([writeFile(output, ''), writeFile(summary, '')]);
  const own = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('INPUT_') && !key.startsWith('GITHUB_')),
  );
  const result = await promisify(execFile)(process.execPath, [options.bundle], {
    cwd: workspace,
    env: {
      ...own,
      ...inputsEnv(options.declared, options.inputs),
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_WORKSPACE: workspace,
      ...options.env,
    },
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  return {
    ...result,
    workspace,
    outputs: parseOutputs(await readFile(output, 'utf8')),
    summary: await readFile(summary, 'utf8'),
  };
}
