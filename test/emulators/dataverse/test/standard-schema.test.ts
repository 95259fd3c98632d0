// Microsoft's standard schema loaded from the vendored table reference (metadata/microsoft/*.md → metadata/
// standard-schema.json), not hand-listed: the tables, columns, option sets and navigation names below are the
// ones Microsoft's pages give (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/account,
// …/entities/task), and Account_Tasks is the example of web-api-navigation-properties.md.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { DataverseEmulator } from '../src/index.ts';
import { parseReferencePage } from '../src/metadata/microsoft-reference.ts';
import { ALM_TABLES } from '../src/metadata/alm-tables.ts';
import { SYSTEM_TABLES } from '../src/metadata/system-tables.ts';
import { convertVendoredPages, loadStandardSchema, standardTableSpecs } from '../src/metadata/standard-schema.ts';
import { ROOT_BUSINESS_UNIT } from '../src/seed.ts';
import { APPLICATION_USER, INTERACTIVE_USERS } from '../src/users.ts';
import { api, startEmulator, unique } from './helpers.ts';

let em: DataverseEmulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.close();
});

const idFrom = (entityId: string | null): string => /\(([0-9a-f-]{36})\)$/.exec(entityId ?? '')?.[1] as string;

describe('vendored metadata', () => {
  it('standard-schema.json is what the converter makes of the vendored pages', () => {
    const onDisk = JSON.parse(
      readFileSync(new URL('../metadata/standard-schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(onDisk).toEqual(convertVendoredPages());
  });

  it('lists table and column counts: per page, loaded by the emulator, and left out with a reason', async () => {
    const schema = loadStandardSchema();
    // hosted tables the pages point at: the vendored ones and the platform tables still hand-listed
    const handListed = [...SYSTEM_TABLES, ...ALM_TABLES].map((t) => t.logicalName);
    const known = new Set([...handListed, ...schema.tables.map((t) => t.logicalName)]);
    const { skipped } = standardTableSpecs(schema, known);
    const counts: Record<string, { page: number; emulator: number; skipped: string[] }> = {};
    for (const t of schema.tables) {
      const r = await api(em, 'GET', `EntityDefinitions(LogicalName='${t.logicalName}')/Attributes`);
      expect(r.status).toBe(200);
      counts[t.logicalName] = {
        page: t.columns.length,
        emulator: (r.json().value as unknown[]).length,
        skipped: skipped
          .filter((s) => s.table === t.logicalName)
          .map((s) => s.column)
          .sort(),
      };
    }
    console.log(`standard schema from Microsoft's reference: ${JSON.stringify(counts)}`);
    expect(schema.tables.map((t) => t.logicalName)).toEqual([
      'account',
      'activityparty',
      'activitypointer',
      'businessunit',
      'connectionreference',
      'contact',
      'environmentvariablevalue',
      'invoice',
      'invoicedetail',
      'pricelevel',
      'product',
      'productpricelevel',
      'role',
      'salesorder',
      'salesorderdetail',
      'sdkmessage',
      'sdkmessagefilter',
      'sdkmessageprocessingstepimage',
      'systemuser',
      'task',
      'team',
      'transactioncurrency',
      'uom',
      'uomschedule',
    ]);
    // Dynamics 365 Sales tables (MicrosoftDocs/dynamics-365-customer-engagement): every column the emulator can
    // store is loaded; left out are the lookups to tables it does not host and the image column
    expect(counts.product).toEqual({
      page: 62,
      emulator: 62 - 5,
      skipped: ['createdbyexternalparty', 'entityimage', 'modifiedbyexternalparty', 'organizationid', 'subjectid'],
    });
    // owningbusinessunit/owninguser of the line tables name no target on their pages
    expect(counts.salesorder).toEqual({
      page: 103,
      emulator: expect.any(Number),
      skipped: [
        'campaignid',
        'customeridtype',
        'entityimage',
        'opportunityid',
        'owneridtype',
        'quoteid',
        'slaid',
        'slainvokedid',
      ],
    });
    expect(counts.invoice).toEqual({
      page: 93,
      emulator: expect.any(Number),
      skipped: ['customeridtype', 'entityimage', 'opportunityid', 'owneridtype', 'slaid', 'slainvokedid'],
    });
    expect(counts.salesorderdetail).toEqual({
      page: 75,
      emulator: expect.any(Number),
      skipped: ['owneridtype', 'owningbusinessunit', 'owninguser', 'quotedetailid'],
    });
    expect(counts.invoicedetail).toEqual({
      page: 73,
      emulator: expect.any(Number),
      skipped: ['owneridtype', 'owningbusinessunit', 'owninguser'],
    });
    // every column the page lists and the emulator stores is served (plus the solution's and the _base twins)
    for (const t of ['salesorder', 'invoice', 'salesorderdetail', 'invoicedetail'])
      expect(counts[t]?.emulator).toBeGreaterThanOrEqual((counts[t]?.page ?? 0) - (counts[t]?.skipped.length ?? 0));
    // platform tables the webhook pipeline reads (powerapps-docs sdkmessage.md, sdkmessagefilter.md): every column
    // but the lookup to organization (not hosted)
    expect(counts.sdkmessage).toEqual({ page: 30, emulator: 30 - 1, skipped: ['organizationid'] });
    expect(counts.sdkmessagefilter).toEqual({ page: 26, emulator: 26 - 1, skipped: ['organizationid'] });
    // 2023 layout; iscustomizable is a ManagedProperty
    expect(counts.sdkmessageprocessingstepimage).toEqual({
      page: 26,
      emulator: 26 - 2,
      skipped: ['iscustomizable', 'organizationid'],
    });
    // ALM (powerapps-docs connectionreference.md): customconnectorid's connector table is not hosted
    expect(counts.connectionreference).toEqual({
      page: 33,
      emulator: 33 - 3,
      skipped: ['customconnectorid', 'iscustomizable', 'owneridtype'],
    });
    // security roles (powerapps-docs role.md, 2023 layout): the ManagedProperty columns and the role template lookup
    expect(counts.role).toEqual({
      page: 25,
      emulator: 25 - 3,
      skipped: ['canbedeleted', 'iscustomizable', 'roletemplateid'],
    });
    // environment variables (powerapps-docs environmentvariablevalue.md): the ManagedProperty column is not stored
    expect(counts.environmentvariablevalue).toEqual({
      page: 30,
      emulator: 30 - 2,
      skipped: ['iscustomizable', 'owneridtype'],
    });
    expect(counts.pricelevel).toEqual({ page: 24, emulator: 24 - 1, skipped: ['organizationid'] });
    expect(counts.productpricelevel).toEqual({ page: 33, emulator: 33 - 1, skipped: ['discounttypeid'] });
    expect(counts.uom).toEqual({
      page: 20,
      emulator: 20 - 2,
      skipped: ['createdbyexternalparty', 'modifiedbyexternalparty'],
    });
    expect(counts.uomschedule).toEqual({
      page: 20,
      emulator: 20 - 3,
      skipped: ['createdbyexternalparty', 'modifiedbyexternalparty', 'organizationid'],
    });
    expect(counts.account).toEqual({
      page: 147,
      emulator: expect.any(Number),
      skipped: [
        'createdbyexternalparty',
        'entityimage',
        'modifiedbyexternalparty',
        'owneridtype',
        'slaid',
        'slainvokedid',
      ],
    });
    expect(counts.contact).toEqual({
      page: 195,
      emulator: expect.any(Number),
      skipped: [
        'createdbyexternalparty',
        'entityimage',
        'modifiedbyexternalparty',
        'owneridtype',
        'parentcustomeridtype',
        'slaid',
        'slainvokedid',
      ],
    });
    expect(counts.contact?.emulator).toBeGreaterThanOrEqual(195 - 8);
    expect(counts.task).toEqual({
      page: 50,
      emulator: expect.any(Number),
      skipped: ['owneridtype', 'regardingobjecttypecode', 'slaid', 'slainvokedid'],
    });
    // every column Microsoft lists and the emulator can store is there (plus nothing the emulator invents
    // beyond the _base twins and the solution's columns on account)
    expect(counts.transactioncurrency).toEqual({
      page: 24,
      emulator: 24 - 2,
      skipped: ['entityimage', 'organizationid'],
    });
    expect(counts.account?.emulator).toBeGreaterThanOrEqual(147 - 6);
    // the platform's own tables (powerapps-docs systemuser.md, businessunit.md, team.md): every column the
    // emulator can store is served; left out are lookups to tables it does not host and the image/EntityName columns
    expect(counts.systemuser).toEqual({
      page: 135,
      emulator: 135 - 7,
      skipped: [
        'calendarid',
        'defaultmailbox',
        'entityimage',
        'mobileofflineprofileid',
        'positionid',
        'queueid',
        'territoryid',
      ],
    });
    expect(counts.businessunit).toEqual({ page: 75, emulator: 75 - 2, skipped: ['calendarid', 'organizationid'] });
    expect(counts.team).toEqual({
      page: 34,
      emulator: 34 - 4,
      skipped: ['queueid', 'regardingobjectid', 'regardingobjecttypecode', 'teamtemplateid'],
    });
    expect(counts.task?.emulator).toBe(50 - 4);
    // the activity model (activities.test.ts): EntityName columns are stored (activitytypecode) unless they only
    // name the table of a polymorphic lookup (owneridtype, regardingobjecttypecode, partyobjecttypecode)
    expect(counts.activitypointer).toEqual({
      page: 59,
      emulator: 59 - 7,
      skipped: [
        'allparties',
        'descriptionblobid',
        'owneridtype',
        'regardingobjecttypecode',
        'sendermailboxid',
        'slaid',
        'slainvokedid',
      ],
    });
    expect(counts.activityparty?.skipped).toEqual(['owneridtype', 'partyobjecttypecode']);
  });

  it('parses both page layouts Microsoft has used', () => {
    const old = parseReferencePage(
      [
        '## Properties',
        '|EntitySetName|accounts|',
        '|LogicalName|account|',
        '## Writable columns/attributes',
        '### <a name="BKMK_StateCode"></a> StateCode',
        '|LogicalName|statecode|',
        '|Type|State|',
        '|0|Active|1|Active|',
        '### CreditOnHold',
        '|LogicalName|creditonhold|',
        '|Type|Boolean|',
        '|1|Yes||',
        '|0|No||',
      ].join('\n'),
    );
    const current = parseReferencePage(
      [
        '## Properties',
        '| **EntitySetName** | `tasks`|',
        '## Writable columns/attributes',
        '### <a name="BKMK_StatusCode"></a> StatusCode',
        '|LogicalName|`statuscode`|',
        '|Type|Status|',
        '|2|Label: **Not Started**<br />State:0<br />TransitionData: None|',
        '### IsBilled',
        '|LogicalName|`isbilled`|',
        '|Type|Boolean|',
        '|True Label|Yes|',
        '|False Label|No|',
      ].join('\n'),
    );
    expect(old.entitySetName).toBe('accounts');
    expect(old.columns[0]?.options).toEqual([{ value: 0, label: 'Active', defaultStatus: 1 }]);
    expect(old.columns[1]?.options).toEqual([
      { value: 1, label: 'Yes' },
      { value: 0, label: 'No' },
    ]);
    expect(current.entitySetName).toBe('tasks');
    expect(current.columns[0]?.options).toEqual([{ value: 2, label: 'Not Started', state: 0 }]);
    expect(current.columns[1]?.options).toEqual([
      { value: 1, label: 'Yes' },
      { value: 0, label: 'No' },
    ]);
  });
});

describe('the standard tables as Microsoft defines them', () => {
  it('task: entity set tasks, primary key activityid, statecode Open with default status Not Started', async () => {
    const r = await api(em, 'POST', 'tasks', {
      user: 'admin',
      body: { subject: unique('call back'), prioritycode: 2, percentcomplete: 10 },
      headers: {
        Prefer: 'return=representation,odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
      },
    });
    expect(r.status).toBe(201);
    const task = r.json();
    expect(task.activityid).toMatch(/^[0-9a-f-]{36}$/);
    expect(task.statecode).toBe(0);
    expect(task['statecode@OData.Community.Display.V1.FormattedValue']).toBe('Open');
    expect(task.statuscode).toBe(2);
    expect(task['statuscode@OData.Community.Display.V1.FormattedValue']).toBe('Not Started');
    expect(task['prioritycode@OData.Community.Display.V1.FormattedValue']).toBe('High');
  });

  it('task: percentcomplete is limited to 0–100 (MinValue/MaxValue from the page)', async () => {
    const r = await api(em, 'POST', 'tasks', { user: 'admin', body: { subject: unique('t'), percentcomplete: 101 } });
    expect(r.status).toBe(400);
  });

  it('Account_Tasks: a task regarding an account (regardingobjectid_account_task) expands from the account', async () => {
    const created = await api(em, 'POST', 'accounts', { user: 'admin', body: { name: unique('Contoso') } });
    const accountId = idFrom(created.headers.get('odata-entityid'));
    const t = await api(em, 'POST', 'tasks', {
      user: 'admin',
      body: { subject: 'Task 1', 'regardingobjectid_account_task@odata.bind': `accounts(${accountId})` },
    });
    expect(t.status).toBe(204);
    const r = await api(em, 'GET', `accounts(${accountId})?$select=name&$expand=Account_Tasks($select=subject)`, {
      user: 'admin',
    });
    expect(r.status).toBe(200);
    const body = r.json();
    expect(body['@odata.context']).toContain('accounts(name,Account_Tasks(subject))/$entity');
    expect((body.Account_Tasks as { subject: string }[]).map((x) => x.subject)).toEqual(['Task 1']);
    const back = await api(
      em,
      'GET',
      `tasks?$select=subject&$filter=_regardingobjectid_value eq ${accountId}&$expand=regardingobjectid_account_task($select=name)`,
      { user: 'admin' },
    );
    expect(back.status).toBe(200);
    const rows = back.json().value as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.regardingobjectid_account_task).toMatchObject({ accountid: accountId });
  });

  it('contact: Contact_Tasks and contact_customer_accounts as the contact and account pages name them', async () => {
    const a = await api(em, 'POST', 'accounts', { user: 'admin', body: { name: unique('Fabrikam') } });
    const accountId = idFrom(a.headers.get('odata-entityid'));
    const c = await api(em, 'POST', 'contacts', {
      user: 'admin',
      body: {
        firstname: 'Rafel',
        lastname: 'Shillo',
        familystatuscode: 2,
        'parentcustomerid_account@odata.bind': `accounts(${accountId})`,
      },
    });
    expect(c.status).toBe(204);
    const contactId = idFrom(c.headers.get('odata-entityid'));
    await api(em, 'POST', 'tasks', {
      user: 'admin',
      body: { subject: 'Call Rafel', 'regardingobjectid_contact_task@odata.bind': `contacts(${contactId})` },
    });
    const r = await api(
      em,
      'GET',
      `accounts(${accountId})?$select=name&$expand=contact_customer_accounts($select=fullname,familystatuscode;$expand=Contact_Tasks($select=subject))`,
      { user: 'admin', headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' } },
    );
    expect(r.status).toBe(200);
    const contacts = r.json().contact_customer_accounts as Record<string, unknown>[];
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({
      fullname: 'Rafel Shillo',
      'familystatuscode@OData.Community.Display.V1.FormattedValue': 'Married',
      Contact_Tasks: [expect.objectContaining({ subject: 'Call Rafel' })],
    });
  });

  it("account: the documented columns of Microsoft's Web API examples are accepted (revenue, creditonhold, accountcategorycode, address1_latitude)", async () => {
    const r = await api(em, 'POST', 'accounts', {
      user: 'admin',
      body: {
        name: unique('Sample Account'),
        creditonhold: false,
        address1_latitude: 47.639583,
        description: 'This is the description of the sample account',
        revenue: 5000000,
        accountcategorycode: 1,
      },
    });
    expect(r.status).toBe(204);
    const unknownChoice = await api(em, 'POST', 'accounts', {
      user: 'admin',
      body: { name: unique('x'), accountcategorycode: 3 },
    });
    expect(unknownChoice.status).toBe(400);
  });
});

// learn.microsoft.com/dynamics365/customerengagement/on-premises/developer/entities/{product,pricelevel,
// productpricelevel,uom} (MicrosoftDocs/dynamics-365-customer-engagement ce/developer/reference/entities/*.md)
describe('Sales tables from the Dynamics 365 reference', () => {
  it('pricelevel: statuses 100001 Active / 100002 Inactive as the page lists them', async () => {
    const r = await api(em, 'POST', 'pricelevels', { body: { name: unique('pl') } });
    expect(r.status).toBe(204);
    const id = idFrom(r.headers.get('odata-entityid'));
    const row = (await api(em, 'GET', `pricelevels(${id})?$select=statecode,statuscode`)).json();
    expect(row).toMatchObject({ statecode: 0, statuscode: 100001 });
    const bad = await api(em, 'PATCH', `pricelevels(${id})`, { body: { statecode: 1, statuscode: 2 } });
    expect(bad.status).toBe(400);
  });

  it('product: productstructure is SystemRequired with DefaultFormValue 1, so a create without it is a Product', async () => {
    const r = await api(em, 'POST', 'products', {
      user: 'admin',
      body: { name: unique('p'), productnumber: unique('PN'), quantitydecimal: 2 },
    });
    expect(r.status).toBe(204);
    const id = idFrom(r.headers.get('odata-entityid'));
    const row = (await api(em, 'GET', `products(${id})?$select=productstructure,quantitydecimal`)).json();
    expect(row.productstructure).toBe(1);
    const tooManyDecimals = await api(em, 'POST', 'products', {
      user: 'admin',
      body: { name: unique('p'), productnumber: unique('PN'), quantitydecimal: 6 },
    });
    expect(tooManyDecimals.status).toBe(400); // MaxValue 5 on the page
  });

  it("productpricelevel: Microsoft's navigation names product_price_levels / price_level_product_price_levels", async () => {
    const meta = (await api(em, 'GET', '$metadata')).text;
    expect(meta).toContain('Name="product_price_levels"');
    expect(meta).toContain('Name="price_level_product_price_levels"');
    expect(meta).toContain('Name="unit_of_measurement_schedule_products"');
  });

  it('salesorder / invoice: ordernumber and invoicenumber are SystemRequired and numbered by Sales when omitted', async () => {
    const account = idFrom(
      (await api(em, 'POST', 'accounts', { body: { name: unique('c') } })).headers.get('odata-entityid'),
    );
    const so = await api(em, 'POST', 'salesorders', {
      body: { name: unique('so'), 'customerid_account@odata.bind': `/accounts(${account})` },
    });
    expect(so.status).toBe(204);
    const soId = idFrom(so.headers.get('odata-entityid'));
    expect((await api(em, 'GET', `salesorders(${soId})?$select=ordernumber`)).json().ordernumber).toMatch(
      /^ORD-\d{5}-[0-9A-F]{6}$/,
    );
    const inv = await api(em, 'POST', 'invoices', {
      body: { name: unique('inv'), invoicenumber: 'INV-MINE', 'salesorderid@odata.bind': `/salesorders(${soId})` },
    });
    expect(inv.status).toBe(204);
    const invId = idFrom(inv.headers.get('odata-entityid'));
    expect((await api(em, 'GET', `invoices(${invId})?$select=invoicenumber`)).json().invoicenumber).toBe('INV-MINE');
    // the invoice lines: SystemRequired choices take their DefaultFormValue, labels as on the page
    const line = await api(em, 'POST', 'invoicedetails', {
      body: {
        'invoiceid@odata.bind': `/invoices(${invId})`,
        isproductoverridden: true,
        productdescription: 'write-in',
        quantity: 1,
        priceperunit: 10,
      },
    });
    expect(line.status).toBe(204);
    const lineId = idFrom(line.headers.get('odata-entityid'));
    const read = await api(
      em,
      'GET',
      `invoicedetails(${lineId})?$select=producttypecode,propertyconfigurationstatus,isproductoverridden`,
      {
        headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' },
      },
    );
    expect(read.json()).toMatchObject({
      producttypecode: 1,
      propertyconfigurationstatus: 2,
      isproductoverridden: true,
      'isproductoverridden@OData.Community.Display.V1.FormattedValue': 'Write In',
    });
    // Microsoft's navigation names: order_invoices, invoice_details, customerid_account
    const expanded = await api(
      em,
      'GET',
      `salesorders(${soId})?$select=name&$expand=order_invoices($select=name;$expand=invoice_details($select=quantity)),customerid_account($select=name)`,
    );
    expect(expanded.status).toBe(200);
    const invoices = expanded.json().order_invoices as { invoice_details: unknown[] }[];
    expect(invoices[0]?.invoice_details).toHaveLength(1);
  });
});

// learn.microsoft.com/power-apps/developer/data-platform/reference/entities/{systemuser,businessunit,team}
// (MicrosoftDocs/powerapps-docs, vendored in metadata/microsoft/): the emulator's users live in Microsoft's tables
describe('systemuser, businessunit and team from the Dataverse reference', () => {
  const userId = (key: string): string => INTERACTIVE_USERS.find((u) => u.key === key)?.systemuserid as string;
  const formatted = { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' };

  it("systemuser: accessmode and isdisabled carry the page's labels (Non-interactive, Enabled)", async () => {
    const r = await api(em, 'GET', `systemusers(${APPLICATION_USER.systemuserid})?$select=accessmode,isdisabled`, {
      user: 'admin',
      headers: formatted,
    });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({
      accessmode: 4,
      'accessmode@OData.Community.Display.V1.FormattedValue': 'Non-interactive',
      isdisabled: false,
      // the page's False Label for IsDisabled is "Enabled", not Yes/No
      'isdisabled@OData.Community.Display.V1.FormattedValue': 'Enabled',
    });
  });

  it('systemuser: fullname is read-only (the page lists it under read-only columns), jobtitle is writable', async () => {
    const id = userId('noroles');
    const before = (await api(em, 'GET', `systemusers(${id})?$select=fullname`, { user: 'admin' })).json();
    const r = await api(em, 'PATCH', `systemusers(${id})`, {
      user: 'admin',
      body: { fullname: 'Someone Else', jobtitle: 'Clerk' },
    });
    expect(r.status).toBe(204);
    const after = (await api(em, 'GET', `systemusers(${id})?$select=fullname,jobtitle`, { user: 'admin' })).json();
    expect(after).toMatchObject({ fullname: before.fullname, jobtitle: 'Clerk' });
  });

  it('business_unit_system_users / businessunitid: the navigation names the systemuser page gives', async () => {
    const r = await api(
      em,
      'GET',
      `businessunits(${ROOT_BUSINESS_UNIT})?$select=name&$expand=business_unit_system_users($select=fullname)`,
      { user: 'admin' },
    );
    expect(r.status).toBe(200);
    const names = (r.json().business_unit_system_users as { fullname: string }[]).map((u) => u.fullname);
    expect(names).toEqual(expect.arrayContaining(['Riley Refunds', APPLICATION_USER.fullname]));
    const back = await api(
      em,
      'GET',
      `systemusers(${userId('refundagent')})?$select=fullname&$expand=businessunitid($select=name)`,
      {
        user: 'admin',
      },
    );
    expect(back.status).toBe(200);
    expect(back.json().businessunitid).toMatchObject({ businessunitid: ROOT_BUSINESS_UNIT });
  });

  it("team: hosted as Microsoft's teams entity set with its choices, business unit and administrator", async () => {
    const r = await api(em, 'POST', 'teams', {
      user: 'admin',
      body: {
        name: unique('Refund desk'),
        teamtype: 0,
        membershiptype: 0,
        'businessunitid@odata.bind': `/businessunits(${ROOT_BUSINESS_UNIT})`,
        'administratorid@odata.bind': `/systemusers(${userId('admin')})`,
      },
    });
    expect(r.status).toBe(204);
    const id = idFrom(r.headers.get('odata-entityid'));
    const row = await api(em, 'GET', `teams(${id})?$select=name,teamtype,_administratorid_value`, {
      user: 'admin',
      headers: formatted,
    });
    expect(row.status).toBe(200);
    expect(row.json()).toMatchObject({
      teamtype: 0,
      'teamtype@OData.Community.Display.V1.FormattedValue': 'Owner',
      _administratorid_value: userId('admin'),
    });
    // task.owningteam (team_task on the task page) is loaded now that team is hosted
    const tasks = await api(em, 'GET', 'tasks?$select=_owningteam_value&$top=1', { user: 'admin' });
    expect(tasks.status).toBe(200);
  });
});

describe('webhook registration tables from the Dataverse reference', () => {
  // powerapps-docs sdkmessage.md / sdkmessagefilter.md: sdkmessageid_sdkmessagefilter is the collection on the
  // message, sdkmessageid the single-valued navigation on the filter; the filter's primaryobjecttypecode is an
  // EntityName column holding the table's logical name
  it('sdkmessageid_sdkmessagefilter / sdkmessageid: a message lists its filters and a filter names its message', async () => {
    const create = await api(
      em,
      'GET',
      "sdkmessages?$select=name,isreadonly&$filter=name eq 'Create'&$expand=sdkmessageid_sdkmessagefilter($select=primaryobjecttypecode;$filter=primaryobjecttypecode eq 'account')",
      { user: 'admin' },
    );
    expect(create.status).toBe(200);
    const [message] = create.json().value as {
      sdkmessageid: string;
      sdkmessageid_sdkmessagefilter: { primaryobjecttypecode: string; sdkmessagefilterid: string }[];
    }[];
    expect(message?.sdkmessageid_sdkmessagefilter).toEqual([
      expect.objectContaining({ primaryobjecttypecode: 'account' }),
    ]);
    const filterId = message?.sdkmessageid_sdkmessagefilter[0]?.sdkmessagefilterid;
    const filter = await api(em, 'GET', `sdkmessagefilters(${filterId})?$expand=sdkmessageid($select=name)`, {
      user: 'admin',
    });
    expect(filter.status).toBe(200);
    expect(filter.json()).toMatchObject({
      primaryobjecttypecode: 'account',
      _sdkmessageid_value: message?.sdkmessageid,
      sdkmessageid: { name: 'Create' },
    });
  });
});

describe('step images from the Dataverse reference', () => {
  // sdkmessageprocessingstepimage.md (2023 layout) names the relationship sdkmessageprocessingstepid_sdkmessageprocessingstepimage
  it('a step expands its images by the relationship name the image page gives', async () => {
    const ok = await api(
      em,
      'GET',
      'sdkmessageprocessingsteps?$select=name&$expand=sdkmessageprocessingstepid_sdkmessageprocessingstepimage($select=name,imagetype)&$top=1',
      { user: 'admin' },
    );
    expect(ok.status).toBe(200);
    // the emulator's default name (<table>_<lookup>) is not a navigation property
    const bad = await api(
      em,
      'GET',
      'sdkmessageprocessingsteps?$select=name&$expand=sdkmessageprocessingstepimage_sdkmessageprocessingstepid&$top=1',
      { user: 'admin' },
    );
    expect(bad.status).toBe(400);
  });
});

describe('environment variables from the Dataverse reference', () => {
  // powerapps-docs environmentvariablevalue.md: EnvironmentVariableDefinitionId is the single-valued navigation,
  // environmentvariabledefinition_environmentvariablevalue the collection; statecode 0 Active / statuscode 1 Active
  it('a value bound through EnvironmentVariableDefinitionId is Active and expands from its definition', async () => {
    const schemaname = unique('ppc_var');
    const def0 = await api(em, 'POST', 'environmentvariabledefinitions', {
      user: 'admin',
      body: { schemaname, type: 100000000 },
    });
    expect(def0.status).toBe(204);
    const defId = idFrom(def0.headers.get('OData-EntityId'));
    const created = await api(em, 'POST', 'environmentvariablevalues', {
      user: 'admin',
      body: {
        schemaname,
        value: 'EUR',
        'EnvironmentVariableDefinitionId@odata.bind': `/environmentvariabledefinitions(${defId})`,
      },
    });
    expect(created.status).toBe(204);
    const valueId = idFrom(created.headers.get('OData-EntityId'));
    const value = await api(
      em,
      'GET',
      `environmentvariablevalues(${valueId})?$select=value,statecode,statuscode&$expand=EnvironmentVariableDefinitionId($select=schemaname)`,
      { user: 'admin', headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' } },
    );
    expect(value.status).toBe(200);
    expect(value.json()).toMatchObject({
      value: 'EUR',
      statecode: 0,
      'statecode@OData.Community.Display.V1.FormattedValue': 'Active',
      statuscode: 1,
      EnvironmentVariableDefinitionId: { schemaname },
    });
    const def = await api(
      em,
      'GET',
      `environmentvariabledefinitions(${defId})?$select=schemaname&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)`,
      { user: 'admin' },
    );
    expect(def.json().environmentvariabledefinition_environmentvariablevalue).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: 'EUR' })]),
    );
  });
});

