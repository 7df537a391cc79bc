// Every REST operation the emulator implements, by operationId. A new one is a handler in the module of its area,
// listed here; an operation GitHub has but this registry lacks answers 501 and is reported as `unimplemented`.
import { actionHandlers } from './actions.ts';
import { appHandlers } from './apps.ts';
import type { RestHandlers } from './call.ts';
import { checkHandlers } from './checks.ts';
import { commentHandlers } from './comments.ts';
import { deploymentHandlers } from './deployments.ts';
import { issueHandlers } from './issues.ts';
import { projectHandlers } from './projects.ts';
import { pullHandlers } from './pulls.ts';
import { repoHandlers } from './repos.ts';
import { subIssueHandlers } from './sub-issues.ts';

export { APP_JWT_OPERATIONS } from './apps.ts';

export const restHandlers: RestHandlers = {
  ...appHandlers,
  ...repoHandlers,
  ...issueHandlers,
  ...commentHandlers,
  ...pullHandlers,
  ...checkHandlers,
  ...deploymentHandlers,
  ...actionHandlers,
  ...subIssueHandlers,
  ...projectHandlers,
};
