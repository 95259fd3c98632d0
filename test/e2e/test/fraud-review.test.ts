// Fraud scoring over real HTTP: PayPal emulator → signed webhook → proxy (scores the payment in the order-to-cash
// job, from PayPal's own answers, D365's customer and the proxy's velocity windows) → Dataverse emulator. What the
// FraudScore and PaymentStatus controls show is read with the controls' own services (pcf-controls), and the
// review is the FraudScore control's own "Mark safe" / "Confirm fraud" write as the real user → the solution's
// Update step on ppc_fraudalert → the proxy. The reviewer is the webhook's InitiatingUserId and must hold PayPal
// Finance: a System Administrator's verdict is refused and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@ppc/test-support';
import { buyerPays, dataverseAdmin, startLocalStack, type DataverseAdmin, type LocalStack } from '@ppc/stack';
import { CreditMemoStatus, FraudAlertStatus, RiskBand } from '@ppc/solution';
import { dataverseEventsDone, emulatorControl } from './support.ts';

// The controls' own services (pcf-controls/FraudScore/fraud-service.ts, PaymentStatus/payment-service.ts), loaded at
// run time: pcf-controls is not a TypeScript project of this workspace, so only the shapes used here are declared.
type Row = Record<string, unknown>;
interface DataService {
  retrieve(table: string, id: string, columns: readonly string[]): Promise<Row>;
  retrieveMultiple(table: string, query: string): Promise<Row[]>;
  update(table: string, id: string, data: Row): Promise<void>;
}
interface FormRecord {
  entityName: string;
  id: string;
}
interface FraudService {
  load(
    record: FormRecord,
  ): Promise<{ score: number; band: string; reasons: string[]; alert?: { id: string; state: string } } | null>;
  review(alertId: string, verdict: 'safe' | 'fraud', notes: string): Promise<void>;
}
interface PaymentService {
  load(record: FormRecord): Promise<{ paypalId: string; fraud?: { score: number; band: string } } | null>;
}
const controls = new URL('../../../pcf-controls/', import.meta.url).href;
const { createFraudService } = (await import(`${controls}FraudScore/fraud-service.ts`)) as {
  createFraudService(data: DataService): FraudService;
};
const { createPaymentService } = (await import(`${controls}PaymentStatus/payment-service.ts`)) as {
  createPaymentService(data: DataService): PaymentService;
};

const USERS = { admin: '5f0c7a6e-0000-4000-8000-000000000002', financeuser: '5f0c7a6e-0000-4000-8000-000000000006' };

let stack: LocalStack;
let starting: Promise<LocalStack> | undefined;
let token: string;
let finance: DataverseAdmin;

beforeAll(async () => {
  starting = startLocalStack();
  stack = await starting;
  token = await stack.paypalToken();
  finance = dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('financeuser'));
}, 120_000);
afterAll(async () => {
  await (await starting?.catch(() => undefined))?.close();
});

/** The controls' DataService over the Web API as one user (what context.webAPI does in the browser). */
function controlData(user: DataverseAdmin): DataService {
  const set = (table: string) => (table.endsWith('y') ? `${table.slice(0, -1)}ies` : `${table}s`);
  return {
    retrieve: (table, id, columns) => user.get<Row>(`${set(table)}(${id})?$select=${columns.join(',')}`),
    retrieveMultiple: (table, query) => user.list<Row>(set(table), query),
    update: (table, id, data) => user.patch(`${set(table)}(${id})`, data),
  };
}

