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
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void running.close().then(() => process.exit(0)));
}
