// Building a payout batch from due vendor bills (pure). Every bill is checked on its own; a bad bill is
// excluded with its reason and never rejects the batch. Facts (PayPal Payouts v1, payments_payouts_batch_v1.json
// and developer.paypal.com/docs/api/payments.payouts-batch/v1/):
// - items[].recipient_type EMAIL | PHONE | PAYPAL_ID, receiver ≤ 127 characters, sender_item_id ≤ 63;
// - amount {currency, value}; currencies of the REST API (developer.paypal.com/api/rest/reference/currency-codes/),
//   HUF, JPY and TWD without decimals (minor-units.ts);
// - at most 15,000 items per POST /v1/payments/payouts (more answers 400): larger groups are split.
import { ReceiverType } from '@ppc/solution';
import { recordId } from '../ids.ts';
import { formatAmount, money, type Money } from '../money.ts';
import { isoMinorUnitsOrUndefined, paypalDecimals } from '../minor-units.ts';
import { DEFAULT_FEE_TABLE, feeEstimate } from './fees.ts';

/** PayPal's REST currency codes (developer.paypal.com/api/rest/reference/currency-codes/). */
export const PAYOUT_CURRENCIES: ReadonlySet<string> = new Set([
  'AUD',
  'BRL',
  'CAD',
  'CNY',
  'CZK',
  'DKK',
  'EUR',
  'HKD',
  'HUF',
  'ILS',
  'JPY',
  'MYR',
  'MXN',
  'TWD',
  'NZD',
  'NOK',
  'PHP',
  'PLN',
  'GBP',
  'SGD',
  'SEK',
  'CHF',
  'THB',
  'USD',
]);

/** Items per POST /v1/payments/payouts (payments_payouts_batch_v1.json: items maxItems 15000). */
export const MAX_ITEMS_PER_CALL = 15_000;

export type RecipientType = 'EMAIL' | 'PHONE' | 'PAYPAL_ID';

export const RECIPIENT_OF_CHOICE: Record<number, RecipientType> = {
  [ReceiverType.Email]: 'EMAIL',
  [ReceiverType.Phone]: 'PHONE',
  [ReceiverType.PayPalId]: 'PAYPAL_ID',
};

export interface DueBill {
  id: string;
  /** the bill number */
  name: string;
  vendorId?: string;
  /** the vendor is a contact (ppc_vendorcontactid), not an account */
  vendorTable?: 'contact';
  amount: Money;
  /** ppc_receivertype choice value; undefined when the bill names no receiver */
  receiverType?: number;
  receiver?: string;
}

export interface PlannedItem {
  /** ppc_payoutitemid and PayPal's sender_item_id: a name-based id of (batch, bill), so a rebuild finds it */
  itemId: string;
  billId: string;
  billName: string;
  vendorId?: string;
  vendorTable?: 'contact';
  recipientType: RecipientType;
  receiver: string;
  amount: Money;
}

export interface ExcludedBill {
  itemId: string;
  bill: DueBill;
  reason: string;
}

export interface BatchPlan {
  items: PlannedItem[];
  excluded: ExcludedBill[];
  /** per currency: Σ amounts and the fee estimate of the valid items */
  totals: Record<string, { amount: Money; feeEstimate: Money; count: number }>;
}

