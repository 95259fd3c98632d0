// Request/response cases taken from Microsoft's pages, one describe per page (learn.microsoft.com paths).
// Each expectation is what the page shows for the request, so a behaviour the emulator invents fails here.
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
async function create(set: string, body: unknown): Promise<string> {
  const r = await api(em, 'POST', set, { body });
  if (r.status !== 204) throw new Error(`${set}: ${r.status} ${r.text}`);
  return idFrom(r.headers.get('odata-entityid'));
}

describe('troubleshoot/power-platform/dataverse/dataverse-web-api-and-sdk/web-api-client-errors', () => {
  it('"Resource not found for the segment": 404 0x8006088a', async () => {
    const r = await api(em, 'GET', 'Account');
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({
      error: { code: '0x8006088a', message: "Resource not found for the segment 'Account'." },
    });
  });

  it('"Could not find a property named": 400 0x0 for a wrong $select name', async () => {
    const r = await api(em, 'GET', 'accounts?$select=Name');
    expect(r.status).toBe(400);
    expect(r.json()).toEqual({
      error: {
        code: '0x0',
        message: "Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'.",
      },
    });
  });

  it('"No HTTP resource was found that matches the request URI": 404 for POST WhoAmI', async () => {
    const r = await api(em, 'POST', 'WhoAmI');
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({
      error: { code: '', message: `No HTTP resource was found that matches the request URI '${em.apiUrl}WhoAmI'.` },
    });
  });

  it('"Invalid property … was found in entity": 400 0x0 for a wrong property name in a payload', async () => {
    const r = await api(em, 'POST', 'accounts', { body: { Name: 'Account name' } });
    expect(r.status).toBe(400);
    expect(r.json().error).toMatchObject({ code: '0x0' });
    expect((r.json().error as { message: string }).message).toContain(
      "Invalid property 'Name' was found in entity 'Microsoft.Dynamics.CRM.account'.",
    );
  });

  it('"An undeclared property": 400 0x80048d19 for a lookup logical name used with @odata.bind', async () => {
    const account = await create('accounts', { name: unique('acct') });
    const r = await api(em, 'POST', 'contacts', {
      body: { firstname: 'test', lastname: 'contact', 'parentcustomerid@odata.bind': `accounts(${account})` },
    });
    expect(r.status).toBe(400);
    expect(r.json().error).toMatchObject({ code: '0x80048d19' });
    const message = (r.json().error as { message: string }).message;
    expect(message).toContain("Error identified in Payload provided by the user for Entity :'contacts'");
    expect(message).toContain("An undeclared property 'parentcustomerid' which only has property annotations");
    // the documented fix: the navigation property of the customer lookup
    const fixed = await api(em, 'POST', 'contacts', {
      body: { lastname: 'contact', 'parentcustomerid_account@odata.bind': `accounts(${account})` },
    });
    expect(fixed.status).toBe(204);
  });
});

