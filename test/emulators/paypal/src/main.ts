// `npm start`: runs the emulator alone. Port from PAYPAL_EMULATOR_PORT (default 4010);
// optional PAYPAL_EMULATOR_SEED, PAYPAL_EMULATOR_STATE_FILE, PAYPAL_EMULATOR_REPORTS_DIR.
import { createServer, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from './index.ts';

const env = process.env;
const emulator = await createServer({
  port: Number(env.PAYPAL_EMULATOR_PORT ?? 4010),
  ...(env.PAYPAL_EMULATOR_HOST ? { host: env.PAYPAL_EMULATOR_HOST } : {}),
  ...(env.PAYPAL_EMULATOR_SEED ? { seed: env.PAYPAL_EMULATOR_SEED } : {}),
  ...(env.PAYPAL_EMULATOR_STATE_FILE ? { stateFile: env.PAYPAL_EMULATOR_STATE_FILE } : {}),
  ...(env.PAYPAL_EMULATOR_REPORTS_DIR ? { reportsDir: env.PAYPAL_EMULATOR_REPORTS_DIR } : {}),
});
console.log(
  `PayPal emulator listening on ${emulator.url} (client id ${DEFAULT_CLIENT_ID}, secret ${DEFAULT_CLIENT_SECRET})`,
);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
