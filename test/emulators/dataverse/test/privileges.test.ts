// Privileges as security roles grant them (learn.microsoft.com/power-platform/admin/security-roles-privileges):
// depth on user-owned tables (Basic = the user's own rows), AppendTo on the row a lookup points at, and only
// roles the solution or the platform define.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '../src/index.ts';
import { api, startEmulator, unique } from './helpers.ts';

const clerk = (n: number) => ({
  key: `clerk${n}`,
  systemuserid: `5f0c7a6e-0000-4000-8000-0000000001c${n}`,
  azureObjectId: `5f0c7a6e-0000-4000-8000-0000000002c${n}`,
  fullname: `Clerk ${n}`,
  email: `clerk${n}@emulator.local`,
  roles: ['Sample Clerk'],
});

let em: DataverseEmulator;
beforeAll(async () => {
  em = await startEmulator({
    users: [clerk(1), clerk(2), { ...clerk(3), key: 'ghost', roles: ['Payout Approver'] }],
  });
});
afterAll(async () => {
  await em.close();
});

async function create(user: string, body: Record<string, unknown>): Promise<string> {
  const r = await api(em, 'POST', 'ppc_samples', { user, body });
  if (r.status !== 204) throw new Error(`${r.status} ${r.text}`);
  return /\(([0-9a-f-]{36})\)$/.exec(r.headers.get('odata-entityid') ?? '')?.[1] as string;
}

describe('privilege depth on a user-owned table', () => {
  it('Basic depth reaches only the rows the user owns: list, read, write, delete', async () => {
    const tag = unique('depth');
    const mine = await create('clerk1', { ppc_name: `${tag}-1` });
    const theirs = await create('clerk2', { ppc_name: `${tag}-2` });
    const listed = await api(em, 'GET', `ppc_samples?$select=ppc_name&$filter=startswith(ppc_name,'${tag}')`, {
      user: 'clerk1',
    });
    expect((listed.json().value as { ppc_name: string }[]).map((v) => v.ppc_name)).toEqual([`${tag}-1`]);
    expect((await api(em, 'PATCH', `ppc_samples(${mine})`, { user: 'clerk1', body: { ppc_lineno: 1 } })).status).toBe(
      204,
    );
    const write = await api(em, 'PATCH', `ppc_samples(${theirs})`, { user: 'clerk1', body: { ppc_lineno: 1 } });
    expect(write.status).toBe(403);
    expect(write.json().error).toMatchObject({ code: '0x80040220' });
    expect((write.json().error as { message: string }).message).toContain('prvWriteppc_sample');
    expect((await api(em, 'DELETE', `ppc_samples(${theirs})`, { user: 'clerk1' })).status).toBe(403);
    expect((await api(em, 'DELETE', `ppc_samples(${mine})`, { user: 'clerk1' })).status).toBe(204);
    // the administrator (Global through System Administrator) sees both
    const all = await api(em, 'GET', `ppc_samples?$select=ppc_name&$filter=startswith(ppc_name,'${tag}')`, {
      user: 'admin',
    });
    expect(all.json().value).toHaveLength(1);
  });

  it('RetrieveUserPrivileges reports the depth the role grants', async () => {
    const r = await api(
      em,
      'GET',
      `systemusers(${clerk(1).systemuserid})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`,
      {
        user: 'admin',
      },
    );
    const byName = Object.fromEntries(
      (r.json().RolePrivileges as { PrivilegeName: string; Depth: string }[]).map((p) => [p.PrivilegeName, p.Depth]),
    );
    expect(byName).toMatchObject({ prvWriteppc_sample: 'Basic', prvReadcontact: 'Global' });
  });
});

describe('AppendTo', () => {
  it('setting a lookup needs AppendTo on the table it points at', async () => {
    const c = await api(em, 'POST', 'contacts', { user: 'admin', body: { lastname: unique('to') } });
    const contact = /\(([0-9a-f-]{36})\)$/.exec(c.headers.get('odata-entityid') ?? '')?.[1] as string;
    // Sample Clerk has Append on ppc_sample but no AppendTo on contact
    const r = await api(em, 'POST', 'ppc_samples', {
      user: 'clerk1',
      body: { ppc_name: unique('bind'), 'ppc_ContactId@odata.bind': `/contacts(${contact})` },
    });
    expect(r.status).toBe(403);
    expect((r.json().error as { message: string }).message).toContain('prvAppendTocontact');
    // the application user's role (fixture Integration Service) grants it
    const ok = await api(em, 'POST', 'ppc_samples', {
      body: { ppc_name: unique('bind'), 'ppc_ContactId@odata.bind': `/contacts(${contact})` },
    });
    expect(ok.status).toBe(204);
  });
});

describe('roles', () => {
  it('come only from the solution and the platform: a role the solution lacks grants nothing', async () => {
    const roles = await api(em, 'GET', 'roles?$select=name&$orderby=name', { user: 'admin' });
    const names = (roles.json().value as { name: string }[]).map((r) => r.name);
    // platform roles plus the fixture solution's roles; no invented Payout Approver or PayPal Finance
    expect(names).toEqual(
      expect.arrayContaining(['System Administrator', 'Salesperson', 'Refund Agent', 'Integration Service']),
    );
    expect(names).not.toContain('Payout Approver');
    expect(names).not.toContain('PayPal Finance');
    expect((await api(em, 'GET', 'ppc_samples?$top=1', { user: 'ghost' })).status).toBe(403);
  });
});