describe('connection references from the Dataverse reference', () => {
  // powerapps-docs connectionreference.md: statecode 0 Active / 1 Inactive, promptingbehavior 0 Prompt on import / 1 Skip
  it('a connection reference is Active, takes the documented choices and is addressed by its logical name', async () => {
    const logicalName = unique('ppc_sharedpaypal');
    const created = await api(em, 'POST', 'connectionreferences', {
      user: 'admin',
      body: {
        connectionreferencelogicalname: logicalName,
        connectionreferencedisplayname: 'PayPal',
        connectorid: '/providers/Microsoft.PowerApps/apis/shared_paypal',
        promptingbehavior: 1,
      },
    });
    expect(created.status).toBe(204);
    const r = await api(
      em,
      'GET',
      `connectionreferences(connectionreferencelogicalname='${logicalName}')?$select=statecode,statuscode,promptingbehavior`,
      { user: 'admin', headers: { Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' } },
    );
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({
      statecode: 0,
      statuscode: 1,
      promptingbehavior: 1,
      'promptingbehavior@OData.Community.Display.V1.FormattedValue': 'Skip',
    });
    const bad = await api(em, 'POST', 'connectionreferences', {
      user: 'admin',
      body: { connectionreferencelogicalname: unique('ppc_x'), promptingbehavior: 7 },
    });
    expect(bad.status).toBe(400);
  });
});
