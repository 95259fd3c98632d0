// Fee estimate of a payout item, per currency, from a table (pure). PayPal: "The sender pays Payout fees at
// transaction time. Fees vary by sending country, are calculated as a percentage of each transaction, and are
// capped. Typically, the variable component is 2% and the domestic payments cap differs from the international
// payments cap" (developer.paypal.com/docs/payouts/reference/fees/, which points to the PayPal Merchant Fees page of
// the sender's country for the figures). The per-currency caps of that page could not be copied into this
// repository (no source of them was available to us when this was written), so the shipped table is PayPal's
// typical 2 % with the cap of 20 units of the currency the connector used before, and PAYOUT_FEE_TABLE replaces it
// per currency with the rates of the sender's own Merchant Fees page. PayPal's real fee comes back on every item
// (payout_item_fee) and is what the ledger books; this is only the estimate shown before approval.
import { money, parseAmount, type Money } from '../money.ts';

export interface FeeRule {
  /** percentage of the amount, as a decimal string ("2", "2.5") */
  percent: string;
  /** the largest fee of one item in major units of the currency ("20.00"); none when absent */
  cap?: string;
  /** a fixed part per item in major units, added before the cap */
  fixed?: string;
}

/** currency code → rule; "*" for any currency without its own row */
export type FeeTable = Readonly<Record<string, FeeRule>>;

export const DEFAULT_FEE_TABLE: FeeTable = { '*': { percent: '2', cap: '20' } };

const RULE = /^\d+(\.\d+)?$/;

/** Checks a table (PAYOUT_FEE_TABLE); the reason when it cannot be used. */
export function feeTableProblem(table: unknown): string | undefined {
  if (!table || typeof table !== 'object' || Array.isArray(table)) return 'must be a JSON object';
  for (const [cur, rule] of Object.entries(table as Record<string, unknown>)) {
    if (cur !== '*' && !/^[A-Z]{3}$/.test(cur)) return `"${cur}" is not a currency code or "*"`;
    const r = rule as Partial<Record<keyof FeeRule, unknown>> | null;
    if (!r || typeof r !== 'object') return `${cur}: must be {"percent", "cap"?, "fixed"?}`;
    if (typeof r.percent !== 'string' || !RULE.test(r.percent) || Number(r.percent) > 100)
      return `${cur}: percent must be a decimal string between 0 and 100`;
    for (const k of ['cap', 'fixed'] as const)
      if (r[k] !== undefined && (typeof r[k] !== 'string' || !RULE.test(r[k])))
        return `${cur}: ${k} must be a decimal string`;
  }
  return undefined;
}

/** The estimated fee of one item: percent of the amount (rounded half up in minor units), plus fixed, capped. */
export function feeEstimate(table: FeeTable, amount: Money): Money {
  const rule = table[amount.currency] ?? table['*'];
  if (!rule) return money(0, amount.currency);
  // percent as an integer of millionths: exact for up to 4 decimals ("2.9" → 29000 / 1,000,000 … of 100)
  const [whole, frac = ''] = rule.percent.split('.');
  const ppm = Number(whole) * 10_000 + Number((frac + '0000').slice(0, 4));
  let fee = Math.floor((amount.minor * ppm + 500_000) / 1_000_000);
  if (rule.fixed) fee += parseAmount(rule.fixed, amount.currency).minor;
  if (rule.cap !== undefined) fee = Math.min(fee, parseAmount(rule.cap, amount.currency).minor);
  return money(fee, amount.currency);
}
