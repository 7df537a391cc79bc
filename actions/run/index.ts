// Entry of the root action's bundle (dist/run/index.js): any error the run did not turn into a verdict fails the step
// with its message rather than a stack trace.
import * as core from '@actions/core';
import { runAction } from './main.ts';

await runAction().catch((error: unknown) => {
  core.setFailed(error instanceof Error ? error.message : String(error));
});
