// OData query features used by the product: $filter operators and functions (parsed to an AST, run
// as SQL), Dataverse query functions, lambda any/all, $expand with nested options, $orderby/$top,
// annotations, money _base values and state/status rules (query-data-web-api.md, query/filter-rows.md,
// reference/web-api/queryfunctions).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManualClock } from '../src/index.ts';
import type { DataverseEmulator } from '../src/index.ts';
import { parseFilter } from '../src/odata/filter-parser.ts';
import { api, startEmulator, unique } from './helpers.ts';

let em: DataverseEmulator;
const clock = new ManualClock(Date.UTC(2026, 2, 15, 10, 0, 0));

beforeAll(async () => {
  em = await startEmulator({ clock });
});
afterAll(async () => {
  await em.close();
});

async function create(set: string, body: unknown): Promise<string> {
  const r = await api(em, 'POST', set, { body });
  if (r.status !== 204) throw new Error(r.text);
  return /\(([0-9a-f-]{36})\)$/.exec(r.headers.get('odata-entityid') ?? '')?.[1] as string;
}

async function names(query: string): Promise<string[]> {
  const r = await api(em, 'GET', `ppc_samples?$select=ppc_name&${query}`);
  if (r.status !== 200) throw new Error(r.text);
  return (r.json().value as { ppc_name: string }[]).map((v) => v.ppc_name).sort();
}

describe('$filter parser', () => {
  it('builds an AST with precedence, lambdas and Dataverse functions', () => {
    expect(parseFilter("a eq 1 or b eq 'x' and not c")).toMatchObject({
      kind: 'logical',
      op: 'or',
      right: { kind: 'logical', op: 'and' },
    });
    expect(parseFilter('items/any(i: i/qty gt 2)')).toMatchObject({
      kind: 'lambda',
      op: 'any',
      path: ['items'],
      variable: 'i',
    });
    expect(parseFilter("Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=['a','b'])")).toMatchObject({
      kind: 'crmcall',
      name: 'In',
    });
    expect(() => parseFilter("name eq 'unterminated")).toThrow('unterminated string');
    expect(() => parseFilter('name eq')).toThrow('Syntax error');
  });
});

