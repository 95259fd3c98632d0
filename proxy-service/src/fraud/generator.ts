// A seeded generator of a merchant's payments with injected fraud patterns, for the evaluation (evaluate.ts)
// and the benchmark. Its assumptions (written down in README "Fraud scoring" too):
// - one USD shop, customers mostly in the US (85 %), some in CA, GB, DE; busy 14:00–04:00 UTC (US daytime);
// - a legit customer has a typical amount (log-normal, median 45 USD) and buys 1–8 times in the period, 80 % with
//   PayPal, 20 % with a card; 5 % of purchases ship to another address (gifts), 2 % are declined once and retried;
//   PayPal's signals are mostly good (Seller Protection eligible 85 %, unverified payers 8 %, AVS/CVV mismatches 3 %/1 %);
// - card testing: one stolen BIN, 20–60 tiny card payments (1–5 USD) in 30 minutes, ~60 % declined, new payers;
// - account takeover: an existing customer's account pays 4–15× their usual amount, 1–3 times within an hour, to a
//   new address (abroad 60 %), often at night;
// - triangulation: new payers with stolen cards buy mid/high-value goods shipped to the real buyers' addresses
//   (AVS mismatch 40 %, abroad 30 %);
// - friendly fraud: existing customers with a history of refunds (ratio 0.3–0.8) buy normally and dispute later;
// - velocity ring: 5–15 new, mostly unverified accounts sharing one or two shipping addresses buy 200–800 USD
//   goods within a few hours (abroad 50 %).
// Disputes (`disputedAt`: when the buyer opens one; the dispute ratio feature reads them, disputes.ts):
// - 0.5 % of legit purchases are disputed 5–60 days later (item not received, not as described);
// - friendly fraud is serial: 60 % of friendly fraudsters disputed an earlier purchase (opened 3–30 days after it,
//   before the fraudulent one); the fraudulent purchase itself is disputed 10–60 days later;
// - the real owner disputes an account takeover's payments 1–7 days later, and card owners charge back card
//   testing and triangulation payments that went through 5–45 days later (their payers are new: no effect on a
//   ratio, but the ledger sees them as the proxy would).
import type { PaymentSignals } from './features.ts';

export type Pattern =
  'legit' | 'card_testing' | 'account_takeover' | 'triangulation' | 'friendly_fraud' | 'velocity_ring';
export const FRAUD_PATTERNS: Pattern[] = [
  'card_testing',
  'account_takeover',
  'triangulation',
  'friendly_fraud',
  'velocity_ring',
];

export interface GeneratedPayment {
  signals: PaymentSignals;
  pattern: Pattern;
  label: 0 | 1;
  /** ISO time the buyer opens a dispute (chargeback) on this payment, if ever */
  disputedAt?: string;
}

export interface GeneratorOptions {
  seed: number;
  customers?: number;
  days?: number;
  start?: string;
  /** attacks of each pattern over the period */
  attacks?: Partial<Record<Pattern, number>>;
}

