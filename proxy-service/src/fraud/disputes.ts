// The customer's dispute ratio: disputes (chargebacks included: PayPal opens a dispute for a card chargeback, stage
// CHARGEBACK) against payments of the same payer over the last DISPUTE_WINDOW_DAYS, from the proxy's own state:
// - every scored payment is stored with its payer key (fraud_scores.payer_key, migration 13);
// - the dispute flow (flows/dispute.ts) records each dispute it books once per dispute id (fraud_disputes), with
//   the capture/sale it disputes; the join on that id finds the payer, whichever of the two arrived first.
// The same rule in memory (MemoryDisputes) for the evaluation, so the report measures what the proxy computes.
import type { Sql } from '../adapters/store/store.ts';

/**
 * PayPal buyers may open a dispute up to 180 days after the payment (PayPal User Agreement, "PayPal Buyer
 * Protection": www.paypal.com/us/legalhub/paypal/useragreement-full — "within 180 days"), and GET
 * /v1/customer/disputes searches the same 180 days: a customer's disputes and payments are counted over that window.
 */
export const DISPUTE_WINDOW_DAYS = 180;
const WINDOW_MS = DISPUTE_WINDOW_DAYS * 86_400_000;

export interface DisputeHistory {
  /** the payer's completed payments in the window before this one */
  payments: number;
  /** disputes opened on the payer's payments in the window */
  disputes: number;
}

/**
 * The feature: disputes / (payments before + 1), the payment being scored counting as one (so a first dispute on a
 * single earlier payment reads 0.5, not 1), clipped to [0, 1].
 */
export function disputeRatio(h: DisputeHistory | undefined): number {
  if (!h || h.disputes <= 0) return 0;
  return Math.min(1, h.disputes / (h.payments + 1));
}

/** What a booked dispute tells the ledger. */
export interface DisputeRecord {
  disputeId: string;
  /** the disputed capture / sale (disputed_transactions[].seller_transaction_id) */
  paypalId: string;
  /** when the buyer opened it (create_time) */
  openedAt: string;
  /** dispute_life_cycle_stage when first booked (INQUIRY, CHARGEBACK, …) */
  stage?: string;
}

/** Where the dispute flow records what it booked (flows/dispute.ts). */
export interface DisputeLedger {
  record(sql: Sql, d: DisputeRecord): Promise<boolean>;
}

/** The ledger in the proxy's store; a new dispute also counts in ppc_disputes_opened_total (the dispute-rate rule). */
export function databaseDisputes(counter?: { inc(labels: { stage: string }): void }): DisputeLedger {
  return {
    async record(sql, d) {
      const added = await recordDispute(sql, d);
      if (added) counter?.inc({ stage: d.stage ?? 'UNKNOWN' });
      return added;
    },
  };
}

/** Records a dispute once (a dispute's CREATED/UPDATED/RESOLVED events and retried jobs count one). */
export async function recordDispute(sql: Sql, d: DisputeRecord): Promise<boolean> {
  const { rows } = await sql.query<{ dispute_id: string }>(
    `INSERT INTO fraud_disputes (dispute_id, paypal_id, opened_at) VALUES ($1, $2, $3)
     ON CONFLICT (dispute_id) DO NOTHING RETURNING dispute_id`,
    [d.disputeId, d.paypalId, d.openedAt],
  );
  return rows.length > 0;
}

/**
 * The payer's history at `at` (the scoring transaction holds the payer's lock): completed payments in the window
 * up to `at` other than this one, and disputes opened in the window on any of the payer's payments (a dispute opens at most 180 days
 * after its payment, so those payments are at most two windows old).
 */
export async function disputeHistory(
  sql: Sql,
  payerKey: string,
  at: string,
  /** the payment being scored (PayPal times are whole seconds: an earlier payment may share its second) */
  paypalId = '',
): Promise<DisputeHistory> {
  const { rows } = await sql.query<{ payments: string; disputes: string }>(
    `SELECT
       (SELECT count(*) FROM fraud_scores
         WHERE payer_key = $1 AND NOT declined
           AND payment_at >= $2::timestamptz - make_interval(days => $3) AND payment_at <= $2::timestamptz
           AND paypal_id <> $4)::text AS payments,
       (SELECT count(*) FROM fraud_scores s JOIN fraud_disputes d ON d.paypal_id = s.paypal_id
         WHERE s.payer_key = $1 AND s.payment_at >= $2::timestamptz - make_interval(days => 2 * $3)
           AND d.opened_at >= $2::timestamptz - make_interval(days => $3) AND d.opened_at <= $2::timestamptz)::text AS disputes`,
    [payerKey, at, DISPUTE_WINDOW_DAYS, paypalId],
  );
  return { payments: Number(rows[0]?.payments ?? 0), disputes: Number(rows[0]?.disputes ?? 0) };
}

/** The same ledger in memory (evaluation): payments per payer, disputes joined on the disputed payment's id. */
export class MemoryDisputes {
  private readonly payerOf = new Map<string, string>();
  private readonly payments = new Map<string, number[]>();
  private readonly disputes = new Map<string, number[]>();
  private readonly seen = new Set<string>();
  private readonly pending = new Map<string, number[]>();

  recordPayment(payerKey: string, paypalId: string, atMs: number, declined: boolean): void {
    this.payerOf.set(paypalId, payerKey);
    if (!declined) push(this.payments, payerKey, atMs);
    // a dispute booked before its payment was scored joins now
    for (const t of this.pending.get(paypalId) ?? []) push(this.disputes, payerKey, t);
    this.pending.delete(paypalId);
  }

  recordDispute(d: { disputeId: string; paypalId: string; openedAtMs: number }): void {
    if (this.seen.has(d.disputeId)) return;
    this.seen.add(d.disputeId);
    const payer = this.payerOf.get(d.paypalId);
    if (payer) push(this.disputes, payer, d.openedAtMs);
    else push(this.pending, d.paypalId, d.openedAtMs);
  }

  historyAt(payerKey: string, atMs: number): DisputeHistory {
    const from = atMs - WINDOW_MS;
    // the payment being scored is recorded after this read: every payment up to `atMs` is an earlier one
    const count = (xs: number[] | undefined) => (xs ?? []).filter((t) => t >= from && t <= atMs).length;
    return { payments: count(this.payments.get(payerKey)), disputes: count(this.disputes.get(payerKey)) };
  }
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const xs = m.get(k);
  if (xs) xs.push(v);
  else m.set(k, [v]);
}
