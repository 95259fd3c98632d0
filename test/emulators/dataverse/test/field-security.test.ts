// Column (field) security with the product solution: its secured columns and profiles, the seeded application
// user in the integration profile (the admin's step after import), humans in none.
// learn.microsoft.com/power-apps/developer/data-platform/column-level-security: only System Administrators and
// the profile's users read or set a secured column; web-service-error-codes: 0x8004F502
// AttributePrivilegeCreateIsMissing, 0x8004F507 AttributePermissionUpdateIsMissingDuringUpdate (403 Forbidden).
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '../src/index.ts';
import { api, startEmulator, unique } from './helpers.ts';

const PRODUCT_SOLUTION = new URL('../../../../solution/src/', import.meta.url);
const WHEN = '2026-11-27T10:00:00Z';

let em: DataverseEmulator;
beforeAll(async () => {
  em = await startEmulator({ solutionDir: PRODUCT_SOLUTION });
}, 120_000);

async function memo(user = 'refundagent'): Promise<string> {
  const r = await api(em, 'POST', 'ppc_creditmemos', { user, body: { ppc_name: unique('fs'), ppc_amount: 5 } });
  expect(r.status).toBe(204);
  return /\(([0-9a-f-]{36})\)/.exec(r.headers.get('OData-EntityId') ?? '')![1]!;
}
const read = async (id: string, user: string) =>
  (await api(em, 'GET', `ppc_creditmemos(${id})?$select=ppc_name,ppc_requestedon`, { user })).json();

describe('column (field) security', () => {
  it('refuses a create that sets a secured column without the profile (403 0x8004F502)', async () => {
    const r = await api(em, 'POST', 'ppc_creditmemos', {
      user: 'refundagent',
      body: { ppc_name: unique('fs'), ppc_amount: 5, ppc_requestedon: WHEN },
    });
    expect(r.status).toBe(403);
    expect(r.json().error).toMatchObject({ code: '0x8004F502' });
  });

  it('refuses an update of a secured column by a user in no profile, even holding both four-eyes roles (0x8004F507)', async () => {
    const id = await memo();
    for (const user of ['refundagent', 'dualrole', 'financeuser']) {
      const r = await api(em, 'PATCH', `ppc_creditmemos(${id})`, { user, body: { ppc_requestedon: WHEN } });
      expect({ user, status: r.status, code: (r.json().error as { code: string }).code }).toEqual({
        user,
        status: 403,
        code: '0x8004F507',
      });
    }
    // the rest of the row is still writable for them
    const ok = await api(em, 'PATCH', `ppc_creditmemos(${id})`, { user: 'refundagent', body: { ppc_reason: 'ok' } });
    expect(ok.status).toBe(204);
  });

  it('lets the application user (integration profile) and a System Administrator write and read it', async () => {
    const id = await memo();
    expect((await api(em, 'PATCH', `ppc_creditmemos(${id})`, { body: { ppc_requestedon: WHEN } })).status).toBe(204);
    expect((await read(id, 'integration')).ppc_requestedon).toBe(WHEN);
    expect((await read(id, 'admin')).ppc_requestedon).toBe(WHEN);
    const byAdmin = await api(em, 'PATCH', `ppc_creditmemos(${id})`, {
      user: 'admin',
      body: { ppc_requestedon: '2026-11-28T10:00:00Z' },
    });
    expect(byAdmin.status).toBe(204);
  });

  it('returns the row without the secured value to a reader without the profile', async () => {
    const id = await memo();
    await api(em, 'PATCH', `ppc_creditmemos(${id})`, { body: { ppc_requestedon: WHEN } });
    const seen = await read(id, 'refundagent');
    expect(seen.ppc_name).toEqual(expect.any(String));
    expect(seen.ppc_requestedon).toBeNull();
    const list = (
      await api(em, 'GET', `ppc_creditmemos?$select=ppc_requestedon&$filter=ppc_creditmemoid eq ${id}`, {
        user: 'financeuser',
      })
    ).json().value as Record<string, unknown>[];
    expect(list).toEqual([expect.objectContaining({ ppc_requestedon: null })]);
  });

  it('leaves columns that are not secured alone (a lookup cannot be secured)', async () => {
    const id = await memo();
    const r = await api(em, 'PATCH', `ppc_creditmemos(${id})`, {
      user: 'refundagent',
      body: { 'ppc_requestedby@odata.bind': '/systemusers(5f0c7a6e-0000-4000-8000-000000000004)' },
    });
    expect(r.status).toBe(204);
  });
});
