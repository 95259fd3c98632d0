// Subscriptions over real HTTP, on the PayPal emulator's clock: PayPal bills renewals as the clock moves
// (PAYMENT.SALE.COMPLETED with billing_agreement_id), fails and retries payments, suspends at the plan's
// payment_failure_threshold; D365 collects the outstanding balance, reactivates and cancels through the
// ppc_subscription status (Dataverse webhook → proxy → PayPal). Every step is read back from Dataverse.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@ppc/test-support';
import { DunningNotice, DunningState, SubscriptionStatus } from '@ppc/solution';
import { dataverseAdmin, startLocalStack, type DataverseAdmin, type LocalStack } from '@ppc/stack';
import { emulatorControl } from './support.ts';

let stack: LocalStack;
let starting: Promise<LocalStack> | undefined;
let token: string;
let finance: DataverseAdmin;
const PRODUCT = 'STREAM-PLUS';
const FINANCE_USER = '5f0c7a6e-0000-4000-8000-000000000006';
// The dunning notice cloud flow's trigger, stood in for by a webhook step with the same table, message and
// filtering column (solution flow "PayPal subscription dunning notice": Update of ppc_subscription, filtering
// attribute ppc_dunningnoticekey): Dataverse fires it whenever an update carries that column, so each notice the
// flow would mail is one call here.
let noticeHook: Server | undefined;
const noticeCalls: { id: string; key: string; notice: number }[] = [];

beforeAll(async () => {
  starting = startLocalStack();
  stack = await starting;
  token = await stack.paypalToken();
  finance = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('financeuser'));
  // The D365 product of PayPal's catalog product: productnumber = the PayPal product id.
  const res = await fetch(new URL('/_emulator/seed', stack.dataverse.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ products: [{ productnumber: PRODUCT, name: 'Streaming Plus', price: 9.99 }] }),
  });
  if (!res.ok) throw new Error(`seed answered ${res.status}`);
  const product = await paypal('POST', '/v1/catalogs/products', {
    id: PRODUCT,
    name: 'Streaming Plus',
    type: 'SERVICE',
  });
  expect(product.status).toBe(201);
  await registerNoticeTrigger();
}, 120_000);
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.close();
  await new Promise((r) => (noticeHook ? noticeHook.close(r) : r(undefined)));
});

