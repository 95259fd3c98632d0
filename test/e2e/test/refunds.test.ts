// Refunds over real HTTP: refunds started in PayPal or in D365 (credit memo → Dataverse webhook → proxy → PayPal),
// disputes and reversals through the PayPal emulator's control API, and the ledger/refund invariants.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@ppc/test-support';
import {
  buyerPays,
  dataverseAdmin,
  setEnvironmentVariable,
  startLocalStack,
  type DataverseAdmin,
  type LocalStack,
} from '@ppc/stack';
import { emulatorControl } from './support.ts';

let stack: LocalStack;
let starting: Promise<LocalStack> | undefined;
let token: string;
let agent: DataverseAdmin;
let sales: DataverseAdmin;
let usd: string;
const USERS = {
  admin: '5f0c7a6e-0000-4000-8000-000000000002',
  refundagent: '5f0c7a6e-0000-4000-8000-000000000004',
};

beforeAll(async () => {
  starting = startLocalStack();
  stack = await starting;
  token = await stack.paypalToken();
  agent = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('refundagent'));
  sales = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('salesuser'));
  // Before the first flow reads (and caches) the reference data.
  await setEnvironmentVariable(stack.admin, 'ppc_RefundApprovalThreshold', '100');
  const [c] = await stack.admin.list<Row>(
    'transactioncurrencies',
    "$filter=isocurrencycode eq 'USD'&$select=transactioncurrencyid",
  );
  usd = String(c!.transactioncurrencyid);
}, 120_000);
afterAll(async () => {
  // A start that outlived its hook's timeout is awaited and closed here too: it would keep jest alive.
  await (await starting?.catch(() => undefined))?.close();
});

type Row = Record<string, unknown>;
const DEBIT = 416500260;
const txnOf = (paypalId: string) =>
  stack.admin.list<Row>('ppc_paypaltransactions', `$filter=ppc_paypalid eq '${paypalId}'`).then((r) => r[0]);
const waitForTxn = (paypalId: string, statuscode: number) =>
  waitFor(
    async () => {
      const t = await txnOf(paypalId);
      return t && t.statuscode === statuscode ? t : undefined;
    },
    30_000,
    `transaction ${paypalId} with status ${statuscode}`,
  );
const memosOf = (captureTxnId: string) =>
  stack.admin.list<Row>('ppc_creditmemos', `$filter=_ppc_transactionid_value eq ${captureTxnId}`);
const refundsOf = (captureTxnId: string) =>
  stack.admin.list<Row>('ppc_paypaltransactions', `$filter=_ppc_parenttransactionid_value eq ${captureTxnId}`);
const ledgerOf = (sourceId: string) =>
  stack.admin.list<Row>('ppc_ledgerentries', `$filter=ppc_sourceid eq '${sourceId}'&$orderby=ppc_lineno`);

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

let n = 0;
const L = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const payerIdFor = (k: number) => `REFUNDBUYER${L[Math.floor(k / 24) % 24]}${L[k % 24]}`;
async function paidCapture(value = '40.00') {
  n += 1;
  const purchase = await buyerPays(stack.paypal.url, token, {
    currency: 'USD',
    items: [{ sku: 'SKU-MUG', name: 'Coffee mug', quantity: 1, unitValue: value }],
    payer: { payer_id: payerIdFor(n), email: `refund.buyer${n}@example.com` },
  });
  const txn = await waitForTxn(purchase.captureId, 416500010);
  return { ...purchase, txn, txnId: String(txn.ppc_paypaltransactionid), invoiceId: String(txn._ppc_invoiceid_value) };
}

/** Σ debit − Σ credit in payment currency and in base, over ledger lines. */
function imbalance(lines: Row[]) {
  const sum = { amount: 0, base: 0 };
  for (const l of lines) {
    const s = l.ppc_side === DEBIT ? 1 : -1;
    sum.amount = Math.round((sum.amount + s * Number(l.ppc_amount)) * 1e4) / 1e4;
    sum.base = Math.round((sum.base + s * Number(l.ppc_baseamount ?? 0)) * 1e4) / 1e4;
  }
  return sum;
}