describe('power-apps/developer/data-platform/webapi/query/select-columns', () => {
  it('rejects an unknown $select column before reading rows, so an empty result is no excuse', async () => {
    const none = `ppc_samples?$select=ppc_name,nosuchcolumn&$filter=ppc_name eq '${unique('none')}'`;
    const r = await api(em, 'GET', none);
    expect(r.status).toBe(400);
    expect(r.json().error).toMatchObject({
      code: '0x0',
      message: "Could not find a property named 'nosuchcolumn' on type 'Microsoft.Dynamics.CRM.ppc_sample'.",
    });
    const nested = await api(em, 'GET', `${none.replace(',nosuchcolumn', '')}&$expand=ppc_ContactId($select=nope)`);
    expect(nested.status).toBe(400);
  });

  it('"Formatted values": only the annotations named in odata.include-annotations', async () => {
    const account = await create('accounts', { name: unique('fmt'), creditlimit: 1234.5 });
    await create('contacts', { lastname: unique('c'), 'parentcustomerid_account@odata.bind': `/accounts(${account})` });
    const path = `contacts?$select=lastname,_parentcustomerid_value&$filter=_parentcustomerid_value eq ${account}`;
    const formatted = await api(em, 'GET', path, {
      headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' },
    });
    const [f] = formatted.json().value as Record<string, unknown>[];
    expect(f!['_parentcustomerid_value@OData.Community.Display.V1.FormattedValue']).toMatch(/^fmt-/);
    expect(f).not.toHaveProperty(['_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname']);
    expect(formatted.headers.get('preference-applied')).toBe(
      'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
    );

    // web-api-navigation-properties "Lookup property data": two annotations asked for, both honoured
    const lookups = await api(em, 'GET', path, {
      headers: {
        Prefer:
          'odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname,Microsoft.Dynamics.CRM.associatednavigationproperty"',
      },
    });
    const [l] = lookups.json().value as Record<string, unknown>[];
    expect(l).toMatchObject({
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty': 'parentcustomerid_account',
    });
    expect(l).not.toHaveProperty(['_parentcustomerid_value@OData.Community.Display.V1.FormattedValue']);

    const all = await api(em, 'GET', path, { headers: { Prefer: 'odata.include-annotations="*"' } });
    expect(
      Object.keys((all.json().value as Record<string, unknown>[])[0]!)
        .filter((k) => k.includes('@'))
        .sort(),
    ).toEqual([
      '@odata.etag',
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty',
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname',
      '_parentcustomerid_value@OData.Community.Display.V1.FormattedValue',
    ]);
    const none = await api(em, 'GET', path);
    expect(Object.keys((none.json().value as Record<string, unknown>[])[0]!).filter((k) => k.includes('@'))).toEqual([
      '@odata.etag',
    ]);
  });
});