async function registerNoticeTrigger() {
  noticeHook = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const ctx = JSON.parse(text) as {
        PrimaryEntityId: string;
        InputParameters: { key: string; value: { Attributes: { key: string; value: unknown }[] } }[];
      };
      const target = ctx.InputParameters.find((p) => p.key === 'Target')!.value.Attributes;
      const attr = (k: string) => target.find((a) => a.key === k)?.value;
      const notice = attr('ppc_dunningnotice') as { Value?: number } | number | undefined;
      noticeCalls.push({
        id: ctx.PrimaryEntityId,
        key: String(attr('ppc_dunningnoticekey')),
        notice: typeof notice === 'object' ? Number(notice?.Value) : Number(notice),
      });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => noticeHook!.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(noticeHook.address() as AddressInfo).port}/notice`;
  const [update] = await stack.admin.list<Row>('sdkmessages', "$filter=name eq 'Update'");
  const [filter] = await stack.admin.list<Row>(
    'sdkmessagefilters',
    `$filter=primaryobjecttypecode eq 'ppc_subscription' and _sdkmessageid_value eq ${String(update!.sdkmessageid)}`,
  );
  const endpoint = await stack.admin.create('serviceendpoints', {
    name: 'test: dunning notice flow trigger',
    contract: 8,
    url,
    authtype: 5,
    authvalue: '<settings><setting name="x-test" value="notice" /></settings>',
  });
  await stack.admin.create('sdkmessageprocessingsteps', {
    name: 'test: dunning notice flow trigger (Update of ppc_subscription ppc_dunningnoticekey)',
    stage: 40,
    mode: 1,
    rank: 1,
    filteringattributes: 'ppc_dunningnoticekey',
    'sdkmessageid@odata.bind': `/sdkmessages(${String(update!.sdkmessageid)})`,
    'sdkmessagefilterid@odata.bind': `/sdkmessagefilters(${String(filter!.sdkmessagefilterid)})`,
    'eventhandler_serviceendpoint@odata.bind': `/serviceendpoints(${endpoint})`,
  });
}

type Row = Record<string, unknown>;
const DEBIT = 416500260;

async function paypal(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path, stack.paypal.url), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      prefer: 'return=representation',
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Row) : {} };
}
const control = (path: string, body: unknown = {}) => emulatorControl(stack, path, body);

let plans = 0;
async function subscribe(payerEmail: string, threshold = 2) {
  plans += 1;
  const plan = await paypal('POST', '/v1/billing/plans', {
    product_id: PRODUCT,
    name: `Streaming Plus monthly ${plans}`,
    billing_cycles: [
      {
        tenure_type: 'REGULAR',
        sequence: 1,
        total_cycles: 0,
        frequency: { interval_unit: 'MONTH', interval_count: 1 },
        pricing_scheme: { fixed_price: { currency_code: 'USD', value: '9.99' } },
      },
    ],
    payment_preferences: { payment_failure_threshold: threshold, auto_bill_outstanding: true },
  });
  expect(plan.status).toBe(201);
  const sub = await paypal('POST', '/v1/billing/subscriptions', {
    plan_id: plan.body.id,
    subscriber: { email_address: payerEmail },
  });
  expect(sub.status).toBe(201);
  return String(sub.body.id);
}

const rowOf = async (id: string) =>
  (await stack.admin.list<Row>('ppc_subscriptions', `$filter=ppc_paypalsubscriptionid eq '${id}'`))[0];
const waitForRow = (id: string, what: string, ok: (r: Row) => boolean) =>
  waitFor(
    async () => {
      const r = await rowOf(id);
      return r && ok(r) ? r : undefined;
    },
    30_000,
    `subscription ${id}: ${what}`,
  );
const salesOf = (subscriptionRowId: string) =>
  stack.admin.list<Row>(
    'ppc_paypaltransactions',
    `$filter=_ppc_subscriptionid_value eq ${subscriptionRowId}&$orderby=ppc_transactiondate`,
  );
const waitForSales = (rowId: string, n: number) =>
  waitFor(
    async () => {
      const list = await salesOf(rowId);
      return list.length >= n ? list : undefined;
    },
    30_000,
    `${n} subscription payments booked`,
  );
const ledgerOf = (sourceId: string) =>
  stack.admin.list<Row>('ppc_ledgerentries', `$filter=ppc_sourceid eq '${sourceId}'&$orderby=ppc_lineno`);
function imbalance(lines: Row[]) {
  const sum = { amount: 0, base: 0 };
  for (const l of lines) {
    const s = l.ppc_side === DEBIT ? 1 : -1;
    sum.amount = Math.round((sum.amount + s * Number(l.ppc_amount)) * 1e4) / 1e4;
    sum.base = Math.round((sum.base + s * Number(l.ppc_baseamount ?? 0)) * 1e4) / 1e4;
  }
  return sum;
}

describe('subscription lifecycle on the emulator clock', () => {
  it('activation and three renewals invoiced and paid → failed payment → retrying → suspended at the threshold → outstanding collected from D365 → reactivated → cancelled from D365; ledger balanced', async () => {
    const email = 'subscriber.one@example.com';
    const id = await subscribe(email, 3);
    // created: mirrored as Approval Pending
    await waitForRow(id, 'approval pending', (r) => r.ppc_paypalstatus === 'APPROVAL_PENDING');

    // approved by the buyer: ACTIVATED + the first cycle billed at once
    await control(`/_emulator/subscriptions/${id}/approve`, { email, given_name: 'Sam', surname: 'Subscriber' });
    const active = await waitForRow(
      id,
      'active, 1 cycle',
      (r) => r.ppc_cyclescompleted === 1 && r.ppc_paypalstatus === 'ACTIVE',
    );
    expect(active).toMatchObject({
      statuscode: SubscriptionStatus.Active,
      ppc_dunningstate: DunningState.Current,
      ppc_failedpaymentcount: 0,
    });
    expect(active._ppc_contactid_value).toBeTruthy();
    expect(active._ppc_productid_value).toBeTruthy();
    const rowId = String(active.ppc_subscriptionid);

    // three renewals, one a month; each month's events are processed before the clock moves on (a jump of
    // several months at once, with its webhooks lost, is the last describe below)
    for (let i = 2; i <= 4; i++) {
      await control('/_emulator/clock/advance', { days: 31 });
      await waitForSales(rowId, i);
    }
    const four = await waitForSales(rowId, 4);
    await waitForRow(id, '4 cycles', (r) => r.ppc_cyclescompleted === 4);
    for (const t of four) {
      expect(t).toMatchObject({ ppc_paypalstatus: 'COMPLETED', ppc_kind: 416500001 });
      expect(Number(t.ppc_grossamount)).toBe(9.99);
      const invoice = await stack.admin.get<Row>(
        `invoices(${String(t._ppc_invoiceid_value)})?$select=name,statecode,ppc_paymentstatus,ppc_paidamount,totalamount`,
      );
      expect(invoice).toMatchObject({ statecode: 2, ppc_paymentstatus: 416500292 });
      expect(String(invoice.name)).toMatch(
        new RegExp(`^Renewal Streaming Plus monthly \\d+ \\d{4}-\\d{2}-\\d{2} – \\d{4}-\\d{2}-\\d{2} \\(${id}\\)$`),
      );
      expect(Number(invoice.ppc_paidamount)).toBe(9.99);
      expect(imbalance(await ledgerOf(String(t.ppc_paypalid)))).toEqual({ amount: 0, base: 0 });
    }
    // four distinct billing periods, one invoice each
    const names = await Promise.all(
      four.map(
        async (t) => (await stack.admin.get<Row>(`invoices(${String(t._ppc_invoiceid_value)})?$select=name`)).name,
      ),
    );
    expect(new Set(names).size).toBe(4);
    const [contact] = await stack.admin.list<Row>('contacts', `$filter=emailaddress1 eq '${email}'`);
    expect(contact).toMatchObject({ ppc_paymentcount: 4 });
    expect(Number(contact!.ppc_totalspendbase)).toBe(39.96);

    // a failed payment: PayPal retries in 5 days → Retrying; the second failure leaves one try → Past due
    await control('/_emulator/subscriptions/next-payment-outcomes', { outcomes: ['DECLINED', 'DECLINED', 'DECLINED'] });
    await control('/_emulator/clock/advance', { days: 31 });
    const retrying = await waitForRow(id, 'one failed payment', (r) => r.ppc_failedpaymentcount === 1);
    expect(retrying).toMatchObject({ statuscode: SubscriptionStatus.Active, ppc_dunningstate: DunningState.Retrying });
    // a dunning notice for each stage, keyed by the episode (the notice flow triggers on the key)
    await waitForRow(id, 'retrying notice', (r) => r.ppc_dunningnotice === DunningNotice.Retrying);
    expect(Number(retrying.ppc_amountdue)).toBe(9.99);
    expect(retrying.ppc_dunningsince).toBeTruthy();
    await control('/_emulator/clock/advance', { days: 5 });
    const pastDue = await waitForRow(id, 'two failed payments', (r) => r.ppc_failedpaymentcount === 2);
    expect(pastDue).toMatchObject({
      ppc_dunningstate: DunningState.PastDue,
      ppc_dunningsince: retrying.ppc_dunningsince,
    });
    const since = retrying.ppc_dunningsince;
    await waitForRow(id, 'past due notice', (r) => r.ppc_dunningnotice === DunningNotice.PastDue);

    // the last retry fails too: suspended at the threshold (3), the amount outstanding
    await control('/_emulator/clock/advance', { days: 5 });
    const suspended = await waitForRow(id, 'suspended', (r) => r.ppc_paypalstatus === 'SUSPENDED');
    expect(suspended).toMatchObject({
      statuscode: SubscriptionStatus.Suspended,
      ppc_dunningstate: DunningState.Suspended,
      ppc_failedpaymentcount: 3,
      ppc_dunningsince: since,
    });
    expect(Number(suspended.ppc_outstandingbalance)).toBe(9.99);
    expect(Number(suspended.ppc_amountdue)).toBe(9.99);
    await waitForRow(id, 'suspended notice', (r) => r.ppc_dunningnotice === DunningNotice.Suspended);
    // the customer's form shows it (contact ppc_subscriptionstatus)
    await waitFor(
      async () => {
        const [c] = await stack.admin.list<Row>('contacts', `$filter=emailaddress1 eq '${email}'`);
        return String(c?.ppc_subscriptionstatus ?? '').startsWith(`${id} suspended (suspended, owes 9.99 USD since `)
          ? c
          : undefined;
      },
      30_000,
      'contact shows the suspended subscription',
    );
    // finance's work lists
    const suspendedView = await stack.admin.list<Row>(
      'ppc_subscriptions',
      `$filter=statuscode eq ${SubscriptionStatus.Suspended}&$select=ppc_paypalsubscriptionid`,
    );
    expect(suspendedView.map((r) => r.ppc_paypalsubscriptionid)).toContain(id);

    // reactivating first is refused by the proxy: the balance is still owed (PayPal would refuse too)
    await finance.patch(`ppc_subscriptions(${rowId})`, { statuscode: SubscriptionStatus.ActivateRequested });
    const refused = await waitForRow(id, 'activate refused', (r) =>
      String(r.ppc_actionresult ?? '').startsWith('activate'),
    );
    expect(refused.ppc_actionresult).toMatch(/collect the outstanding balance first/);
    expect(refused).toMatchObject({ statuscode: SubscriptionStatus.Suspended });

    // the attacker's version: a user who may write the row but does not hold PayPal Finance (a system
    // administrator) asks to collect, and writes a finance user into the reason: refused, nothing captured
    await stack.admin.patch(`ppc_subscriptions(${rowId})`, {
      statuscode: SubscriptionStatus.CollectRequested,
      ppc_actionreason: `on behalf of ${FINANCE_USER}`,
    });
    const notFinance = await waitForRow(id, 'collect refused', (r) =>
      String(r.ppc_actionresult ?? '').startsWith('collect refused'),
    );
    expect(notFinance.ppc_actionresult).toMatch(/does not hold the PayPal Finance role/);
    expect(notFinance).toMatchObject({ statuscode: SubscriptionStatus.Suspended });
    expect(Number(notFinance.ppc_outstandingbalance)).toBe(9.99);
    expect(await salesOf(rowId)).toHaveLength(4);

    // collect the outstanding balance from D365: PayPal captures it as a subscription payment, invoiced
    await finance.patch(`ppc_subscriptions(${rowId})`, {
      statuscode: SubscriptionStatus.CollectRequested,
      ppc_actionreason: 'Customer called, card updated',
    });
    const collected = await waitForRow(id, 'outstanding collected', (r) =>
      String(r.ppc_actionresult ?? '').startsWith('outstanding 9.99 USD collected'),
    );
    expect(String(collected.ppc_actionresult)).toContain(FINANCE_USER);
    expect(Number(collected.ppc_outstandingbalance)).toBe(0);
    const five = await waitForSales(rowId, 5);
    expect(Number(five.at(-1)!.ppc_grossamount)).toBe(9.99);
    // the balance collected: the episode ends with a Paid notice; nothing is owed while still suspended
    const paid = await waitForRow(id, 'paid notice', (r) => r.ppc_dunningnotice === DunningNotice.Paid);
    expect(paid).toMatchObject({ ppc_dunningsince: null, statuscode: SubscriptionStatus.Suspended });
    expect(Number(paid.ppc_amountdue)).toBe(0);

    // reactivate from D365
    await finance.patch(`ppc_subscriptions(${rowId})`, {
      statuscode: SubscriptionStatus.ActivateRequested,
      ppc_actionreason: 'Balance settled',
    });
    const reactivated = await waitForRow(id, 'reactivated', (r) => r.ppc_paypalstatus === 'ACTIVE');
    expect(reactivated).toMatchObject({
      statuscode: SubscriptionStatus.Active,
      ppc_dunningstate: DunningState.Current,
      ppc_failedpaymentcount: 0,
      ppc_dunningsince: null,
    });
    expect(Number(reactivated.ppc_amountdue)).toBe(0);

    // cancel from D365 (a reason is required by PayPal); PayPal's CANCELLED event confirms it
    await finance.patch(`ppc_subscriptions(${rowId})`, {
      statuscode: SubscriptionStatus.CancelRequested,
      ppc_actionreason: 'Customer moved to the annual plan',
    });
    const cancelled = await waitForRow(id, 'cancelled', (r) => r.ppc_paypalstatus === 'CANCELLED');
    expect(cancelled).toMatchObject({
      statecode: 1,
      statuscode: SubscriptionStatus.Cancelled,
      ppc_dunningstate: DunningState.Cancelled,
    });
    token = await stack.paypalToken(); // months have passed on PayPal's clock: the test's token expired
    const [after] = await stack.admin.list<Row>('contacts', `$filter=emailaddress1 eq '${email}'`);
    expect(after!.ppc_subscriptionstatus).toBe(`${id} cancelled (cancelled)`);
    const inPayPal = await paypal('GET', `/v1/billing/subscriptions/${id}`);
    expect(inPayPal.body).toMatchObject({
      status: 'CANCELLED',
      status_change_note: 'Customer moved to the annual plan',
    });

    // the notice flow's trigger fired once per stage, though every stage had several events (PAYMENT.FAILED,
    // UPDATED, the sale, the D365 requests' own syncs) each re-syncing the row
    await waitFor(
      async () => (noticeCalls.filter((c) => c.id === rowId).length >= 4 ? true : undefined),
      30_000,
      'notice trigger calls',
    );
    const calls = noticeCalls.filter((c) => c.id === rowId);
    expect(calls.map((c) => c.notice)).toEqual([
      DunningNotice.Retrying,
      DunningNotice.PastDue,
      DunningNotice.Suspended,
      DunningNotice.Paid,
    ]);
    expect(calls.map((c) => c.key.split('@')[0])).toEqual(['retrying', 'pastdue', 'suspended', 'paid']);
    // one episode, the one that began with the first failed payment
    expect(new Set(calls.map((c) => Date.parse(c.key.split('@')[1]!)))).toEqual(new Set([Date.parse(String(since))]));

    // exactly five payments in PayPal, five in Dataverse; the whole subscription's ledger balances
    const all = await salesOf(rowId);
    expect(all).toHaveLength(5);
    const lines = (await Promise.all(all.map((t) => ledgerOf(String(t.ppc_paypalid))))).flat();
    expect(lines.length).toBeGreaterThanOrEqual(15);
    expect(imbalance(lines)).toEqual({ amount: 0, base: 0 });
  }, 180_000);
});

describe('money going back on subscription payments', () => {
  it('a reversed renewal (PAYMENT.SALE.REVERSED, its real shape) is booked as a chargeback; a renewal is refunded from D365 through POST /v1/payments/sale/{id}/refund', async () => {
    token = await stack.paypalToken();
    const email = 'subscriber.two@example.com';
    const id = await subscribe(email, 3);
    await control(`/_emulator/subscriptions/${id}/approve`, { email, given_name: 'Robin', surname: 'Renewal' });
    const row = await waitForRow(id, 'active', (r) => r.ppc_paypalstatus === 'ACTIVE');
    const rowId = String(row.ppc_subscriptionid);
    const [first] = await waitForSales(rowId, 1);
    await control('/_emulator/clock/advance', { days: 31 });
    const [, second] = await waitForSales(rowId, 2);
    token = await stack.paypalToken();

    // PayPal reverses the first renewal (chargeback): state "completed", amount "-9.99", no sale_id
    const firstSale = String(first!.ppc_paypalid);
    const reversal = await control(`/_emulator/sales/${firstSale}/reverse`);
    expect(reversal).toMatchObject({ state: 'completed', amount: { total: '-9.99', currency: 'USD' } });
    expect(reversal).not.toHaveProperty('sale_id');
    const reversed = await waitFor(
      async () => {
        const [t] = await stack.admin.list<Row>(
          'ppc_paypaltransactions',
          `$filter=ppc_paypalid eq '${String(reversal.id)}'`,
        );
        return t;
      },
      30_000,
      'reversal booked',
    );
    expect(reversed).toMatchObject({
      ppc_kind: 416500003,
      _ppc_parenttransactionid_value: first!.ppc_paypaltransactionid,
    });
    expect(Number(reversed.ppc_grossamount)).toBe(9.99);
    const chargeback = await ledgerOf(String(reversal.id));
    expect(
      chargeback.some((l) => l.ppc_accountcode === '4910' && l.ppc_side === DEBIT && Number(l.ppc_amount) === 9.99),
    ).toBe(true);
    expect(imbalance(chargeback)).toEqual({ amount: 0, base: 0 });
    const sale1 = (await stack.admin.list<Row>('ppc_paypaltransactions', `$filter=ppc_paypalid eq '${firstSale}'`))[0]!;
    expect(sale1.statuscode).toBe(416500013); // Reversed
    // never booked as a completed sale of −9.99: exactly the two payments and this reversal
    const all = await stack.admin.list<Row>(
      'ppc_paypaltransactions',
      `$filter=ppc_grossamount lt 0 or ppc_paypalid eq '${String(reversal.id)}'`,
    );
    expect(all.map((t) => t.ppc_paypalid)).toEqual([String(reversal.id)]);

    // a Refund Agent refunds 4.00 of the second renewal from D365 (credit memo → webhook → proxy → PayPal v1)
    const agent = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('refundagent'));
    const [usd] = await stack.admin.list<Row>('transactioncurrencies', "$filter=isocurrencycode eq 'USD'");
    const memoId = await agent.create('ppc_creditmemos', {
      ppc_name: 'Refund 4.00 of a renewal',
      ppc_amount: 4,
      ppc_origin: 416500030,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${String(usd!.transactioncurrencyid)})`,
      'ppc_invoiceid@odata.bind': `/invoices(${String(second!._ppc_invoiceid_value)})`,
    });
    await agent.patch(`ppc_creditmemos(${memoId})`, { statuscode: 416500021 });
    const memo = await waitFor(
      async () => {
        const m = await stack.admin.get<Row>(`ppc_creditmemos(${memoId})`);
        return m.statuscode === 2 || m.statuscode === 416500022 ? m : undefined;
      },
      30_000,
      'credit memo refunded',
    );
    expect(memo).toMatchObject({ statuscode: 2, _ppc_transactionid_value: second!.ppc_paypaltransactionid });
    const refundId = String(memo.ppc_paypalrefundid);
    const sale2 = await paypal('GET', `/v1/payments/sale/${String(second!.ppc_paypalid)}`);
    expect(sale2.body).toMatchObject({ state: 'partially_refunded' });
    const refundTxn = (
      await stack.admin.list<Row>('ppc_paypaltransactions', `$filter=ppc_paypalid eq '${refundId}'`)
    )[0]!;
    expect(refundTxn).toMatchObject({
      ppc_kind: 416500002,
      _ppc_parenttransactionid_value: second!.ppc_paypaltransactionid,
    });
    expect(Number(refundTxn.ppc_grossamount)).toBe(4);
    const refundLines = await ledgerOf(refundId);
    expect(
      refundLines.some((l) => l.ppc_accountcode === '4900' && l.ppc_side === DEBIT && Number(l.ppc_amount) === 4),
    ).toBe(true);
    expect(imbalance(refundLines)).toEqual({ amount: 0, base: 0 });
    // PayPal's PAYMENT.SALE.REFUNDED that follows finds the same memo: still one memo, one refund transaction
    await fetch(new URL('/_emulator/deliveries?event_type=PAYMENT.SALE.REFUNDED&wait=1', stack.paypal.url));
    await waitFor(
      async () => {
        const { rows } = await stack.proxy.store.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM inbox_events WHERE event_type = 'PAYMENT.SALE.REFUNDED' AND status NOT IN ('processed', 'dead', 'ignored')`,
        );
        return rows[0]!.n === '0' ? true : undefined;
      },
      30_000,
      'sale refund webhooks processed',
    );
    const memos = await stack.admin.list<Row>(
      'ppc_creditmemos',
      `$filter=_ppc_transactionid_value eq ${String(second!.ppc_paypaltransactionid)}`,
    );
    expect(memos).toHaveLength(1);
    const refunds = await stack.admin.list<Row>(
      'ppc_paypaltransactions',
      `$filter=_ppc_parenttransactionid_value eq ${String(second!.ppc_paypaltransactionid)}`,
    );
    expect(refunds).toHaveLength(1);
  }, 120_000);
});

// A jump of three months at once on PayPal's clock, with every webhook of the jump lost (held by the emulator and
// released only at the end, as PayPal's retries after an outage): the proxy's token has expired on PayPal's clock
// (refreshed on the 401), and the periodic re-sync (flows/subscriptions/resync.ts, SUBSCRIPTION_RESYNC_SECONDS)
// brings the row to PayPal's state and books the three renewals; the late webhooks then change nothing.
/** PayPal has nothing in flight and the proxy has processed every event it stored. */
async function quiet(what: string) {
  await fetch(new URL('/_emulator/deliveries?wait=1', stack.paypal.url));
  await waitFor(
    async () => {
      const { rows } = await stack.proxy.store.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM inbox_events WHERE status NOT IN ('processed', 'dead', 'ignored')`,
      );
      return rows[0]!.n === '0' ? true : undefined;
    },
    30_000,
    what,
  );
}

