// Matching (pure, streaming): report rows one at a time against what Dynamics 365 booked, 1:1 by PayPal
// transaction id, amounts and fees compared in minor units with tolerances, T-code aware (tcodes.ts); N:1 for
// withdrawals (several withdrawals to one bank deposit, by bank reference). Memory: the booked index, the
// breaks and the per-currency totals; rows are not kept.
import { formatAmount } from '../mapping/money.ts';
import type { ReportTransaction } from './report-parser.ts';
import { bookedAsTransaction, classify, type TCodeClass } from './tcodes.ts';

/** A D365 record PayPal activity should match. Amounts are unsigned minor units, as D365 stores them. */
export interface BookedRecord {
  paypalId: string;
  kind: 'transaction' | 'payout';
  currency: string;
  grossMinor: number;
  feeMinor: number;
  /** PayPal's status text as booked (ppc_paypalstatus), e.g. COMPLETED */
  status?: string;
  /** ppc_paypaltransactionid / ppc_payoutitemid */
  recordId?: string;
  /** set by the matcher when a report row matched it */
  seen?: boolean;
}

export type BreakKind =
  | 'missing_in_d365'
  | 'missing_in_paypal'
  | 'amount'
  | 'fee'
  | 'currency'
  | 'status'
  | 'withdrawal'
  | 'balance'
  | 'unexplained'
  | 'unknown_tcode';

export interface Break {
  kind: BreakKind;
  /** stable within a run date: PayPal id (or currency / bank reference) + kind */
  subject: string;
  paypalId?: string;
  eventCode?: string;
  currency: string;
  paypalMinor?: number;
  bookedMinor?: number;
  differenceMinor?: number;
  recordId?: string;
  /** what happened, in a finance user's words */
  explanation: string;
  /** what to do about it */
  action: string;
  /** the T-code class of the PayPal row (catch-up uses it) */
  tclass?: TCodeClass;
}

export interface Tolerances {
  amountMinor: number;
  feeMinor: number;
}

export interface CurrencyMovement {
  currency: string;
  rows: number;
  grossCreditMinor: number;
  grossDebitMinor: number;
  feeCreditMinor: number;
  feeDebitMinor: number;
  /** Σ gross + Σ fee: the balance change the rows explain */
  netMinor: number;
}

export interface ConversionLeg {
  transactionId: string;
  currency: string;
  /** signed: negative leaves, positive arrives */
  amountMinor: number;
  date: string;
}

/** A PayPal currency conversion: the legs that share a reference (the payment converted) or a date. */
export interface Conversion {
  reference: string;
  from: ConversionLeg;
  to: ConversionLeg;
}

export interface MatchResult {
  rows: number;
  matched: number;
  breaks: Break[];
  movements: Map<string, CurrencyMovement>;
  conversions: Conversion[];
  /** withdrawals per bank reference (or currency when none) */
  withdrawals: Map<string, { currency: string; amountMinor: number; ids: string[] }>;
  /** rows whose D365 record was not in the preloaded index: looked up by id before they are called missing */
  unresolved: ReportTransaction[];
  /** dispute holds/releases and payout returns: matched 1:1 to their dispute / payout item by resolveLinked() */
  linked: ReportTransaction[];
}

/** A ppc_dispute, by the PayPal id of the payment it disputes (ppc_captureid). */
export interface BookedDispute {
  disputeId: string;
  captureId: string;
  currency: string;
  /** unsigned minor units (ppc_disputedamount) */
  amountMinor: number;
  /** statecode 1: Resolved / Other */
  closed: boolean;
  status?: string;
}

/** A ppc_payoutitem, by its PayPal transaction id (ppc_paypaltransactionref). */
export interface BookedPayoutItem {
  itemId: string;
  transactionRef: string;
  currency: string;
  amountMinor: number;
  /** statuscode as a label (Returned, Refunded, Reversed, Success, …) */
  status: string;
}

/** Payout item statuses that agree with money coming back (T1114 / T1115). */
const RETURNED = new Set(['Returned', 'Refunded', 'Reversed']);

const money = (minor: number, currency: string) => {
  try {
    return `${formatAmount({ minor, currency })} ${currency}`;
  } catch {
    return `${minor} minor units of ${currency}`;
  }
};

