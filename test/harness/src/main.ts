// `npm start -w @ppc/harness`: the form harness next to a Dataverse emulator, seeded with demo records.
// DATAVERSE_URL points it at an emulator that is already running (then nothing is seeded unless
// HARNESS_SEED=1); HARNESS_PORT picks the port (default 4040).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createServer } from '@ppc/dataverse-emulator';
import { createHarness } from './harness.ts';
import { repairRoleAssignments, seedDemo } from './demo-data.ts';

const controls = fileURLToPath(new URL('../../../pcf-controls/out/controls/', import.meta.url));
if (!existsSync(controls)) console.warn(`no built controls in ${controls}: run npm run -w @ppc/pcf-controls build`);

const external = process.env.DATAVERSE_URL;
const emulator = external ? undefined : await createServer({ port: Number(process.env.DATAVERSE_PORT ?? 0) });
const dataverseUrl = external ?? emulator!.url;
if (!external || process.env.HARNESS_SEED === '1') {
  await repairRoleAssignments(dataverseUrl);
  const demo = await seedDemo(dataverseUrl);
  console.log('demo records', demo);
}
const harness = await createHarness({ dataverseUrl, port: Number(process.env.HARNESS_PORT ?? 4040) });
console.log(`Dataverse emulator ${dataverseUrl}`);
console.log(`PCF form harness   ${harness.url}/`);

async function stop(): Promise<void> {
  await harness.close();
  await emulator?.close();
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
