// `npm run test:validated -- --target emulator|real [--service paypal|dataverse]`: the suites validated against
// the real services (`*.validated.test.ts`: the PayPal emulator's Orders/Payments/Payouts contract suite and the
// proxy adapters' PayPal and Dataverse suites). `emulator` (default) runs them on loopback and compares with the
// committed snapshots; `real` runs them against PayPal's sandbox and a Dataverse environment and rewrites the
// snapshots. A real run without its credentials stops before any test, naming each missing variable.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = join(import.meta.dirname, '..');
const SUITES = {
  paypal: {
    files: [
      'test/emulators/paypal/test/validated/orders-payments.validated.test.ts',
      'proxy-service/test/adapters/paypal/client.validated.test.ts',
    ],
    env: ['PAYPAL_CLIENT_ID', 'PAYPAL_CLIENT_SECRET'],
    snapshots: ['test/emulators/paypal/test/validated/snapshots', 'proxy-service/test/adapters/snapshots/paypal'],
  },
  dataverse: {
    files: ['proxy-service/test/adapters/dataverse/client.validated.test.ts'],
    env: ['DATAVERSE_URL', 'DATAVERSE_CLIENT_ID', 'DATAVERSE_CLIENT_SECRET', 'DATAVERSE_TENANT_ID'],
    snapshots: ['proxy-service/test/adapters/snapshots/dataverse'],
  },
} as const;
type Service = keyof typeof SUITES;

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npm run test:validated -- --target emulator|real [--service paypal|dataverse]\n`,
  );
  process.exit(2);
}

const { values } = parseArgs({
  options: { target: { type: 'string', default: 'emulator' }, service: { type: 'string', multiple: true } },
});
const target = values.target;
if (target !== 'emulator' && target !== 'real') usage(`--target must be emulator or real, not "${target}"`);
const services = (values.service ?? Object.keys(SUITES)) as Service[];
for (const s of services) if (!(s in SUITES)) usage(`--service must be paypal or dataverse, not "${s}"`);

if (target === 'real') {
  const missing = services.flatMap((s) => SUITES[s].env.filter((name) => !process.env[name]));
  if (missing.length) {
    process.stderr.write(
      `--target real needs credentials; missing: ${missing.join(', ')}.\n` +
        'Set them as README "Validated against the real services" says, or pick one service with --service.\n',
    );
    process.exit(1);
  }
}

const count = (dir: string) =>
  existsSync(join(ROOT, dir)) ? readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.json')).length : 0;
const files = services.flatMap((s) => SUITES[s].files);
process.stdout.write(`validated suites, target ${target}: ${files.join(', ')}\n`);
const run = spawnSync(
  process.execPath,
  [
    '--disable-warning=ExperimentalWarning',
    '--experimental-vm-modules',
    join(ROOT, 'node_modules/jest/bin/jest.js'),
    '--runInBand',
    '--runTestsByPath',
    ...files,
  ],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, PPC_TARGET: target } },
);
for (const s of services)
  for (const dir of SUITES[s].snapshots)
    process.stdout.write(
      `snapshots ${target === 'real' ? 'written to' : 'compared from'} ${dir}: ${count(dir)} file(s)\n`,
    );
process.exit(run.status ?? 1);