/** PayPal row status → D365 statuses that agree with it. */
const STATUS_AGREES: Record<string, RegExp> = {
  S: /^(COMPLETED|PARTIALLY_REFUNDED|REFUNDED|REVERSED|SUCCESS)$/,
  P: /^(PENDING)$/,
  D: /^(DECLINED|FAILED|DENIED)$/,
  V: /^(REVERSED|REFUNDED)$/,
  F: /^(PARTIALLY_REFUNDED)$/,
};

const LABEL: Record<TCodeClass, string> = {
  payment: 'payment',
  refund: 'refund',
  reversal: 'reversal / chargeback',
  payout: 'payout',
  conversion: 'currency conversion',
  withdrawal: 'withdrawal',
  dispute_hold: 'dispute hold',
  dispute_release: 'dispute hold release',
  payout_return: 'payout return',
  movement: 'balance movement',
  unknown: 'transaction',
};

export class Matcher {
  private readonly books: Map<string, BookedRecord>;
  private readonly tolerances: Tolerances;
  private readonly result: MatchResult = {
    rows: 0,
    matched: 0,
    breaks: [],
    movements: new Map(),
    conversions: [],
    withdrawals: new Map(),
    unresolved: [],
    linked: [],
  };
  private readonly openLegs = new Map<string, ConversionLeg[]>();

  constructor(books: Map<string, BookedRecord>, tolerances: Tolerances) {
    this.books = books;
    this.tolerances = tolerances;
  }

  add(t: ReportTransaction): void {
    const r = this.result;
    r.rows++;
    const settled = t.status === 'S' || t.status === 'F' || t.status === 'V';
    if (settled) this.move(t);
    const c = classify(t.eventCode);
    if (c === 'conversion') return this.leg(t);
    if (c === 'withdrawal') {
      const key = t.bankReferenceId || `currency:${t.currency}`;
      const w = r.withdrawals.get(key) ?? { currency: t.currency, amountMinor: 0, ids: [] };
      w.amountMinor += -t.grossMinor;
      w.ids.push(t.transactionId);
      r.withdrawals.set(key, w);
      return;
    }
    if (c === 'movement') {
      r.matched++;
      return;
    }
    if (c === 'dispute_hold' || c === 'dispute_release' || c === 'payout_return') {
      r.linked.push(t);
      return;
    }
    if (c === 'unknown') {
      r.breaks.push({
        kind: 'unknown_tcode',
        subject: t.transactionId,
        paypalId: t.transactionId,
        eventCode: t.eventCode,
        currency: t.currency,
        paypalMinor: t.grossMinor,
        tclass: c,
        explanation: `PayPal moved ${money(t.grossMinor, t.currency)} with event code ${t.eventCode}, which the connector does not book.`,
        action:
          'Look the transaction up in PayPal and post it manually, then resolve this break with the journal reference.',
      });
      return;
    }
    const booked = this.books.get(t.transactionId);
    if (!booked) {
      r.unresolved.push(t);
      return;
    }
    this.compare(t, booked, c);
  }

  /** Rows whose D365 record was not in the index (to be looked up by id, then passed to resolve()). */
  unresolved(): readonly ReportTransaction[] {
    return this.result.unresolved;
  }

  /** Rows not in the index, after a lookup by id: found ones are compared, the rest are missing in D365. */
  resolve(found: Map<string, BookedRecord>): void {
    const rows = this.result.unresolved;
    this.result.unresolved = [];
    for (const t of rows) {
      const c = classify(t.eventCode);
      const booked = found.get(t.transactionId);
      if (booked) {
        this.compare(t, booked, c);
        continue;
      }
      if (t.status === 'D') {
        this.result.matched++; // a denied payment moved no money and needs no record
        continue;
      }
      this.result.breaks.push({
        kind: 'missing_in_d365',
        subject: t.transactionId,
        paypalId: t.transactionId,
        eventCode: t.eventCode,
        currency: t.currency,
        paypalMinor: Math.abs(t.grossMinor),
        differenceMinor: Math.abs(t.grossMinor),
        tclass: c,
        explanation: `PayPal shows a ${LABEL[c]} of ${money(Math.abs(t.grossMinor), t.currency)} (${t.transactionId}, ${t.initiatedAt.slice(0, 10)}) that Dynamics 365 has no record of: its notification never arrived or failed.`,
        action: bookedAsTransaction(c)
          ? 'Catch-up records it through the same flow as its notification; this break closes by itself once it is recorded. If it stays open, check the dead letters in the admin console.'
          : 'Record it in Dynamics 365 (payout batch), then resolve this break.',
      });
    }
  }

