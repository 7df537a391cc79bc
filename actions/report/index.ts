// Entry of the report action's bundle (dist/report/index.js): any error the action did not turn into a message fails
// the step with its message rather than a stack trace.
import * as core from '@actions/core';
import { reportAction } from './main.ts';

await reportAction().catch((error: unknown) => {
  core.setOutput('verdict', 'error');
  core.setFailed(error instanceof Error ? error.message : String(error));
});
