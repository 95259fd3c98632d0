// What a PayPal transaction event code means for reconciliation (developer.paypal.com/docs/transaction-search/
// transaction-event-codes/; paypal.md §4: "T" + 2-digit group + 2-digit type, CR/DR relative to the account).
// Each class says where its D365 counterpart is, if any.
export type TCodeClass =
  /** a customer payment: a ppc_paypaltransaction (Capture/Sale) with the same PayPal id */
  | 'payment'
  /** a merchant refund: a ppc_paypaltransaction (Refund) with the refund id */
  | 'refund'
  /** a reversal or chargeback by PayPal: a ppc_paypaltransaction (Reversal) */
  | 'reversal'
  /** a payout item (its fee on the same row): a ppc_payoutitem with this transaction id */
  | 'payout'
  /** currency conversion: a pair of rows (from, to); posted here with the realised FX result */
  | 'conversion'
  /** withdrawal to a bank account: a bank deposit recorded in D365 (N:1 by bank reference) */
  | 'withdrawal'
  /** holds, releases, reserves, fee reversals, payout returns: balance movements without a D365 record of their own */
  | 'movement'
  /** a code we do not know: an unexplained balance movement */
  | 'unknown';

const EXACT: Record<string, TCodeClass> = {
  T0001: 'payout', // MassPay / Payouts
  T0104: 'movement', // mass pay batch fee
  T1106: 'reversal', // payment reversal by PayPal
  T1107: 'refund', // refund by merchant
  T1108: 'movement', // fee reversal
  T1201: 'reversal', // chargeback
  T1202: 'movement', // chargeback reversal
  T1114: 'movement', // MassPay reversal
  T1115: 'movement', // MassPay refund
};

export function classify(code: string): TCodeClass {
  const exact = EXACT[code];
  if (exact) return exact;
  const group = code.slice(0, 3);
  if (group === 'T00' || group === 'T05' || group === 'T07') return 'payment';
  if (group === 'T02') return 'conversion';
  if (group === 'T04') return 'withdrawal';
  if (group === 'T03' || group === 'T11' || group === 'T12' || group === 'T15' || group === 'T21' || group === 'T20')
    return 'movement';
  return 'unknown';
}

/** The D365 counterpart is a ppc_paypaltransaction (looked up by PayPal id). */
export const bookedAsTransaction = (c: TCodeClass) => c === 'payment' || c === 'refund' || c === 'reversal';
