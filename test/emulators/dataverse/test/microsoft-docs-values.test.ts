// Values as Microsoft's pages show them, now that the standard columns come from Microsoft's reference
// (standard-schema.test.ts): one describe per page (learn.microsoft.com/power-apps/developer/data-platform/…).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '../src/index.ts';
import { api, startEmulator, unique } from './helpers.ts';

let em: DataverseEmulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.close();
});

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const idFrom = (entityId: string | null): string => /\(([0-9a-f-]{36})\)$/.exec(entityId ?? '')?.[1] as string;
async function createAccount(target: DataverseEmulator, body: Record<string, unknown>): Promise<string> {
  const r = await api(target, 'POST', 'accounts', { user: 'admin', body: { name: unique('Litware'), ...body } });
  if (r.status !== 204) throw new Error(`${r.status} ${r.text}`);
  return idFrom(r.headers.get('odata-entityid'));
}

describe('webapi/query/select-columns', () => {
  it('$select=name,revenue also returns _transactioncurrencyid_value, "because revenue is a currency property"', async () => {
    const id = await createAccount(em, { revenue: 20000 });
    const r = await api(em, 'GET', `accounts(${id})?$select=name,revenue`, { user: 'admin' });
    expect(r.status).toBe(200);
    const row = r.json();
    expect(Object.keys(row).filter((k) => !k.startsWith('@'))).toEqual(
      expect.arrayContaining(['name', 'revenue', '_transactioncurrencyid_value', 'accountid']),
    );
    expect(row._transactioncurrencyid_value).toMatch(/^[0-9a-f-]{36}$/);
    // a column that is not money does not bring it
    const plain = await api(em, 'GET', `accounts(${id})?$select=name`, { user: 'admin' });
    expect(plain.json()).not.toHaveProperty('_transactioncurrencyid_value');
  });

  it('"Formatted values": revenue $20,000.00 (currency symbol), customertypecode Competitor, currency US Dollar', async () => {
    const id = await createAccount(em, { revenue: 20000, customertypecode: 1 });
    const r = await api(em, 'GET', `accounts(${id})?$select=name,revenue,customertypecode`, {
      user: 'admin',
      headers: { Prefer: `odata.include-annotations="${FORMATTED}"` },
    });
    const row = r.json();
    expect(row[`revenue@${FORMATTED}`]).toBe('$20,000.00');
    expect(row.revenue).toBe(20000);
    expect(row[`customertypecode@${FORMATTED}`]).toBe('Competitor');
    expect(row[`_transactioncurrencyid_value@${FORMATTED}`]).toBe('US Dollar');
  });

  it('money in another currency carries that currency’s symbol and precision (JPY has no minor unit)', async () => {
    const jpy = await api(
      em,
      'GET',
      "transactioncurrencies?$select=transactioncurrencyid&$filter=isocurrencycode eq 'JPY'",
      {
        user: 'admin',
      },
    );
    const jpyId = (jpy.json().value as { transactioncurrencyid: string }[])[0]?.transactioncurrencyid;
    const id = await createAccount(em, {
      revenue: 1500000,
      'transactioncurrencyid@odata.bind': `transactioncurrencies(${jpyId})`,
    });
    const r = await api(em, 'GET', `accounts(${id})?$select=revenue`, {
      user: 'admin',
      headers: { Prefer: `odata.include-annotations="${FORMATTED}"` },
    });
    expect(r.json()[`revenue@${FORMATTED}`]).toBe('¥1,500,000');
  });

  it('"The localized labels for … yes/no … columns": the labels of the column’s metadata, not a fixed Yes/No', async () => {
    // account.donotemail: 1 "Do Not Allow", 0 "Allow" (reference/entities/account, DoNotEMail Choices/Options)
    const id = await createAccount(em, { donotemail: true, creditonhold: false });
    const r = await api(em, 'GET', `accounts(${id})?$select=donotemail,creditonhold`, {
      user: 'admin',
      headers: { Prefer: `odata.include-annotations="${FORMATTED}"` },
    });
    expect(r.json()[`donotemail@${FORMATTED}`]).toBe('Do Not Allow');
    expect(r.json()[`creditonhold@${FORMATTED}`]).toBe('No');
  });

  it('a float column keeps the digits its Precision allows (account.address1_latitude: Double, Precision 5)', async () => {
    const id = await createAccount(em, { address1_latitude: 47.6395831 });
    const r = await api(em, 'GET', `accounts(${id})?$select=address1_latitude`, {
      user: 'admin',
      headers: { Prefer: `odata.include-annotations="${FORMATTED}"` },
    });
    expect(r.json().address1_latitude).toBe(47.63958);
    expect(r.json()[`address1_latitude@${FORMATTED}`]).toBe('47.63958');
  });
});

describe('webapi/query/select-columns, with the repository solution', () => {
  // one emulator per hook: two starts in one hook outlast its timeout on a loaded machine
  let repo: DataverseEmulator;
  beforeAll(async () => {
    // the repository's solution (ppc_addressstandardized is a Yes/No column of its account)
    repo = await startEmulator({ solutionDir: new URL('../../../../solution/src/', import.meta.url) });
  });
  afterAll(async () => {
    await repo.close();
  });

  it('a Yes/No column of the solution (account.ppc_addressstandardized) gets its option label', async () => {
    const id = await createAccount(repo, { ppc_addressstandardized: true });
    const r = await api(repo, 'GET', `accounts(${id})?$select=ppc_addressstandardized`, {
      user: 'admin',
      headers: { Prefer: `odata.include-annotations="${FORMATTED}"` },
    });
    expect(r.json().ppc_addressstandardized).toBe(true);
    expect(r.json()[`ppc_addressstandardized@${FORMATTED}`]).toBe('Yes');
  });
});

describe('webapi/execute-batch-operations-using-web-api', () => {
  it('each 204 part of a change set carries Location and OData-EntityId, as the page’s response shows', async () => {
    const boundary = 'batch_AAA123';
    const changeset = 'changeset_BBB456';
    const part = (n: number): string =>
      [
        `--${changeset}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        `Content-ID: ${n}`,
        '',
        `POST ${em.apiUrl}tasks HTTP/1.1`,
        'Content-Type: application/json; type=entry',
        '',
        JSON.stringify({ subject: `Task ${n} in batch` }),
      ].join('\r\n');
    const body = [
      `--${boundary}`,
      `Content-Type: multipart/mixed; boundary=${changeset}`,
      '',
      part(1),
      part(2),
      `--${changeset}--`,
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const r = await api(em, 'POST', '$batch', {
      user: 'admin',
      body,
      headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
    });
    expect(r.status).toBe(200);
    const parts = r.text.split(/--changesetresponse_[^\r\n]*/).filter((p) => p.includes('HTTP/1.1'));
    expect(parts).toHaveLength(2);
    for (const p of parts) {
      expect(p).toContain('HTTP/1.1 204 No Content');
      const location = /\r\nLocation: (\S+)/.exec(p)?.[1];
      const entityId = /\r\nOData-EntityId: (\S+)/.exec(p)?.[1];
      expect(location).toMatch(/\/api\/data\/v9\.2\/tasks\([0-9a-f-]{36}\)$/);
      expect(location).toBe(entityId);
    }
  });
});