describe('queries', () => {
  it('filters with comparisons, string functions, null, not, and/or (case-insensitive strings)', async () => {
    const t = unique('f');
    await create('ppc_samples', { ppc_name: `${t}-Alpha`, ppc_lineno: 1, ppc_amount: 10 });
    await create('ppc_samples', { ppc_name: `${t}-beta`, ppc_lineno: 2, ppc_amount: 20, ppc_kind: 100000001 });
    await create('ppc_samples', { ppc_name: `${t}-gamma`, ppc_lineno: 3 });
    const base = `startswith(ppc_name,'${t}')`;
    expect(await names(`$filter=${base} and ppc_lineno ge 2`)).toEqual([`${t}-beta`, `${t}-gamma`]);
    expect(await names(`$filter=${base} and contains(ppc_name,'ALPHA')`)).toEqual([`${t}-Alpha`]);
    expect(await names(`$filter=${base} and endswith(ppc_name,'mma')`)).toEqual([`${t}-gamma`]);
    expect(await names(`$filter=${base} and ppc_amount eq null`)).toEqual([`${t}-gamma`]);
    expect(await names(`$filter=${base} and not (ppc_lineno eq 1 or ppc_lineno eq 3)`)).toEqual([`${t}-beta`]);
    expect(await names(`$filter=${base} and ppc_kind ne 100000001`)).toEqual([`${t}-Alpha`, `${t}-gamma`]);
    expect(await names(`$filter=ppc_name eq '${t}-ALPHA'`)).toEqual([`${t}-Alpha`]);
    const ordered = await api(
      em,
      'GET',
      `ppc_samples?$select=ppc_lineno&$filter=${base}&$orderby=ppc_lineno desc&$top=2`,
    );
    expect((ordered.json().value as { ppc_lineno: number }[]).map((v) => v.ppc_lineno)).toEqual([3, 2]);
    expect((await api(em, 'GET', 'ppc_samples?$select=ppc_name,nosuchcolumn')).status).toBe(400);
    const bad = await api(em, 'GET', `ppc_samples?$filter=nosuchcolumn eq 1`);
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatchObject({
      message: "Could not find a property named 'nosuchcolumn' on type 'Microsoft.Dynamics.CRM.ppc_sample'.",
    });
  });

  it('supports In, Between, On, LastXDays and EqualUserId', async () => {
    const t = unique('fn');
    await create('ppc_samples', { ppc_name: `${t}-old`, ppc_lineno: 5 });
    clock.advance(10 * 86_400_000);
    await create('ppc_samples', { ppc_name: `${t}-new`, ppc_lineno: 7 });
    const base = `startswith(ppc_name,'${t}')`;
    expect(
      await names(`$filter=${base} and Microsoft.Dynamics.CRM.In(PropertyName='ppc_lineno',PropertyValues=['5','6'])`),
    ).toEqual([`${t}-old`]);
    expect(
      await names(
        `$filter=${base} and Microsoft.Dynamics.CRM.Between(PropertyName='ppc_lineno',PropertyValues=['6','8'])`,
      ),
    ).toEqual([`${t}-new`]);
    expect(
      await names(`$filter=${base} and Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=3)`),
    ).toEqual([`${t}-new`]);
    expect(
      await names(`$filter=${base} and Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='2026-03-15')`),
    ).toEqual([`${t}-old`]);
    expect(await names(`$filter=${base} and Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')`)).toEqual([
      `${t}-new`,
      `${t}-old`,
    ]);
  });

  it('filters on lookups, single-valued navigation paths and any/all over collections; expands with nested options', async () => {
    const last = unique('c');
    const contact = await create('contacts', { lastname: last, emailaddress1: `${last}@example.com` });
    await create('ppc_samples', {
      ppc_name: `${last}-1`,
      ppc_lineno: 1,
      'ppc_ContactId@odata.bind': `/contacts(${contact})`,
    });
    await create('ppc_samples', {
      ppc_name: `${last}-2`,
      ppc_lineno: 2,
      'ppc_ContactId@odata.bind': `/contacts(${contact})`,
    });
    expect(await names(`$filter=_ppc_contactid_value eq ${contact}`)).toEqual([`${last}-1`, `${last}-2`]);
    expect(await names(`$filter=ppc_ContactId/emailaddress1 eq '${last}@example.com'`)).toEqual([
      `${last}-1`,
      `${last}-2`,
    ]);
    const any = await api(
      em,
      'GET',
      `contacts?$select=lastname&$filter=ppc_contact_ppc_sample_contactid/any(s: s/ppc_lineno eq 2) and lastname eq '${last}'`,
    );
    expect((any.json().value as unknown[]).length).toBe(1);
    const all = await api(
      em,
      'GET',
      `contacts?$select=lastname&$filter=ppc_contact_ppc_sample_contactid/all(s: s/ppc_lineno gt 1) and lastname eq '${last}'`,
    );
    expect((all.json().value as unknown[]).length).toBe(0);
    const expanded = await api(
      em,
      'GET',
      `contacts(${contact})?$select=lastname&$expand=ppc_contact_ppc_sample_contactid($select=ppc_name;$filter=ppc_lineno gt 1;$orderby=ppc_name desc)`,
    );
    expect((expanded.json().ppc_contact_ppc_sample_contactid as { ppc_name: string }[]).map((s) => s.ppc_name)).toEqual(
      [`${last}-2`],
    );
    const single = await api(
      em,
      'GET',
      `ppc_samples?$select=ppc_name&$filter=ppc_name eq '${last}-1'&$expand=ppc_ContactId($select=lastname)`,
    );
    expect((single.json().value as { ppc_ContactId: { lastname: string } }[])[0]?.ppc_ContactId.lastname).toBe(last);
  });
});

