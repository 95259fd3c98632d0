// Where the adapters' validated suites run (PPC_TARGET, see README "Validated against the real services"): the
// PayPal and Dataverse emulators started here on loopback (default), or PayPal's sandbox and a Dataverse
// environment with an application user's credentials. The same client of ours talks to either.
import { createServer as createPayPal, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@ppc/paypal-emulator';
import {
  createServer as createDataverse,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  msalAuthorityOptions,
} from '@ppc/dataverse-emulator';
import { requireEnv, snapshots, targetKind, type TargetKind } from '@ppc/test-support/validated';
import { createPayPalClient, type PayPalClient } from '../../src/adapters/paypal/index.ts';
import { createDataverseClient, type DataversePort } from '../../src/adapters/dataverse/index.ts';

export interface Target<C> {
  kind: TargetKind;
  client: C;
  close(): Promise<void>;
}

export async function paypalTarget(kind: TargetKind = targetKind()): Promise<Target<PayPalClient>> {
  if (kind === 'real') {
    const env = requireEnv(['PAYPAL_CLIENT_ID', 'PAYPAL_CLIENT_SECRET']);
    const client = createPayPalClient({
      baseUrl: process.env.PAYPAL_API_BASE_URL ?? 'https://api-m.sandbox.paypal.com',
      clientId: env.PAYPAL_CLIENT_ID,
      clientSecret: env.PAYPAL_CLIENT_SECRET,
    });
    return { kind, client, close: async () => undefined };
  }
  const emu = await createPayPal({ seed: 'proxy-validated' });
  const client = createPayPalClient({
    baseUrl: emu.url,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
  });
  return { kind, client, close: () => emu.close() };
}

export async function dataverseTarget(kind: TargetKind = targetKind()): Promise<Target<DataversePort>> {
  if (kind === 'real') {
    const env = requireEnv(['DATAVERSE_URL', 'DATAVERSE_CLIENT_ID', 'DATAVERSE_CLIENT_SECRET', 'DATAVERSE_TENANT_ID']);
    const client = createDataverseClient({
      url: env.DATAVERSE_URL,
      clientId: env.DATAVERSE_CLIENT_ID,
      clientSecret: env.DATAVERSE_CLIENT_SECRET,
      tenantId: env.DATAVERSE_TENANT_ID,
    });
    return { kind, client, close: async () => undefined };
  }
  const dv = await createDataverse({ port: 0 });
  const client = createDataverseClient({
    url: dv.url,
    clientId: EMULATOR_CLIENT_ID,
    clientSecret: EMULATOR_CLIENT_SECRET,
    msal: { auth: msalAuthorityOptions(dv.url, dv.tenantId) },
  });
  return { kind, client, close: () => dv.close() };
}

/** The adapters' snapshots: recorded from the real services, compared by the emulator runs. */
export function adapterSnapshots(service: 'paypal' | 'dataverse') {
  return snapshots(new URL(`./snapshots/${service}/`, import.meta.url).pathname);
}
