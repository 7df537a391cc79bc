// GitHub's JSON for the emulator's records, as REST answers and webhook payloads carry it. Only the fields the
// emulator models are written here; `complete()` adds the other required ones from the schema of each answer.
import { accountPresenters } from './accounts.ts';
import { automationPresenters } from './automation.ts';
import { issuePresenters } from './issues.ts';
import { projectPresenters } from './projects.ts';

/** Presenters for answers whose links start at `api` (the emulator's root, or its `/api/v3` for Probot). */
export function presenters(api: string) {
  const accounts = accountPresenters(api);
  const issues = issuePresenters(accounts);
  return {
    ...accounts,
    ...issues,
    ...automationPresenters(accounts),
    ...projectPresenters(api, accounts, issues),
  };
}

export type Presenters = ReturnType<typeof presenters>;
