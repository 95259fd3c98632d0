// A subscription renewal is a payment like any other: scored in the job that books it (the composition's
// subscription flows get the scorer, proxy.ts buildFlows), its score, hold and alert in the payment's own change
// set — no extra Dataverse request. PayPal emulator for the subscription's real PAYMENT.SALE.COMPLETED events, a
// Dataverse emulator per run, the proxy's store (PGlite) for the score.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '@ppc/dataverse-emulator';
import { createServer as createPayPal, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from '@ppc/paypal-emulator';
import type { PayPalEmulator } from '@ppc/paypal-emulator';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { createPayPalClient, type PayPalClient } from '../../src/adapters/paypal/index.ts';
import { loadConfig } from '../../src/config.ts';
import { actionFor } from '../../src/flows/event-actions.ts';
import type { HandlerContext } from '../../src/flows/handlers.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/metrics.ts';
import { buildFlows } from '../../src/proxy.ts';
import { clientFor, seedMinimalGlAccounts, startEmulator } from '../adapters/dataverse/emulator-client.ts';
import { testEnv } from '../support/test-proxy.ts';

type Row = Record<string, unknown>;
type Event = { id: string; event_type: string; resource: Row };
const PRODUCT = 'FRAUD-SUB';
let paypalEmu: PayPalEmulator;
let paypal: PayPalClient;
let store: Store;
const dataverses: DataverseEmulator[] = [];
let sales: Event[] = [];

beforeAll(async () => {
  store = await openStore(loadConfig(testEnv()));
  paypalEmu = await createPayPal({ seed: 'renewal-scoring', port: 0 });
  paypal = createPayPalClient({
    baseUrl: paypalEmu.url,
    clientId: DEFAULT_CLIENT_ID,
    clientSecret: DEFAULT_CLIENT_SECRET,
  });
  await paypal.createProduct({ id: PRODUCT, name: 'Fraud sub', type: 'SERVICE' });
  const plan = await paypal.createPlan({
    product_id: PRODUCT,
    name: 'Fraud sub monthly',
    billing_cycles: [
      {
        tenure_type: 'REGULAR',
        sequence: 1,
        total_cycles: 0,
        frequency: { interval_unit: 'MONTH', interval_count: 1 },
        pricing_scheme: { fixed_price: { currency_code: 'USD', value: '9.00' } },
      },
    ],
    payment_preferences: { payment_failure_threshold: 2 },
  });
  const sub = await paypal.createSubscription({
    plan_id: String(plan.id),
    subscriber: { email_address: 'renewal@example.com' },
  });
  const control = (path: string, body: unknown) =>
    fetch(`${paypalEmu.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  await control(`/_emulator/subscriptions/${String(sub.id)}/approve`, { email: 'renewal@example.com' });
  await control('/_emulator/clock/advance', { days: 31 });
  sales = (paypalEmu.state.events as unknown as Event[]).filter(
    (e) => e.event_type === 'PAYMENT.SALE.COMPLETED' && e.resource.billing_agreement_id === String(sub.id),
  );
}, 60_000);

afterAll(async () => {
  for (const d of dataverses) await d.close();
  await paypalEmu?.close();
  await store?.close();
});

/** The subscription's sale events through the composition's renewal flow; Dataverse requests counted. */
async function run(env: Record<string, string>) {
  const emu = await startEmulator();
  dataverses.push(emu);
  await emu.seed({ products: [{ productnumber: PRODUCT, name: 'Fraud sub', price: 9 }] });
  await seedMinimalGlAccounts(emu);
  const port = clientFor(emu);
  const config = loadConfig(testEnv(env));
  const { flows } = buildFlows(config, { dataverse: port, paypal, store }, { metrics: createMetrics() });
  const before = port.stats().requests;
  for (const [i, e] of sales.entries()) {
    const action = actionFor(e.event_type, 'paypal', e);
    if (action !== 'subscription.renewal') throw new Error(`${e.event_type} routed to ${action}`);
    const ctx: HandlerContext = {
      inboxId: String(i + 1),
      eventId: e.id,
      eventType: e.event_type,
      action,
      attempt: 1,
      event: e,
      store,
      log: createLogger('silent'),
    };
    await flows[action]!(ctx);
  }
  const requests = port.stats().requests - before;
  const txns = await port.query<Row>(
    'ppc_paypaltransactions',
    '$select=ppc_paypalid,ppc_fraudscore,ppc_riskband,ppc_fraudreasons&$orderby=ppc_paypalid',
  );
  const orders = await port.query<Row>('salesorders', '$select=name,ppc_fraudscore,ppc_fraudhold');
  const alerts = await port.query<Row>('ppc_fraudalerts', '$select=ppc_alertkey,ppc_score');
  return { requests, txns, orders, alerts };
}

describe('subscription renewals are scored', () => {
  it('in the job that books them: score on the transaction and order, hold and alert, no extra request', async () => {
    expect(sales.length).toBeGreaterThanOrEqual(2);
    const off = await run({ FRAUD_SCORING: 'false' });
    // thresholds at 0: every renewal is held and alerted, so the alert's operation is visible
    const on = await run({ FRAUD_ALERT_THRESHOLD: '0', FRAUD_HOLD_THRESHOLD: '0' });
    expect(off.txns).toHaveLength(sales.length);
    expect(off.txns.every((t) => t.ppc_fraudscore === null || t.ppc_fraudscore === undefined)).toBe(true);
    expect(off.alerts).toEqual([]);

    expect(on.txns).toHaveLength(sales.length);
    for (const t of on.txns) {
      expect(typeof t.ppc_fraudscore).toBe('number');
      expect(Array.isArray(JSON.parse(String(t.ppc_fraudreasons)))).toBe(true);
    }
    expect(on.orders.every((o) => o.ppc_fraudhold === true && typeof o.ppc_fraudscore === 'number')).toBe(true);
    expect(on.alerts.map((a) => a.ppc_alertkey).sort()).toEqual(on.txns.map((t) => `fraud|${String(t.ppc_paypalid)}`));
    // the score travelled in the payment's change set: as many Dataverse requests as without scoring
    expect(on.requests).toBe(off.requests);
    // and the proxy stored it (features for a retrain), once per sale
    const { rows } = await store.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM fraud_scores WHERE paypal_id = ANY($1)',
      [on.txns.map((t) => String(t.ppc_paypalid))],
    );
    expect(Number(rows[0]!.n)).toBe(sales.length);
  }, 120_000);
});