describe('refund started in PayPal', () => {
  it('creates one Refunded credit memo linked to invoice and capture, the refund transaction and reversing lines', async () => {
    const c = await paidCapture('40.00');
    const refund = await paypal(
      'POST',
      `/v2/payments/captures/${c.captureId}/refund`,
      { amount: { currency_code: 'USD', value: '15.00' } },
      { 'paypal-request-id': `r-${c.captureId}` },
    );
    expect(refund.status).toBe(201);
    const refundId = String(refund.body.id);
    const rt = await waitForTxn(refundId, 416500010);
    expect(rt).toMatchObject({
      ppc_kind: 416500002,
      _ppc_parenttransactionid_value: c.txnId,
      _ppc_invoiceid_value: c.invoiceId,
      ppc_captureid: c.captureId,
    });
    expect(Number(rt.ppc_grossamount)).toBe(15);
    const memos = await memosOf(c.txnId);
    expect(memos).toHaveLength(1);
    expect(memos[0]).toMatchObject({
      statecode: 1,
      statuscode: 2,
      ppc_origin: 416500031,
      ppc_paypalrefundid: refundId,
      _ppc_invoiceid_value: c.invoiceId,
      _ppc_refundtransactionid_value: rt.ppc_paypaltransactionid,
    });
    const lines = await ledgerOf(refundId);
    expect(lines.map((l) => [l.ppc_side === DEBIT ? 'Dr' : 'Cr', l.ppc_accountcode])).toEqual([
      ['Cr', '1010-USD'],
      ['Cr', '6100'],
      ['Dr', '4900'],
    ]);
    expect(imbalance(lines)).toEqual({ amount: 0, base: 0 });
    const capture = await txnOf(c.captureId);
    expect(capture).toMatchObject({ statuscode: 416500011 });
    expect(Number(capture!.ppc_refundedamount)).toBe(15);
    const invoice = await stack.admin.get<Row>(`invoices(${c.invoiceId})?$select=ppc_refundedamount,ppc_paymentstatus`);
    expect(invoice).toMatchObject({ ppc_paymentstatus: 416500293 });
    expect(Number(invoice.ppc_refundedamount)).toBe(15);
    const [contact] = await stack.admin.list<Row>('contacts', `$filter=ppc_paypalpayerid eq '${payerIdFor(n)}'`);
    expect(contact).toMatchObject({ ppc_refundcount: 1 });
    expect(Number(contact!.ppc_totalrefundedbase)).toBe(15);
    expect(Number(contact!.ppc_refundratio)).toBe(0.375);
  });
});

describe('refund of a Paid invoice under the specialized-update rule', () => {
  // Dataverse applies the other columns of an update before its state change
  // (learn.microsoft.com/power-apps/developer/data-platform/special-update-operation-behavior), and a Paid
  // invoice is read-only; the emulator rejects an edit in the request that reactivates it, so this passes
  // only when the refund reactivates, edits and closes the invoice as separate operations.
  it('books the refund on the Paid invoice and leaves it Paid', async () => {
    const c = await paidCapture('30.00');
    const before = await stack.admin.get<Row>(
      `invoices(${c.invoiceId})?$select=statecode,statuscode,ppc_paymentstatus`,
    );
    expect(before).toMatchObject({ statecode: 2, ppc_paymentstatus: 416500292 });
    const refund = await paypal(
      'POST',
      `/v2/payments/captures/${c.captureId}/refund`,
      { amount: { currency_code: 'USD', value: '30.00' } },
      { 'paypal-request-id': `paid-${c.captureId}` },
    );
    expect(refund.status).toBe(201);
    await waitForTxn(String(refund.body.id), 416500010);
    const invoice = await stack.admin.get<Row>(
      `invoices(${c.invoiceId})?$select=statecode,statuscode,ppc_refundedamount,ppc_paymentstatus`,
    );
    // still Paid (closed again), now Refunded in full
    expect(invoice).toMatchObject({ statecode: 2, statuscode: before.statuscode, ppc_paymentstatus: 416500294 });
    expect(Number(invoice.ppc_refundedamount)).toBe(30);
  });
});

