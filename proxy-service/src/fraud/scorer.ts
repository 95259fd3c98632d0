// Scoring a live payment in the order-to-cash job: signals from PayPal's own answers (the re-read capture/sale and
// the order) and D365's customer row, windows in the proxy's database, the model file, and the decision
// (alert / hold / refund review) from the thresholds. Idempotent per PayPal id: a retried job reuses the stored
// score and does not count the payment twice in the windows.
import { readFileSync } from 'node:fs';
import type { Store } from '../adapters/store/store.ts';
import type { Metrics } from '../metrics.ts';
import type { ExistingCustomer } from '../mapping/order-to-cash-plan.ts';
import { decimalToMinor } from '../mapping/dataverse-values.ts';
import { paypalDecimals } from '../mapping/minor-units.ts';
import type { OrderFacts } from '../mapping/order-facts.ts';
import type { PaymentFacts } from '../mapping/payment-facts.ts';
import { disputeHistory } from './disputes.ts';
import { isFirstPurchase, observe, windowKeys, type PaymentSignals } from './features.ts';
import { assess, checkModel, type Assessment, type FraudModel } from './model.ts';
import { DatabaseWindows, pruneWindows, saveScore, storedScore } from './store.ts';

export const DEFAULT_MODEL_FILE = new URL('./models/fraud-model.json', import.meta.url);

export function loadModel(file: string | URL = DEFAULT_MODEL_FILE): FraudModel {
  return checkModel(JSON.parse(readFileSync(file, 'utf8')) as FraudModel);
}

export interface FraudDecision {
  assessment: Assessment;
  alert: boolean;
  hold: boolean;
  refundReview: boolean;
  thresholds: FraudModel['thresholds'];
}

/** The order as PayPal returns it: only what scoring reads beyond OrderFacts (payment_source). */
export interface RawOrderSource {
  payment_source?: {
    card?: { brand?: string; last_digits?: string; bin_details?: { bin?: string } };
    paypal?: { account_status?: string };
  };
}

/** PaymentSignals of a live payment. */
export function signalsOf(
  payment: PaymentFacts,
  order: OrderFacts | undefined,
  raw: RawOrderSource | undefined,
  customer: ExistingCustomer | undefined,
  baseCurrency: string,
): PaymentSignals {
  const card = raw?.payment_source?.card;
  const ship = order?.shipTo;
  const spend = customer ? decimalToMinor(customer.totalSpendBase, baseCurrency) : 0;
  const refunded = customer ? decimalToMinor(customer.totalRefundedBase, baseCurrency) : 0;
  return {
    paypalId: payment.paypalId,
    at: payment.createTime,
    amountMinor: payment.gross.minor,
    ...(payment.fee.currency === payment.gross.currency ? { feeMinor: payment.fee.minor } : {}),
    currency: payment.gross.currency,
    decimals: paypalDecimals(payment.gross.currency),
    declined: payment.status === 'DECLINED' || payment.status === 'FAILED',
    source: card ? 'card' : raw?.payment_source?.paypal || order?.payer.payerId ? 'paypal' : 'other',
    ...(order?.payer.payerId ? { payerId: order.payer.payerId } : {}),
    ...(order?.payer.email ? { email: order.payer.email } : {}),
    ...(order?.payer.address?.countryCode ? { payerCountry: order.payer.address.countryCode } : {}),
    ...(ship?.countryCode ? { shipCountry: ship.countryCode } : {}),
    ...(ship ? { shipAddress: [ship.line1, ship.postalCode, ship.countryCode].filter(Boolean).join('|') } : {}),
    ...(card
      ? {
          card: {
            ...(card.brand ? { brand: card.brand } : {}),
            ...(card.last_digits ? { lastDigits: card.last_digits } : {}),
            ...(card.bin_details?.bin ? { bin: card.bin_details.bin } : {}),
          },
        }
      : {}),
    ...(payment.sellerProtection ? { sellerProtection: payment.sellerProtection } : {}),
    ...(payment.processor ? { processor: payment.processor } : {}),
    ...(raw?.payment_source?.paypal?.account_status ? { payerStatus: raw.payment_source.paypal.account_status } : {}),
    customer: { paymentCount: customer?.paymentCount ?? 0, refundRatio: spend > 0 ? refunded / spend : 0 },
  };
}

