// The proxy's own record of approved payout batches (migration 7): one row per PayPal call (payout_parts) and per
// submitted item (payout_items, with the ledger stages booked in Dataverse). The parts exist only after a checked
// approval, so a later event can resume a submission but never start one without it.
import type { Sql, Store } from '../../adapters/store/store.ts';
import type { Stage } from '../../mapping/payouts/outcome-plan.ts';
import type { SubmissionPart } from '../../mapping/payouts/batch-plan.ts';

export interface PartRow {
  sender_batch_id: string;
  batch_id: string;
  currency: string;
  item_count: number;
  paypal_batch_id: string | null;
  paypal_status: string | null;
  done: boolean;
}

export interface ItemRow {
  sender_item_id: string;
  sender_batch_id: string;
  batch_id: string;
  bill_id: string;
  vendor_id: string | null;
  currency: string;
  amount_minor: string;
  paypal_item_id: string | null;
  status: string;
  stages: Stage[];
}

const PART_COLUMNS = `sender_batch_id, batch_id::text AS batch_id, currency, item_count, paypal_batch_id, paypal_status, done`;
const ITEM_COLUMNS = `sender_item_id::text AS sender_item_id, sender_batch_id, batch_id::text AS batch_id,
  bill_id::text AS bill_id, vendor_id::text AS vendor_id, currency, amount_minor::text AS amount_minor, paypal_item_id,
  status, stages`;

/** Records the parts and items of an approved batch (once: a second approval event finds them). */
export async function recordParts(store: Store, batchId: string, parts: readonly SubmissionPart[]): Promise<void> {
  await store.transaction(async (tx) => {
    for (const p of parts) {
      await tx.query(
        `INSERT INTO payout_parts (sender_batch_id, batch_id, currency, item_count) VALUES ($1, $2::uuid, $3, $4)
         ON CONFLICT (sender_batch_id) DO NOTHING`,
        [p.senderBatchId, batchId, p.currency, p.items.length],
      );
      // unnest: one statement per 1,000 items instead of one per item
      for (let i = 0; i < p.items.length; i += 1000) {
        const chunk = p.items.slice(i, i + 1000);
        await tx.query(
          `INSERT INTO payout_items (sender_item_id, sender_batch_id, batch_id, bill_id, vendor_id, currency, amount_minor)
           SELECT u.item::uuid, $1, $2::uuid, u.bill::uuid, nullif(u.vendor, '')::uuid, $3, u.amount::bigint
           FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) AS u(item, bill, vendor, amount)
           ON CONFLICT (sender_item_id) DO NOTHING`,
          [
            p.senderBatchId,
            batchId,
            p.currency,
            chunk.map((it) => it.itemId),
            chunk.map((it) => it.billId),
            chunk.map((it) => it.vendorId ?? ''),
            chunk.map((it) => String(it.amount.minor)),
          ],
        );
      }
    }
  });
}

export async function partsOf(sql: Sql, batchId: string): Promise<PartRow[]> {
  const { rows } = await sql.query<PartRow>(
    `SELECT ${PART_COLUMNS} FROM payout_parts WHERE batch_id = $1::uuid ORDER BY sender_batch_id`,
    [batchId],
  );
  return rows;
}

export async function partByPayPalId(sql: Sql, paypalBatchId: string): Promise<PartRow | undefined> {
  const { rows } = await sql.query<PartRow>(`SELECT ${PART_COLUMNS} FROM payout_parts WHERE paypal_batch_id = $1`, [
    paypalBatchId,
  ]);
  return rows[0];
}

export async function setPartSubmitted(sql: Sql, senderBatchId: string, paypalBatchId: string, status: string) {
  await sql.query(`UPDATE payout_parts SET paypal_batch_id = $2, paypal_status = $3 WHERE sender_batch_id = $1`, [
    senderBatchId,
    paypalBatchId,
    status,
  ]);
}

export async function setPartState(sql: Sql, senderBatchId: string, paypalStatus: string, done: boolean) {
  await sql.query(`UPDATE payout_parts SET paypal_status = $2, done = $3 WHERE sender_batch_id = $1`, [
    senderBatchId,
    paypalStatus,
    done,
  ]);
}

/** Parts due for a poll, claimed by pushing their next poll out (several replicas poll without overlap). */
export async function claimPartsToPoll(sql: Sql, intervalMs: number, limit = 20): Promise<PartRow[]> {
  const { rows } = await sql.query<PartRow>(
    `UPDATE payout_parts SET next_poll_at = now() + ($1::text || ' milliseconds')::interval
     WHERE sender_batch_id IN (
       SELECT sender_batch_id FROM payout_parts WHERE NOT done AND paypal_batch_id IS NOT NULL AND next_poll_at <= now()
       ORDER BY next_poll_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING ${PART_COLUMNS}`,
    [String(intervalMs), limit],
  );
  return rows;
}

export async function itemsOfPart(sql: Sql, senderBatchId: string): Promise<ItemRow[]> {
  const { rows } = await sql.query<ItemRow>(
    `SELECT ${ITEM_COLUMNS} FROM payout_items WHERE sender_batch_id = $1 ORDER BY sender_item_id`,
    [senderBatchId],
  );
  return rows;
}

export async function itemBySenderId(sql: Sql, senderItemId: string): Promise<ItemRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(senderItemId)) return undefined;
  const { rows } = await sql.query<ItemRow>(
    `SELECT ${ITEM_COLUMNS} FROM payout_items WHERE sender_item_id = $1::uuid`,
    [senderItemId],
  );
  return rows[0];
}

export async function itemByPayPalId(sql: Sql, paypalItemId: string): Promise<ItemRow | undefined> {
  const { rows } = await sql.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM payout_items WHERE paypal_item_id = $1`, [
    paypalItemId,
  ]);
  return rows[0];
}

/** After the Dataverse writes of these items succeeded: their status, PayPal id and booked stages. */
export async function markItemsBooked(
  sql: Sql,
  rows: readonly { senderItemId: string; paypalItemId: string; status: string; stages: readonly Stage[] }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    await sql.query(
      `UPDATE payout_items p SET paypal_item_id = u.pid, status = u.status,
         stages = ARRAY(SELECT DISTINCT unnest(p.stages || string_to_array(u.stages, ','))), updated_at = now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, pid, status, stages)
       WHERE p.sender_item_id = u.id::uuid`,
      [
        chunk.map((r) => r.senderItemId),
        chunk.map((r) => r.paypalItemId),
        chunk.map((r) => r.status),
        chunk.map((r) => r.stages.join(',')),
      ],
    );
  }
}

/** Items of a batch that have not ended (UNCLAIMED, ONHOLD and PENDING still change). */
export async function openItemCount(sql: Sql, batchId: string, terminal: readonly string[]): Promise<number> {
  const { rows } = await sql.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM payout_items WHERE batch_id = $1::uuid AND NOT (status = ANY($2::text[]))`,
    [batchId, terminal],
  );
  return Number(rows[0]!.n);
}
