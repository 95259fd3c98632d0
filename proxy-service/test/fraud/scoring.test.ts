// Fraud scoring, pure parts: sliding windows, features, the model's contributions and reasons, the metrics of the
// evaluation (average precision as scikit-learn computes it), and what the order-to-cash plan writes of a score.
import { describe, expect, it } from '@jest/globals';
import { AlertType, RiskBand } from '@ppc/solution';
import { averagePrecision, metricsAt } from '../../src/fraud/evaluate.ts';
import {
  FEATURES,
  featureVector,
  observe,
  robustZ,
  windowKeys,
  type PaymentSignals,
} from '../../src/fraud/features.ts';
import { generatePayments } from '../../src/fraud/generator.ts';
import { assess, checkModel, contributions, scoreOf, type FraudModel } from '../../src/fraud/model.ts';
import { loadModel, signalsOf } from '../../src/fraud/scorer.ts';
import { countsAt, MemoryWindows, record, type WindowState } from '../../src/fraud/windows.ts';
import { planOrderToCash, type FraudInput, type ReferenceData } from '../../src/mapping/order-to-cash-plan.ts';
import { captureFacts } from '../../src/mapping/payment-facts.ts';
import { orderFacts } from '../../src/mapping/order-facts.ts';

const H = 3_600_000;
const t0 = Date.parse('2026-03-01T10:00:00Z');
const model = loadModel();
const payment = (over: Partial<PaymentSignals> = {}): PaymentSignals => ({
  paypalId: 'CAP1',
  at: '2026-03-01T18:10:00Z',
  amountMinor: 4000,
  currency: 'USD',
  decimals: 2,
  declined: false,
  source: 'paypal',
  payerId: 'PAYER1',
  email: 'a@example.com',
  payerCountry: 'US',
  shipCountry: 'US',
  shipAddress: '1 Main St|95131|US',
  sellerProtection: 'ELIGIBLE',
  customer: { paymentCount: 3, refundRatio: 0 },
  ...over,
});
const I = (f: (typeof FEATURES)[number]) => FEATURES.indexOf(f);

describe('velocity windows', () => {
  it('counts the last hour as a sliding window and forgets after 24 hours', () => {
    let s = record(undefined, t0, 100, false, true);
    s = record(s, t0 + 10 * 60_000, 100, true, true);
    expect(countsAt(s, t0 + 20 * 60_000)).toMatchObject({ lastHour: 2, last24h: 2, declinesLastHour: 1 });
    // 30 minutes into the next hour: half of the previous hour's bucket is still inside the window
    expect(countsAt(s, t0 + 90 * 60_000).lastHour).toBeCloseTo(1, 5);
    expect(countsAt(s, t0 + 3 * H).lastHour).toBe(0);
    expect(countsAt(s, t0 + 3 * H).last24h).toBe(2);
    expect(countsAt(s, t0 + 25 * H).last24h).toBe(0);
    // a declined payment is counted but its amount is not history
    expect(s.amounts).toEqual([100]);
  });

  it('keeps the same state in memory as it was saved', () => {
    const w = new MemoryWindows();
    const s = record(record(undefined, t0, 4200, false, true), t0 + H, 5100, true, true);
    w.saveSync('p:x', s);
    expect(w.loadSync('p:x')).toEqual(s);
    expect(w.loadSync('p:y')).toBeUndefined();
  });
});

describe('features', () => {
  it('robust z-score: the median and MAD of the history, not the mean', () => {
    // median 4100, MAD 100 (1.4826·MAD = 148) floored at 5 % of the median (205): the outlier moves neither
    expect(robustZ(4000, [4000, 4200, 3800, 4100, 100_000])).toBeCloseTo(-100 / 205, 6);
    expect(robustZ(40_000, [4000, 4200, 3800, 4100])).toBeGreaterThan(50);
  });

  it('velocity per payer, e-mail and address grows with each payment; declines burst', () => {
    const states = new Map<string, WindowState>();
    let x: number[] = [];
    for (let k = 0; k < 4; k++) {
      const r = observe(
        payment({ paypalId: `C${k}`, at: new Date(t0 + k * 60_000).toISOString(), declined: k < 3 }),
        states,
        model.profile,
      );
      for (const [key, s] of r.next) states.set(key, s);
      x = r.features;
    }
    expect(x[I('payer_velocity_1h')]).toBeCloseTo(Math.log1p(3), 5);
    expect(x[I('email_velocity_24h')]).toBeCloseTo(Math.log1p(3), 5);
    expect(x[I('address_velocity_24h')]).toBeCloseTo(Math.log1p(3), 5);
    expect(x[I('declines_1h')]).toBeCloseTo(Math.log1p(3), 5);
  });

  it('first purchase at high value, country mismatches and PayPal signals', () => {
    const x = featureVector(
      payment({
        amountMinor: 250_000,
        customer: { paymentCount: 0, refundRatio: 0 },
        shipCountry: 'NG',
        sellerProtection: 'NOT_ELIGIBLE',
        payerStatus: 'UNVERIFIED',
        processor: { avs: 'N', cvv: 'N', response: '0000' },
      }),
      {},
      model.profile,
    );
    expect(x[I('first_purchase_high')]).toBeGreaterThan(1);
    expect(x[I('country_mismatch')]).toBe(2); // payer ≠ shipping, shipping outside USD countries
    expect(x[I('seller_protection')]).toBe(1);
    expect(x[I('payer_unverified')]).toBe(1);
    expect(x[I('card_checks_failed')]).toBe(2);
    const known = featureVector(payment({ amountMinor: 250_000 }), {}, model.profile);
    expect(known[I('first_purchase_high')]).toBe(0);
  });
});