describe('disputes and reversals', () => {
  it('follows a dispute open → update → resolve; the buyer-favour reversal posts chargeback lines and an alert', async () => {
    const c = await paidCapture('30.00');
    const opened = await control('/_emulator/disputes', {
      capture_id: c.captureId,
      reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
      amount: '30.00',
    });
    const disputeId = String(opened.dispute_id ?? opened.id);
    const disputeRow = (status: string) =>
      waitFor(
        async () => {
          const [d] = await stack.admin.list<Row>('ppc_disputes', `$filter=ppc_paypaldisputeid eq '${disputeId}'`);
          return d && d.ppc_paypalstatus === status ? d : undefined;
        },
        30_000,
        `dispute ${disputeId} ${status}`,
      );
    const d1 = await disputeRow(String(opened.status ?? 'WAITING_FOR_SELLER_RESPONSE'));
    expect(d1).toMatchObject({
      ppc_reason: 416500060,
      ppc_stage: 416500070,
      statecode: 0,
      _ppc_transactionid_value: c.txnId,
    });
    expect(Number(d1.ppc_disputedamount)).toBe(30);
    const held = await txnOf(c.captureId);
    expect(held).toMatchObject({ ppc_disputed: true });
    expect(Number(held!.ppc_heldamount)).toBe(30);

    await control(`/_emulator/disputes/${disputeId}/escalate`);
    const d2 = await waitFor(
      async () => {
        const [d] = await stack.admin.list<Row>('ppc_disputes', `$filter=ppc_paypaldisputeid eq '${disputeId}'`);
        return d && d.ppc_stage === 416500071 ? d : undefined;
      },
      30_000,
      'dispute escalated to chargeback',
    );
    expect(d2.statecode).toBe(0);

    await control(`/_emulator/disputes/${disputeId}/resolve`, { outcome: 'RESOLVED_BUYER_FAVOUR' });
    const d3 = await disputeRow('RESOLVED');
    expect(d3).toMatchObject({ statecode: 1, statuscode: 2, ppc_outcome: 416500080 });
    const reversed = await waitForTxn(c.captureId, 416500013);
    expect(reversed).toMatchObject({ ppc_disputed: false });
    const [reversal] = await stack.admin.list<Row>(
      'ppc_paypaltransactions',
      `$filter=_ppc_parenttransactionid_value eq ${c.txnId} and ppc_kind eq 416500003`,
    );
    expect(reversal).toBeDefined();
    const lines = await ledgerOf(String(reversal!.ppc_paypalid));
    expect(lines.some((l) => l.ppc_accountcode === '4910' && l.ppc_side === DEBIT && Number(l.ppc_amount) === 30)).toBe(
      true,
    );
    expect(imbalance(lines)).toEqual({ amount: 0, base: 0 });
    const [alert] = await stack.admin.list<Row>(
      'ppc_fraudalerts',
      `$filter=ppc_alertkey eq 'reversal:${String(reversal!.ppc_paypalid)}'`,
    );
    expect(alert).toMatchObject({ ppc_alerttype: 416500201 });
    const invoice = await stack.admin.get<Row>(`invoices(${c.invoiceId})?$select=ppc_paymentstatus`);
    expect(invoice.ppc_paymentstatus).toBe(416500296);
  });
});

