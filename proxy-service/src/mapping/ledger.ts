// The journal lines of a PayPal payment, balanced per currency (ARCHITECTURE §3):
//   Dr clearing (per currency)  net      Dr fee expense  fee      Cr receivable  gross
// In base currency the receivable is valued at the booking rate (ppc_fxrate) and the clearing at what PayPal
// actually credited (its receivable_amount / exchange_rate); the difference is a realised FX gain or loss
// line, posted in base currency only (zero in the payment currency). No rate at all: no base amounts, flagged.
import { errors } from '../errors.ts';
import { LedgerPurpose, LedgerSide } from './dataverse-values.ts';
import { add, convert, money, type Money } from './money.ts';
import type { PaymentFacts } from './payment-facts.ts';

export interface LedgerLine {
  lineNo: number;
  purpose: number;
  side: number;
  accountCode: string;
  amount: Money;
  /** in base currency; undefined when no exchange rate was available */
  base?: Money;
  description: string;
}

export interface Posting {
  lines: LedgerLine[];
  /** rate used for the base amounts of the payment itself (PayPal's when it gave one) */
  rate?: string;
  grossBase?: Money;
  feeBase?: Money;
  netBase?: Money;
  fxMissing: boolean;
}

export interface PostingRules {
  baseCurrency: string;
  /** account code for a purpose in a currency (falls back to currency "XXX"), undefined when unmapped */
  account(purpose: number, currency: string): string | undefined;
  /** booking rate from → to on a date (ppc_fxrate), as decimal text */
  fxRate(from: string, to: string, date: string): string | undefined;
}

function accountFor(rules: PostingRules, purpose: number, currency: string, name: string): string {
  const code = rules.account(purpose, currency);
  if (!code)
    throw errors.validation(`no GL account mapped for ${name} in ${currency} (ppc_glaccountmap, or currency XXX)`);
  return code;
}

export function postPayment(facts: PaymentFacts, rules: PostingRules, sign: 1 | -1 = 1): Posting {
  const cur = facts.gross.currency;
  const base = rules.baseCurrency;
  const date = facts.updateTime.slice(0, 10);
  const payRate =
    facts.exchangeRate && facts.exchangeRate.from === cur && facts.exchangeRate.to === base
      ? facts.exchangeRate.value
      : undefined;
  const bookRate = cur === base ? '1' : rules.fxRate(cur, base, date);
  const settleRate = payRate ?? bookRate;
  const valueRate = bookRate ?? payRate;
  const fxMissing = !settleRate || !valueRate;

  const [dr, cr] = sign === 1 ? [LedgerSide.Debit, LedgerSide.Credit] : [LedgerSide.Credit, LedgerSide.Debit];
  const netBase = fxMissing
    ? undefined
    : facts.receivable?.currency === base && payRate
      ? facts.receivable
      : convert(facts.net, settleRate, base);
  const feeBase = fxMissing ? undefined : convert(facts.fee, settleRate, base);
  const grossBase = fxMissing ? undefined : convert(facts.gross, valueRate, base);

  const lines: LedgerLine[] = [];
  const push = (
    purpose: number,
    name: string,
    side: number,
    amount: Money,
    baseAmount: Money | undefined,
    description: string,
  ) =>
    lines.push({
      lineNo: lines.length + 1,
      purpose,
      side,
      accountCode: accountFor(rules, purpose, cur, name),
      amount,
      ...(baseAmount ? { base: baseAmount } : {}),
      description,
    });

  push(LedgerPurpose.Clearing, 'Clearing', dr, facts.net, netBase, `PayPal ${facts.kind} ${facts.paypalId} net`);
  if (facts.fee.minor !== 0)
    push(LedgerPurpose.FeeExpense, 'Fee Expense', dr, facts.fee, feeBase, `PayPal fee on ${facts.paypalId}`);
  push(
    LedgerPurpose.Receivable,
    'Receivable',
    cr,
    facts.gross,
    grossBase,
    `PayPal ${facts.kind} ${facts.paypalId} gross`,
  );

  if (grossBase && netBase && feeBase) {
    const diff = grossBase.minor - add(netBase, feeBase).minor; // credit side minus debit side, before FX
    if (diff !== 0) {
      // Debits short of credits → a loss debited; otherwise a gain credited. Reversed postings swap sides.
      const loss = diff > 0;
      push(
        loss ? LedgerPurpose.FxLoss : LedgerPurpose.FxGain,
        loss ? 'Fx Loss' : 'Fx Gain',
        loss ? dr : cr,
        money(0, cur),
        money(Math.abs(diff), base),
        `FX difference on ${facts.paypalId}`,
      );
    }
  }
  return {
    lines,
    ...(settleRate ? { rate: settleRate } : {}),
    ...(grossBase ? { grossBase } : {}),
    ...(feeBase ? { feeBase } : {}),
    ...(netBase ? { netBase } : {}),
    fxMissing,
  };
}

/** Σ debits − Σ credits per currency, in payment currency and in base: both must be zero. */
export function imbalance(lines: LedgerLine[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) {
    const s = l.side === LedgerSide.Debit ? 1 : -1;
    out[l.amount.currency] = (out[l.amount.currency] ?? 0) + s * l.amount.minor;
    if (l.base) out[`base:${l.base.currency}`] = (out[`base:${l.base.currency}`] ?? 0) + s * l.base.minor;
  }
  return out;
}
