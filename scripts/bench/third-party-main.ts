// The third-party Petstore of the tests as a process of its own, for bench:depth: it prints its URL, and ends
// cleanly on SIGTERM or SIGINT so that the coverage tool wrapping it writes what it measured.
import { startThirdPartyService } from '../../test/support/third-party/index.ts';

const service = await startThirdPartyService();
console.log(`listening on ${service.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void service.close().finally(() => process.exit(0)));
}