// ── refunds started in D365 ─────────────────────────────────────────────────────────────────────────
const REFUND_REQUESTED = 416500021;
const memo = (id: string) => stack.admin.get<Row>(`ppc_creditmemos(${id})`);
async function draftMemo(invoiceId: string, amount: number, by: DataverseAdmin = agent) {
  return by.create('ppc_creditmemos', {
    ppc_name: `Refund ${amount}`,
    ppc_amount: amount,
    ppc_origin: 416500030,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${usd})`,
    'ppc_invoiceid@odata.bind': `/invoices(${invoiceId})`,
  });
}
const request = (id: string, by: DataverseAdmin = agent, extra: Row = {}) =>
  by.patch(`ppc_creditmemos(${id})`, { statuscode: REFUND_REQUESTED, ...extra });
const waitForMemo = (id: string, statuscode: number, what = '') =>
  waitFor(
    async () => {
      const m = await memo(id);
      return m.statuscode === statuscode && (!what || String(m.ppc_failurereason ?? '').includes(what)) ? m : undefined;
    },
    30_000,
    `credit memo ${id} with status ${statuscode} ${what}`,
  );
const paypalRefundsOf = async (captureId: string) =>
  ((await paypal('GET', `/v2/payments/captures/${captureId}`)).body.status as string) ?? '';
/** Every PAYMENT.CAPTURE.REFUNDED webhook the emulator sent has been processed by the proxy. */
async function refundWebhooksDone() {
  await fetch(new URL('/_emulator/deliveries?event_type=PAYMENT.CAPTURE.REFUNDED&wait=1', stack.paypal.url));
  await waitFor(
    async () => {
      const { rows } = await stack.proxy.store.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM inbox_events WHERE event_type = 'PAYMENT.CAPTURE.REFUNDED' AND status NOT IN ('processed', 'dead', 'ignored')`,
      );
      return rows[0]!.n === '0' ? true : undefined;
    },
    30_000,
    'refund webhooks processed',
  );
}

describe('refund started in D365 (credit memo → Dataverse webhook → proxy → PayPal)', () => {
  it("partial refunds up to the full amount; still one memo per refund after PayPal's webhooks", async () => {
    const c = await paidCapture('40.00');
    const m1 = await draftMemo(c.invoiceId, 10);
    await request(m1);
    const done1 = await waitForMemo(m1, 2);
    expect(done1).toMatchObject({
      statecode: 1,
      ppc_origin: 416500030,
      _ppc_transactionid_value: c.txnId,
      _ppc_requestedby_value: USERS.refundagent,
    });
    expect(String(done1.ppc_paypalrefundid)).toMatch(/^[0-9A-Z]{17}$/);
    expect((await txnOf(c.captureId))!.statuscode).toBe(416500011);
    const m2 = await draftMemo(c.invoiceId, 30);
    await request(m2);
    await waitForMemo(m2, 2);
    expect(await paypalRefundsOf(c.captureId)).toBe('REFUNDED');
    const capture = await txnOf(c.captureId);
    expect(capture).toMatchObject({ statuscode: 416500012 });
    expect(Number(capture!.ppc_refundedamount)).toBe(40);
    await refundWebhooksDone();
    const memos = await memosOf(c.txnId);
    expect(memos.map((m) => m.ppc_creditmemoid).sort()).toEqual([m1, m2].sort());
    expect(await refundsOf(c.txnId)).toHaveLength(2);
    const invoice = await stack.admin.get<Row>(`invoices(${c.invoiceId})?$select=ppc_refundedamount,ppc_paymentstatus`);
    expect(invoice).toMatchObject({ ppc_paymentstatus: 416500294 });
    expect(Number(invoice.ppc_refundedamount)).toBe(40);
  });

  it('rejects an over-refund before PayPal is called', async () => {
    const c = await paidCapture('20.00');
    const m = await draftMemo(c.invoiceId, 25);
    await request(m);
    const failed = await waitForMemo(m, 416500022);
    expect(String(failed.ppc_failurereason)).toContain('exceeds the refundable 20.00');
    expect(failed.ppc_paypalrefundid ?? null).toBeNull();
    expect(await paypalRefundsOf(c.captureId)).toBe('COMPLETED');
  });

  it('shows a PayPal 422 on the memo (Failed, PayPal issue and debug id), not retried', async () => {
    const c = await paidCapture('20.00');
    await control('/_emulator/disputes', {
      capture_id: c.captureId,
      reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
      amount: '20.00',
    });
    const m = await draftMemo(c.invoiceId, 5);
    await request(m);
    const failed = await waitForMemo(m, 416500022);
    expect(String(failed.ppc_paypalerror)).toMatch(/^[A-Z_]+$/);
    expect(String(failed.ppc_failurereason)).toContain('422');
    expect(failed.ppc_paypaldebugid).toBeTruthy();
    expect(await paypalRefundsOf(c.captureId)).toBe('COMPLETED');
  });

  it('a sales user cannot request a refund; a user without Refund Agent is refused by the proxy', async () => {
    const c = await paidCapture('20.00');
    const m = await draftMemo(c.invoiceId, 5);
    await expect(request(m, sales)).rejects.toThrow(/403/);
    expect((await memo(m)).statuscode).toBe(1);
    await request(m, stack.admin); // System Administrator: Dataverse lets it write, the proxy checks the role
    const failed = await waitForMemo(m, 416500022);
    expect(String(failed.ppc_failurereason)).toContain('Refund Agent');
    expect(await paypalRefundsOf(c.captureId)).toBe('COMPLETED');
  });

  it('PayPal 503 and 429 on the refund call are retried with the same request id: one refund', async () => {
    const c = await paidCapture('20.00');
    await control('/_emulator/faults', { route: 'POST /v2/payments/captures/*/refund', status: 503, times: 2 });
    await control('/_emulator/faults', {
      route: 'POST /v2/payments/captures/*/refund',
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });
    const m = await draftMemo(c.invoiceId, 7);
    await request(m);
    const done = await waitForMemo(m, 2);
    expect(await paypalRefundsOf(c.captureId)).toBe('PARTIALLY_REFUNDED');
    const refunds = await refundsOf(c.txnId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.ppc_paypalid).toBe(done.ppc_paypalrefundid);
    expect(Number((await txnOf(c.captureId))!.ppc_refundedamount)).toBe(7);
    await fetch(new URL('/_emulator/faults', stack.paypal.url), { method: 'DELETE' });
  });

  it('two requests racing on one capture never refund more than captured', async () => {
    const c = await paidCapture('40.00');
    const a = await draftMemo(c.invoiceId, 25);
    const b = await draftMemo(c.invoiceId, 25);
    await Promise.all([request(a), request(b)]);
    const states = await Promise.all(
      [a, b].map((id) =>
        waitFor(
          async () => {
            const m = await memo(id);
            return m.statuscode === 2 || m.statuscode === 416500022 ? m.statuscode : undefined;
          },
          30_000,
          `memo ${id} final`,
        ),
      ),
    );
    expect(states.sort()).toEqual([2, 416500022]);
    expect(await paypalRefundsOf(c.captureId)).toBe('PARTIALLY_REFUNDED');
    expect(Number((await txnOf(c.captureId))!.ppc_refundedamount)).toBe(25);
  });
});

