// DataversePort against the Dataverse emulator over real HTTP, authenticated with msal-node.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '@ppc/dataverse-emulator';
import { AppError } from '../../../src/errors.ts';
import type { DataversePort } from '../../../src/adapters/dataverse/index.ts';
import { clientFor, startEmulator, unique } from './emulator-client.ts';

let dv: DataverseEmulator;
let client: DataversePort;

beforeAll(async () => {
  dv = await startEmulator();
  client = clientFor(dv);
});
afterAll(async () => {
  await dv.close();
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw e;
  return e;
}

type Contact = { contactid: string; lastname: string; firstname?: string; ppc_paypalpayerid?: string };

describe('Dataverse client against the emulator', () => {
  it('upserts a contact by alternate key and gets it back by that key, with its ETag; a missing key is null', async () => {
    const payer = unique('P');
    const [res] = await client.changeSet([
      { method: 'PATCH', url: `contacts(ppc_paypalpayerid='${payer}')`, body: { lastname: 'Key' } },
    ]);
    expect(res?.status).toBe(204);
    const got = await client.get<Contact>(`contacts(ppc_paypalpayerid='${payer}')`, ['lastname', 'ppc_paypalpayerid']);
    expect(got).toMatchObject({ lastname: 'Key', ppc_paypalpayerid: payer });
    expect(got?.['@odata.etag']).toMatch(/^W\/"\d+"$/);
    const byId = await client.get<Contact>(`contacts(${got?.contactid})`, ['lastname']);
    expect(byId?.lastname).toBe('Key');
    expect(await client.get(`contacts(ppc_paypalpayerid='${unique('missing')}')`)).toBeNull();
  });

  it('keys with spaces and non-ASCII characters work in change sets and gets', async () => {
    const payer = `${unique('P')} é`;
    const results = await client.changeSet([
      { method: 'PATCH', url: `contacts(ppc_paypalpayerid='${payer}')`, body: { lastname: 'Spacé' } },
    ]);
    expect(results[0]?.status).toBe(204);
    expect(
      await client.get<Contact>(`contacts(ppc_paypalpayerid='${payer}')`, ['lastname', 'ppc_paypalpayerid']),
    ).toMatchObject({
      lastname: 'Spacé',
      ppc_paypalpayerid: payer,
    });
    const rows = await client.query<Contact>('contacts', `$select=lastname&$filter=ppc_paypalpayerid eq '${payer}'`);
    expect(rows).toHaveLength(1);
  });

  it('queries with paging: follows nextLink, stops at maxRecords, honours $top', async () => {
    const tag = unique('page');
    await client.changeSet(
      Array.from({ length: 7 }, (_, i) => ({
        method: 'POST' as const,
        url: 'contacts',
        body: { lastname: `${tag}-${i}` },
      })),
    );
    const paged = clientFor(dv, { pageSize: 3 });
    const all = await paged.query<Contact>(
      'contacts',
      `$select=lastname&$filter=startswith(lastname,'${tag}')&$orderby=lastname asc`,
    );
    expect(all.map((c) => c.lastname)).toEqual(Array.from({ length: 7 }, (_, i) => `${tag}-${i}`));
    expect(paged.stats().requests).toBe(3);
    const five = await paged.query<Contact>('contacts', `$select=lastname&$filter=startswith(lastname,'${tag}')`, 5);
    expect(five).toHaveLength(5);
    const top = await paged.query<Contact>('contacts', `$select=lastname&$filter=startswith(lastname,'${tag}')&$top=1`);
    expect(top).toHaveLength(1);
  });

  it('commits a change set with Content-ID references and an alternate-key upsert atomically', async () => {
    const payer = unique('P');
    const paypalId = unique('CAP');
    const before = client.stats();
    const results = await client.changeSet([
      { method: 'PATCH', url: `contacts(ppc_paypalpayerid='${payer}')`, body: { lastname: 'Buyer' }, contentId: '1' },
      { method: 'PATCH', url: '$1', body: { firstname: 'Ann' } },
      {
        method: 'POST',
        url: 'ppc_paypaltransactions',
        body: {
          ppc_name: paypalId,
          ppc_paypalid: paypalId,
          ppc_kind: 416500000,
          ppc_grossamount: 12.34,
          'ppc_contactid@odata.bind': '$1',
        },
      },
    ]);
    expect(results.map((r) => r.status)).toEqual([204, 204, 204]);
    const txId = results[2]?.entityId;
    expect(txId).toMatch(/^[0-9a-f-]{36}$/);
    expect(client.stats().requests - before.requests).toBe(1);
    expect(client.stats().operations - before.operations).toBe(3);
    const contact = await client.get<Contact>(`contacts(ppc_paypalpayerid='${payer}')`, ['firstname', 'lastname']);
    expect(contact).toMatchObject({ firstname: 'Ann', lastname: 'Buyer' });
    const tx = await client.get<{ _ppc_contactid_value: string; ppc_grossamount: number }>(
      `ppc_paypaltransactions(ppc_paypalid='${paypalId}')`,
      ['_ppc_contactid_value', 'ppc_grossamount'],
    );
    expect(tx?._ppc_contactid_value).toBe(contact?.contactid);
    expect(tx?.ppc_grossamount).toBe(12.34);
  });

  it('rolls the whole change set back when one operation fails and says which one', async () => {
    const tag = unique('rb');
    const err = await rejection(
      client.changeSet([
        { method: 'POST', url: 'contacts', body: { lastname: tag } },
        { method: 'POST', url: 'ppc_paypaltransactions', body: { ppc_name: tag, ppc_nosuchcolumn: 1 } },
        { method: 'POST', url: 'contacts', body: { lastname: `${tag}-never` } },
      ]),
    );
    expect(err).toMatchObject({ code: 'dataverse_400', retryable: false, httpStatus: 400 });
    expect(err.details).toMatchObject({ operationIndex: 1, operation: 'POST ppc_paypaltransactions' });
    // an unknown column answers code 0x0 (learn.microsoft.com/troubleshoot/power-platform/dataverse/
    // dataverse-web-api-and-sdk/web-api-client-errors "Invalid property … was found in entity")
    expect(err.details?.dataverseCode).toBe('0x0');
    expect(await client.query('contacts', `$select=lastname&$filter=startswith(lastname,'${tag}')`)).toEqual([]);
  });

  it('reports create-only conflicts (If-None-Match: *) as dataverse_412 with the Dataverse code', async () => {
    const payer = unique('P');
    const op = {
      method: 'PATCH' as const,
      url: `contacts(ppc_paypalpayerid='${payer}')`,
      body: { lastname: 'Once' },
      ifNoneMatch: '*',
    };
    await client.changeSet([op]);
    const err = await rejection(client.changeSet([op]));
    expect(err).toMatchObject({
      code: 'dataverse_412',
      failure: 'conflict',
      retryable: true,
      details: { operationIndex: 0 },
    });
  });

  it('updates with If-Match and fails with 412 on a stale ETag', async () => {
    const payer = unique('P');
    const path = `contacts(ppc_paypalpayerid='${payer}')`;
    await client.changeSet([{ method: 'PATCH', url: path, body: { lastname: 'Etag' } }]);
    const row = await client.get<Contact>(path, ['lastname']);
    const etag = row?.['@odata.etag'] as string;
    await client.update(path, { firstname: 'First' }, etag);
    const err = await rejection(client.update(path, { firstname: 'Second' }, etag));
    expect(err).toMatchObject({
      code: 'dataverse_412',
      failure: 'conflict',
      httpStatus: 412,
      details: { dataverseCode: '0x80060882' },
    });
    expect((await client.get<Contact>(path, ['firstname']))?.firstname).toBe('First');
  });

  it('update without an ETag does not create a missing record (If-Match: *) → dataverse_404', async () => {
    const err = await rejection(client.update(`contacts(ppc_paypalpayerid='${unique('none')}')`, { lastname: 'x' }));
    expect(err).toMatchObject({ code: 'dataverse_404', retryable: false });
  });
});
