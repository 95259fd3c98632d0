// The managed zip imports into the Dataverse emulator (test/emulators/dataverse, another workspace); a row can be
// written into every custom table; only a Refund Agent or PayPal Finance can change a credit memo's status.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type DataverseEmulator, type SeedUser } from '@ppc/dataverse-emulator';
import { buildSolution } from '../packer/build.ts';
import { readTree } from '../packer/source.ts';
import { customTables } from '../packer/model/tables.ts';
import { CreditMemoStatus } from '../packer/model/options.ts';
import type { Column, TableDef } from '../packer/model/types.ts';
import { fixtureControls, SRC_DIR } from './helpers.ts';

/** Users holding only this solution's roles (plus the emulator's stand-in Salesperson role for the sales user). */
const user = (n: number, key: string, roles: string[]): SeedUser => ({
  key,
  systemuserid: `7b0c7a6e-0000-4000-8000-${String(n).padStart(12, '0')}`,
  azureObjectId: `7b0c7a6e-0000-4000-8000-${String(100 + n).padStart(12, '0')}`,
  fullname: key,
  email: `${key}@solution-test.local`,
  roles,
});
const USERS = [
  user(1, 'sol-integration', ['Integration Service']),
  user(2, 'sol-refundagent', ['Refund Agent']),
  user(3, 'sol-finance', ['PayPal Finance']),
  user(4, 'sol-approver', ['Payout Approver']),
  user(5, 'sol-sales', ['Salesperson']),
  user(6, 'sol-noroles', []),
];

function sample(c: Column, unique: string): unknown {
  switch (c.type) {
    case 'string':
      return `${unique}-${c.name}`.slice(0, c.maxLength);
    case 'memo':
      return `memo ${unique}`;
    case 'money':
      return 12.34;
    case 'decimal':
      return 1.5;
    case 'int':
      return Math.max(c.min, 1);
    case 'bool':
      return false;
    case 'datetime':
      return c.dateOnly ? '2026-11-27' : '2026-11-27T10:00:00Z';
    case 'choice':
      return c.options[0]![0];
    case 'lookup':
      return undefined;
  }
}

/** Required and key columns with sample values; money tables get a currency. */
function rowFor(t: TableDef, unique: string, currencyId: string): Record<string, unknown> {
  const keyCols = new Set(t.keys.flatMap((k) => k.columns));
  const row: Record<string, unknown> = {
    [t.primaryName.name]: `${t.label} ${unique}`.slice(0, t.primaryName.maxLength),
  };
  for (const c of t.columns)
    if ((c.required && c.required !== 'none') || keyCols.has(c.name)) row[c.name] = sample(c, unique);
  if (t.hasCurrency) row['transactioncurrencyid@odata.bind'] = `/transactioncurrencies(${currencyId})`;
  return row;
}

describe('managed zip in the Dataverse emulator', () => {
  let dv: DataverseEmulator;
  const call = async (user: string, method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${dv.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await dv.tokenFor(user)}`,
        'content-type': 'application/json',
        accept: 'application/json',
        prefer: 'return=representation',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    // Standard tables only: the managed zip alone defines every PayPal table, key, role and step.
    dv = await createServer({ solutionDir: null, users: USERS });
    const result = buildSolution(await readTree(SRC_DIR), await fixtureControls());
    expect(result.ok).toBe(true);
    const managed = result.zips.find((z) => z.fileName.endsWith('_managed.zip'))!;
    const res = await call('admin', 'POST', 'ImportSolution', {
      OverwriteUnmanagedCustomizations: true,
      PublishWorkflows: true,
      CustomizationFile: Buffer.from(managed.bytes).toString('base64'),
    });
    expect({ status: res.status, body: res.status < 300 ? '' : await res.text() }).toEqual({ status: 204, body: '' });
    // What an admin does after import: assign the solution's roles (systemuserroles_association, Web API $ref).
    for (const u of USERS) {
      for (const role of u.roles) {
        const found = (await (await call('admin', 'GET', `roles?$select=roleid&$filter=name eq '${role}'`)).json()) as {
          value: { roleid: string }[];
        };
        expect(found.value.length).toBeGreaterThan(0);
        const assign = await call('admin', 'POST', `systemusers(${u.systemuserid})/systemuserroles_association/$ref`, {
          '@odata.id': `${dv.apiUrl}roles(${found.value[0]!.roleid})`,
        });
        expect(assign.status).toBe(204);
      }
    }
  }, 60_000);

  afterAll(async () => {
    await dv?.close();
  });

  it('the integration user writes a row into every custom table', async () => {
    const cur = (await (
      await call(
        'sol-integration',
        'GET',
        "transactioncurrencies?$select=transactioncurrencyid&$filter=isocurrencycode eq 'USD'",
      )
    ).json()) as { value: { transactioncurrencyid: string }[] };
    const currencyId = cur.value[0]!.transactioncurrencyid;
    const failures: string[] = [];
    for (const t of customTables) {
      const res = await call('sol-integration', 'POST', t.entitySetName, rowFor(t, `u${t.name.length}`, currencyId));
      if (res.status !== 201) failures.push(`${t.name}: ${res.status} ${await res.text()}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('only a Refund Agent or PayPal Finance can change a credit memo status', async () => {
    const cur = (await (
      await call(
        'sol-integration',
        'GET',
        "transactioncurrencies?$select=transactioncurrencyid&$filter=isocurrencycode eq 'USD'",
      )
    ).json()) as { value: { transactioncurrencyid: string }[] };
    const memo = customTables.find((t) => t.name === 'ppc_creditmemo')!;
    const created = await call(
      'sol-refundagent',
      'POST',
      memo.entitySetName,
      rowFor(memo, 'cm1', cur.value[0]!.transactioncurrencyid),
    );
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { ppc_creditmemoid: string }).ppc_creditmemoid;
    const request = { statuscode: CreditMemoStatus.RefundRequested };
    // PayPal Finance writes memos to approve them (statuscode Approved); a request from it is refused by the
    // proxy, which checks the webhook's initiating user for Refund Agent (proxy-service four-eyes).
    for (const key of ['sol-sales', 'sol-approver', 'sol-noroles']) {
      const res = await call(key, 'PATCH', `${memo.entitySetName}(${id})`, request);
      expect({ key, status: res.status }).toEqual({ key, status: 403 });
    }
    const ok = await call('sol-refundagent', 'PATCH', `${memo.entitySetName}(${id})`, request);
    expect(ok.status).toBeLessThan(300);
    const after = (await (
      await call('sol-refundagent', 'GET', `${memo.entitySetName}(${id})?$select=statuscode`)
    ).json()) as { statuscode: number };
    expect(after.statuscode).toBe(CreditMemoStatus.RefundRequested);
  }, 60_000);
});
