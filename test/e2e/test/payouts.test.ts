// Mass payouts end to end over real HTTP: bills in the Dataverse emulator → "Build payout batch" (PayPal Finance)
// → Dataverse webhook → proxy builds and validates → the creator cannot approve → a Payout Approver approves →
// POST /v1/payments/payouts at the PayPal emulator → signed PAYMENT.PAYOUTS* webhooks → the proxy re-reads PayPal
// and books items, bills, PayPal transactions and balanced ledger lines. Polling is off here (webhooks only);
// payouts-polling.test.ts loses the webhooks on purpose.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { waitFor } from '@ppc/test-support';
import { DATAVERSE_WEBHOOK_SECRET, startLocalStack, type LocalStack } from '@ppc/stack';
import { PayoutItemStatus, TransactionKind, TransactionStatus } from '@ppc/solution';
import {
  actors,
  approveBatch,
  bill,
  buildBatch,
  cancelOpenBills,
  control,
  currencyIds,
  dataverseEventsDone,
  itemsOf,
  ledgerOf,
  paypalBatchesOf,
  paypalItemsOf,
  PayoutBatchStatus,
  ReceiverType,
  USERS,
  vendor,
  VendorBillStatus,
  waitForBatch,
  type Actors,
} from './payouts-support.ts';

type Row = Record<string, unknown>;
let stack: LocalStack;
let who: Actors;
let currencies: Record<string, string>;

beforeAll(async () => {
  stack = await startLocalStack({
    proxyEnv: {
      PAYOUT_POLL_SECONDS: '0',
      PAYPAL_TIMEOUT_MS: '1000',
      // the Payout Approver may approve up to 5,000.00 in base currency (USD)
      PAYOUT_APPROVAL_LIMITS: JSON.stringify({ [USERS.payoutapprover]: '5000' }),
    },
  });
  who = actors(stack);
  currencies = await currencyIds(stack);
}, 120_000);
afterAll(async () => {
  await stack?.close();
});
beforeEach(async () => {
  await cancelOpenBills(stack);
});

const billRow = (id: string) => stack.admin.get<Row>(`ppc_vendorbills(${id})`);
const email = (value: string) => ({ type: ReceiverType.Email, value });

async function approvedAndSubmitted(batchId: string, count: number) {
  await approveBatch(who.approver, stack, batchId);
  await waitForBatch(stack, batchId, PayoutBatchStatus.Processing);
  return waitFor(
    async () => {
      const items = (await itemsOf(stack, batchId)).filter((i) => i.statuscode === PayoutItemStatus.Pending);
      return items.length === count ? items : undefined;
    },
    30_000,
    'items pending at PayPal',
  );
}