describe('power-apps/developer/data-platform/webapi/query/count-rows', () => {
  it('totalrecordcount is the count with $count=true and -1 without it, and only when asked for', async () => {
    const tag = unique('cnt');
    for (const i of [1, 2, 3]) await create('ppc_samples', { ppc_name: `${tag}-${i}` });
    const prefer = {
      Prefer:
        'odata.include-annotations="Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"',
    };
    const filter = `$select=ppc_name&$filter=startswith(ppc_name,'${tag}')`;
    const counted = (await api(em, 'GET', `ppc_samples?${filter}&$count=true`, { headers: prefer })).json();
    expect(counted).toMatchObject({
      '@odata.count': 3,
      '@Microsoft.Dynamics.CRM.totalrecordcount': 3,
      '@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded': false,
    });
    const uncounted = (await api(em, 'GET', `ppc_samples?${filter}`, { headers: prefer })).json();
    expect(uncounted['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(-1);
    expect(uncounted).not.toHaveProperty(['@odata.count']);
    const plain = (await api(em, 'GET', `ppc_samples?${filter}&$count=true`)).json();
    expect(plain['@odata.count']).toBe(3);
    expect(plain).not.toHaveProperty(['@Microsoft.Dynamics.CRM.totalrecordcount']);
  });
});

describe('power-apps/developer/data-platform/webapi/query/filter-rows', () => {
  it('"Use parameter aliases with system query options" in $filter and $orderby', async () => {
    const tag = unique('alias');
    await create('ppc_samples', { ppc_name: `${tag}-b`, ppc_lineno: 1 });
    await create('ppc_samples', { ppc_name: `${tag}-a`, ppc_lineno: 2 });
    const r = await api(
      em,
      'GET',
      `ppc_samples?$select=ppc_name&$filter=contains(@p1,@p2)&$orderby=@p3&@p1=ppc_name&@p2='${tag}'&@p3=ppc_lineno desc`,
    );
    expect(r.status).toBe(200);
    expect((r.json().value as { ppc_name: string }[]).map((v) => v.ppc_name)).toEqual([`${tag}-a`, `${tag}-b`]);
    // an alias inside a string literal is text, not a parameter
    const literal = await api(em, 'GET', `ppc_samples?$select=ppc_name&$filter=ppc_name eq '@p1'&@p1='${tag}-a'`);
    expect(literal.json().value).toEqual([]);
  });
});

describe('power-apps/developer/data-platform/webapi/query/join-tables', () => {
  it('@odata.context lists $select and the expanded navigation properties with their own $select', async () => {
    const contact = await create('contacts', { lastname: unique('pc') });
    const account = await create('accounts', {
      name: unique('ctx'),
      'primarycontactid@odata.bind': `/contacts(${contact})`,
    });
    const r = await api(
      em,
      'GET',
      `accounts?$select=name&$expand=primarycontactid($select=fullname),contact_customer_accounts($select=fullname)&$filter=accountid eq ${account}`,
    );
    expect(r.json()['@odata.context']).toBe(
      `${em.apiUrl}$metadata#accounts(name,primarycontactid(fullname),contact_customer_accounts(fullname))`,
    );
    const one = await api(em, 'GET', `accounts(${account})?$select=name,creditlimit`);
    expect(one.json()['@odata.context']).toBe(`${em.apiUrl}$metadata#accounts(name,creditlimit)/$entity`);
  });

  it('"Return references": $expand=nav/$ref gives @odata.id; a collection-valued one is refused', async () => {
    const contact = await create('contacts', { lastname: unique('ref') });
    const account = await create('accounts', {
      name: unique('ref'),
      'primarycontactid@odata.bind': `/contacts(${contact})`,
    });
    const r = await api(
      em,
      'GET',
      `accounts?$select=name&$expand=primarycontactid/$ref&$filter=accountid eq ${account}`,
    );
    expect(r.status).toBe(200);
    expect(r.json()['@odata.context']).toBe(
      `${em.apiUrl}$metadata#accounts(name,primarycontactid,primarycontactid/$ref())`,
    );
    expect((r.json().value as Record<string, unknown>[])[0]).toMatchObject({
      _primarycontactid_value: contact,
      primarycontactid: { '@odata.id': `${em.apiUrl}contacts(${contact})` },
    });
    const refused = await api(em, 'GET', `accounts?$select=name&$expand=contact_customer_accounts/$ref`);
    expect(refused.status).toBe(400);
    expect(refused.json().error).toEqual({
      code: '0x80060888',
      message: 'Expand with $ref is only supported on lookup type navigation property.',
    });
  });

  it('"Nested $expand on collection-valued navigation properties": $top and $orderby are refused', async () => {
    const r = await api(
      em,
      'GET',
      'accounts?$select=name&$expand=contact_customer_accounts($select=fullname;$top=1;$expand=parentcustomerid_account($select=name))',
    );
    expect(r.status).toBe(400);
    expect(r.json().error).toEqual({
      code: '0x80060888',
      message:
        'Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.',
    });
  });

  it('"Single $expand on collection-valued navigation properties": <nav>@odata.nextLink is the filtered collection', async () => {
    const account = await create('accounts', { name: unique('next') });
    await create('contacts', { lastname: unique('n'), 'parentcustomerid_account@odata.bind': `/accounts(${account})` });
    const r = await api(
      em,
      'GET',
      `accounts(${account})?$select=name&$expand=contact_customer_accounts($select=fullname)`,
    );
    expect(r.json()['contact_customer_accounts@odata.nextLink']).toBe(
      `${em.apiUrl}accounts(${account})/contact_customer_accounts?$select=fullname`,
    );
    const followed = await api(em, 'GET', `accounts(${account})/contact_customer_accounts?$select=fullname`);
    expect(followed.json().value).toHaveLength(1);
  });
});

describe('power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api', () => {
  it('GET …/collection/$ref and …/single/$ref list references', async () => {
    const contact = await create('contacts', { lastname: unique('r') });
    const account = await create('accounts', {
      name: unique('r'),
      'primarycontactid@odata.bind': `/contacts(${contact})`,
    });
    const child = await create('contacts', {
      lastname: unique('child'),
      'parentcustomerid_account@odata.bind': `/accounts(${account})`,
    });
    const many = await api(em, 'GET', `accounts(${account})/contact_customer_accounts/$ref`);
    expect(many.status).toBe(200);
    expect(many.json()).toEqual({
      '@odata.context': `${em.apiUrl}$metadata#Collection($ref)`,
      value: [{ '@odata.id': `${em.apiUrl}contacts(${child})` }],
    });
    const one = await api(em, 'GET', `accounts(${account})/primarycontactid/$ref`);
    expect(one.json()).toEqual({
      '@odata.context': `${em.apiUrl}$metadata#$ref`,
      '@odata.id': `${em.apiUrl}contacts(${contact})`,
    });
  });
});

describe('power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api', () => {
  it('"Upsert a table row" creating with return=representation: 201 with the new ETag', async () => {
    const id = '0f3c2b1a-0000-4000-8000-00000000a001';
    const r = await api(em, 'PATCH', `accounts(${id})?$select=name`, {
      body: { name: unique('ups') },
      headers: { Prefer: 'return=representation' },
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('etag')).toMatch(/^W\/"\d+"$/);
    expect(r.headers.get('etag')).toBe(r.json()['@odata.etag']);
  });
});

describe('power-apps/developer/data-platform/bulk-operations', () => {
  it('UpsertMultiple names rows by alternate key through @odata.id', async () => {
    const ext = unique('ext');
    const targets = (name: string) => ({
      Targets: [
        {
          '@odata.type': 'Microsoft.Dynamics.CRM.ppc_sample',
          '@odata.id': `ppc_samples(ppc_externalid='${ext}')`,
          ppc_name: name,
        },
      ],
    });
    const first = await api(em, 'POST', 'ppc_samples/Microsoft.Dynamics.CRM.UpsertMultiple', { body: targets('one') });
    expect(first.status).toBe(200);
    const second = await api(em, 'POST', 'ppc_samples/Microsoft.Dynamics.CRM.UpsertMultiple', { body: targets('two') });
    expect(second.json().Ids).toEqual(first.json().Ids);
    expect((await api(em, 'GET', `ppc_samples(ppc_externalid='${ext}')?$select=ppc_name`)).json().ppc_name).toBe('two');
  });
});

describe('power-apps/developer/data-platform/define-alternate-keys-entity', () => {
  it('POST EntityDefinitions(...)/Keys creates a key: 204, then rows are addressable by it', async () => {
    const number = unique('AN');
    await create('accounts', { name: unique('key'), accountnumber: number });
    const before = await api(em, 'GET', `accounts(accountnumber='${number}')`);
    expect(before.status).toBe(400);
    const r = await api(em, 'POST', "EntityDefinitions(LogicalName='account')/Keys", {
      user: 'admin',
      body: {
        SchemaName: 'ppc_AccountNumberKey',
        DisplayName: { LocalizedLabels: [{ Label: 'Account number', LanguageCode: 1033 }] },
        KeyAttributes: ['accountnumber'],
      },
    });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect(r.headers.get('odata-entityid')).toMatch(
      new RegExp(
        `^${em.apiUrl.replace(/[.]/g, '\\.')}EntityDefinitions\\(LogicalName='account'\\)/Keys\\([0-9a-f-]{36}\\)$`,
      ),
    );
    const after = await api(em, 'GET', `accounts(accountnumber='${number}')?$select=accountnumber`);
    expect(after.status).toBe(200);
    const def = await api(em, 'GET', "EntityDefinitions(LogicalName='account')", { user: 'admin' });
    expect(def.json().Keys).toContainEqual({ LogicalName: 'ppc_accountnumberkey', KeyAttributes: ['accountnumber'] });
    const notAdmin = await api(em, 'POST', "EntityDefinitions(LogicalName='account')/Keys", {
      body: { SchemaName: 'ppc_Other', KeyAttributes: ['name'] },
    });
    expect(notAdmin.status).toBe(403);
  });
});

describe('power-apps/developer/data-platform/use-alternate-key-reference-record', () => {
  // "Exceptions when using alternate keys with the Web API": the documented message for a column that is not a
  // unique key. The page shows no status or code (400 and 0x8006088a are the emulator's reading, see errors.ts).
  const message = (table: string): string =>
    `The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.${table}'. Ensure that the names and number of key properties match the declared or alternate key properties for the resource 'Microsoft.Dynamics.CRM.${table}'.`;

  it('GET by a column that is not an alternate key answers the documented message', async () => {
    const r = await api(em, 'GET', "contacts(lastname='Smith')");
    expect(r.status).toBe(400);
    expect(r.json()).toEqual({ error: { code: '0x8006088a', message: message('contact') } });
  });

  it('a key with the wrong number of key properties is refused the same way', async () => {
    // ppc_sample's alternate key is ppc_externalid alone: adding a second name no longer matches it
    const r = await api(em, 'GET', "ppc_samples(ppc_externalid='x',ppc_name='y')");
    expect(r.status).toBe(400);
    expect(r.json().error).toEqual({ code: '0x8006088a', message: message('ppc_sample') });
  });
});
