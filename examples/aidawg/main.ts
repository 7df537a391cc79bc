// `npm run target`: starts AI DAWG on loopback. PORT, HOST, AIDAWG_FAULTS and AIDAWG_OPERATOR_PASSWORD configure it.
import { parseFaults } from './faults.ts';
import { startAidawg } from './server.ts';

let faults;
try {
  faults = parseFaults(process.env.AIDAWG_FAULTS ?? '');
} catch (error) {
  console.error(`aidawg: ${(error as Error).message}`);
  process.exit(2);
}
const port = Number(process.env.PORT ?? 4100);
const running = await startAidawg({
  port,
  host: process.env.HOST ?? '127.0.0.1',
  faults,
  operatorPassword: process.env.AIDAWG_OPERATOR_PASSWORD ?? 'aidawg-operator',
});
console.log(`AI DAWG listening on ${running.url} (faults: ${faults.size ? [...faults].join(', ') : 'none'})`);
// Ctrl-C, a kill, or the terminal closing: the server closes and the process ends. `npm run target` execs this
// process, so npm's forwarded signal reaches it rather than the shell between them. A second signal while closing
// ends the process at once (the handler is gone), and so does a close that has not finished in a few seconds.
const CLOSE_GRACE_MS = 5000;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    setTimeout(() => process.exit(0), CLOSE_GRACE_MS).unref();
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`aidawg: closing the server: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  });
}
