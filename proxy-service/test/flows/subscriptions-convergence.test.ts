// Must show 2 of issue #19: the events of one subscription's life (CREATED, ACTIVATED, the payments, a failed
// payment, SUSPENDED…) delivered in order once, and delivered out of order and twice, leave the same rows in
// Dataverse: the subscription row, the payments' transactions, invoices and ledger lines, the customer's totals.
// Two Dataverse emulators, one PayPal emulator whose real events (emu.state.events) are handed to the
// subscription flows exactly as the job queue would (actionFor → handler).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '@ppc/dataverse-emulator';
import { DunningNotice } from '@ppc/solution';
import { createServer as createPayPal, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@ppc/paypal-emulator';
import type { PayPalEmulator } from '@ppc/paypal-emulator';
import type { DataversePort } from '../../src/adapters/dataverse/types.ts';
import { createPayPalClient, type PayPalClient } from '../../src/adapters/paypal/index.ts';
import { actionFor } from '../../src/flows/event-actions.ts';
import type { HandlerContext, Handlers } from '../../src/flows/handlers.ts';
import { KeyedLocks, paymentLock } from '../../src/flows/keyed-locks.ts';
import { dataverseReferenceData } from '../../src/flows/reference-data.ts';
import { subscriptionFlows } from '../../src/flows/subscriptions/index.ts';
import { subscriptionResync } from '../../src/flows/subscriptions/resync.ts';
import { createLogger } from '../../src/logger.ts';
import { clientFor, seedMinimalGlAccounts, startEmulator } from '../adapters/dataverse/emulator-client.ts';

type Row = Record<string, unknown>;
type Event = { id: string; event_type: string; resource: Row };
const PRODUCT = 'STREAM-BASIC';
let paypalEmu: PayPalEmulator;
let paypal: PayPalClient;
const dataverses: DataverseEmulator[] = [];
let events: Event[] = [];
let subscriptionId: string;

async function prepareDataverse(): Promise<{
  emu: DataverseEmulator;
  port: DataversePort;
  flows: Handlers;
  /** every dunning notice key the flows wrote, in order (what the notice flow would mail) */
  notices: string[];
}> {
  const emu = await startEmulator();
  dataverses.push(emu);
  await emu.seed({ products: [{ productnumber: PRODUCT, name: 'Streaming Basic', price: 5 }] });
  await seedMinimalGlAccounts(emu);
  const raw = clientFor(emu);
  const notices: string[] = [];
  const port = new Proxy(raw, {
    get(target, key) {
      if (key === 'changeSet')
        return async (ops: Parameters<DataversePort['changeSet']>[0]) => {
          const results = await target.changeSet(ops);
          for (const op of ops) {
            const k = op.body?.ppc_dunningnoticekey;
            if (op.url.startsWith('ppc_subscriptions') && typeof k === 'string') notices.push(k);
          }
          return results;
        };
      const v = Reflect.get(target, key) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const locks = new KeyedLocks();
  const flows = subscriptionFlows({
    dataverse: port,
    reference: dataverseReferenceData(port),
    locks,
    captureLock: paymentLock(locks),
    paypal,
  });
  return { emu, port, flows, notices };
}

beforeAll(async () => {
  paypalEmu = await createPayPal({ seed: 'convergence', port: 0 });
  paypal = createPayPalClient({
    baseUrl: paypalEmu.url,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
  });
  await paypal.createProduct({ id: PRODUCT, name: 'Streaming Basic', type: 'SERVICE' });
  const plan = await paypal.createPlan({
    product_id: PRODUCT,
    name: 'Streaming Basic monthly',
    billing_cycles: [
      {
        tenure_type: 'REGULAR',
        sequence: 1,
        total_cycles: 0,
        frequency: { interval_unit: 'MONTH', interval_count: 1 },
        pricing_scheme: { fixed_price: { currency_code: 'USD', value: '5.00' } },
      },
    ],
    payment_preferences: { payment_failure_threshold: 2 },
  });
  const sub = await paypal.createSubscription({
    plan_id: String(plan.id),
    subscriber: { email_address: 'converge@example.com' },
  });
  subscriptionId = String(sub.id);
  const control = (path: string, body: unknown) =>
    fetch(`${paypalEmu.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await control(`/_emulator/subscriptions/${subscriptionId}/approve`, {
    email: 'converge@example.com',
    given_name: 'Cory',
  });
  await control('/_emulator/clock/advance', { days: 31 }); // renewal 2
  await control('/_emulator/subscriptions/next-payment-outcomes', { outcomes: ['DECLINED', 'DECLINED'] });
  await control('/_emulator/clock/advance', { days: 31 }); // failed payment 1
  await control('/_emulator/clock/advance', { days: 6 }); // failed retry → SUSPENDED at the threshold
  events = (paypalEmu.state.events as unknown as Event[]).filter(
    (e) => e.resource.id === subscriptionId || e.resource.billing_agreement_id === subscriptionId,
  );
}, 60_000);

afterAll(async () => {
  for (const d of dataverses) await d.close();
  await paypalEmu?.close();
});

const log = createLogger('silent');
async function deliver(flows: Handlers, list: Event[]) {
  for (const [i, e] of list.entries()) {
    const action = actionFor(e.event_type, 'paypal', e);
    if (action === 'not_supported') continue;
    const handler = flows[action];
    if (!handler) throw new Error(`no flow for ${action}`);
    const ctx: HandlerContext = {
      inboxId: String(i + 1),
      eventId: e.id,
      eventType: e.event_type,
      action,
      attempt: 1,
      event: e,
      store: undefined as never,
      log,
    };
    await handler(ctx);
  }
}

/** The rows the events produce, without the ids and times Dataverse assigns. */
async function snapshot(dv: DataversePort) {
  const [sub] = await dv.query<Row>(
    'ppc_subscriptions',
    `$select=ppc_name,ppc_paypalsubscriptionid,ppc_paypalstatus,statecode,statuscode,ppc_amount,ppc_outstandingbalance,ppc_lastpaymentamount,ppc_lastpaymenton,ppc_nextbillingon,ppc_failedpaymentcount,ppc_cyclescompleted,ppc_dunningstate,ppc_amountdue,ppc_dunningsince,_ppc_productid_value,_ppc_contactid_value&$filter=ppc_paypalsubscriptionid eq '${subscriptionId}'`,
  );
  const txns = await dv.query<Row>(
    'ppc_paypaltransactions',
    `$select=ppc_paypalid,statuscode,ppc_grossamount,ppc_feeamount,ppc_netamount,_ppc_invoiceid_value&$orderby=ppc_paypalid`,
  );
  const invoices = await dv.query<Row>('invoices', `$select=name,statecode,ppc_paidamount,totalamount&$orderby=name`);
  const ledger = await dv.query<Row>(
    'ppc_ledgerentries',
    `$select=ppc_sourceid,ppc_lineno,ppc_side,ppc_amount,ppc_accountcode&$orderby=ppc_sourceid,ppc_lineno`,
  );
  const contacts = await dv.query<Row>(
    'contacts',
    `$select=emailaddress1,ppc_paypalpayerid,ppc_paymentcount,ppc_totalspendbase,ppc_monthlyspendjson`,
  );
  const strip = (r: Row) =>
    Object.fromEntries(
      Object.entries(r).filter(([k]) => !k.startsWith('@odata') && !k.endsWith('id_value') && !k.endsWith('id')),
    );
  return {
    subscription: {
      ...strip(sub!),
      product: Boolean(sub!._ppc_productid_value),
      contact: Boolean(sub!._ppc_contactid_value),
    },
    transactions: txns.map((t) => ({
      ...strip(t),
      ppc_paypalid: t.ppc_paypalid,
      invoiced: Boolean(t._ppc_invoiceid_value),
    })),
    invoices: invoices.map(strip),
    ledger: ledger.map(strip),
    contacts: contacts.map((c) => ({ ...strip(c), ppc_paypalpayerid: c.ppc_paypalpayerid })),
  };
}

describe('subscription events in any order, and twice', () => {
  it('converge to the same rows as the events in order, once', async () => {
    const types = events.map((e) => e.event_type);
    expect(types).toEqual(
      expect.arrayContaining([
        'BILLING.SUBSCRIPTION.CREATED',
        'BILLING.SUBSCRIPTION.ACTIVATED',
        'PAYMENT.SALE.COMPLETED',
        'BILLING.SUBSCRIPTION.PAYMENT.FAILED',
        'BILLING.SUBSCRIPTION.SUSPENDED',
      ]),
    );
    expect(types.filter((t) => t === 'PAYMENT.SALE.COMPLETED')).toHaveLength(2);

    const inOrder = await prepareDataverse();
    await deliver(inOrder.flows, events);
    const expected = await snapshot(inOrder.port);
    // what in-order delivery gives is PayPal's state: suspended, two payments booked once each
    expect(expected.subscription).toMatchObject({
      ppc_paypalstatus: 'SUSPENDED',
      ppc_failedpaymentcount: 2,
      ppc_cyclescompleted: 2,
      product: true,
      contact: true,
    });
    expect(expected.transactions).toHaveLength(2);
    expect(expected.invoices).toHaveLength(2);
    expect(expected.contacts).toEqual([expect.objectContaining({ ppc_paymentcount: 2, ppc_totalspendbase: 10 })]);
    expect(expected.ledger.length).toBeGreaterThanOrEqual(6);

    // reversed (renewals before CREATED/ACTIVATED, SUSPENDED first), then every event again in another order
    const shuffled = await prepareDataverse();
    const reversed = [...events].reverse();
    const interleaved = [...events.filter((_, i) => i % 2 === 1), ...events.filter((_, i) => i % 2 === 0)];
    await deliver(shuffled.flows, [...reversed, ...interleaved]);
    expect(await snapshot(shuffled.port)).toEqual(expected);

    // every webhook after CREATED lost: the periodic re-sync alone (resync.ts) reaches the same rows
    const lost = await prepareDataverse();
    await deliver(
      lost.flows,
      events.filter((e) => e.event_type === 'BILLING.SUBSCRIPTION.CREATED'),
    );
    const resync = subscriptionResync({
      dataverse: lost.port,
      reference: dataverseReferenceData(lost.port),
      locks: new KeyedLocks(),
      paypal,
    });
    const run = await resync.runOnce(log);
    expect(run).toMatchObject({ subscriptions: 1, failed: [] });
    expect(run.booked).toHaveLength(2);
    expect(await snapshot(lost.port)).toEqual(expected);
    expect((await resync.runOnce(log)).booked).toEqual([]);
  }, 120_000);
});

// Plan history and dunning notices depend on what the row held before PayPal changed, so this life is delivered
// phase by phase as PayPal lives it: after each change in PayPal, that phase's events go to one Dataverse in order
// and once, and to the other reversed, then with every earlier event again (late, replayed). Both must end with
// the same plan history (one line for the revision) and the same notices, each written exactly once.
describe('plan change and dunning notices, events in any order and twice', () => {
  it('one plan history line; one notice per stage (retrying, past due, suspended, paid), none on a replay', async () => {
    const tokenRes = await fetch(`${paypalEmu.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${DEFAULT_CLIENT_ID}:${DEFAULT_CLIENT_SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const token = String(((await tokenRes.json()) as Row).access_token);
    const call = async (path: string, body: unknown, auth = false) => {
      const res = await fetch(`${paypalEmu.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      expect(res.status).toBeLessThan(300);
    };
    const monthly = (name: string, value: string) =>
      paypal.createPlan({
        product_id: PRODUCT,
        name,
        billing_cycles: [
          {
            tenure_type: 'REGULAR',
            sequence: 1,
            total_cycles: 0,
            frequency: { interval_unit: 'MONTH', interval_count: 1 },
            pricing_scheme: { fixed_price: { currency_code: 'USD', value } },
          },
        ],
        payment_preferences: { payment_failure_threshold: 3 },
      });
    const basic = await monthly('Streaming Basic monthly (history)', '5.00');
    const plus = await monthly('Streaming Plus monthly (history)', '8.00');
    const sub = await paypal.createSubscription({
      plan_id: String(basic.id),
      subscriber: { email_address: 'history@example.com' },
    });
    const id = String(sub.id);
    const inOrder = await prepareDataverse();
    const shuffled = await prepareDataverse();
    const seen = new Set<string>();
    const delivered: Event[] = [];
    const phase = async () => {
      const fresh = (paypalEmu.state.events as unknown as Event[]).filter(
        (e) => (e.resource.id === id || e.resource.billing_agreement_id === id) && !seen.has(e.id),
      );
      for (const e of fresh) seen.add(e.id);
      expect(fresh.length).toBeGreaterThan(0);
      await deliver(inOrder.flows, fresh);
      await deliver(shuffled.flows, [...fresh].reverse());
      delivered.push(...fresh);
      await deliver(shuffled.flows, [...delivered].reverse()); // everything again, oldest last
    };
    await call(`/_emulator/subscriptions/${id}/approve`, { email: 'history@example.com', given_name: 'Hal' });
    await phase(); // created, activated, first payment at 5.00
    await call(`/v1/billing/subscriptions/${id}/revise`, { plan_id: String(plus.id) }, true);
    await phase(); // UPDATED: the plan and the price change
    await call('/_emulator/clock/advance', { days: 31 });
    await phase(); // a renewal at 8.00
    await call('/_emulator/subscriptions/next-payment-outcomes', { outcomes: ['DECLINED', 'DECLINED', 'DECLINED'] });
    await call('/_emulator/clock/advance', { days: 31 });
    await phase(); // failed: retrying
    await call('/_emulator/clock/advance', { days: 5 });
    await phase(); // failed again: past due (one short of the threshold)
    await call('/_emulator/clock/advance', { days: 5 });
    await phase(); // suspended at the threshold, 8.00 outstanding
    await paypal.captureSubscription(
      id,
      { note: 'collected', amount: { currency_code: 'USD', value: '8.00' } },
      `history-collect-${id}`,
    );
    await phase(); // the balance captured: paid

    const rowOf = async (dv: DataversePort) =>
      (
        await dv.query<Row>(
          'ppc_subscriptions',
          `$select=ppc_planid,ppc_amount,ppc_planhistory,ppc_dunningnotice,ppc_dunningnoticekey,ppc_dunningnoticeon,ppc_paypalstatus,ppc_outstandingbalance&$filter=ppc_paypalsubscriptionid eq '${id}'`,
        )
      ).map((r) =>
        Object.fromEntries(
          Object.entries(r).filter(
            ([k]) => !k.startsWith('@odata') && k !== 'ppc_subscriptionid' && !k.endsWith('_value'),
          ),
        ),
      )[0]!;
    const expected = await rowOf(inOrder.port);
    expect(expected).toMatchObject({
      ppc_planid: String(plus.id),
      ppc_paypalstatus: 'SUSPENDED',
      ppc_dunningnotice: DunningNotice.Paid,
    });
    expect(Number(expected.ppc_amount)).toBe(8);
    expect(Number(expected.ppc_outstandingbalance)).toBe(0);
    const history = String(expected.ppc_planhistory).split('\n');
    expect(history).toEqual([
      expect.stringMatching(
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z: ${String(basic.id)} 5\\.00 USD per cycle → ${String(plus.id)} "Streaming Plus monthly \\(history\\)" 8\\.00 USD per cycle`,
        ),
      ),
    ]);
    expect(await rowOf(shuffled.port)).toEqual(expected);

    const stages = (keys: string[]) => keys.map((k) => k.split('@')[0]);
    expect(stages(inOrder.notices)).toEqual(['retrying', 'pastdue', 'suspended', 'paid']);
    expect(shuffled.notices).toEqual(inOrder.notices);
    expect(new Set(inOrder.notices).size).toBe(4);
  }, 120_000);
});
