// Request/response behaviour from Microsoft's Web API documentation. Each test names the
// page of MicrosoftDocs/powerapps-docs (powerapps-docs/developer/data-platform/webapi/…) it follows.
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

const idFrom = (entityId: string | null): string => /\(([0-9a-f-]{36})\)$/.exec(entityId ?? '')?.[1] as string;

describe('create-entity-web-api.md', () => {
  it('"Basic create": 204 No Content with OData-EntityId', async () => {
    const r = await api(em, 'POST', 'accounts', {
      body: {
        name: 'Sample Account',
        creditlimit: 100000,
        description: 'This is the description of the sample account',
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('odata-entityid')).toMatch(
      new RegExp(`^${em.url}/api/data/v9.2/accounts\\([0-9a-f-]{36}\\)$`),
    );
    expect(r.text).toBe('');
  });

  it('"Create with data returned": 201 Created with the record and Preference-Applied', async () => {
    const r = await api(em, 'POST', 'accounts?$select=name,creditlimit,description,createdon', {
      body: { name: 'Sample Account', creditlimit: 100000 },
      headers: { Prefer: 'return=representation' },
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('preference-applied')).toBe('return=representation');
    expect(r.headers.get('odata-entityid')).toBeNull();
    const body = r.json();
    // the $select list is part of the context URL, as in the page's example response
    expect(body['@odata.context']).toBe(
      `${em.url}/api/data/v9.2/$metadata#accounts(name,creditlimit,description,createdon)/$entity`,
    );
    expect(body['@odata.etag']).toMatch(/^W\/"\d+"$/);
    expect(body.name).toBe('Sample Account');
    expect(body.accountid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('"Create related table rows in one operation" (deep insert) and "Associate table rows on create" (@odata.bind)', async () => {
    const last = unique('deep');
    const r = await api(em, 'POST', 'accounts', {
      body: {
        name: 'Deep account',
        primarycontactid: { lastname: last, firstname: 'Pat' },
        contact_customer_accounts: [{ lastname: `${last}-2` }],
      },
    });
    expect(r.status).toBe(204);
    const accountId = idFrom(r.headers.get('odata-entityid'));
    const row = (
      await api(
        em,
        'GET',
        `accounts(${accountId})?$select=name&$expand=primarycontactid($select=fullname),contact_customer_accounts($select=lastname)`,
      )
    ).json();
    expect((row.primarycontactid as { fullname: string }).fullname).toBe(`Pat ${last}`);
    expect((row.contact_customer_accounts as { lastname: string }[]).map((c) => c.lastname)).toEqual([`${last}-2`]);
    const bound = await api(em, 'POST', 'contacts', {
      body: { lastname: unique('bind'), 'parentcustomerid_account@odata.bind': `/accounts(${accountId})` },
    });
    expect(bound.status).toBe(204);
    const c = (
      await api(em, 'GET', `contacts(${idFrom(bound.headers.get('odata-entityid'))})?$select=_parentcustomerid_value`, {
        headers: { Prefer: 'odata.include-annotations="*"' },
      })
    ).json();
    expect(c._parentcustomerid_value).toBe(accountId);
    expect(c['_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']).toBe('account');
    expect(c['_parentcustomerid_value@OData.Community.Display.V1.FormattedValue']).toBe('Deep account');
  });
});

describe('update-delete-entities-using-web-api.md', () => {
  it('"Basic update" 204, "Update with data returned" 200, "Basic delete" 204, then 404 with 0x80040217', async () => {
    const id = idFrom(
      (await api(em, 'POST', 'accounts', { body: { name: 'to update' } })).headers.get('odata-entityid'),
    );
    expect(
      (await api(em, 'PATCH', `accounts(${id})`, { body: { name: 'Updated Sample Account', creditlimit: 12000 } }))
        .status,
    ).toBe(204);
    const r = await api(em, 'PATCH', `accounts(${id})?$select=name,creditlimit`, {
      body: { name: 'Updated again' },
      headers: { Prefer: 'return=representation' },
    });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ name: 'Updated again', creditlimit: 12000 });
    expect((await api(em, 'DELETE', `accounts(${id})`)).status).toBe(204);
    const gone = await api(em, 'GET', `accounts(${id})`);
    expect(gone.status).toBe(404);
    expect(gone.json()).toEqual({ error: { code: '0x80040217', message: `account With Id = ${id} Does Not Exist` } });
    expect((await api(em, 'DELETE', `accounts(${id})`)).status).toBe(404);
  });

  it('"Upsert a table row": PATCH to a new id creates it; single property PUT/DELETE', async () => {
    const id = '00000000-0000-4000-8000-00000000abcd';
    const created = await api(em, 'PATCH', `accounts(${id})`, {
      body: { name: 'upserted' },
      headers: { Prefer: 'return=representation' },
    });
    expect(created.status).toBe(201);
    expect((await api(em, 'PUT', `accounts(${id})/name`, { body: { value: 'renamed' } })).status).toBe(204);
    expect((await api(em, 'GET', `accounts(${id})/name`)).json().value).toBe('renamed');
    expect((await api(em, 'DELETE', `accounts(${id})/telephone1`)).status).toBe(204);
  });
});

describe('perform-conditional-operations-using-web-api.md', () => {
  it('"Prevent create in upsert" If-Match:* → 404; "Prevent update in upsert" If-None-Match:* → 412', async () => {
    const missing = await api(em, 'PATCH', 'accounts(00000000-0000-4000-8000-0000000000ff)', {
      body: { name: 'x' },
      headers: { 'If-Match': '*' },
    });
    expect(missing.status).toBe(404);
    const id = idFrom((await api(em, 'POST', 'accounts', { body: { name: 'cond' } })).headers.get('odata-entityid'));
    const dup = await api(em, 'PATCH', `accounts(${id})`, { body: { name: 'y' }, headers: { 'If-None-Match': '*' } });
    expect(dup.status).toBe(412);
    expect(dup.json().error).toEqual({
      code: '0x80040237',
      message: 'A record with matching key values already exists.',
    });
  });

  it('"Apply optimistic concurrency on update": stale ETag → 412 0x80060882; "Conditional retrievals" → 304', async () => {
    const id = idFrom((await api(em, 'POST', 'accounts', { body: { name: 'occ' } })).headers.get('odata-entityid'));
    const first = await api(em, 'GET', `accounts(${id})?$select=name`);
    const etag = first.json()['@odata.etag'] as string;
    expect(first.headers.get('etag')).toBe(etag);
    const notModified = await api(em, 'GET', `accounts(${id})?$select=name`, { headers: { 'If-None-Match': etag } });
    expect(notModified.status).toBe(304);
    expect(
      (await api(em, 'PATCH', `accounts(${id})`, { body: { name: 'v2' }, headers: { 'If-Match': etag } })).status,
    ).toBe(204);
    const stale = await api(em, 'PATCH', `accounts(${id})`, { body: { name: 'v3' }, headers: { 'If-Match': etag } });
    expect(stale.status).toBe(412);
    expect(stale.json().error).toEqual({
      code: '0x80060882',
      message: "The version of the existing record doesn't match the RowVersion property provided.",
    });
    expect((await api(em, 'DELETE', `accounts(${id})`, { headers: { 'If-Match': etag } })).status).toBe(412);
  });
});

describe('use-alternate-key-reference-record.md', () => {
  it('retrieves and upserts by single and multi-part alternate keys; 204 with OData-EntityId echoing the key', async () => {
    const ext = unique('k');
    const up = await api(em, 'PATCH', `ppc_samples(ppc_externalid='${ext}')`, { body: { ppc_name: 'by key' } });
    expect(up.status).toBe(204);
    expect(up.headers.get('odata-entityid')).toBe(`${em.url}/api/data/v9.2/ppc_samples(ppc_externalid='${ext}')`);
    expect((await api(em, 'GET', `ppc_samples(ppc_externalid='${ext}')?$select=ppc_name`)).json().ppc_name).toBe(
      'by key',
    );
    const name = unique('multi');
    expect(
      (await api(em, 'PATCH', `ppc_samples(ppc_name='${name}',ppc_lineno=2)`, { body: { ppc_kind: 100000000 } }))
        .status,
    ).toBe(204);
    const row = (await api(em, 'GET', `ppc_samples(ppc_lineno=2,ppc_name='${name}')?$select=ppc_kind`)).json();
    expect(row.ppc_kind).toBe(100000000);
    const none = await api(em, 'GET', `ppc_samples(ppc_externalid='does-not-exist')`);
    expect(none.status).toBe(404);
    const dupKey = await api(em, 'POST', 'ppc_samples', { body: { ppc_name: 'dup', ppc_externalid: ext } });
    expect(dupKey.status).toBe(412);
  });
});

describe('query/page-results.md and query/count-rows.md', () => {
  it('pages with odata.maxpagesize: Preference-Applied, @odata.nextLink with $skiptoken; $skip is rejected', async () => {
    const tag = unique('pg');
    for (let i = 0; i < 5; i++)
      await api(em, 'POST', 'ppc_samples', { body: { ppc_name: `${tag}-${i}`, ppc_lineno: i } });
    const r = await api(
      em,
      'GET',
      `ppc_samples?$select=ppc_name&$filter=startswith(ppc_name,'${tag}')&$orderby=ppc_lineno&$count=true`,
      {
        headers: { Prefer: 'odata.maxpagesize=2' },
      },
    );
    expect(r.headers.get('preference-applied')).toBe('odata.maxpagesize=2');
    const page1 = r.json();
    expect(page1['@odata.count']).toBe(5);
    expect((page1.value as unknown[]).length).toBe(2);
    const next = String(page1['@odata.nextLink']);
    expect(next).toContain('$skiptoken=');
    expect(decodeURIComponent(next)).toContain('<cookie pagenumber="2"');
    const page2 = await fetch(next, {
      headers: { Authorization: `Bearer ${await em.tokenFor('integration')}`, Prefer: 'odata.maxpagesize=2' },
    });
    expect(((await page2.json()) as { value: { ppc_name: string }[] }).value.map((v) => v.ppc_name)).toEqual([
      `${tag}-2`,
      `${tag}-3`,
    ]);
    const skip = await api(em, 'GET', 'ppc_samples?$skip=2');
    expect(skip.status).toBe(400);
    expect(skip.json().error).toMatchObject({ message: 'The query parameter $skip is not supported' });
    const count = await api(em, 'GET', `ppc_samples/$count?$filter=startswith(ppc_name,'${tag}')`);
    expect(count.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(count.text).toBe('5');
  });
});

describe('compose-http-requests-handle-errors.md', () => {
  it('returns {"error":{"code","message"}} for errors; 401 without a token; 405 for a wrong method', async () => {
    const noToken = await fetch(`${em.apiUrl}accounts`);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri=/);
    const unknownSet = await api(em, 'GET', 'notatable');
    expect(unknownSet.status).toBe(404);
    expect(unknownSet.json()).toEqual({
      error: { code: '0x8006088a', message: "Resource not found for the segment 'notatable'." },
    });
    const badProp = await api(em, 'POST', 'accounts', { body: { name: 'x', notacolumn: 1 } });
    expect(badProp.status).toBe(400);
    expect(badProp.json().error).toMatchObject({ code: '0x0' });
    const tooLong = await api(em, 'POST', 'accounts', { body: { name: 'x'.repeat(161) } });
    expect(tooLong.json().error).toEqual({
      code: '0x80044331',
      message:
        "A validation error occurred. The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'.",
    });
    expect((await api(em, 'PUT', 'accounts', { body: {} })).status).toBe(405);
    const annotated = await api(em, 'GET', 'notatable', { headers: { Prefer: 'odata.include-annotations="*"' } });
    expect(annotated.json().error).toHaveProperty(['@Microsoft.PowerApps.CDS.ErrorDetails.OperationStatus']);
    expect(annotated.json().error).toHaveProperty(['@Microsoft.PowerApps.CDS.HelpLink']);
  });
});

describe('bulk-operations.md', () => {
  it('CreateMultiple → 200 {Ids}; UpdateMultiple → 204; UpsertMultiple by alternate key; @odata.type required', async () => {
    const tag = unique('bulk');
    const created = await api(em, 'POST', 'ppc_samples/Microsoft.Dynamics.CRM.CreateMultiple', {
      body: {
        Targets: [1, 2].map((i) => ({ '@odata.type': 'Microsoft.Dynamics.CRM.ppc_sample', ppc_name: `${tag}-${i}` })),
      },
    });
    expect(created.status).toBe(200);
    const ids = created.json().Ids as string[];
    expect(ids).toHaveLength(2);
    const updated = await api(em, 'POST', 'ppc_samples/Microsoft.Dynamics.CRM.UpdateMultiple', {
      body: {
        Targets: ids.map((id) => ({
          '@odata.type': 'Microsoft.Dynamics.CRM.ppc_sample',
          ppc_sampleid: id,
          ppc_lineno: 9,
        })),
      },
    });
    expect(updated.status).toBe(204);
    expect(
      (await api(em, 'GET', `ppc_samples/$count?$filter=startswith(ppc_name,'${tag}') and ppc_lineno eq 9`)).text,
    ).toBe('2');
    const ext = unique('ups');
    const upserted = await api(em, 'POST', 'ppc_samples/Microsoft.Dynamics.CRM.UpsertMultiple', {
      body: {
        Targets: [{ '@odata.type': 'Microsoft.Dynamics.CRM.ppc_sample', ppc_externalid: ext, ppc_name: `${tag}-u` }],
      },
    });
    expect(upserted.status).toBe(200);
    expect((await api(em, 'GET', `ppc_samples(ppc_externalid='${ext}')?$select=ppc_name`)).json().ppc_name).toBe(
      `${tag}-u`,
    );
    const untyped = await api(em, 'POST', 'ppc_samples/Microsoft.Dynamics.CRM.CreateMultiple', {
      body: { Targets: [{ ppc_name: 'x' }] },
    });
    expect(untyped.status).toBe(400);
    const failing = await api(em, 'POST', 'ppc_samples/Microsoft.Dynamics.CRM.CreateMultiple', {
      body: {
        Targets: [
          { '@odata.type': 'Microsoft.Dynamics.CRM.ppc_sample', ppc_name: `${tag}-ok` },
          { '@odata.type': 'Microsoft.Dynamics.CRM.ppc_sample', ppc_name: 'x'.repeat(101) },
        ],
      },
    });
    expect(failing.status).toBe(400);
    expect((await api(em, 'GET', `ppc_samples/$count?$filter=ppc_name eq '${tag}-ok'`)).text).toBe('0');
  });
});

describe('associate-disassociate-entities-using-web-api.md', () => {
  it('associates with PUT …/$ref on a single-valued navigation and POST …/$ref on a collection; disassociates with DELETE', async () => {
    const account = idFrom(
      (await api(em, 'POST', 'accounts', { body: { name: unique('assoc') } })).headers.get('odata-entityid'),
    );
    const contact = idFrom(
      (await api(em, 'POST', 'contacts', { body: { lastname: unique('assoc') } })).headers.get('odata-entityid'),
    );
    expect(
      (
        await api(em, 'PUT', `accounts(${account})/primarycontactid/$ref`, {
          body: { '@odata.id': `${em.apiUrl}contacts(${contact})` },
        })
      ).status,
    ).toBe(204);
    expect(
      (await api(em, 'GET', `accounts(${account})?$select=_primarycontactid_value`)).json()._primarycontactid_value,
    ).toBe(contact);
    expect((await api(em, 'DELETE', `accounts(${account})/primarycontactid/$ref`)).status).toBe(204);
    expect(
      (await api(em, 'GET', `accounts(${account})?$select=_primarycontactid_value`)).json()._primarycontactid_value,
    ).toBeNull();
    expect(
      (
        await api(em, 'POST', `accounts(${account})/contact_customer_accounts/$ref`, {
          body: { '@odata.id': `${em.apiUrl}contacts(${contact})` },
        })
      ).status,
    ).toBe(204);
    const children = (await api(em, 'GET', `accounts(${account})/contact_customer_accounts?$select=contactid`)).json()
      .value as { contactid: string }[];
    expect(children.map((c) => c.contactid)).toEqual([contact]);
    expect((await api(em, 'DELETE', `accounts(${account})/contact_customer_accounts(${contact})/$ref`)).status).toBe(
      204,
    );
    expect((await api(em, 'GET', `accounts(${account})/contact_customer_accounts`)).json().value).toEqual([]);
  });
});
