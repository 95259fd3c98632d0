// `npm start`: the product on its embedded default. With no DATAVERSE_URL in the environment it starts the
// local stack — PayPal emulator, Dataverse emulator (solution imported from solution/src), the proxy on
// embedded PGlite with the webhook registered, and the PCF form harness — seeds demo data, makes one demo
// purchase through the whole chain and prints where to look. With DATAVERSE_URL set, it runs the proxy alone
// against the configured services.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

if (process.env.DATAVERSE_URL) {
  await import('@ppc/proxy-service/main');
} else {
  const { buyerPays, startLocalStack } = await import('@ppc/e2e');
  const { createHarness, repairRoleAssignments, seedDemo } = await import('@ppc/harness');
  const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

  if (!existsSync(`${root}pcf-controls/out/controls`)) {
    console.log('building the PCF controls once (pcf-controls/out/controls)…');
    execFileSync('npm', ['run', '-w', '@ppc/pcf-controls', 'build'], { cwd: root, stdio: 'inherit' });
  }
  const stack = await startLocalStack({
    ports: {
      paypal: port('PAYPAL_EMULATOR_PORT', 4010),
      dataverse: port('DATAVERSE_EMULATOR_PORT', 4020),
      proxy: port('PORT', 3000),
    },
    dataDir: process.env.PGLITE_DATA_DIR ?? `${root}.data/proxy-pglite`,
    // The emulators keep their state in memory; a new seed per start gives new PayPal event ids, which the
    // proxy's persistent inbox would otherwise take for duplicates of the last run's.
    paypalSeed: `npm-start-${Date.now()}`,
    log: (line) => console.log(line),
  });
  await repairRoleAssignments(stack.dataverse.url);
  await seedDemo(stack.dataverse.url);
  const harness = await createHarness({ dataverseUrl: stack.dataverse.url, port: port('HARNESS_PORT', 4040) });

  const purchase = await buyerPays(stack.paypal.url, await stack.paypalToken(), {
    currency: 'USD',
    items: [
      { sku: 'SKU-MUG', name: 'Coffee mug', quantity: 2, unitValue: '15.00' },
      { sku: 'SKU-TEE', name: 'T-shirt', quantity: 1, unitValue: '25.00' },
    ],
    payer: { payer_id: 'DEMBUYER23456', given_name: 'Demo', surname: 'Buyer', email: 'demo.buyer@example.com' },
  });

  console.log(`
D365 ⇄ PayPal connector — local stack
  PayPal emulator     ${stack.paypal.url}            (client ${'emulator-client-id'} / emulator-client-secret)
  Dataverse emulator  ${stack.dataverse.url}         (Web API ${stack.dataverse.apiUrl})
  proxy               ${stack.proxyUrl}          (/healthz, /readyz, /metrics; webhook ${stack.webhookId})
  PCF form harness    ${harness.url}/

A demo purchase was made: PayPal order ${purchase.orderId}, capture ${purchase.captureId} (${purchase.status}).
See it in Dataverse: ${stack.dataverse.apiUrl}ppc_paypaltransactions?$filter=ppc_paypalid eq '${purchase.captureId}'
  (token: POST ${stack.dataverse.url}/_emulator/token {"user":"admin"}), or open the harness and pick a record.
Make another purchase: npm run demo:purchase   (PAYPAL_URL=${stack.paypal.url})
Stop with Ctrl+C.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await harness.close();
    await stack.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