  /** The PayPal ids the linked rows refer to: disputed payments and original payout transactions. */
  linkedRefs(): { disputedPayments: string[]; payoutTransactions: string[] } {
    const refs = (cs: TCodeClass[]) => [
      ...new Set(
        this.result.linked.filter((t) => cs.includes(classify(t.eventCode)) && t.referenceId).map((t) => t.referenceId),
      ),
    ];
    return {
      disputedPayments: refs(['dispute_hold', 'dispute_release']),
      payoutTransactions: refs(['payout_return']),
    };
  }

  /**
   * Dispute holds (T1110) and releases (T1111) 1:1 to the ppc_dispute on the payment they name (PayPal Reference
   * ID), payout returns (T1114/T1115) 1:1 to the ppc_payoutitem of the original payout: the record exists, in the
   * row's currency, for the same amount (amount tolerance), in a state that agrees (a released hold's dispute is
   * closed, a returned payout item is Returned/Refunded/Reversed). A record matches at most one row of each kind.
   */
  resolveLinked(disputes: Map<string, BookedDispute>, payoutItems: Map<string, BookedPayoutItem>): void {
    const r = this.result;
    const used = new Set<string>();
    for (const t of r.linked) {
      const c = classify(t.eventCode);
      const amount = Math.abs(t.grossMinor);
      const base = { subject: t.transactionId, paypalId: t.transactionId, eventCode: t.eventCode, tclass: c };
      const what = `${LABEL[c]} ${t.transactionId} of ${money(amount, t.currency)}`;
      if (!t.referenceId) {
        r.breaks.push({
          ...base,
          kind: 'unexplained',
          currency: t.currency,
          paypalMinor: t.grossMinor,
          explanation: `PayPal's ${what} names no PayPal Reference ID, so it cannot be tied to a ${c === 'payout_return' ? 'payout item' : 'dispute'}.`,
          action: 'Look the transaction up in PayPal, then resolve this break with what it belongs to.',
        });
        continue;
      }
      const record = c === 'payout_return' ? payoutItems.get(t.referenceId) : disputes.get(t.referenceId);
      if (!record) {
        r.breaks.push({
          ...base,
          kind: 'missing_in_d365',
          currency: t.currency,
          paypalMinor: amount,
          differenceMinor: amount,
          explanation:
            c === 'payout_return'
              ? `PayPal returned a payout of ${money(amount, t.currency)} to the balance (${t.transactionId}, ${t.eventCode}, original payout ${t.referenceId}); Dynamics 365 has no payout item for ${t.referenceId}.`
              : `PayPal ${c === 'dispute_hold' ? 'held' : 'released'} ${money(amount, t.currency)} for a dispute on payment ${t.referenceId} (${t.transactionId}, ${t.eventCode}); Dynamics 365 has no dispute on that payment.`,
          action:
            c === 'payout_return'
              ? 'Record the payout item (its batch) in Dynamics 365, or find why it is missing; then resolve.'
              : 'The dispute notification was missed: check the dead letters in the admin console (or create the dispute from PayPal), then resolve.',
        });
        continue;
      }
      const id = 'disputeId' in record ? record.disputeId : record.itemId;
      const key = `${c}:${id}`;
      if (used.has(key)) {
        r.breaks.push({
          ...base,
          kind: 'unexplained',
          currency: t.currency,
          paypalMinor: t.grossMinor,
          explanation: `PayPal's ${what} is a second ${LABEL[c]} for the same ${c === 'payout_return' ? `payout item (${t.referenceId})` : `dispute on payment ${t.referenceId}`} in this report.`,
          action: 'Ask PayPal why the same movement appears twice, then resolve.',
        });
        continue;
      }
      used.add(key);
      const recordAmount = record.amountMinor;
      let ok = true;
      if (record.currency !== t.currency) {
        ok = false;
        r.breaks.push({
          ...base,
          kind: 'currency',
          currency: t.currency,
          paypalMinor: amount,
          explanation: `PayPal's ${what} is in ${t.currency}; Dynamics 365 has the ${c === 'payout_return' ? 'payout item' : 'dispute'} in ${record.currency}.`,
          action: `Correct the currency of the ${c === 'payout_return' ? 'payout item' : 'dispute'} in Dynamics 365, then resolve.`,
        });
      } else if (Math.abs(amount - recordAmount) > this.tolerances.amountMinor) {
        ok = false;
        r.breaks.push({
          ...base,
          kind: 'amount',
          currency: t.currency,
          paypalMinor: amount,
          bookedMinor: recordAmount,
          differenceMinor: amount - recordAmount,
          explanation: `PayPal's ${what} differs from the ${c === 'payout_return' ? `payout item's amount` : 'disputed amount'} in Dynamics 365 (${money(recordAmount, t.currency)}).`,
          action:
            c === 'payout_return'
              ? 'Check the payout item in PayPal; correct its amount in Dynamics 365, then resolve.'
              : 'Check the dispute in PayPal (a partial dispute holds only part); correct the disputed amount, then resolve.',
        });
      }
      const stateWrong =
        c === 'dispute_release'
          ? !(record as BookedDispute).closed
          : c === 'payout_return'
            ? !RETURNED.has((record as BookedPayoutItem).status)
            : false;
      if (stateWrong) {
        ok = false;
        const shown = 'disputeId' in record ? (record.status ?? 'open') : record.status;
        r.breaks.push({
          ...base,
          kind: 'status',
          currency: t.currency,
          explanation:
            c === 'dispute_release'
              ? `PayPal released the dispute hold on payment ${t.referenceId} (${t.transactionId}): the dispute is over at PayPal, but Dynamics 365 still has it open (${shown}).`
              : `PayPal returned the payout ${t.referenceId} to the balance (${t.transactionId}, ${t.eventCode}); Dynamics 365 has the payout item as ${shown}.`,
          action:
            c === 'dispute_release'
              ? 'The resolution notification was missed: replay it from the dead letters or update the dispute from PayPal, then resolve.'
              : 'The item notification was missed: replay it from the dead letters (the vendor bill is still unpaid), then resolve.',
        });
      }
      if (ok) r.matched++;
    }
    r.linked = [];
  }