/** mulberry32: a small seeded PRNG (same seed, same payments on every machine). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const MIN = 60_000;

export function generatePayments(o: GeneratorOptions): GeneratedPayment[] {
  const r = rng(o.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const days = o.days ?? 120;
  const t0 = Date.parse(o.start ?? '2026-01-01T00:00:00Z');
  const span = days * 24 * HOUR;
  const out: GeneratedPayment[] = [];
  let seq = 0;
  const id = () => `GEN${(++seq).toString(36).toUpperCase().padStart(8, '0')}`;
  // Daytime in the US: 14:00–04:00 UTC busy, the rest quiet.
  const busy = (h: number) => h >= 14 || h < 4;
  const shopTime = (): number => {
    for (;;) {
      const t = t0 + Math.floor(r() * span);
      if (busy(new Date(t).getUTCHours()) ? r() < 1 : r() < 0.15) return t;
    }
  };
  const nightTime = (near?: number): number => {
    const base = near ?? t0 + Math.floor(r() * span);
    const d = new Date(base);
    d.setUTCHours(int(5, 12), int(0, 59));
    return Math.min(d.getTime(), t0 + span - HOUR);
  };
  const money = (major: number) => Math.max(100, Math.round(major * 100));
  const street = () =>
    `${int(1, 9999)} ${pick(['Oak', 'Pine', 'Main', 'Elm', 'Lake', 'Hill', 'Park'])} St|${int(10000, 99999)}`;
  const push = (pattern: Pattern, s: Omit<PaymentSignals, 'paypalId' | 'currency' | 'decimals'>) => {
    const g: GeneratedPayment = {
      signals: { paypalId: id(), currency: 'USD', decimals: 2, ...s },
      pattern,
      label: pattern === 'legit' ? 0 : 1,
    };
    out.push(g);
    return g;
  };
  const DAY = 24 * HOUR;
  /** the payment is disputed `lo`–`hi` days after it */
  const dispute = (g: GeneratedPayment, lo: number, hi: number) => {
    if (!g.signals.declined)
      g.disputedAt = new Date(Date.parse(g.signals.at) + lo * DAY + r() * (hi - lo) * DAY).toISOString();
  };
  const card = () => ({
    brand: pick(['VISA', 'MASTERCARD', 'AMEX']),
    bin: String(int(400000, 559999)),
    lastDigits: String(int(1000, 9999)),
  });
  const goodProcessor = () => ({
    avs: r() < 0.03 ? 'N' : 'Y',
    cvv: r() < 0.01 ? 'N' : 'M',
    response: '0000',
  });

  interface Customer {
    payerId: string;
    email: string;
    country: string;
    address: string;
    median: number;
    refundRatio: number;
    unverified: boolean;
    card?: PaymentSignals['card'];
    paid: number;
    history: GeneratedPayment[];
  }
  const customers: Customer[] = [];
  for (let c = 0; c < (o.customers ?? 3000); c++) {
    const u = r();
    const country = u < 0.85 ? 'US' : u < 0.9 ? 'CA' : u < 0.95 ? 'GB' : 'DE';
    customers.push({
      payerId: `LEGIT${c.toString(36).toUpperCase().padStart(7, '0')}`,
      email: `customer${c}@example.com`,
      country,
      address: `${street()}|${country}`,
      median: 45 * Math.exp(0.8 * normal()),
      refundRatio: r() < 0.1 ? 0.05 + 0.25 * r() : 0,
      unverified: r() < 0.08,
      ...(r() < 0.2 ? { card: card() } : {}),
      paid: 0,
      history: [],
    });
  }
  // Legit purchases, in time order per customer so payment counts grow.
  const legit: { c: Customer; t: number }[] = [];
  for (const c of customers) for (let k = int(1, 8); k > 0; k--) legit.push({ c, t: shopTime() });
  const protection = () => {
    const u = r();
    return u < 0.85 ? 'ELIGIBLE' : u < 0.95 ? 'PARTIALLY_ELIGIBLE' : 'NOT_ELIGIBLE';
  };
  const legitPayment = (c: Customer, t: number, pattern: Pattern, extra: Partial<PaymentSignals> = {}) => {
    const gift = r() < 0.05;
    const base = {
      at: new Date(t).toISOString(),
      amountMinor: money(c.median * Math.exp(0.3 * normal())),
      declined: false,
      source: c.card ? ('card' as const) : ('paypal' as const),
      payerId: c.payerId,
      email: c.email,
      payerCountry: c.country,
      shipCountry: c.country,
      shipAddress: gift ? `${street()}|${c.country}` : c.address,
      ...(c.card ? { card: c.card, processor: goodProcessor() } : {}),
      sellerProtection: protection(),
      payerStatus: c.unverified ? 'UNVERIFIED' : 'VERIFIED',
      customer: { paymentCount: c.paid, refundRatio: c.refundRatio },
      ...extra,
    };
    let g: GeneratedPayment;
    if (r() < 0.02 && pattern === 'legit') {
      // declined once (insufficient funds), retried a few minutes later
      push(pattern, {
        ...base,
        declined: true,
        ...(c.card ? { processor: { ...goodProcessor(), response: '5120' } } : {}),
      });
      g = push(pattern, { ...base, at: new Date(t + int(2, 10) * MIN).toISOString() });
    } else g = push(pattern, base);
    c.paid += 1;
    c.history.push(g);
    return g;
  };
  legit.sort((a, b) => a.t - b.t);
  // Friendly fraud: some existing customers turn; their purchases look normal.
  const attacks = (p: Pattern, dflt: number) => o.attacks?.[p] ?? dflt;
  const friendly = new Set<Customer>();
  for (let k = attacks('friendly_fraud', 150); k > 0; k--) friendly.add(pick(customers));
  const friendlyDone = new Set<Customer>();
  for (const { c, t } of legit) {
    if (friendly.has(c) && c.paid >= 1 && !friendlyDone.has(c)) {
      friendlyDone.add(c);
      // a serial disputer: an earlier purchase (at least 4 days back) disputed before this one
      const earlier = c.history.filter((h) => !h.disputedAt && Date.parse(h.signals.at) < t - 4 * DAY);
      if (earlier.length && r() < 0.6) {
        const e = pick(earlier);
        const span = Math.min(30, (t - Date.parse(e.signals.at)) / DAY - 1);
        dispute(e, Math.min(3, span), span);
      }
      const g = legitPayment(c, t, 'friendly_fraud', {
        amountMinor: money(c.median * (1 + r()) * Math.exp(0.3 * normal())),
        customer: { paymentCount: c.paid, refundRatio: 0.3 + 0.5 * r() },
      });
      dispute(g, 10, 60);
      continue;
    }
    const g = legitPayment(c, t, 'legit');
    if (r() < 0.005) dispute(g, 5, 60);
  }

  for (let k = attacks('card_testing', 12); k > 0; k--) {
    const start = r() < 0.6 ? nightTime() : shopTime();
    const bin = String(int(400000, 559999));
    const ship = `${street()}|US`;
    for (let j = int(20, 60); j > 0; j--) {
      const declined = r() < 0.6;
      const g = push('card_testing', {
        at: new Date(start + Math.floor(r() * 30 * MIN)).toISOString(),
        amountMinor: int(100, 500),
        declined,
        source: 'card',
        payerId: `CT${k}X${j}`,
        email: `buyer${int(1, 1e6)}@mail${int(1, 50)}.test`,
        payerCountry: 'US',
        shipCountry: 'US',
        shipAddress: ship,
        card: { brand: 'VISA', bin, lastDigits: String(int(1000, 9999)) },
        processor: {
          avs: r() < 0.5 ? 'N' : 'Y',
          cvv: r() < 0.4 ? 'N' : 'M',
          response: declined ? pick(['5100', '5120', '00N7']) : '0000',
        },
        sellerProtection: 'NOT_ELIGIBLE',
        payerStatus: 'UNVERIFIED',
        customer: { paymentCount: 0, refundRatio: 0 },
      });
      dispute(g, 5, 45);
    }
  }
  const existing = () => {
    for (;;) {
      const c = pick(customers);
      if (c.paid >= 2) return c;
    }
  };
  for (let k = attacks('account_takeover', 60); k > 0; k--) {
    const c = existing();
    const abroad = r() < 0.6;
    const country = abroad ? pick(['NG', 'RU', 'BR', 'ID', 'GB']) : c.country;
    const address = `${street()}|${country}`;
    const t = r() < 0.5 ? nightTime() : shopTime();
    for (let j = int(1, 3); j > 0; j--)
      dispute(
        legitPayment(c, t + j * int(3, 20) * MIN, 'account_takeover', {
          amountMinor: money(c.median * (4 + 11 * r())),
          shipCountry: country,
          shipAddress: address,
          sellerProtection: r() < 0.5 ? 'ELIGIBLE' : 'NOT_ELIGIBLE',
        }),
        1,
        7,
      );
  }
  for (let k = attacks('triangulation', 150); k > 0; k--) {
    const abroad = r() < 0.3;
    const country = abroad ? pick(['CA', 'GB', 'MX']) : 'US';
    const g = push('triangulation', {
      at: new Date(shopTime()).toISOString(),
      amountMinor: money(80 + 400 * r()),
      declined: false,
      source: 'card',
      payerId: `TRI${k}`,
      email: `tri${k}.${int(1, 999)}@example.net`,
      payerCountry: 'US',
      shipCountry: country,
      shipAddress: `${street()}|${country}`,
      card: card(),
      processor: { avs: r() < 0.4 ? 'N' : 'Y', cvv: 'M', response: '0000' },
      sellerProtection: protection(),
      payerStatus: r() < 0.3 ? 'UNVERIFIED' : 'VERIFIED',
      customer: { paymentCount: 0, refundRatio: 0 },
    });
    dispute(g, 5, 45);
  }
  for (let k = attacks('velocity_ring', 20); k > 0; k--) {
    const start = shopTime();
    const abroad = r() < 0.5;
    const country = abroad ? pick(['NG', 'UA', 'VN']) : 'US';
    const addresses = [`${street()}|${country}`, `${street()}|${country}`];
    for (let j = int(5, 15); j > 0; j--)
      push('velocity_ring', {
        at: new Date(start + Math.floor(r() * 4 * HOUR)).toISOString(),
        amountMinor: money(200 + 600 * r()),
        declined: false,
        source: 'paypal',
        payerId: `RING${k}M${j}`,
        email: `ring${k}m${j}@quickmail.test`,
        payerCountry: r() < 0.5 ? 'US' : country,
        shipCountry: country,
        shipAddress: pick(addresses),
        sellerProtection: protection(),
        payerStatus: r() < 0.7 ? 'UNVERIFIED' : 'VERIFIED',
        customer: { paymentCount: 0, refundRatio: 0 },
      });
  }
  return out.sort((a, b) => (a.signals.at < b.signals.at ? -1 : a.signals.at > b.signals.at ? 1 : 0));
}
