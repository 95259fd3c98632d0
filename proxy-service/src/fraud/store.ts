// The fraud state the proxy keeps in its own database (migration 9): velocity windows, every score with the
// features behind it (so a retrain can use them), and the review labels; migration 13 adds each score's payer key
// and the disputes the dispute flow booked (disputes.ts: the customer's dispute ratio).
import type { Sql, Store } from '../adapters/store/store.ts';
import type { Assessment } from './model.ts';
import type { TrainingRow } from './train.ts';
import type { WindowState, WindowStore } from './windows.ts';

export class DatabaseWindows implements WindowStore {
  private readonly sql: Sql;
  constructor(sql: Sql) {
    this.sql = sql;
  }
  async load(keys: string[]): Promise<Map<string, WindowState>> {
    const out = new Map<string, WindowState>();
    if (!keys.length) return out;
    const { rows } = await this.sql.query<{
      key: string;
      hour_base: string;
      counts: number[];
      declines: number[];
      amounts: string[];
    }>(
      `SELECT key, hour_base::text, counts, declines, amounts::text[] AS amounts FROM fraud_windows WHERE key = ANY($1)`,
      [keys],
    );
    for (const r of rows)
      out.set(r.key, {
        hourBase: Number(r.hour_base),
        counts: r.counts.map(Number),
        declines: r.declines.map(Number),
        amounts: r.amounts.map(Number),
      });
    return out;
  }
  /** One statement for all keys of a payment. */
  async save(states: Map<string, WindowState>): Promise<void> {
    if (!states.size) return;
    const rows = [...states].map(([key, s]) => ({
      key,
      hour_base: s.hourBase,
      counts: s.counts,
      declines: s.declines,
      amounts: s.amounts,
    }));
    await this.sql.query(
      `INSERT INTO fraud_windows (key, hour_base, counts, declines, amounts, updated_at)
       SELECT r.key, r.hour_base,
              ARRAY(SELECT jsonb_array_elements_text(r.counts)::integer),
              ARRAY(SELECT jsonb_array_elements_text(r.declines)::integer),
              ARRAY(SELECT jsonb_array_elements_text(r.amounts)::bigint), now()
         FROM jsonb_to_recordset($1::jsonb) AS r(key text, hour_base bigint, counts jsonb, declines jsonb, amounts jsonb)
       ON CONFLICT (key) DO UPDATE SET hour_base = EXCLUDED.hour_base, counts = EXCLUDED.counts,
         declines = EXCLUDED.declines, amounts = EXCLUDED.amounts, updated_at = now()`,
      [JSON.stringify(rows)],
    );
  }
}

/**
 * Deletes e-mail, address and card windows idle for more than 25 hours (their counts have all left the window);
 * payer windows stay: they hold the customer's amount history.
 */
export async function pruneWindows(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ n: string }>(
    `WITH gone AS (DELETE FROM fraud_windows WHERE updated_at < now() - interval '25 hours' AND key NOT LIKE 'p:%' RETURNING 1)
     SELECT count(*)::text AS n FROM gone`,
  );
  return Number(rows[0]?.n ?? 0);
}

export interface StoredScore {
  paypalId: string;
  assessment: Assessment;
}

export async function storedScore(sql: Sql, paypalId: string): Promise<Assessment | undefined> {
  const { rows } = await sql.query<{ assessment: Assessment }>(
    `SELECT assessment FROM fraud_scores WHERE paypal_id = $1`,
    [paypalId],
  );
  return rows[0]?.assessment;
}

export async function saveScore(
  sql: Sql,
  row: {
    paypalId: string;
    at: string;
    amountMajor: number;
    firstPurchase: boolean;
    x: number[];
    assessment: Assessment;
    /** the payer's window key (features.ts windowKeys): the dispute ratio counts the payer's payments by it */
    payerKey?: string;
    declined?: boolean;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO fraud_scores (paypal_id, payment_at, amount_major, first_purchase, features, score, model_version, assessment, payer_key, declined)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (paypal_id) DO NOTHING`,
    [
      row.paypalId,
      row.at,
      row.amountMajor,
      row.firstPurchase,
      row.x,
      row.assessment.score,
      row.assessment.modelVersion,
      JSON.stringify(row.assessment),
      row.payerKey ?? null,
      row.declined ?? false,
    ],
  );
}

/** A reviewer's verdict on a payment: the label a retrain learns from (the latest verdict wins). */
export async function saveLabel(
  sql: Sql,
  l: { paypalId: string; label: 0 | 1; alertId?: string; reviewer: string; reviewedAt: Date; notes?: string },
): Promise<void> {
  await sql.query(
    `INSERT INTO fraud_labels (paypal_id, label, alert_id, reviewer, reviewed_at, notes) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (paypal_id) DO UPDATE SET label = EXCLUDED.label, alert_id = EXCLUDED.alert_id,
       reviewer = EXCLUDED.reviewer, reviewed_at = EXCLUDED.reviewed_at, notes = EXCLUDED.notes`,
    [l.paypalId, l.label, l.alertId ?? null, l.reviewer, l.reviewedAt.toISOString(), l.notes ?? null],
  );
}

export async function labelOf(
  sql: Sql,
  paypalId: string,
): Promise<{ label: number; reviewer: string; notes: string | null } | undefined> {
  const { rows } = await sql.query<{ label: number; reviewer: string; notes: string | null }>(
    `SELECT label, reviewer::text AS reviewer, notes FROM fraud_labels WHERE paypal_id = $1`,
    [paypalId],
  );
  return rows[0] ? { ...rows[0], label: Number(rows[0].label) } : undefined;
}

/** Every scored payment as a training row, labeled where a reviewer gave a verdict. */
export async function trainingRows(store: Store | Sql): Promise<TrainingRow[]> {
  const { rows } = await store.query<{
    payment_at: Date | string;
    amount_major: number;
    first_purchase: boolean;
    features: number[];
    label: number | null;
  }>(
    `SELECT s.payment_at, s.amount_major, s.first_purchase, s.features, l.label
       FROM fraud_scores s LEFT JOIN fraud_labels l USING (paypal_id) ORDER BY s.payment_at, s.paypal_id`,
  );
  return rows.map((r) => ({
    x: r.features.map(Number),
    at: new Date(r.payment_at).toISOString(),
    amountMajor: Number(r.amount_major),
    firstPurchase: r.first_purchase,
    ...(r.label === null || r.label === undefined ? {} : { label: Number(r.label) as 0 | 1 }),
  }));
}