  private compare(t: ReportTransaction, booked: BookedRecord, c: TCodeClass) {
    const r = this.result;
    booked.seen = true;
    const base = { subject: t.transactionId, paypalId: t.transactionId, eventCode: t.eventCode, tclass: c };
    const withRecord = booked.recordId ? { recordId: booked.recordId } : {};
    let ok = true;
    if (booked.currency !== t.currency) {
      ok = false;
      r.breaks.push({
        ...base,
        ...withRecord,
        kind: 'currency',
        subject: `${t.transactionId}`,
        currency: t.currency,
        paypalMinor: Math.abs(t.grossMinor),
        explanation: `PayPal settled ${t.transactionId} in ${t.currency}; Dynamics 365 booked it in ${booked.currency}.`,
        action: 'Correct the currency of the Dynamics 365 record (and its ledger lines) to match PayPal, then resolve.',
      });
    } else {
      const gross = Math.abs(t.grossMinor);
      if (Math.abs(gross - booked.grossMinor) > this.tolerances.amountMinor) {
        ok = false;
        r.breaks.push({
          ...base,
          ...withRecord,
          kind: 'amount',
          currency: t.currency,
          paypalMinor: gross,
          bookedMinor: booked.grossMinor,
          differenceMinor: gross - booked.grossMinor,
          explanation: `The ${LABEL[c]} ${t.transactionId} is ${money(gross, t.currency)} at PayPal but ${money(booked.grossMinor, t.currency)} in Dynamics 365 (difference ${money(gross - booked.grossMinor, t.currency)}).`,
          action:
            'PayPal is the record of what was paid: correct the amount in Dynamics 365 (or reverse the manual change), then resolve with the reason.',
        });
      }
      const fee = Math.abs(t.feeMinor);
      if (Math.abs(fee - booked.feeMinor) > this.tolerances.feeMinor) {
        ok = false;
        r.breaks.push({
          ...base,
          ...withRecord,
          kind: 'fee',
          currency: t.currency,
          paypalMinor: fee,
          bookedMinor: booked.feeMinor,
          differenceMinor: fee - booked.feeMinor,
          explanation: `PayPal charged a fee of ${money(fee, t.currency)} on ${t.transactionId}; Dynamics 365 booked ${money(booked.feeMinor, t.currency)}.`,
          action: 'Post the fee difference to the PayPal fee expense account, then resolve.',
        });
      }
    }
    const agrees = STATUS_AGREES[t.status];
    if (booked.status && agrees && !agrees.test(booked.status)) {
      ok = false;
      r.breaks.push({
        ...base,
        ...withRecord,
        kind: 'status',
        currency: t.currency,
        explanation: `PayPal reports ${t.transactionId} with status ${t.status}; Dynamics 365 has it as ${booked.status}.`,
        action: 'Check the payment in PayPal; a missed status notification is replayed from the dead letters.',
      });
    }
    if (ok) r.matched++;
  }

