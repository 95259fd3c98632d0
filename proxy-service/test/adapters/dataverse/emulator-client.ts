// Test helper: a Dataverse emulator on port 0 and a client of ours authenticated as the seeded
// application user through msal-node (pure configuration: msalAuthorityOptions).
import { randomUUID } from 'node:crypto';
import { GlPurpose } from '@ppc/solution';
import {
  createServer,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  msalAuthorityOptions,
} from '@ppc/dataverse-emulator';
import type { DataverseEmulator } from '@ppc/dataverse-emulator';
import { createDataverseClient } from '../../../src/adapters/dataverse/index.ts';
import type { DataverseClientOptions, DataversePort } from '../../../src/adapters/dataverse/index.ts';

export function startEmulator(): Promise<DataverseEmulator> {
  return createServer({ port: 0 });
}

export function clientFor(dv: DataverseEmulator, extra: Partial<DataverseClientOptions> = {}): DataversePort {
  return createDataverseClient({
    url: dv.url,
    clientId: EMULATOR_CLIENT_ID,
    clientSecret: EMULATOR_CLIENT_SECRET,
    msal: { auth: msalAuthorityOptions(dv.url, dv.tenantId) },
    ...extra,
  });
}

export async function control(dv: DataverseEmulator, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${dv.url}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${method} ${path} → ${res.status}`);
  return res.json();
}

export function unique(prefix: string): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** The Web API as the emulator's System Administrator (what an admin does in the maker portal). */
export function adminApi(dv: DataverseEmulator) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${dv.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await dv.tokenFor('admin')}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
    return res.status === 204 ? undefined : ((await res.json()) as { value: Record<string, string>[] });
  };
}

export type GlAccountSeed = readonly (readonly [(typeof GlPurpose)[keyof typeof GlPurpose], string, string])[];

/** The GL accounts order-to-cash needs for USD payments: clearing, fee expense, receivable. */
export const MINIMAL_GL_ACCOUNTS: GlAccountSeed = [
  [GlPurpose.Clearing, 'USD', '1010-USD'],
  [GlPurpose.FeeExpense, 'XXX', '6100'],
  [GlPurpose.Receivable, 'XXX', '1200'],
];

/** GL account map rows (purpose, currency or XXX for any, account code), by default the minimal set. */
export async function seedMinimalGlAccounts(
  dv: DataverseEmulator,
  accounts: GlAccountSeed = MINIMAL_GL_ACCOUNTS,
): Promise<void> {
  const api = adminApi(dv);
  for (const [purpose, currency, code] of accounts)
    await api('POST', 'ppc_glaccountmaps', {
      ppc_name: `${purpose} ${currency}`,
      ppc_purpose: purpose,
      ppc_currencycode: currency,
      ppc_accountcode: code,
    });
}
