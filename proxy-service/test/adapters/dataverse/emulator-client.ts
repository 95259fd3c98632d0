// Test helper: a Dataverse emulator on port 0 and a client of ours authenticated as the seeded
// application user through msal-node (pure configuration: msalAuthorityOptions).
import { randomUUID } from 'node:crypto';
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
