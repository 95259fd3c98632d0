// What `npm start` assembles for a newcomer: the PCF controls built if they are not, the local stack on the
// sandbox's ports and data directory (emulators on the real clock, the proxy with an admin token and
// readable logs), the harness users' roles repaired, demo records for the forms, the PCF form harness, and
// one demo purchase followed until it is recorded in Dataverse.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHarness, repairRoleAssignments, seedDemo, type Harness } from '@ppc/harness';
import type { LogDestination } from '@ppc/proxy-service';
import pretty from 'pino-pretty';
import { adminTokenFor } from './admin-token.ts';
import { buyerPays, type Purchase } from './buyer.ts';
import { pollUntil } from './poll.ts';
import { REPO_ROOT, sandboxSettings, type SandboxSettings } from './sandbox-settings.ts';
import { startLocalStack, type LocalStack } from './stack.ts';

export interface SandboxOptions {
  settings?: SandboxSettings;
  /** the proxy's log level (default LOG_LEVEL, else info: one line per recorded payment) */
  logLevel?: string;
  /** where the proxy's pino logger writes (default: readable lines on stdout; production logs JSON) */
  proxyLogDestination?: LogDestination;
  /** progress lines while starting */
  log?: (line: string) => void;
  /** how long to follow the demo purchase into Dataverse (default 30 s) */
  purchaseTimeoutMs?: number;
}

export interface Sandbox {
  settings: SandboxSettings;
  stack: LocalStack;
  harness: Harness;
  adminToken: string;
  purchase: Purchase;
  /** the demo purchase as Dataverse recorded it; undefined when it did not arrive in time */
  recorded: { transactionId: string; invoiceId?: string } | undefined;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const settings = options.settings ?? sandboxSettings();
  const log = options.log ?? (() => undefined);
  if (!existsSync(join(REPO_ROOT, 'pcf-controls/out/controls'))) {
    log('building the PCF controls once (pcf-controls/out/controls)…');
    execFileSync('npm', ['run', '-w', '@ppc/pcf-controls', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
  const adminToken = adminTokenFor(settings.dataDir);
  const stack = await startLocalStack({
    ports: settings.ports,
    store: settings.store,
    // The emulators keep their state in memory; a new seed per start gives new PayPal event ids, which the
    // proxy's persistent inbox would otherwise take for duplicates of the last run's. Real clock: a seeded
    // emulator pins its clock (reproducible tests), the sandbox's records are dated today.
    paypalSeed: `npm-start-${Date.now()}`,
    paypal: { startTime: new Date(), clockFlows: true },
    proxyEnv: { ADMIN_TOKEN: adminToken, LOG_LEVEL: options.logLevel ?? process.env.LOG_LEVEL ?? 'info' },
    proxyLogDestination:
      options.proxyLogDestination ??
      pretty({
        colorize: process.stdout.isTTY,
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname,service',
      }),
    log,
  });
  let harness: Harness | undefined;
  try {
    await repairRoleAssignments(stack.dataverse.url);
    await seedDemo(stack.dataverse.url);
    harness = await createHarness({ dataverseUrl: stack.dataverse.url, port: settings.ports.harness });
    const purchase = await buyerPays(stack.paypal.url, await stack.paypalToken(), {
      currency: 'USD',
      items: [
        { sku: 'SKU-MUG', name: 'Coffee mug', quantity: 2, unitValue: '15.00' },
        { sku: 'SKU-TEE', name: 'T-shirt', quantity: 1, unitValue: '25.00' },
      ],
      payer: { payer_id: 'DEMBUYER23456', given_name: 'Demo', surname: 'Buyer', email: 'demo.buyer@example.com' },
    });
    const recorded = await followPurchase(stack, purchase, options.purchaseTimeoutMs ?? 30_000).catch(
      (err: unknown) => {
        log(`the demo purchase is not in Dataverse yet: ${String(err)}`);
        return undefined;
      },
    );
    const opened = harness;
    return {
      settings,
      stack,
      harness: opened,
      adminToken,
      purchase,
      recorded,
      async close() {
        await opened.close();
        await stack.close();
      },
    };
  } catch (err) {
    await harness?.close().catch(() => undefined);
    await stack.close().catch(() => undefined);
    throw err;
  }
}

/** Polls Dataverse until the proxy has recorded the capture (the invoice is linked in the same change set). */
function followPurchase(stack: LocalStack, purchase: Purchase, timeoutMs: number) {
  return pollUntil(
    async () => {
      const [txn] = await stack.admin.list<{ ppc_paypaltransactionid: string; _ppc_invoiceid_value?: string }>(
        'ppc_paypaltransactions',
        `$select=ppc_paypaltransactionid,_ppc_invoiceid_value&$filter=ppc_paypalid eq '${purchase.captureId}'`,
      );
      if (!txn) return undefined;
      return {
        transactionId: txn.ppc_paypaltransactionid,
        ...(txn._ppc_invoiceid_value ? { invoiceId: txn._ppc_invoiceid_value } : {}),
      };
    },
    { timeoutMs, intervalMs: 200, what: `capture ${purchase.captureId} in Dataverse` },
  );
}