let n = 0;
const L = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
async function capture(
  value: string,
  shipping: { country_code: string; address_line_1: string; postal_code: string },
  payer?: { payer_id: string; email: string },
) {
  n += 1;
  const purchase = await buyerPays(stack.paypal.url, token, {
    currency: 'USD',
    items: [{ sku: 'SKU-MUG', name: 'Coffee mug', quantity: 1, unitValue: value }],
    payer: payer ?? {
      payer_id: `FRAUDBUYER2${L[Math.floor(n / 24) % 24]}${L[n % 24]}`,
      email: `fraud.buyer${n}@example.com`,
    },
    shipping,
  });
  const txn = await waitFor(
    async () => {
      const [t] = await stack.admin.list<Row>(
        'ppc_paypaltransactions',
        `$filter=ppc_paypalid eq '${purchase.captureId}' and statuscode eq 416500010`,
      );
      return t;
    },
    30_000,
    `capture ${purchase.captureId} recorded`,
  );
  const txnId = String(txn.ppc_paypaltransactionid);
  const orderId = String(txn._ppc_salesorderid_value);
  return { captureId: purchase.captureId, txn, txnId, orderId, invoiceId: String(txn._ppc_invoiceid_value) };
}
/** A series' value on the proxy's /metrics (0 when absent). */
async function metricValue(series: string): Promise<number> {
  const text = await (await fetch(`${stack.proxyUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
const risky = (value = '2500.00') =>
  capture(value, { country_code: 'NG', address_line_1: '12 Marina Road', postal_code: '101001' });
const order = (id: string) => stack.admin.get<Row>(`salesorders(${id})`);
const alertsOf = (txnId: string) =>
  stack.admin.list<Row>('ppc_fraudalerts', `$filter=_ppc_transactionid_value eq ${txnId}`);
const labelOf = async (paypalId: string) =>
  (
    await stack.proxy.store.query<{ label: number; reviewer: string }>(
      `SELECT label, reviewer::text AS reviewer FROM fraud_labels WHERE paypal_id = $1`,
      [paypalId],
    )
  ).rows[0];

describe('fraud scoring and review (PayPal → proxy → Dataverse → review webhook → proxy)', () => {
  it('a risky capture: order on hold, alert with reasons the controls show; Mark safe by PayPal Finance releases it and stores the label', async () => {
    const c = await risky();
    // The score and reasons are on the transaction, the order has the score and is on hold, an alert exists.
    expect(Number(c.txn.ppc_fraudscore)).toBeGreaterThanOrEqual(70);
    expect(c.txn.ppc_riskband).toBe(RiskBand.High);
    const reasons = JSON.parse(String(c.txn.ppc_fraudreasons)) as {
      code: string;
      reason: string;
      contribution: number;
    }[];
    expect(reasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['FIRST_PURCHASE_HIGH_VALUE', 'COUNTRY_MISMATCH']),
    );
    expect(reasons.every((r) => r.contribution > 0 && r.reason.length > 0)).toBe(true);
    expect(await order(c.orderId)).toMatchObject({ ppc_fraudhold: true, ppc_fraudscore: c.txn.ppc_fraudscore });
    const [alert] = await alertsOf(c.txnId);
    expect(alert).toMatchObject({
      ppc_alertkey: `fraud|${c.captureId}`,
      statuscode: FraudAlertStatus.New,
      _ppc_salesorderid_value: c.orderId,
      ppc_score: c.txn.ppc_fraudscore,
    });
    const alertId = String(alert!.ppc_fraudalertid);

    // What the controls show on the order form, read by their own services as the finance user.
    const data = controlData(finance);
    const fraudView = await createFraudService(data).load({ entityName: 'salesorder', id: c.orderId });
    expect(fraudView).toMatchObject({
      score: Number(c.txn.ppc_fraudscore),
      band: 'high',
      alert: { id: alertId, state: 'new' },
    });
    // the scorer's codes: the control reads each code's text from its resx in the user's language
    expect(fraudView!.reasons).toEqual(reasons.map((r) => r.code));
    const paymentView = await createPaymentService(data).load({ entityName: 'salesorder', id: c.orderId });
    expect(paymentView).toMatchObject({
      paypalId: c.captureId,
      fraud: { score: Number(c.txn.ppc_fraudscore), band: 'high' },
    });

    // The attacker's version: a System Administrator (no PayPal Finance) marks it safe → refused, still on hold.
    await createFraudService(controlData(stack.admin)).review(alertId, 'safe', 'looks fine to me');
    await waitFor(
      async () => {
        const a = await stack.admin.get<Row>(`ppc_fraudalerts(${alertId})`);
        return a.statuscode === FraudAlertStatus.UnderReview ? a : undefined;
      },
      30_000,
      'refused review back to Under Review',
    );
    await dataverseEventsDone(stack);
    expect((await order(c.orderId)).ppc_fraudhold).toBe(true);
    expect(await labelOf(c.captureId)).toBeUndefined();
    expect(String((await stack.admin.get<Row>(`ppc_fraudalerts(${alertId})`)).ppc_reviewnotes)).toMatch(
      /does not hold the PayPal Finance role/,
    );

    // PayPal Finance clicks Mark safe in the FraudScore control.
    await createFraudService(data).review(alertId, 'safe', 'called the customer: genuine gift to family');
    await waitFor(
      async () => ((await order(c.orderId)).ppc_fraudhold === false ? true : undefined),
      30_000,
      'hold released',
    );
    const reviewed = await stack.admin.get<Row>(`ppc_fraudalerts(${alertId})`);
    expect(reviewed).toMatchObject({
      statuscode: FraudAlertStatus.MarkedSafe,
      _ppc_reviewedby_value: USERS.financeuser,
      ppc_reviewnotes: 'called the customer: genuine gift to family',
    });
    expect(reviewed.ppc_reviewedon).toBeTruthy();
    await waitFor(async () => labelOf(c.captureId), 10_000, 'label stored');
    expect(await labelOf(c.captureId)).toEqual({ label: 0, reviewer: USERS.financeuser });
  });

  it('a clean capture is scored low and not held, with no alert', async () => {
    const c = await capture('25.00', { country_code: 'US', address_line_1: '1 Main St', postal_code: '95131' });
    expect(Number(c.txn.ppc_fraudscore)).toBeLessThan(30);
    expect(c.txn.ppc_riskband).toBe(RiskBand.Low);
    expect(await order(c.orderId)).toMatchObject({ ppc_fraudhold: false, ppc_fraudscore: c.txn.ppc_fraudscore });
    expect(await alertsOf(c.txnId)).toEqual([]);
    const view = await createFraudService(controlData(finance)).load({ entityName: 'salesorder', id: c.orderId });
    expect(view).toMatchObject({ band: 'low' });
    expect(view!.reasons).not.toContain('First purchase of this customer, at a high value');
    expect(view!.alert).toBeUndefined();
  });

  it("a customer's dispute counts once in the proxy (and in ppc_disputes_opened_total); their next payment carries HIGH_DISPUTE_RATIO", async () => {
    const home = { country_code: 'US', address_line_1: '7 Elm St', postal_code: '95131' };
    const payer = { payer_id: 'DSPVTERBVYER2', email: 'disputer@example.com' };
    const first = await capture('40.00', home, payer);
    expect(JSON.stringify(first.txn.ppc_fraudreasons ?? '')).not.toContain('HIGH_DISPUTE_RATIO');
    const metric = () => metricValue('ppc_disputes_opened_total{stage="INQUIRY"}');
    const before = await metric();
    // the buyer opens a dispute at PayPal: CUSTOMER.DISPUTE.CREATED → the dispute flow books it
    const opened = await emulatorControl(stack, '/_emulator/disputes', {
      capture_id: first.captureId,
      reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
      amount: '40.00',
    });
    const disputeId = String(opened.dispute_id ?? opened.id);
    await waitFor(
      async () => {
        const { rows } = await stack.proxy.store.query(`SELECT 1 FROM fraud_disputes WHERE dispute_id = $1`, [
          disputeId,
        ]);
        return rows.length ? true : undefined;
      },
      30_000,
      `dispute ${disputeId} recorded by the proxy`,
    );
    // escalated to a chargeback: the same dispute, still counted once
    await emulatorControl(stack, `/_emulator/disputes/${disputeId}/escalate`, {});
    await waitFor(
      async () => {
        const [d] = await stack.admin.list<Row>('ppc_disputes', `$filter=ppc_paypaldisputeid eq '${disputeId}'`);
        return d && d.ppc_stage !== 416500070 ? d : undefined;
      },
      30_000,
      'dispute escalated in Dataverse',
    );
    expect(await metric()).toBe(before + 1);
    const { rows } = await stack.proxy.store.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM fraud_disputes WHERE paypal_id = $1`,
      [first.captureId],
    );
    expect(rows[0]!.n).toBe('1');

    // the same customer buys again: one dispute on one earlier payment → dispute ratio 1/2, the top reason
    const second = await capture('40.00', home, payer);
    const reasons = JSON.parse(String(second.txn.ppc_fraudreasons)) as { code: string; value: number }[];
    expect(reasons[0]).toMatchObject({ code: 'HIGH_DISPUTE_RATIO', value: 0.5 });
    expect(Number(second.txn.ppc_fraudscore)).toBeGreaterThan(Number(first.txn.ppc_fraudscore));
    // the control shows it in the user's language (its resx has the code)
    const view = await createFraudService(controlData(finance)).load({ entityName: 'salesorder', id: second.orderId });
    expect(view!.reasons).toContain('HIGH_DISPUTE_RATIO');
  });

  it('Confirm fraud keeps the hold and opens a Draft credit memo for the refund path (no money moves), label 1', async () => {
    const c = await risky('3100.00');
    const [alert] = await alertsOf(c.txnId);
    await createFraudService(controlData(finance)).review(
      String(alert!.ppc_fraudalertid),
      'fraud',
      'card owner disputes',
    );
    const memo = await waitFor(
      async () => (await stack.admin.list<Row>('ppc_creditmemos', `$filter=_ppc_transactionid_value eq ${c.txnId}`))[0],
      30_000,
      'credit memo for the confirmed fraud',
    );
    expect(memo).toMatchObject({ statuscode: CreditMemoStatus.Draft, _ppc_invoiceid_value: c.invoiceId });
    expect(Number(memo.ppc_amount)).toBe(3100);
    expect(String(memo.ppc_reason)).toMatch(/Confirmed fraud.*card owner disputes/);
    expect((await order(c.orderId)).ppc_fraudhold).toBe(true);
    await waitFor(async () => labelOf(c.captureId), 10_000, 'label stored');
    expect(await labelOf(c.captureId)).toEqual({ label: 1, reviewer: USERS.financeuser });
    // Nothing was refunded: the memo waits for a Refund Agent's request (four-eyes, refund-request flow).
    const events = (await (await fetch(new URL('/_emulator/events', stack.paypal.url))).json()) as {
      events: { event_type: string }[];
    };
    expect(events.events.filter((e) => e.event_type === 'PAYMENT.CAPTURE.REFUNDED')).toEqual([]);
  });

  // last: the Confirm fraud test asserts no refund event exists
  it('a refund booked from PayPal counts once in ppc_refunds_booked_total (the refund-rate spike rule)', async () => {
    const c = await capture('60.00', { country_code: 'US', address_line_1: '9 Oak St', postal_code: '95131' });
    const before = await metricValue('ppc_refunds_booked_total{kind="refund"}');
    const res = await fetch(new URL(`/v2/payments/captures/${c.captureId}/refund`, stack.paypal.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'paypal-request-id': `fraud-refund-${c.captureId}`,
      },
      body: JSON.stringify({ amount: { currency_code: 'USD', value: '20.00' } }),
    });
    expect(res.status).toBe(201);
    const refundId = String(((await res.json()) as Row).id);
    await waitFor(
      async () => {
        const [t] = await stack.admin.list<Row>('ppc_paypaltransactions', `$filter=ppc_paypalid eq '${refundId}'`);
        return t;
      },
      30_000,
      `refund ${refundId} booked`,
    );
    await waitFor(
      async () => ((await metricValue('ppc_refunds_booked_total{kind="refund"}')) === before + 1 ? true : undefined),
      10_000,
      'refund counted',
    );
  });
});