  private move(t: ReportTransaction) {
    const m = this.result.movements.get(t.currency) ?? {
      currency: t.currency,
      rows: 0,
      grossCreditMinor: 0,
      grossDebitMinor: 0,
      feeCreditMinor: 0,
      feeDebitMinor: 0,
      netMinor: 0,
    };
    m.rows++;
    if (t.grossMinor >= 0) m.grossCreditMinor += t.grossMinor;
    else m.grossDebitMinor -= t.grossMinor;
    if (t.feeMinor >= 0) m.feeCreditMinor += t.feeMinor;
    else m.feeDebitMinor -= t.feeMinor;
    m.netMinor += t.grossMinor + (t.feeCurrency && t.feeCurrency !== t.currency ? 0 : t.feeMinor);
    this.result.movements.set(t.currency, m);
  }

  private leg(t: ReportTransaction) {
    const key = t.referenceId || t.initiatedAt;
    const legs = this.openLegs.get(key) ?? [];
    legs.push({ transactionId: t.transactionId, currency: t.currency, amountMinor: t.grossMinor, date: t.initiatedAt });
    const from = legs.find((l) => l.amountMinor < 0);
    const to = legs.find((l) => l.amountMinor > 0);
    if (from && to) {
      this.result.conversions.push({ reference: key, from, to });
      this.openLegs.delete(key);
      this.result.matched += 2;
    } else this.openLegs.set(key, legs);
  }

  /** Ends the pass: conversions left with one leg are unexplained. Call after resolve(). */
  finish(): MatchResult {
    for (const [key, legs] of this.openLegs)
      for (const l of legs)
        this.result.breaks.push({
          kind: 'unexplained',
          subject: l.transactionId,
          paypalId: l.transactionId,
          eventCode: 'T0200',
          currency: l.currency,
          paypalMinor: l.amountMinor,
          tclass: 'conversion',
          explanation: `A currency conversion leg of ${money(l.amountMinor, l.currency)} (${key}) has no opposite leg in this report.`,
          action: 'The other leg may be in the next day’s report; if it is not, ask PayPal for the conversion details.',
        });
    this.openLegs.clear();
    return this.result;
  }

  /** Booked records of the window no report row matched: missing at PayPal. */
  missingInPayPal(books: Iterable<BookedRecord>): void {
    for (const b of books) {
      if (b.seen || b.kind !== 'transaction') continue;
      this.result.breaks.push({
        kind: 'missing_in_paypal',
        subject: b.paypalId,
        paypalId: b.paypalId,
        currency: b.currency,
        bookedMinor: b.grossMinor,
        differenceMinor: -b.grossMinor,
        ...(b.recordId ? { recordId: b.recordId } : {}),
        explanation: `Dynamics 365 has a PayPal transaction ${b.paypalId} of ${money(b.grossMinor, b.currency)} on this day that PayPal's report does not contain.`,
        action:
          'Search the id in PayPal: if PayPal does not know it, the record was created by mistake (or forged) and must be reversed; if it is on another day, resolve with that date.',
      });
    }
  }
}
