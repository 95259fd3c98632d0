// What a payout item's PayPal state means in D365 (pure): the item's status, the bill's, the PayPal transaction
// and the ledger lines, booked in stages so a replay or a later status adds only what is missing.
//
// PayPal item transaction_status (payments_payouts_batch_v1.json): SUCCESS, FAILED, PENDING, UNCLAIMED, RETURNED,
// ONHOLD, BLOCKED, REFUNDED, REVERSED. Money leaves the PayPal balance when an item is paid (SUCCESS) or waits for
// its receiver (UNCLAIMED, ONHOLD: PayPal debits the sender and holds the funds); an unclaimed item comes back after
// 30 days (RETURNED); a paid item can come back (REFUNDED by the receiver, REVERSED by PayPal). FAILED and BLOCKED
// items never moved money.
//
// Ledger stages (each balanced per currency; line numbers fixed per stage, so the alternate key
// ppc_sourceid + ppc_lineno makes every write an upsert):
//   out      1 Cr Clearing (amount + fee)   2 Dr Fee Expense (fee)   3 Dr Payable (paid) | Dr Held Funds (waiting)
//   settled  4 Dr Payable (amount)          5 Cr Held Funds          — a waiting item claimed later
//   returned 6 Dr Clearing (amount)         7 Cr Payable | Cr Held Funds — money came back; PayPal keeps its fee
import { PayoutItemStatus as ItemStatusValues, payoutItem, statusPairs } from '@ppc/solution';
import { errors } from '../../errors.ts';
import { LedgerPurpose, LedgerSide } from '../dataverse-values.ts';
import type { LedgerLine, PostingRules } from '../ledger.ts';
import { convert, money, type Money } from '../money.ts';

export const PayoutItemStatus = statusPairs(payoutItem, ItemStatusValues);

export type PayPalItemStatus =
  'SUCCESS' | 'FAILED' | 'PENDING' | 'UNCLAIMED' | 'RETURNED' | 'ONHOLD' | 'BLOCKED' | 'REFUNDED' | 'REVERSED';

export const ITEM_STATUS: Record<PayPalItemStatus, { statecode: number; statuscode: number }> = {
  SUCCESS: PayoutItemStatus.Success,
  FAILED: PayoutItemStatus.Failed,
  PENDING: PayoutItemStatus.Pending,
  UNCLAIMED: PayoutItemStatus.Unclaimed,
  RETURNED: PayoutItemStatus.Returned,
  ONHOLD: PayoutItemStatus.OnHold,
  BLOCKED: PayoutItemStatus.Blocked,
  REFUNDED: PayoutItemStatus.Refunded,
  REVERSED: PayoutItemStatus.Reversed,
};

/** Statuses after which PayPal changes nothing more for the item (UNCLAIMED still ends RETURNED after 30 days). */
export const TERMINAL: ReadonlySet<string> = new Set([
  'SUCCESS',
  'FAILED',
  'RETURNED',
  'BLOCKED',
  'REFUNDED',
  'REVERSED',
]);
export const MONEY_OUT: ReadonlySet<string> = new Set([
  'SUCCESS',
  'UNCLAIMED',
  'ONHOLD',
  'RETURNED',
  'REFUNDED',
  'REVERSED',
]);
const MONEY_BACK: ReadonlySet<string> = new Set(['RETURNED', 'REFUNDED', 'REVERSED']);
/** The bill goes back to Open: nothing was paid, or what was paid came back. */
export const BILL_REOPENS: ReadonlySet<string> = new Set(['FAILED', 'BLOCKED', 'RETURNED', 'REFUNDED', 'REVERSED']);

export const isPayPalItemStatus = (s: unknown): s is PayPalItemStatus =>
  typeof s === 'string' && Object.hasOwn(ITEM_STATUS, s);

/** What is awaited for an item that has not ended (shown on the item). */
export const AWAITED: Partial<Record<PayPalItemStatus, string>> = {
  PENDING: 'PayPal is processing the item',
  UNCLAIMED:
    'the receiver has no PayPal account for this address yet: PayPal returns the money after 30 days unless it is claimed; it can be cancelled from D365',
  ONHOLD: 'PayPal holds the item for review',
};

export type Stage = 'out-payable' | 'out-held' | 'settled' | 'returned';

/** PayPal's facts of one payout item (GET /v1/payments/payouts-item/{id} or an item of GET batch). */
export interface ItemFacts {
  payoutItemId: string;
  senderItemId: string;
  payoutBatchId: string;
  transactionId?: string;
  status: PayPalItemStatus;
  amount: Money;
  fee: Money;
  errorName?: string;
  errorMessage?: string;
  timeProcessed?: string;
}

export interface StagePlan {
  /** stages to add now, in order */
  add: Stage[];
  lines: LedgerLine[];
}

function accountFor(rules: PostingRules, purpose: number, currency: string, name: string): string {
  const code = rules.account(purpose, currency);
  if (!code)
    throw errors.validation(`no GL account mapped for ${name} in ${currency} (ppc_glaccountmap, or currency XXX)`);
  return code;
}