describe('mass payouts (Dataverse → proxy → PayPal → proxy → Dataverse)', () => {
  it('6 bills → 4 valid items and 2 excluded → four-eyes → SUCCESS, UNCLAIMED then RETURNED, FAILED, BLOCKED → bills, transactions, balanced ledger', async () => {
    // An ordinary address containing "fail" is paid: outcomes come from the control API, never from the receiver.
    const acme = await vendor(stack, 'Acme Supplies', email('fail.accounts@acme.example'));
    const noReceiver = await vendor(stack, 'Nobody Pays Me Ltd');
    const eu = await vendor(stack, 'Euro Parts GmbH', email('ap@euro-parts.example'));
    const b1 = await bill(stack, currencies, { name: 'AP-1001', vendorId: acme, amount: 100, currency: 'USD' });
    const b2 = await bill(stack, currencies, {
      name: 'AP-1002',
      vendorId: acme,
      amount: 250,
      currency: 'USD',
      receiver: email('blocked.newcomer@example.com'),
    });
    const b3 = await bill(stack, currencies, { name: 'AP-1003', vendorId: eu, amount: 80, currency: 'EUR' });
    const b4 = await bill(stack, currencies, {
      name: 'AP-1004',
      vendorId: eu,
      amount: 40,
      currency: 'EUR',
      receiver: { type: ReceiverType.Phone, value: '+4915112345678' },
    });
    const b5 = await bill(stack, currencies, { name: 'AP-1005', vendorId: noReceiver, amount: 60, currency: 'USD' });
    const b6 = await bill(stack, currencies, { name: 'AP-1001', vendorId: acme, amount: 100, currency: 'USD' });

    const batchId = await buildBatch(who.finance, 'AP run 1');
    const items = await waitFor(
      async () => {
        const list = await itemsOf(stack, batchId);
        return list.length === 6 ? list : undefined;
      },
      30_000,
      'six payout items',
    );
    const valid = items.filter((i) => i.statuscode === PayoutItemStatus.New);
    const excluded = items.filter((i) => i.statuscode === PayoutItemStatus.Excluded);
    expect(valid).toHaveLength(4);
    expect(excluded).toHaveLength(2);
    expect(excluded.find((i) => i._ppc_vendorbillid_value === b5)?.ppc_errormessage).toBe(
      'the vendor has no PayPal receiver (receiver and receiver type)',
    );
    // the duplicate is one of the two AP-1001 bills, the other one is paid
    const dup = excluded.find((i) => i._ppc_vendorbillid_value !== b5)!;
    expect(dup.ppc_errormessage).toMatch(
      /^duplicate of bill AP-1001 \([0-9a-f-]{36}\) for the same vendor in this batch$/,
    );
    expect([b1, b6]).toContain(dup._ppc_vendorbillid_value);
    const paidFirst = dup._ppc_vendorbillid_value === b1 ? b6 : b1;
    const built = await waitFor(async () => {
      const b = await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`);
      return b._ppc_submittedby_value ? b : undefined;
    });
    expect(built).toMatchObject({
      statuscode: PayoutBatchStatus.PendingApproval,
      ppc_itemcount: 4,
      _ppc_submittedby_value: USERS.financeuser,
    });
    expect(built.ppc_currencytotals).toBe(
      'EUR: 2 items, 120.00 (fee estimate 2.40)\nUSD: 2 items, 350.00 (fee estimate 7.00)',
    );
    for (const b of [paidFirst, b2, b3, b4]) expect((await billRow(b)).statuscode).toBe(VendorBillStatus.InPayout);

    // The creator approves their own batch: refused, nothing sent to PayPal.
    await who.finance.patch(`ppc_payoutbatches(${batchId})`, { statuscode: PayoutBatchStatus.Approved });
    const refused = await waitFor(async () => {
      const b = await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`);
      return b.statuscode === PayoutBatchStatus.PendingApproval &&
        String(b.ppc_failurereason ?? '').includes('approval refused')
        ? b
        : undefined;
    });
    expect(refused.ppc_failurereason).toContain('the approver must differ from the requester');
    expect(refused._ppc_approvedby_value ?? null).toBeNull();
    await dataverseEventsDone(stack);
    expect(paypalBatchesOf(stack, batchId)).toEqual([]);

    // The batch warns that 2 bills are excluded: an approval that does not acknowledge it is refused.
    expect(String(refused.ppc_warnings ?? built.ppc_warnings)).toMatch(/^EXCLUDED:2 /);
    await who.approver.patch(`ppc_payoutbatches(${batchId})`, { statuscode: PayoutBatchStatus.Approved });
    const unacknowledged = await waitFor(async () => {
      const b = await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`);
      return b.statuscode === PayoutBatchStatus.PendingApproval &&
        String(b.ppc_failurereason ?? '').includes('acknowledge')
        ? b
        : undefined;
    });
    expect(unacknowledged.ppc_failurereason).toBe(
      "approval refused: the approval does not acknowledge the batch's warnings: EXCLUDED:2",
    );
    await dataverseEventsDone(stack);
    expect(paypalBatchesOf(stack, batchId)).toEqual([]);

    // Another Payout Approver approves, acknowledging the warnings: one PayPal batch per currency.
    const pending = await approvedAndSubmitted(batchId, 4);
    expect(pending).toHaveLength(4);
    expect(paypalBatchesOf(stack, batchId)).toHaveLength(2);
    const processing = await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`);
    expect(processing._ppc_approvedby_value).toBe(USERS.payoutapprover);
    expect(processing.ppc_approvedon).toBeTruthy();

    // PayPal's outcomes, per item through the control API; then PayPal processes both batches.
    const itemOfBill = async (billId: string) => {
      const list = await itemsOf(stack, batchId);
      return list.find((i) => i._ppc_vendorbillid_value === billId)!;
    };
    const outcome = { [paidFirst]: 'SUCCESS', [b2]: 'UNCLAIMED', [b3]: 'FAILED', [b4]: 'BLOCKED' };
    for (const [billId, status] of Object.entries(outcome)) {
      const it = await itemOfBill(billId);
      await control(stack, `/_emulator/payout-items/${String(it.ppc_paypalitemid)}/status`, { status });
    }
    for (const pb of paypalBatchesOf(stack, batchId)) await control(stack, `/_emulator/payouts/${pb}/process`);
    await waitFor(
      async () => ((await itemOfBill(b2)).statuscode === PayoutItemStatus.Unclaimed ? true : undefined),
      30_000,
      'the unclaimed item shown as such',
    );
    expect((await itemOfBill(b2)).ppc_errormessage).toMatch(/returns the money after 30 days/);
    expect((await billRow(b2)).statuscode).toBe(VendorBillStatus.InPayout);
    // 30 days later PayPal returns the unclaimed payout.
    const res = await fetch(new URL('/_emulator/clock/advance', stack.paypal.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms: 31 * 86_400_000 }),
    });
    expect(res.ok).toBe(true);
    const done = await waitForBatch(stack, batchId, PayoutBatchStatus.Completed);
    expect(done.ppc_paypalstatus).toBe('SUCCESS');

    // Items
    expect((await itemOfBill(paidFirst)).statuscode).toBe(PayoutItemStatus.Success);
    expect((await itemOfBill(b2)).statuscode).toBe(PayoutItemStatus.Returned);
    expect(await itemOfBill(b3)).toMatchObject({
      statuscode: PayoutItemStatus.Failed,
      ppc_errorname: 'RECEIVER_UNREGISTERED',
    });
    expect((await itemOfBill(b4)).statuscode).toBe(PayoutItemStatus.Blocked);
    // Bills: paid, or back to Open with PayPal's reason on the item
    expect((await billRow(paidFirst)).statuscode).toBe(VendorBillStatus.Paid);
    for (const b of [b2, b3, b4, b5]) expect((await billRow(b)).statuscode).toBe(VendorBillStatus.Open);
    expect((await billRow(b2))._ppc_payoutitemid_value ?? null).toBeNull();

    // PayPal transactions: the paid item (Completed) and the returned one (Reversed); none for FAILED / BLOCKED
    const txns = await stack.admin.list<Row>(
      'ppc_paypaltransactions',
      `$filter=ppc_kind eq ${TransactionKind.PayoutItem}&$select=ppc_paypalid,statuscode,ppc_grossamount,ppc_feeamount,_ppc_payoutitemid_value`,
    );
    const paidItem = await itemOfBill(paidFirst);
    const returnedItem = await itemOfBill(b2);
    const mine = txns.filter((t) =>
      [paidItem.ppc_payoutitemid, returnedItem.ppc_payoutitemid].includes(t._ppc_payoutitemid_value),
    );
    expect(
      mine
        .map((t) => [t._ppc_payoutitemid_value, t.statuscode, Number(t.ppc_grossamount), Number(t.ppc_feeamount)])
        .sort(),
    ).toEqual(
      [
        [paidItem.ppc_payoutitemid, TransactionStatus.Completed, 100, 2],
        [returnedItem.ppc_payoutitemid, TransactionStatus.Reversed, 250, 5],
      ].sort(),
    );

    // Ledger: balanced per currency; AP debited for the paid bill only; clearing credited by what left PayPal
    const ledger = await ledgerOf(stack, batchId);
    expect(ledger.imbalance).toEqual({ USD: 0 });
    expect(ledger.byPurpose).toEqual({
      'Payable:USD': 10000, // Dr AP 100.00
      'FeeExpense:USD': 700, // fees 2.00 + 5.00 (PayPal keeps the fee of the returned item)
      'HeldFunds:USD': 0, // 250.00 held while unclaimed, released when it came back
      'Clearing:USD': -10700, // Cr 100.00 + 2.00 + 250.00 + 5.00, Dr 250.00 back
    });

    // Replays change nothing: every webhook again, one more time.
    await dataverseEventsDone(stack);
    expect(paypalBatchesOf(stack, batchId)).toHaveLength(2);
    expect(paypalItemsOf(stack, batchId)).toHaveLength(4);
  });

  /** One bill of a vendor with a receiver, built into a batch and waiting for approval. */
  async function oneBillBatch(name: string) {
    const v = await vendor(stack, `${name} vendor`, email(`${name.toLowerCase().replace(/\W+/g, '.')}@vendor.example`));
    const b = await bill(stack, currencies, { name, vendorId: v, amount: 12.5, currency: 'USD' });
    const batchId = await buildBatch(who.finance, name);
    await waitFor(async () => {
      const row = await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`);
      return row._ppc_submittedby_value ? row : undefined;
    });
    return { billId: b, batchId };
  }
  const faults = async () =>
    ((await (await fetch(new URL('/_emulator/faults', stack.paypal.url))).json()) as { faults: unknown[] }).faults;

  it('submission retried after a timeout (PayPal took the first call) → one payout at PayPal', async () => {
    const { batchId, billId } = await oneBillBatch('AP-TIMEOUT');
    // PayPal answers the first POST after 2.5 s; the proxy gives up after 1 s (PAYPAL_TIMEOUT_MS) and retries
    // with the same sender_batch_id and PayPal-Request-Id.
    await control(stack, '/_emulator/faults', { route: 'POST /v1/payments/payouts', latencyMs: 2500, times: 1 });
    await approvedAndSubmitted(batchId, 1);
    expect(await faults()).toEqual([]);
    expect(paypalBatchesOf(stack, batchId)).toHaveLength(1);
    expect(paypalItemsOf(stack, batchId)).toHaveLength(1);
    for (const pb of paypalBatchesOf(stack, batchId)) await control(stack, `/_emulator/payouts/${pb}/process`);
    await waitForBatch(stack, batchId, PayoutBatchStatus.Completed);
    expect((await billRow(billId)).statuscode).toBe(VendorBillStatus.Paid);
  });

  it('submission retried after 5xx answers → one payout at PayPal', async () => {
    const { batchId, billId } = await oneBillBatch('AP-5XX');
    await control(stack, '/_emulator/faults', { route: 'POST /v1/payments/payouts', status: 503, times: 2 });
    await approvedAndSubmitted(batchId, 1);
    expect(await faults()).toEqual([]);
    expect(paypalBatchesOf(stack, batchId)).toHaveLength(1);
    expect(paypalItemsOf(stack, batchId)).toHaveLength(1);
    for (const pb of paypalBatchesOf(stack, batchId)) await control(stack, `/_emulator/payouts/${pb}/process`);
    await waitForBatch(stack, batchId, PayoutBatchStatus.Completed);
    expect((await billRow(billId)).statuscode).toBe(VendorBillStatus.Paid);
  });

  it('the same approval event delivered twice, and once more as a new operation → one payout', async () => {
    const { batchId } = await oneBillBatch('AP-TWICE');
    await approvedAndSubmitted(batchId, 1);
    await dataverseEventsDone(stack);
    const deliveries = (await (await fetch(new URL('/_emulator/webhooks', stack.dataverse.url))).json()) as {
      entity: string;
      recordId: string;
      body: Row;
    }[];
    const approval = deliveries.find(
      (d) =>
        d.entity === 'ppc_payoutbatch' &&
        d.recordId === batchId &&
        JSON.stringify(d.body.PostEntityImages).includes(String(PayoutBatchStatus.Approved)),
    );
    expect(approval).toBeDefined();
    const send = async (body: Row) => {
      const res = await fetch(`${stack.proxyUrl}/webhooks/dataverse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ppc-webhook-secret': DATAVERSE_WEBHOOK_SECRET },
        body: JSON.stringify(body),
      });
      expect(res.status).toBeLessThan(300);
    };
    // Dataverse's async retry sends the same context again; a re-run of the system job is a new operation.
    await send(approval!.body);
    await send({ ...approval!.body, OperationId: crypto.randomUUID(), RequestId: crypto.randomUUID() });
    await dataverseEventsDone(stack);
    const { rows } = await stack.proxy.store.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM inbox_events WHERE source = 'dataverse' AND payload->>'PrimaryEntityId' = $1 AND payload::text LIKE $2`,
      [batchId, `%${PayoutBatchStatus.Approved}%`],
    );
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(2); // both deliveries stored and processed
    expect(paypalBatchesOf(stack, batchId)).toHaveLength(1);
    expect(paypalItemsOf(stack, batchId)).toHaveLength(1);
  });

  it("a batch above the approver's limit is refused before PayPal; it stays Pending approval", async () => {
    const v = await vendor(stack, 'Big Invoice Vendor', email('big@vendor.example'));
    await bill(stack, currencies, { name: 'AP-BIG', vendorId: v, amount: 6000, currency: 'USD' });
    const batchId = await buildBatch(who.finance, 'AP-BIG');
    await waitFor(async () =>
      (await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`))._ppc_submittedby_value ? true : undefined,
    );
    await approveBatch(who.approver, stack, batchId);
    const refused = await waitFor(async () => {
      const b = await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`);
      return b.statuscode === PayoutBatchStatus.PendingApproval && b.ppc_failurereason ? b : undefined;
    });
    expect(refused.ppc_failurereason).toBe("approval refused: the batch total 6000.00 is above the approver's limit");
    await dataverseEventsDone(stack);
    expect(paypalBatchesOf(stack, batchId)).toEqual([]);
  });

  it('PayPal refuses the submission (422): the items fail with the reason, the bills are Open again, the batch Failed', async () => {
    const { batchId, billId } = await oneBillBatch('AP-REFUSED');
    await control(stack, '/_emulator/faults', { route: 'POST /v1/payments/payouts', status: 422, times: 1 });
    await approveBatch(who.approver, stack, batchId);
    const done = await waitForBatch(stack, batchId, PayoutBatchStatus.Failed);
    expect(done.ppc_failurereason).toMatch(/answered 422 UNPROCESSABLE_ENTITY/);
    const [item] = await itemsOf(stack, batchId);
    expect(item).toMatchObject({ statuscode: PayoutItemStatus.Failed, ppc_errorname: 'UNPROCESSABLE_ENTITY' });
    expect((await billRow(billId)).statuscode).toBe(VendorBillStatus.Open);
    expect(paypalBatchesOf(stack, batchId)).toEqual([]);
  });

  it("PayPal's duplicate sender_batch_id answer: nothing is sent again, the original payout it links to is tracked to the end", async () => {
    const { batchId, billId } = await oneBillBatch('AP-DUP-SENDER');
    // An earlier submission of this batch reached PayPal under another PayPal-Request-Id and its answer was lost.
    const [built] = await itemsOf(stack, batchId);
    const token = await stack.paypalToken();
    const res = await fetch(`${stack.paypal.url}/v1/payments/payouts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'paypal-request-id': 'lost-1' },
      body: JSON.stringify({
        sender_batch_header: { sender_batch_id: batchId },
        items: [
          {
            recipient_type: 'EMAIL',
            amount: { currency: 'USD', value: '12.50' },
            receiver: String(built!.ppc_receiver),
            sender_item_id: String(built!.ppc_payoutitemid),
          },
        ],
      }),
    });
    expect(res.status).toBe(201);
    await approveBatch(who.approver, stack, batchId);
    const b = await waitFor(async () => {
      const row = await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`);
      return row.statuscode === PayoutBatchStatus.Processing ? row : undefined;
    });
    expect(b.ppc_failurereason ?? null).toBeNull();
    await dataverseEventsDone(stack);
    expect(paypalBatchesOf(stack, batchId)).toHaveLength(1); // only the earlier one
    expect((await billRow(billId)).statuscode).toBe(VendorBillStatus.InPayout);
    // PayPal processes the original payout: its webhooks and reads end the batch like any other
    for (const pb of paypalBatchesOf(stack, batchId)) await control(stack, `/_emulator/payouts/${pb}/process`);
    await waitForBatch(stack, batchId, PayoutBatchStatus.Completed);
    expect((await billRow(billId)).statuscode).toBe(VendorBillStatus.Paid);
    expect(paypalBatchesOf(stack, batchId)).toHaveLength(1);
  });

  it('an unclaimed item cancelled from D365 ("Cancel unclaimed payout", Payout Approver; refused for an admin): returned, its bill Open, the ledger balanced, once', async () => {
    const { batchId, billId } = await oneBillBatch('AP-CANCEL');
    const [pending] = await approvedAndSubmitted(batchId, 1);
    const paypalItemId = String(pending!.ppc_paypalitemid);
    await control(stack, `/_emulator/payout-items/${paypalItemId}/status`, { status: 'UNCLAIMED' });
    await waitFor(
      async () => ((await itemsOf(stack, batchId))[0]!.statuscode === PayoutItemStatus.Unclaimed ? true : undefined),
      30_000,
      'the item unclaimed',
    );
    const itemId = String(pending!.ppc_payoutitemid);
    // The attacker's version: a System Administrator (who can write any column) presses the command: refused by
    // the proxy (not Payout Approver or PayPal Finance), nothing sent to PayPal.
    await stack.admin.patch(`ppc_payoutitems(${itemId})`, { ppc_cancelrequested: true });
    const refused = await waitFor(async () => {
      const [it] = await itemsOf(stack, batchId);
      return String(it!.ppc_errormessage ?? '').startsWith('Cancel refused') ? it : undefined;
    });
    expect(refused!.statuscode).toBe(PayoutItemStatus.Unclaimed);
    expect(paypalItemsOf(stack, batchId)).toEqual([{ id: paypalItemId, status: 'UNCLAIMED' }]);
    // "Cancel unclaimed payout" by a Payout Approver: the step → the proxy → PayPal's cancel → booked.
    await who.approver.patch(`ppc_payoutitems(${itemId})`, { ppc_cancelrequested: true });
    const item = await waitFor(async () => {
      const [it] = await itemsOf(stack, batchId);
      return it!.statuscode === PayoutItemStatus.Returned ? it : undefined;
    });
    expect(item!.statuscode).toBe(PayoutItemStatus.Returned);
    expect(paypalItemsOf(stack, batchId)).toEqual([{ id: paypalItemId, status: 'RETURNED' }]);
    expect((await billRow(billId)).statuscode).toBe(VendorBillStatus.Open);
    const ledger = await ledgerOf(stack, batchId);
    expect(ledger.imbalance).toEqual({ USD: 0 });
    expect(ledger.byPurpose).toEqual({ 'FeeExpense:USD': 25, 'HeldFunds:USD': 0, 'Clearing:USD': -25 });
    // pressed again: the proxy reads PayPal's state (RETURNED) and cancels nothing twice
    await dataverseEventsDone(stack);
    await who.approver.patch(`ppc_payoutitems(${itemId})`, { ppc_cancelrequested: true });
    await waitFor(async () => {
      const it = await stack.admin.get<Row>(`ppc_payoutitems(${itemId})`);
      return it.ppc_cancelrequested === false ? true : undefined;
    });
    await dataverseEventsDone(stack);
    expect(paypalItemsOf(stack, batchId)).toEqual([{ id: paypalItemId, status: 'RETURNED' }]);
    const { rows } = await stack.proxy.store.query<{ requested_by: string; outcome: string }>(
      `SELECT requested_by::text AS requested_by, outcome FROM payout_item_commands WHERE item_id = $1::uuid ORDER BY id`,
      [itemId],
    );
    expect(rows.map((r) => [r.requested_by, r.outcome.split(':')[0]])).toEqual([
      [USERS.admin, 'refused'],
      [USERS.payoutapprover, 'cancelled'],
      [USERS.payoutapprover, 'not-unclaimed'],
    ]);
  });

  it('a contact as vendor: its receiver checked when it is entered, its bill paid, its transaction names the contact', async () => {
    const person = await stack.admin.create('contacts', { firstname: 'Cora', lastname: 'Contractor' });
    // a receiver of the wrong form for its type: the Update step sends the change, the proxy writes why
    await stack.admin.patch(`contacts(${person})`, {
      ppc_payoutreceivertype: ReceiverType.Phone,
      ppc_payoutreceiver: 'cora at home',
    });
    const wrong = await waitFor(async () => {
      const c = await stack.admin.get<Row>(`contacts(${person})`);
      return c.ppc_payoutreceivercheck ? c : undefined;
    });
    expect(wrong.ppc_payoutreceivervalid).toBe(false);
    expect(wrong.ppc_payoutreceivercheck).toMatch(/is not a phone number/);
    await stack.admin.patch(`contacts(${person})`, {
      ppc_payoutreceivertype: ReceiverType.Email,
      ppc_payoutreceiver: 'cora@contractor.example',
    });
    await waitFor(async () =>
      (await stack.admin.get<Row>(`contacts(${person})`)).ppc_payoutreceivervalid === true ? true : undefined,
    );
    const billId = await stack.admin.create('ppc_vendorbills', {
      ppc_name: 'AP-CONTACT',
      ppc_amount: 42,
      ppc_duedate: '2026-01-01',
      'ppc_vendorcontactid@odata.bind': `/contacts(${person})`,
      'transactioncurrencyid@odata.bind': `/transactioncurrencies(${currencies.USD})`,
    });
    const batchId = await buildBatch(who.finance, 'AP-CONTACT');
    await waitFor(async () =>
      (await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`))._ppc_submittedby_value ? true : undefined,
    );
    const [pending] = await approvedAndSubmitted(batchId, 1);
    expect(pending!.ppc_receiver).toBe('cora@contractor.example');
    for (const pb of paypalBatchesOf(stack, batchId)) await control(stack, `/_emulator/payouts/${pb}/process`);
    await waitForBatch(stack, batchId, PayoutBatchStatus.Completed);
    expect((await billRow(billId)).statuscode).toBe(VendorBillStatus.Paid);
    const [txn] = await stack.admin.list<Row>(
      'ppc_paypaltransactions',
      `$select=_ppc_contactid_value,_ppc_accountid_value&$filter=_ppc_payoutitemid_value eq ${String(pending!.ppc_payoutitemid)}`,
    );
    expect(txn).toMatchObject({ _ppc_contactid_value: person, _ppc_accountid_value: null });
  });

  it('a build requested by a user without PayPal Finance is refused: back to Draft, no item, no bill touched', async () => {
    const v = await vendor(stack, 'Admin Vendor', email('admin.pick@vendor.example'));
    const b = await bill(stack, currencies, { name: 'AP-ADMIN', vendorId: v, amount: 10, currency: 'USD' });
    // A System Administrator (who can write anything) is not PayPal Finance.
    const batchId = await buildBatch(stack.admin, 'AP-ADMIN');
    const refused = await waitForBatch(stack, batchId, PayoutBatchStatus.Draft);
    expect(refused.ppc_failurereason).toBe('the user who requested the payout does not hold the PayPal Finance role');
    expect(refused._ppc_submittedby_value).toBe(USERS.admin);
    await dataverseEventsDone(stack);
    expect(await itemsOf(stack, batchId)).toEqual([]);
    expect((await billRow(b)).statuscode).toBe(VendorBillStatus.Open);
  });
});