describe('column behaviour', () => {
  it('computes money _base values with the currency exchange rate', async () => {
    const eur = (
      await api(
        em,
        'GET',
        "transactioncurrencies?$select=transactioncurrencyid,exchangerate&$filter=isocurrencycode eq 'EUR'",
      )
    ).json().value as {
      transactioncurrencyid: string;
      exchangerate: number;
    }[];
    const id = await create('ppc_samples', {
      ppc_name: unique('m'),
      ppc_amount: 92,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${eur[0]?.transactioncurrencyid})`,
    });
    const row = (
      await api(
        em,
        'GET',
        `ppc_samples(${id})?$select=ppc_amount,ppc_amount_base,exchangerate,_transactioncurrencyid_value`,
      )
    ).json();
    expect(row).toMatchObject({
      ppc_amount: 92,
      exchangerate: 0.92,
      ppc_amount_base: 100,
      _transactioncurrencyid_value: eur[0]?.transactioncurrencyid,
    });
    const usdDefault = (
      await api(
        em,
        'GET',
        `ppc_samples(${await create('ppc_samples', { ppc_name: unique('m'), ppc_amount: 5 })})?$select=exchangerate,ppc_amount_base`,
      )
    ).json();
    expect(usdDefault).toMatchObject({ exchangerate: 1, ppc_amount_base: 5 });
  });

  it('validates statecode/statuscode pairs and keeps paid invoices read-only until reactivated', async () => {
    const inv = await create('invoices', { name: unique('inv') });
    const fresh = (await api(em, 'GET', `invoices(${inv})?$select=statecode,statuscode`)).json();
    expect(fresh).toMatchObject({ statecode: 0, statuscode: 1 });
    const wrongPair = await api(em, 'PATCH', `invoices(${inv})`, { body: { statecode: 2, statuscode: 1 } });
    expect(wrongPair.status).toBe(400);
    expect((await api(em, 'PATCH', `invoices(${inv})`, { body: { statecode: 2, statuscode: 100001 } })).status).toBe(
      204,
    );
    const edit = await api(em, 'PATCH', `invoices(${inv})`, { body: { name: 'changed' } });
    expect(edit.status).toBe(400);
    // Strict reading of special-update-operation-behavior (learn.microsoft.com/power-apps/developer/data-platform/
    // special-update-operation-behavior): the other columns are one operation, applied before the state change,
    // so a request that reactivates a Paid invoice cannot also edit it; nothing is written.
    const reactivateAndEdit = await api(em, 'PATCH', `invoices(${inv})`, {
      body: { name: 'changed', statecode: 0, statuscode: 1 },
    });
    expect(reactivateAndEdit.status).toBe(400);
    expect(reactivateAndEdit.json().error).toMatchObject({ code: '0x80043b1d' });
    expect((await api(em, 'GET', `invoices(${inv})?$select=statecode,name`)).json()).toMatchObject({
      statecode: 2,
      name: expect.not.stringMatching(/^changed$/),
    });
    expect((await api(em, 'PATCH', `invoices(${inv})`, { body: { statecode: 0, statuscode: 1 } })).status).toBe(204);
    expect((await api(em, 'PATCH', `invoices(${inv})`, { body: { name: 'changed' } })).status).toBe(204);
    const badChoice = await api(em, 'POST', 'ppc_samples', { body: { ppc_name: 'x', ppc_kind: 3 } });
    expect(badChoice.json().error).toMatchObject({ code: '0x8004431a' });
    const range = await api(em, 'POST', 'ppc_samples', { body: { ppc_name: 'x', ppc_lineno: 5000 } });
    expect(range.status).toBe(400);
  });

  it('prices order lines and keeps header totals in step with them', async () => {
    const order = await create('salesorders', {
      name: unique('so'),
      freightamount: 5,
      order_details: [
        { productdescription: 'A', isproductoverridden: true, quantity: 2, priceperunit: 10, tax: 1.5 },
        {
          productdescription: 'B',
          isproductoverridden: true,
          quantity: 1,
          priceperunit: 7.25,
          manualdiscountamount: 0.25,
        },
      ],
    });
    const totals = async () =>
      (
        await api(
          em,
          'GET',
          `salesorders(${order})?$select=totallineitemamount,totaltax,totalamount&$expand=order_details($select=extendedamount,productdescription)`,
        )
      ).json();
    expect(await totals()).toMatchObject({ totallineitemamount: 27, totaltax: 1.5, totalamount: 33.5 });
    const lines = (await totals()).order_details as {
      salesorderdetailid: string;
      productdescription: string;
      extendedamount: number;
    }[];
    expect(lines.find((l) => l.productdescription === 'A')?.extendedamount).toBe(21.5);
    const b = lines.find((l) => l.productdescription === 'B')?.salesorderdetailid as string;
    expect((await api(em, 'PATCH', `salesorderdetails(${b})`, { body: { quantity: 3 } })).status).toBe(204);
    expect(await totals()).toMatchObject({ totallineitemamount: 41.5, totalamount: 48 });
    expect((await api(em, 'DELETE', `salesorderdetails(${b})`)).status).toBe(204);
    expect(await totals()).toMatchObject({ totallineitemamount: 20, totalamount: 26.5 });
  });

  it('returns formatted values for choices and money with odata.include-annotations', async () => {
    const id = await create('ppc_samples', { ppc_name: unique('fv'), ppc_kind: 100000001, ppc_amount: 1234.5 });
    const r = await api(em, 'GET', `ppc_samples(${id})?$select=ppc_kind,ppc_amount,statecode`, {
      headers: { Prefer: 'odata.include-annotations="*"' },
    });
    expect(r.json()).toMatchObject({
      'ppc_kind@OData.Community.Display.V1.FormattedValue': 'Refund',
      // with the currency symbol, as query/select-columns.md "Formatted values" shows
      'ppc_amount@OData.Community.Display.V1.FormattedValue': '$1,234.50',
      'statecode@OData.Community.Display.V1.FormattedValue': 'Active',
    });
  });
});
