// The root action's own script (action.yml, step `run`) as a workflow runs it: bash, the inputs in its environment,
// GITHUB_ACTION_PATH at this checkout, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { RunSummary } from '../src/cases/index.ts';
import { startAidawg, type RunningAidawg } from '../examples/aidawg/server.ts';

interface Step {
  id?: string;
  env?: Record<string, string>;
  run?: string;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { steps: Step[] };
}

const action = parse(await readFile('action.yml', 'utf8')) as Action;
const step = action.runs.steps.find((s) => s.id === 'run')!;

let target: RunningAidawg;
let dir: string;

beforeAll(async () => {
  target = await startAidawg();
  dir = await mkdtemp(path.join(tmpdir(), 'gauntlet-action-'));
});
afterAll(async () => {
  await Promise.all([target.close(), rm(dir, { recursive: true, force: true })]);
});

/** Runs the step with these inputs (the others at their defaults), in its own folder as the workspace. */
async function runStep(name: string, inputs: Record<string, string>) {
  const workspace = path.join(dir, name);
  await mkdir(workspace, { recursive: true });
  const given = (key: string) => inputs[key] ?? action.inputs[key]?.default ?? '';
  // `${{ inputs.x }}` in the step's environment, as the runner fills it in.
  const env = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([key, value]) => [
      key,
      value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, input: string) => given(input)),
    ]),
  );
  const files = { output: path.join(workspace, 'output'), summary: path.join(workspace, 'summary.md') };
  await Promise.all([writeFile(files.output, ''), writeFile(files.summary, '')]);
  const result = await promisify(execFile)('bash', ['-e', '-c', step.run!], {
    cwd: workspace,
    env: {
      ...process.env,
      ...env,
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
      GITHUB_ACTION_PATH: process.cwd(),
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
    },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  return {
    ...result,
    workspace,
    output: await readFile(files.output, 'utf8'),
    summary: await readFile(files.summary, 'utf8'),
  };
}

const JOURNEY = `role: Listener
journey: Checks the service
steps:
  - step: Health
    api: GET /api/health
    expect: { status: 200 }
`;

describe('the root action', () => {
  it('explores with an OpenAPI description, puts the report in the job summary and names it as an output', async () => {
    await mkdir(path.join(dir, 'explore', 'cases'), { recursive: true });
    await writeFile(path.join(dir, 'explore', 'cases', 'health.yml'), JOURNEY);
    const { code, output, summary, workspace, stderr } = await runStep('explore', {
      command: 'explore',
      target: target.url,
      cases: 'cases',
      openapi: path.resolve('examples/aidawg/openapi.yaml'),
    });
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(output).toBe('report=reports/report.md\n');
    const report = await readFile(path.join(workspace, 'reports', 'report.md'), 'utf8');
    expect(summary).toBe(report);
    const results = RunSummary.parse(
      JSON.parse(await readFile(path.join(workspace, 'reports', 'results.json'), 'utf8')),
    );
    // Explored (the rounds are in the results), and checked against the description's operations.
    expect(results.exploration).toBeDefined();
    expect(results.operations?.source).toBe(path.resolve('examples/aidawg/openapi.yaml'));
    expect(results.operations?.operations).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/api/health', passed: expect.any(Number) }),
    );
  });

  it('refuses a command it does not know before running anything', async () => {
    const { code, stdout, output } = await runStep('bad', { command: 'generate', target: target.url });
    expect(code).toBe(2);
    expect(stdout).toBe("::error title=Gauntlet::command must be run or explore, not 'generate'\n");
    expect(output).toBe('');
  });
});