/** The metrics the scorer records (metrics.ts). */
export type FraudMetrics = Pick<
  Metrics,
  'fraudScored' | 'fraudScore' | 'paymentsGrossMinor' | 'paymentsFeeMinor' | 'paymentsDeclined' | 'lastPayment'
>;

export interface ScorerOptions {
  metrics?: FraudMetrics;
  store: Store;
  model: FraudModel;
  thresholds?: Partial<FraudModel['thresholds']>;
  language?: string;
  /** the merchant's IANA time zone for "unusual hour" (FRAUD_TIME_ZONE); absent: the model's (UTC unless trained in one) */
  timeZone?: string;
}

export interface FraudScorer {
  readonly model: FraudModel;
  score(signals: PaymentSignals): Promise<FraudDecision>;
}

export function createScorer(o: ScorerOptions): FraudScorer {
  const thresholds = { ...o.model.thresholds, ...o.thresholds };
  const decide = (assessment: Assessment): FraudDecision => ({
    assessment,
    alert: assessment.score >= thresholds.alert,
    hold: assessment.score >= thresholds.hold,
    refundReview: assessment.score >= thresholds.refundReview,
    thresholds,
  });
  const profile = o.timeZone ? { ...o.model.profile, timeZone: o.timeZone } : o.model.profile;
  let scored = 0;
  return {
    model: o.model,
    async score(p) {
      // Every 1,000 scores, idle windows are dropped (best effort: a failure only delays it).
      if (++scored % 1000 === 0) await pruneWindows(o.store).catch(() => 0);
      const known = await storedScore(o.store, p.paypalId);
      if (known) return decide(known);
      let fresh = false;
      const assessment = await o.store.transaction(async (tx) => {
        // The windows of this payment's keys, locked until the score is stored (replicas take turns per key).
        const keyOf = windowKeys(p);
        const keys = Object.values(keyOf).sort();
        if (keys.length)
          await tx.query(`SELECT pg_advisory_xact_lock(hashtext(k)) FROM unnest($1::text[]) AS k ORDER BY k`, [keys]);
        const again = await storedScore(tx, p.paypalId);
        if (again) return again;
        const windows = new DatabaseWindows(tx);
        const states = await windows.load(keys);
        const firstPurchase = isFirstPurchase(p, states);
        // the payer's disputes / payments over the dispute window (disputes.ts), under the payer's lock too
        const disputes = keyOf.payer ? await disputeHistory(tx, keyOf.payer, p.at, p.paypalId) : undefined;
        const { features, next } = observe(p, states, profile, disputes);
        const a = assess(o.model, features, { language: o.language ?? 'en', thresholds });
        fresh = true;
        await windows.save(next);
        await saveScore(tx, {
          paypalId: p.paypalId,
          at: p.at,
          amountMajor: p.amountMinor / 10 ** p.decimals,
          firstPurchase,
          x: features,
          assessment: a,
          ...(keyOf.payer ? { payerKey: keyOf.payer } : {}),
          declined: p.declined,
        });
        return a;
      });
      const decision = decide(assessment);
      if (!fresh) return decision;
      const m = o.metrics;
      if (m) {
        m.fraudScored.inc({
          band: assessment.band,
          action: decision.hold ? 'held' : decision.alert ? 'alerted' : 'clear',
        });
        m.fraudScore.observe(assessment.score);
        if (p.declined) m.paymentsDeclined.inc();
        else {
          m.paymentsGrossMinor.inc({ currency: p.currency }, p.amountMinor);
          if (p.feeMinor !== undefined) m.paymentsFeeMinor.inc({ currency: p.currency }, p.feeMinor);
        }
        m.lastPayment.set(Math.max(Date.parse(p.at) / 1000, 0));
      }
      return decision;
    },
  };
}
