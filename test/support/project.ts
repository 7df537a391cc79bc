// The project's own inputs, user-cases/ and gauntlet.yml, read and loaded as the CLI loads them; a problem in either
// fails the test with every error at its file:line:col.
import { formatSourceError, loadUserCases } from '../../src/cases/index.ts';
import type { GauntletConfig, LoadedUserCase } from '../../src/cases/index.ts';
import { loadCliConfig } from '../../src/cli/prepare.ts';
import { readUserCaseSources } from '../../src/cli/sources.ts';

export async function loadProjectInputs(): Promise<{ userCases: LoadedUserCase[]; config: GauntletConfig }> {
  const loaded = loadUserCases(await readUserCaseSources('user-cases'));
  if (!loaded.ok) throw new Error(loaded.errors.map(formatSourceError).join('\n'));
  return { userCases: loaded.value, config: await loadCliConfig() };
}