describe('model', () => {
  it('the reasons are the contributions of the logit, ranked, in the requested language', () => {
    const x = featureVector(
      payment({ amountMinor: 250_000, customer: { paymentCount: 0, refundRatio: 0 }, shipCountry: 'NG' }),
      {},
      model.profile,
    );
    const { logit, parts } = contributions(model, x);
    expect(parts.reduce((a, b) => a + b, model.bias)).toBeCloseTo(logit, 9);
    const a = assess(model, x, { language: 'de' });
    expect(a.score).toBe(scoreOf(model, x));
    expect(a.score).toBeGreaterThanOrEqual(model.thresholds.hold);
    expect(a.band).toBe('high');
    expect(a.reasons[0]).toMatchObject({
      code: 'FIRST_PURCHASE_HIGH_VALUE',
      reason: 'Erster Kauf dieses Kunden, mit hohem Betrag',
    });
    const c = a.reasons.map((r) => r.contribution);
    expect(c).toEqual([...c].sort((p, q) => q - p));
    const clean = assess(model, featureVector(payment(), {}, model.profile));
    expect(clean.score).toBeLessThan(model.thresholds.alert);
  });

  it('refuses a model file whose features differ from the code', () => {
    const bad = { ...model, features: [...model.features].reverse() } as FraudModel;
    expect(() => checkModel(bad)).toThrow(/features/);
    expect(() => checkModel({ ...model, weights: model.weights.slice(1) })).toThrow(/weights/);
  });
});

describe('evaluation metrics', () => {
  it('average precision as scikit-learn computes it', () => {
    // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333…
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.8333, 4);
    expect(metricsAt([10, 60, 70, 20], [0, 1, 1, 1], 50)).toMatchObject({
      precision: 1,
      recall: 0.6667,
      alertRate: 0.5,
    });
  });

  it('the generator is seeded: the same seed gives the same payments, another seed others', () => {
    const a = generatePayments({ seed: 3, customers: 200, days: 20 });
    expect(generatePayments({ seed: 3, customers: 200, days: 20 })).toEqual(a);
    expect(generatePayments({ seed: 4, customers: 200, days: 20 })).not.toEqual(a);
    expect(new Set(a.map((p) => p.pattern))).toEqual(
      new Set(['legit', 'card_testing', 'account_takeover', 'triangulation', 'friendly_fraud', 'velocity_ring']),
    );
  });
});

