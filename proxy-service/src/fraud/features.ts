// The features of one payment: what PayPal tells the merchant (seller protection, card processor response / AVS /
// CVV, payer status), what only the merchant knows (the customer's history and refund ratio from D365) and what
// the proxy counts (velocity windows, windows.ts). Pure: signals in, numbers out; the same code for a live payment
// (scorer.ts), the evaluation's generated payments (generator.ts) and the benchmark.
import { createHash } from 'node:crypto';
import { disputeRatio, type DisputeHistory } from './disputes.ts';
import { localHour } from './time-zone.ts';
import { countsAt, record, type WindowCounts, type WindowState } from './windows.ts';

export { isTimeZone, localHour } from './time-zone.ts';

/** Everything scoring reads about one payment, already normalised. */
export interface PaymentSignals {
  paypalId: string;
  /** ISO time of the payment (PayPal's create_time) */
  at: string;
  amountMinor: number;
  currency: string;
  /** minor-unit exponent of the currency */
  decimals: number;
  declined: boolean;
  source: 'paypal' | 'card' | 'other';
  payerId?: string;
  email?: string;
  payerCountry?: string;
  shipCountry?: string;
  /** normalised shipping address (line, postcode, country) */
  shipAddress?: string;
  card?: { brand?: string; lastDigits?: string; bin?: string };
  /** capture.seller_protection.status: ELIGIBLE, PARTIALLY_ELIGIBLE, NOT_ELIGIBLE */
  sellerProtection?: string;
  /** capture.processor_response (card sources): avs_code, cvv_code, response_code */
  processor?: { avs?: string; cvv?: string; response?: string };
  /** payment_source.paypal.account_status: VERIFIED / UNVERIFIED */
  payerStatus?: string;
  /** PayPal's fee (minor units): not a feature, counted for the fee-rate metric */
  feeMinor?: number;
  /** from D365 (the payer's contact/account): completed payments and refund ratio */
  customer?: { paymentCount: number; refundRatio: number };
}

export const FEATURES = [
  'seller_protection',
  'card_checks_failed',
  'payer_unverified',
  'payer_velocity_1h',
  'email_velocity_24h',
  'address_velocity_24h',
  'card_velocity_24h',
  'declines_1h',
  'amount_z',
  'first_purchase_high',
  'country_mismatch',
  'refund_ratio',
  'dispute_ratio',
  'unusual_hour',
  'amount_log',
] as const;
export type FeatureName = (typeof FEATURES)[number];

/** What the model learned about the merchant that the features need (model.ts). */
export interface MerchantProfile {
  /** share of payments per hour of the day in `timeZone` (local time), Σ = 1 */
  hourShare: number[];
  /** the merchant's IANA time zone the hours are in (FRAUD_TIME_ZONE); absent: UTC */
  timeZone?: string;
  /** the 95th percentile of payment amounts (major units): "high value" for a first purchase */
  highValueMajor: number;
}

const hash = (s: string) => createHash('sha1').update(s).digest('base64url').slice(0, 16);

type Keys = { payer?: string; email?: string; address?: string; card?: string };
const keyCache = new WeakMap<PaymentSignals, Keys>();

/** The window keys of a payment (hashed: the proxy's database holds no e-mail or address in clear). */
export function windowKeys(p: PaymentSignals): Keys {
  let keys = keyCache.get(p);
  if (!keys) keyCache.set(p, (keys = computeKeys(p)));
  return keys;
}

function computeKeys(p: PaymentSignals): Keys {
  const card =
    p.card && (p.card.bin || p.card.lastDigits)
      ? `${p.card.brand ?? ''}|${p.card.bin ?? ''}|${p.card.lastDigits ?? ''}`
      : undefined;
  return {
    ...(p.payerId || p.email ? { payer: `p:${hash(`${p.payerId ?? p.email}|${p.currency}`)}` } : {}),
    ...(p.email ? { email: `e:${hash(p.email.toLowerCase())}` } : {}),
    ...(p.shipAddress ? { address: `a:${hash(p.shipAddress.toLowerCase())}` } : {}),
    ...(card ? { card: `c:${hash(card)}` } : {}),
  };
}