describe('invariants over every scenario above', () => {
  it('debits equal credits per currency (and in base); refunds per capture never exceed the capture', async () => {
    await refundWebhooksDone();
    const lines = await stack.admin.list<Row>(
      'ppc_ledgerentries',
      '$select=ppc_side,ppc_amount,ppc_baseamount,_transactioncurrencyid_value',
    );
    expect(lines.length).toBeGreaterThan(20);
    const byCurrency = new Map<string, Row[]>();
    for (const l of lines)
      byCurrency.set(String(l._transactioncurrencyid_value), [
        ...(byCurrency.get(String(l._transactioncurrencyid_value)) ?? []),
        l,
      ]);
    for (const group of byCurrency.values()) expect(imbalance(group)).toEqual({ amount: 0, base: 0 });
    const txns = await stack.admin.list<Row>(
      'ppc_paypaltransactions',
      '$select=ppc_paypaltransactionid,ppc_kind,ppc_grossamount,ppc_refundedamount,_ppc_parenttransactionid_value',
    );
    const captures = txns.filter((t) => t.ppc_kind === 416500000);
    for (const cap of captures) {
      const children = txns.filter((t) => t._ppc_parenttransactionid_value === cap.ppc_paypaltransactionid);
      const refunded = children.reduce((s, t) => s + Math.round(Number(t.ppc_grossamount) * 100), 0);
      expect(refunded).toBeLessThanOrEqual(Math.round(Number(cap.ppc_grossamount) * 100));
      expect(Math.round(Number(cap.ppc_refundedamount ?? 0) * 100)).toBe(refunded);
    }
  });
});
