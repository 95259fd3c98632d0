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
  /** T1110 hold for dispute investigation: a ppc_dispute on the held payment (PayPal Reference ID) */
  | 'dispute_hold'
  /** T1111 cancellation of a dispute hold: that ppc_dispute, resolved */
  | 'dispute_release'
  /** T1114/T1115 MassPay reversal/refund: the ppc_payoutitem of the original payout (PayPal Reference ID), returned */
  | 'payout_return'
  /** other holds, releases, reserves, fee reversals: balance movements without a D365 record of their own */
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
  T1110: 'dispute_hold', // hold for dispute investigation
  T1111: 'dispute_release', // cancellation of hold for dispute resolution
  T1114: 'payout_return', // MassPay reversal transaction
  T1115: 'payout_return', // MassPay refund transaction
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