describe("a jump of months on PayPal's clock", () => {
  it('three months at once, webhooks lost: the re-sync catches the row and the three renewals up, each booked once', async () => {
    token = await stack.paypalToken();
    const email = 'subscriber.three@example.com';
    const id = await subscribe(email, 3);
    await control(`/_emulator/subscriptions/${id}/approve`, { email, given_name: 'Jo', surname: 'Jump' });
    const row = await waitForRow(id, 'active', (r) => r.ppc_paypalstatus === 'ACTIVE' && r.ppc_cyclescompleted === 1);
    const rowId = String(row.ppc_subscriptionid);
    await waitForSales(rowId, 1);
    await quiet('activation webhooks processed'); // the jump's webhooks are the only ones left to lose

    const held = await control('/_emulator/deliveries/inject', { hold: 1000 });
    try {
      await control('/_emulator/clock/advance', { days: 92 });
    } finally {
      // stop holding what comes next (the count is what is left of the 1000)
      const left = Number((await control('/_emulator/deliveries/inject', { hold: 0 })).hold);
      await control('/_emulator/deliveries/inject', { hold: -left });
    }
    expect(Number(held.hold)).toBeGreaterThanOrEqual(1000);
    token = await stack.paypalToken();
    const inPayPal = (await paypal('GET', `/v1/billing/subscriptions/${id}`)).body as {
      billing_info: {
        cycle_executions: { tenure_type: string; cycles_completed: number }[];
        next_billing_time: string;
      };
    };
    expect(inPayPal.billing_info.cycle_executions.find((c) => c.tenure_type === 'REGULAR')!.cycles_completed).toBe(4);
    // nothing arrived: Dataverse still shows the first month
    expect(await salesOf(rowId)).toHaveLength(1);
    expect(await rowOf(id)).toMatchObject({ ppc_cyclescompleted: 1 });

    const first = await stack.proxy.subscriptionResync!.runOnce(stack.proxy.log);
    expect(first.failed).toEqual([]);
    // (other live subscriptions of this suite lost their webhooks of the jump too, and are caught up with it)
    const mine = first.booked.filter((b) => b.subscriptionId === id).map((b) => b.saleId);
    expect(mine).toHaveLength(3);
    const caughtUp = await rowOf(id);
    expect(caughtUp).toMatchObject({ ppc_cyclescompleted: 4, ppc_paypalstatus: 'ACTIVE' });
    expect(Date.parse(String(caughtUp!.ppc_nextbillingon))).toBe(Date.parse(inPayPal.billing_info.next_billing_time));
    const sales = await salesOf(rowId);
    expect(sales).toHaveLength(4);
    expect(sales.map((t) => String(t.ppc_paypalid))).toEqual(expect.arrayContaining(mine));
    for (const t of sales) expect(imbalance(await ledgerOf(String(t.ppc_paypalid)))).toEqual({ amount: 0, base: 0 });
    const invoices = await Promise.all(
      sales.map(
        async (t) => (await stack.admin.get<Row>(`invoices(${String(t._ppc_invoiceid_value)})?$select=name`)).name,
      ),
    );
    expect(new Set(invoices).size).toBe(4);

    // a second run finds nothing to book; the late webhooks (released now) book nothing again
    expect((await stack.proxy.subscriptionResync!.runOnce(stack.proxy.log)).booked).toEqual([]);
    const released = Number((await control('/_emulator/deliveries/release')).released);
    expect(released).toBeGreaterThanOrEqual(3);
    await quiet('late webhooks processed');
    expect(await salesOf(rowId)).toHaveLength(4);
    const [contact] = await stack.admin.list<Row>('contacts', `$filter=emailaddress1 eq '${email}'`);
    expect(contact).toMatchObject({ ppc_paymentcount: 4 });
  }, 120_000);
});
