// `npm run -w @ppc/dataverse-emulator start`: runs the emulator alone and prints its URLs.
import { createServer, EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET } from './index.ts';

const port = Number(process.env.DATAVERSE_EMULATOR_PORT ?? 4020);
const emulator = await createServer({ port, databaseUrl: process.env.DATAVERSE_EMULATOR_DATABASE_URL || undefined });
console.log(`Dataverse emulator: ${emulator.url}`);
console.log(`  Web API:   ${emulator.apiUrl}`);
console.log(
  `  authority: ${emulator.authority}  (client ${EMULATOR_CLIENT_ID} / ${EMULATOR_CLIENT_SECRET}, scope ${emulator.scope})`,
);
console.log(`  user tokens: POST ${emulator.url}/_emulator/token {"user":"refundagent"}`);
const stop = (): void => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
