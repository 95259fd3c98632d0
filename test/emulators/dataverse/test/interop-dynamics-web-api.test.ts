// Interoperability: dynamics-web-api 2.x, configured as against a real org (serverUrl + onTokenRefresh),
// runs create, retrieve, retrieveMultiple with paging, upsert by alternate key, If-Match conflicts,
// a batch with a change set and Content-ID references, and CreateMultiple.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamicsWebApi } from 'dynamics-web-api';
import type { DataverseEmulator } from '../src/index.ts';
import { startEmulator, unique } from './helpers.ts';

let em: DataverseEmulator;
let client: DynamicsWebApi;

beforeAll(async () => {
  em = await startEmulator();
  client = new DynamicsWebApi({
    serverUrl: em.url,
    dataApi: { version: '9.2' },
    onTokenRefresh: () => em.tokenFor('integration'),
  });
});
afterAll(async () => {
  await em.close();
});

describe('dynamics-web-api against the emulator', () => {
  it('creates and retrieves a record', async () => {
    const name = unique('acct');
    const id: unknown = await client.create({ collection: 'accounts', data: { name, creditlimit: 250.5 } });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const row: { name: string; creditlimit: number; '@odata.etag': string } = await client.retrieve({
      collection: 'accounts',
      key: String(id),
      select: ['name', 'creditlimit'],
    });
    expect(row.name).toBe(name);
    expect(row.creditlimit).toBe(250.5);
    expect(row['@odata.etag']).toMatch(/^W\/"\d+"$/);
  });

  it('pages with retrieveMultiple/maxPageSize and retrieveAll', async () => {
    const tag = unique('page');
    for (let i = 0; i < 7; i++)
      await client.create({ collection: 'ppc_samples', data: { ppc_name: `${tag}-${i}`, ppc_lineno: i } });
    const first = await client.retrieveMultiple({
      collection: 'ppc_samples',
      filter: `startswith(ppc_name,'${tag}')`,
      select: ['ppc_name'],
      orderBy: ['ppc_lineno asc'],
      maxPageSize: 3,
    });
    expect(first.value).toHaveLength(3);
    expect(first.oDataNextLink).toBeDefined();
    const second = await client.retrieveMultiple({ collection: 'ppc_samples', maxPageSize: 3 }, first.oDataNextLink);
    expect(second.value.map((r) => r.ppc_name)).toEqual([`${tag}-3`, `${tag}-4`, `${tag}-5`]);
    const all = await client.retrieveAll({
      collection: 'ppc_samples',
      filter: `startswith(ppc_name,'${tag}')`,
      maxPageSize: 2,
    });
    expect(all.value).toHaveLength(7);
  });

  it('upserts by alternate key: create, then update the same row', async () => {
    const ext = unique('ext');
    const created: { ppc_sampleid: string; ppc_name: string } = await client.upsert({
      collection: 'ppc_samples',
      key: `ppc_externalid='${ext}'`,
      data: { ppc_name: 'first' },
      returnRepresentation: true,
    });
    const updated: { ppc_sampleid: string; ppc_name: string } = await client.upsert({
      collection: 'ppc_samples',
      key: `ppc_externalid='${ext}'`,
      data: { ppc_name: 'second' },
      returnRepresentation: true,
    });
    expect(updated.ppc_sampleid).toBe(created.ppc_sampleid);
    expect(updated.ppc_name).toBe('second');
    const count = await client.count({ collection: 'ppc_samples', filter: `ppc_externalid eq '${ext}'` });
    expect(count).toBe(1);
  });

  it('reports an If-Match conflict as 412', async () => {
    const id = (await client.create({ collection: 'ppc_samples', data: { ppc_name: unique('etag') } })) as string;
    const row = await client.retrieve<{ '@odata.etag': string }>({ collection: 'ppc_samples', key: id });
    await client.update({ collection: 'ppc_samples', key: id, data: { ppc_lineno: 1 }, ifmatch: row['@odata.etag'] });
    const strict = new DynamicsWebApi({
      serverUrl: em.url,
      dataApi: { version: '9.2' },
      onTokenRefresh: () => em.tokenFor('integration'),
      propagateErrors: true,
    });
    await expect(
      strict.update({ collection: 'ppc_samples', key: id, data: { ppc_lineno: 2 }, ifmatch: row['@odata.etag'] }),
    ).rejects.toMatchObject({ status: 412, code: '0x80060882' });
  });

  it('runs a batch with a change set and Content-ID references', async () => {
    const name = unique('batch');
    client.startBatch();
    void client.create({ collection: 'contacts', data: { lastname: name }, contentId: '1' });
    void client.create({ collection: 'ppc_samples', data: { ppc_name: name, 'ppc_ContactId@odata.bind': '$1' } });
    void client.retrieveMultiple({
      collection: 'ppc_samples',
      filter: `ppc_name eq '${name}'`,
      select: ['ppc_name', '_ppc_contactid_value'],
    });
    const results = await client.executeBatch();
    expect(results).toHaveLength(3);
    const contactId = results[0] as string;
    expect(contactId).toMatch(/^[0-9a-f-]{36}$/);
    const rows = await client.retrieveMultiple<{ _ppc_contactid_value: string }>({
      collection: 'ppc_samples',
      filter: `ppc_name eq '${name}'`,
      select: ['_ppc_contactid_value'],
    });
    expect(rows.value[0]?._ppc_contactid_value).toBe(contactId);
  });

  it('upserts by alternate key inside a change set and binds to it with a Content-ID reference', async () => {
    const ext = unique('csup');
    const last = unique('cs');
    client.startBatch();
    void client.upsert({
      collection: 'contacts',
      key: `ppc_paypalpayerid='${ext.slice(0, 20)}'`,
      data: { lastname: last },
      contentId: '1',
    });
    void client.create({
      collection: 'ppc_samples',
      data: { ppc_name: last, ppc_externalid: ext, 'ppc_ContactId@odata.bind': '$1' },
    });
    await client.executeBatch();
    const rows = await client.retrieveMultiple({
      collection: 'ppc_samples',
      filter: `ppc_externalid eq '${ext}'`,
      select: ['ppc_name'],
      expand: [{ property: 'ppc_ContactId', select: ['lastname', 'ppc_paypalpayerid'] }],
    });
    expect(rows.value[0]?.ppc_ContactId).toMatchObject({ lastname: last, ppc_paypalpayerid: ext.slice(0, 20) });
  });

  it('rolls back a failing change set and reports the error to the client', async () => {
    const last = unique('fail');
    client.startBatch();
    void client.create({ collection: 'contacts', data: { lastname: last } });
    void client.create({ collection: 'ppc_samples', data: { ppc_name: last, ppc_kind: 42 } });
    await expect(client.executeBatch()).rejects.toBeDefined();
    expect(await client.count({ collection: 'contacts', filter: `lastname eq '${last}'` })).toBe(0);
  });

  it('runs CreateMultiple', async () => {
    const tag = unique('bulk');
    const res = await client.callAction<{ Ids: string[] }>({
      collection: 'ppc_samples',
      actionName: 'Microsoft.Dynamics.CRM.CreateMultiple',
      action: {
        Targets: [0, 1, 2].map((i) => ({
          '@odata.type': 'Microsoft.Dynamics.CRM.ppc_sample',
          ppc_name: `${tag}-${i}`,
        })),
      },
    });
    expect(res.Ids).toHaveLength(3);
    expect(await client.count({ collection: 'ppc_samples', filter: `startswith(ppc_name,'${tag}')` })).toBe(3);
  });
});