describe('order-to-cash plan with a fraud score', () => {
  const ref: ReferenceData = {
    baseCurrency: 'USD',
    currencyId: () => 'c-usd',
    priceLevelId: () => 'pl-1',
    defaultUomId: 'uom-1',
    fallbackProductNumber: undefined,
    account: () => '1010',
    fxRate: () => undefined,
  };
  const capture = captureFacts({
    id: 'CAP9',
    status: 'COMPLETED',
    amount: { currency_code: 'USD', value: '2500.00' },
    seller_receivable_breakdown: {
      gross_amount: { currency_code: 'USD', value: '2500.00' },
      paypal_fee: { currency_code: 'USD', value: '73.00' },
      net_amount: { currency_code: 'USD', value: '2427.00' },
    },
    seller_protection: { status: 'ELIGIBLE' },
    create_time: '2026-03-01T18:10:00Z',
    update_time: '2026-03-01T18:10:00Z',
  } as never);
  const order = orderFacts({ id: 'O1', payer: { payer_id: 'PAYER1' }, purchase_units: [] });
  const fraud = (score: number, over: Partial<FraudInput> = {}): FraudInput => ({
    assessment: {
      score,
      band: score >= 70 ? 'high' : 'low',
      modelVersion: 1,
      reasons: [{ code: 'FIRST_PURCHASE_HIGH_VALUE', reason: 'First purchase', contribution: 5.2 }],
    },
    alert: score >= 50,
    hold: score >= 70,
    refundReview: score >= 90,
    ...over,
  });
  const plan = (f?: FraudInput, prior = false) =>
    planOrderToCash({
      eventId: 'WH-9',
      payment: capture,
      order,
      existing: {
        products: {},
        ...(prior ? { transaction: { id: 't-1', statuscode: 1, orderId: 'o-1', invoiceId: 'i-1' } } : {}),
      },
      ref,
      ...(f ? { fraud: f } : {}),
    });

  it('score, band and reasons on the transaction, hold on the new order, and the alert, in one change set', () => {
    const { ops, flags } = plan(fraud(95));
    expect(capture.sellerProtection).toBe('ELIGIBLE');
    const so = ops.find((o) => o.url === 'salesorders')!;
    expect(so.body).toMatchObject({ ppc_fraudscore: 95, ppc_fraudhold: true });
    const inv = ops.find((o) => o.url === 'invoices')!;
    expect(inv.body).not.toHaveProperty('ppc_fraudhold');
    const txn = ops.find((o) => o.url.startsWith('ppc_paypaltransactions'))!;
    expect(txn.body).toMatchObject({ ppc_fraudscore: 95, ppc_riskband: RiskBand.High, ppc_needsreview: true });
    expect(JSON.parse(String(txn.body!.ppc_fraudreasons))).toEqual(fraud(95).assessment.reasons);
    expect(flags.join()).toMatch(/review this payment for a refund/);
    const alert = ops.find((o) => o.url.startsWith('ppc_fraudalerts'))!;
    expect(alert.url).toBe("ppc_fraudalerts(ppc_alertkey='fraud|CAP9')");
    expect(alert.body).toMatchObject({
      ppc_alerttype: AlertType.FraudScore,
      ppc_score: 95,
      'ppc_transactionid@odata.bind': `$${txn.contentId}`,
      'ppc_salesorderid@odata.bind': `$${so.contentId}`,
    });
    // no operation beyond the plan without a score but the alert
    expect(ops.length).toBe(plan(undefined).ops.length + 1);
  });

  it('a low score: no hold, no alert, no refund review; no score: no fraud columns at all', () => {
    const low = plan(fraud(12)).ops;
    expect(low.find((o) => o.url === 'salesorders')!.body).toMatchObject({ ppc_fraudhold: false, ppc_fraudscore: 12 });
    expect(low.some((o) => o.url.startsWith('ppc_fraudalerts'))).toBe(false);
    const none = plan(undefined).ops;
    expect(none.find((o) => o.url === 'salesorders')!.body).not.toHaveProperty('ppc_fraudhold');
    expect(none.some((o) => o.url.startsWith('ppc_fraudalerts'))).toBe(false);
  });

  it('a later event of a recorded payment neither re-holds its order nor raises a second alert', () => {
    const { ops } = plan(fraud(95), true);
    expect(ops.some((o) => o.url.startsWith('ppc_fraudalerts'))).toBe(false);
    expect(ops.some((o) => 'ppc_fraudhold' in (o.body ?? {}))).toBe(false);
  });
});

describe("a live payment's signals", () => {
  it("reads PayPal's own risk fields from the capture and the order, and the customer's history from D365", () => {
    const capture = captureFacts({
      id: 'CAPCARD1',
      status: 'COMPLETED',
      amount: { currency_code: 'USD', value: '120.00' },
      seller_protection: { status: 'NOT_ELIGIBLE' },
      processor_response: { avs_code: 'N', cvv_code: 'N', response_code: '0000' },
      create_time: '2026-03-01T03:10:00Z',
      update_time: '2026-03-01T03:11:00Z',
    } as never);
    const raw = {
      id: 'O2',
      payer: { payer_id: 'PAYER2', email_address: 'Card@Example.com', address: { country_code: 'US' } },
      payment_source: { card: { brand: 'VISA', last_digits: '4242', bin_details: { bin: '411111' } } },
      purchase_units: [
        { shipping: { address: { address_line_1: '12 Marina Road', postal_code: '101001', country_code: 'NG' } } },
      ],
    };
    const s = signalsOf(
      capture,
      orderFacts(raw as never),
      raw,
      {
        table: 'contact',
        id: 'c-1',
        totalSpendBase: 400,
        totalRefundedBase: 100,
        paymentCount: 4,
      },
      'USD',
    );
    expect(s).toMatchObject({
      paypalId: 'CAPCARD1',
      at: '2026-03-01T03:10:00Z',
      amountMinor: 12000,
      source: 'card',
      payerId: 'PAYER2',
      email: 'card@example.com',
      payerCountry: 'US',
      shipCountry: 'NG',
      card: { brand: 'VISA', lastDigits: '4242', bin: '411111' },
      sellerProtection: 'NOT_ELIGIBLE',
      processor: { avs: 'N', cvv: 'N', response: '0000' },
      customer: { paymentCount: 4, refundRatio: 0.25 },
    });
    expect(windowKeys(s).card).toMatch(/^c:/);
    const x = featureVector(s, {}, model.profile);
    expect(x[I('card_checks_failed')]).toBe(2);
    expect(x[I('refund_ratio')]).toBe(0.25);
  });
});