// Countries that use a currency (ISO 4217 → ISO 3166): a payer or shipping country outside it is a mismatch.
// Only the currencies the generator and the common PayPal markets use; an unlisted currency counts no mismatch.
const CURRENCY_COUNTRIES: Record<string, string[]> = {
  USD: ['US', 'PR', 'EC', 'SV', 'PA'],
  CAD: ['CA'],
  GBP: ['GB'],
  EUR: ['DE', 'FR', 'IT', 'ES', 'NL', 'BE', 'AT', 'IE', 'PT', 'FI', 'GR', 'LU'],
  AUD: ['AU'],
  JPY: ['JP'],
  BRL: ['BR'],
  MXN: ['MX'],
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Robust z-score of x against a history: (x − median) / (1.4826 · MAD), MAD floored at 5 % of the median. */
export function robustZ(x: number, history: number[]): number {
  const med = median(history);
  const mad = median(history.map((h) => Math.abs(h - med)));
  const scale = Math.max(1.4826 * mad, 0.05 * Math.abs(med), 1);
  return (x - med) / scale;
}

const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export interface KeyCounts {
  payer?: WindowCounts;
  email?: WindowCounts;
  address?: WindowCounts;
  card?: WindowCounts;
  /** the payer's payments and disputes over the dispute window (disputes.ts) */
  disputes?: DisputeHistory;
}

/** The feature vector, in FEATURES order. */
export function featureVector(p: PaymentSignals, c: KeyCounts, profile: MerchantProfile): number[] {
  const major = p.amountMinor / 10 ** p.decimals;
  const protection =
    p.sellerProtection === 'NOT_ELIGIBLE' ? 1 : p.sellerProtection === 'ELIGIBLE' ? 0 : p.sellerProtection ? 0.5 : 0.5;
  // AVS: N = no match; CVV: N = no match (developer.paypal.com/docs/api/orders/v2/#definition-processor_response);
  // response codes other than 0000 (approved) are declines or referrals.
  const cardChecks = p.processor
    ? Number(p.processor.avs === 'N' || p.processor.avs === 'C') +
      Number(p.processor.cvv === 'N') +
      Number(!!p.processor.response && p.processor.response !== '0000')
    : 0;
  const history = c.payer?.history ?? [];
  const amountZ = history.length >= 3 ? clip(robustZ(p.amountMinor, history), -10, 20) : 0;
  const known = (p.customer?.paymentCount ?? 0) > 0 || history.length > 0;
  const cur = CURRENCY_COUNTRIES[p.currency];
  const mismatch =
    Number(!!p.payerCountry && !!p.shipCountry && p.payerCountry !== p.shipCountry) +
    Number(!!cur && !!p.shipCountry && !cur.includes(p.shipCountry)) +
    Number(!!cur && !!p.payerCountry && !cur.includes(p.payerCountry));
  const hour = localHour(p.at, profile.timeZone);
  const share = profile.hourShare[hour] ?? 1 / 24;
  const unusualHour = clip(-Math.log2(Math.max(share, 1e-4) * 24), 0, 8);
  const declines = Math.max(
    c.payer?.declinesLastHour ?? 0,
    c.email?.declinesLastHour ?? 0,
    c.card?.declinesLastHour ?? 0,
  );
  return [
    protection,
    cardChecks,
    p.payerStatus === 'UNVERIFIED' ? 1 : 0,
    Math.log1p(c.payer?.lastHour ?? 0),
    Math.log1p(c.email?.last24h ?? 0),
    Math.log1p(c.address?.last24h ?? 0),
    Math.log1p(c.card?.last24h ?? 0),
    Math.log1p(declines),
    amountZ,
    firstPurchaseHigh(major, !known, profile),
    mismatch,
    clip(p.customer?.refundRatio ?? 0, 0, 1),
    disputeRatio(c.disputes),
    unusualHour,
    Math.log10(major + 1),
  ];
}

const I_FIRST = FEATURES.indexOf('first_purchase_high');
const I_HOUR = FEATURES.indexOf('unusual_hour');

/** first_purchase_high for an amount, given whether the customer was new. */
export function firstPurchaseHigh(major: number, firstPurchase: boolean, profile: MerchantProfile): number {
  return firstPurchase ? clip(Math.max(0, 1 + Math.log2(Math.max(major, 1e-6) / profile.highValueMajor)), 0, 6) : 0;
}

/** The features that depend on the merchant profile, recomputed for a new profile (training on stored rows). */
export function reprofile(
  x: number[],
  row: { at: string; amountMajor: number; firstPurchase: boolean },
  profile: MerchantProfile,
): number[] {
  const out = [...x];
  const share = profile.hourShare[localHour(row.at, profile.timeZone)] ?? 1 / 24;
  out[I_HOUR] = clip(-Math.log2(Math.max(share, 1e-4) * 24), 0, 8);
  out[I_FIRST] = firstPurchaseHigh(row.amountMajor, row.firstPurchase, profile);
  return out;
}

/** Whether the payment is the customer's first (no D365 payments, no amounts in the payer's window). */
export function isFirstPurchase(p: PaymentSignals, states: Map<string, WindowState>): boolean {
  const payer = windowKeys(p).payer;
  return !((p.customer?.paymentCount ?? 0) > 0 || (payer && (states.get(payer)?.amounts.length ?? 0) > 0));
}

/**
 * Reads the windows of a payment, computes its features, and returns the states after recording it: the caller
 * saves them (in the same unit of work in the proxy, in memory elsewhere).
 */
export function observe(
  p: PaymentSignals,
  states: Map<string, WindowState>,
  profile: MerchantProfile,
  disputes?: DisputeHistory,
): { features: number[]; next: Map<string, WindowState> } {
  const keys = windowKeys(p);
  const atMs = Date.parse(p.at);
  const counts: KeyCounts = disputes ? { disputes } : {};
  const next = new Map<string, WindowState>();
  for (const [kind, key] of Object.entries(keys) as [Exclude<keyof KeyCounts, 'disputes'>, string][]) {
    const s = states.get(key);
    counts[kind] = countsAt(s, atMs);
    next.set(key, record(s, atMs, p.amountMinor, p.declined, kind === 'payer'));
  }
  return { features: featureVector(p, counts, profile), next };
}