export interface BuildRules {
  /** per-item limit in the item's currency (minor units), e.g. from ppc_PayoutItemLimit; none when undefined */
  itemLimitMinor?: (currency: string) => number | undefined;
  /** bills that are already in a payout item that has not ended (another open batch) */
  inOpenBatch: ReadonlySet<string>;
  /** fee estimate of one item (PayPal's pricing is per account: an estimate, the real fee comes back per item) */
  feeEstimate?: (amount: Money) => Money;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
/** PayPal's payer id: 13 characters, upper-case letters and digits (e.g. "QYR5Z8XDVJNXQ"). */
const PAYER_ID = /^[A-Z0-9]{13}$/;
/** E.164 without formatting: up to 15 digits, optional leading +. */
const PHONE = /^\+?[1-9]\d{6,14}$/;

/** Why a receiver cannot be paid, or undefined when its format is right for its type. */
export function receiverProblem(type: RecipientType, receiver: string): string | undefined {
  if (receiver.length > 127) return 'receiver is longer than 127 characters';
  if (type === 'EMAIL' && !EMAIL.test(receiver)) return `receiver "${receiver}" is not an email address`;
  if (type === 'PAYPAL_ID' && !PAYER_ID.test(receiver))
    return `receiver "${receiver}" is not a PayPal payer id (13 upper-case letters and digits)`;
  if (type === 'PHONE' && !PHONE.test(receiver.replace(/[\s()-]/g, '')))
    return `receiver "${receiver}" is not a phone number (E.164, up to 15 digits)`;
  return undefined;
}

/** Default fee estimate: the shipped fee table (fees.ts; PAYOUT_FEE_TABLE replaces it per currency). */
export function defaultFeeEstimate(amount: Money): Money {
  return feeEstimate(DEFAULT_FEE_TABLE, amount);
}

export const payoutItemId = (batchId: string, billId: string) => recordId('payout-item', `${batchId}:${billId}`);

const dupKey = (b: DueBill) => `${b.vendorId ?? ''}|${b.name.trim().toLowerCase()}`;

/** Checks every bill; the first of two bills with the same vendor and bill number is kept. Deterministic. */
export function planBatch(batchId: string, bills: readonly DueBill[], rules: BuildRules): BatchPlan {
  const sorted = [...bills].sort((a, b) =>
    a.name === b.name ? a.id.localeCompare(b.id) : a.name.localeCompare(b.name),
  );
  const seen = new Map<string, DueBill>();
  const items: PlannedItem[] = [];
  const excluded: ExcludedBill[] = [];
  const fee = rules.feeEstimate ?? defaultFeeEstimate;
  for (const bill of sorted) {
    const itemId = payoutItemId(batchId, bill.id);
    const exclude = (reason: string) => excluded.push({ itemId, bill, reason });
    const cur = bill.amount.currency;
    const type = bill.receiverType === undefined ? undefined : RECIPIENT_OF_CHOICE[bill.receiverType];
    const receiver = bill.receiver?.trim();
    const first = seen.get(dupKey(bill));
    if (first) {
      exclude(`duplicate of bill ${first.name} (${first.id}) for the same vendor in this batch`);
      continue;
    }
    seen.set(dupKey(bill), bill);
    if (rules.inOpenBatch.has(bill.id)) {
      exclude('the bill is already in another payout batch that has not ended');
      continue;
    }
    if (!receiver || !type) {
      exclude('the vendor has no PayPal receiver (receiver and receiver type)');
      continue;
    }
    const problem = receiverProblem(type, receiver);
    if (problem) {
      exclude(problem);
      continue;
    }
    if (!PAYOUT_CURRENCIES.has(cur)) {
      exclude(`PayPal Payouts do not support ${cur}`);
      continue;
    }
    if (bill.amount.minor <= 0) {
      exclude('the amount must be positive');
      continue;
    }
    const shift = (isoMinorUnitsOrUndefined(cur) ?? 2) - paypalDecimals(cur);
    if (shift > 0 && bill.amount.minor % 10 ** shift !== 0) {
      exclude(`PayPal takes ${cur} amounts without decimals (${formatAmount(bill.amount)})`);
      continue;
    }
    const limit = rules.itemLimitMinor?.(cur);
    if (limit !== undefined && bill.amount.minor > limit) {
      exclude(
        `amount ${formatAmount(bill.amount)} ${cur} is above the payout item limit ${formatAmount(money(limit, cur))}`,
      );
      continue;
    }
    items.push({
      itemId,
      billId: bill.id,
      billName: bill.name,
      ...(bill.vendorId ? { vendorId: bill.vendorId } : {}),
      ...(bill.vendorTable ? { vendorTable: bill.vendorTable } : {}),
      recipientType: type,
      receiver,
      amount: bill.amount,
    });
  }
  const totals: BatchPlan['totals'] = {};
  for (const it of items) {
    const cur = it.amount.currency;
    const t = (totals[cur] ??= { amount: money(0, cur), feeEstimate: money(0, cur), count: 0 });
    t.amount = money(t.amount.minor + it.amount.minor, cur);
    t.feeEstimate = money(t.feeEstimate.minor + fee(it.amount).minor, cur);
    t.count += 1;
  }
  return { items, excluded, totals };
}

export interface SubmissionPart {
  /** sender_batch_id: the batch id for a batch of one part, else batch id + currency + part number */
  senderBatchId: string;
  currency: string;
  items: PlannedItem[];
}

/**
 * One POST per currency (PayPal answers one currency per batch here) and per 15,000 items; deterministic:
 * currencies in code order, items in item-id order, so a retry rebuilds the same parts with the same ids.
 */
export function splitParts(batchId: string, items: readonly PlannedItem[], max = MAX_ITEMS_PER_CALL): SubmissionPart[] {
  const byCurrency = new Map<string, PlannedItem[]>();
  for (const it of [...items].sort((a, b) => a.itemId.localeCompare(b.itemId)))
    (byCurrency.get(it.amount.currency) ?? byCurrency.set(it.amount.currency, []).get(it.amount.currency)!).push(it);
  const parts: SubmissionPart[] = [];
  for (const cur of [...byCurrency.keys()].sort()) {
    const list = byCurrency.get(cur)!;
    for (let i = 0; i * max < list.length; i++)
      parts.push({ senderBatchId: '', currency: cur, items: list.slice(i * max, (i + 1) * max) });
  }
  const counters = new Map<string, number>();
  for (const p of parts) {
    const n = (counters.get(p.currency) ?? 0) + 1;
    counters.set(p.currency, n);
    p.senderBatchId = parts.length === 1 ? batchId : `${batchId}-${p.currency}-${n}`;
  }
  return parts;
}