/** The stages the item's status needs that are not booked yet, with their ledger lines. */
export function planStages(facts: ItemFacts, booked: readonly Stage[], rules: PostingRules): StagePlan {
  const has = (s: Stage) => booked.includes(s);
  const add: Stage[] = [];
  const out: Stage | undefined = has('out-payable') ? 'out-payable' : has('out-held') ? 'out-held' : undefined;
  let outNow: Stage | undefined = out;
  if (!out && MONEY_OUT.has(facts.status)) {
    // Seen first as RETURNED: the item waited unclaimed and came back; REFUNDED/REVERSED: it had been paid.
    outNow =
      facts.status === 'UNCLAIMED' || facts.status === 'ONHOLD' || facts.status === 'RETURNED'
        ? 'out-held'
        : 'out-payable';
    add.push(outNow);
  }
  const settled = has('settled');
  if (outNow === 'out-held' && !settled && facts.status === 'SUCCESS') add.push('settled');
  if (outNow && !has('returned') && MONEY_BACK.has(facts.status)) add.push('returned');

  const cur = facts.amount.currency;
  const date = (facts.timeProcessed ?? '').slice(0, 10) || new Date().toISOString().slice(0, 10);
  const rate = cur === rules.baseCurrency ? '1' : rules.fxRate(cur, rules.baseCurrency, date);
  const base = (m: Money) => (rate ? convert(m, rate, rules.baseCurrency) : undefined);
  const lines: LedgerLine[] = [];
  const line = (
    lineNo: number,
    purpose: number,
    name: string,
    side: number,
    amount: Money,
    description: string,
    b?: Money,
  ) =>
    lines.push({
      lineNo,
      purpose,
      side,
      accountCode: accountFor(rules, purpose, cur, name),
      amount,
      ...((b ?? base(amount)) ? { base: (b ?? base(amount))! } : {}),
      description,
    });
  const id = facts.payoutItemId;
  const heldUntilNow = outNow === 'out-held' && !settled && !add.includes('settled');
  for (const stage of add) {
    if (stage === 'out-payable' || stage === 'out-held') {
      const total = money(facts.amount.minor + facts.fee.minor, cur);
      const amountBase = base(facts.amount);
      const feeBase = base(facts.fee);
      // the credit's base is the sum of the debits' bases, so the base amounts balance to the unit
      const totalBase = amountBase && feeBase ? money(amountBase.minor + feeBase.minor, rules.baseCurrency) : undefined;
      line(
        1,
        LedgerPurpose.Clearing,
        'Clearing',
        LedgerSide.Credit,
        total,
        `PayPal payout item ${id} paid out`,
        totalBase,
      );
      if (facts.fee.minor !== 0)
        line(2, LedgerPurpose.FeeExpense, 'Fee Expense', LedgerSide.Debit, facts.fee, `PayPal payout fee on ${id}`);
      if (stage === 'out-payable')
        line(
          3,
          LedgerPurpose.Payable,
          'Payable',
          LedgerSide.Debit,
          facts.amount,
          `Vendor bill paid by payout item ${id}`,
        );
      else
        line(
          3,
          LedgerPurpose.HeldFunds,
          'Held Funds',
          LedgerSide.Debit,
          facts.amount,
          `Payout item ${id} awaiting the receiver`,
        );
    } else if (stage === 'settled') {
      line(
        4,
        LedgerPurpose.Payable,
        'Payable',
        LedgerSide.Debit,
        facts.amount,
        `Vendor bill paid by payout item ${id}`,
      );
      line(5, LedgerPurpose.HeldFunds, 'Held Funds', LedgerSide.Credit, facts.amount, `Payout item ${id} claimed`);
    } else {
      line(
        6,
        LedgerPurpose.Clearing,
        'Clearing',
        LedgerSide.Debit,
        facts.amount,
        `PayPal payout item ${id} came back (${facts.status})`,
      );
      if (heldUntilNow)
        line(
          7,
          LedgerPurpose.HeldFunds,
          'Held Funds',
          LedgerSide.Credit,
          facts.amount,
          `Payout item ${id} returned unclaimed`,
        );
      else
        line(
          7,
          LedgerPurpose.Payable,
          'Payable',
          LedgerSide.Credit,
          facts.amount,
          `Vendor bill reopened: payout item ${id} ${facts.status}`,
        );
    }
  }
  return { add, lines };
}

/** The reason shown on the item and its bill: PayPal's error, or what is awaited. */
export function itemMessage(facts: ItemFacts): string | undefined {
  if (facts.errorName || facts.errorMessage)
    return [facts.errorName, facts.errorMessage].filter(Boolean).join(': ').slice(0, 2000);
  if (MONEY_BACK.has(facts.status))
    return facts.status === 'RETURNED'
      ? 'RETURNED: the receiver did not claim the payout within 30 days (or it was cancelled); the money came back'
      : `${facts.status}: the paid payout came back`;
  if (facts.status === 'BLOCKED') return 'BLOCKED: PayPal blocked the payout to this receiver';
  if (facts.status === 'FAILED') return 'FAILED: PayPal could not pay the receiver';
  return AWAITED[facts.status];
}
