// The proxy's own record of approved payout batches (migration 7): one row per PayPal call (payout_parts) and per
// submitted item (payout_items, with the ledger stages booked in Dataverse). The parts exist only after a checked
// approval, so a later event can resume a submission but never start one without it.
import type { Sql, Store } from '../../adapters/store/store.ts';
import type { Stage } from '../../mapping/payouts/outcome-plan.ts';
import type { PlannedItem, RecipientType, SubmissionPart } from '../../mapping/payouts/batch-plan.ts';
import { money } from '../../mapping/money.ts';

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
  /** 'contact' when the vendor is a contact (migration 11), else an account */
  vendor_table: string | null;
  currency: string;
  amount_minor: string;
  paypal_item_id: string | null;
  status: string;
  stages: Stage[];
}

const PART_COLUMNS = `sender_batch_id, batch_id::text AS batch_id, currency, item_count, paypal_batch_id, paypal_status, done`;
const ITEM_COLUMNS = `sender_item_id::text AS sender_item_id, sender_batch_id, batch_id::text AS batch_id,
  bill_id::text AS bill_id, vendor_id::text AS vendor_id, vendor_table, currency, amount_minor::text AS amount_minor, paypal_item_id,
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
          `INSERT INTO payout_items (sender_item_id, sender_batch_id, batch_id, bill_id, vendor_id, currency, amount_minor,
             vendor_table)
           SELECT u.item::uuid, $1, $2::uuid, u.bill::uuid, nullif(u.vendor, '')::uuid, $3, u.amount::bigint,
             nullif(u.vtable, '')
           FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(item, bill, vendor, amount, vtable)
           ON CONFLICT (sender_item_id) DO NOTHING`,
          [
            p.senderBatchId,
            batchId,
            p.currency,
            chunk.map((it) => it.itemId),
            chunk.map((it) => it.billId),
            chunk.map((it) => it.vendorId ?? ''),
            chunk.map((it) => String(it.amount.minor)),
            chunk.map((it) => it.vendorTable ?? ''),
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

// ── migration 11 ────────────────────────────────────────────────────────────────────────────────────────────────

/** The valid items of a build as it checked them; items of this batch excluded by this build are forgotten. */
export async function recordBuiltItems(
  store: Store,
  batchId: string,
  items: readonly PlannedItem[],
  excludedIds: readonly string[],
): Promise<void> {
  await store.transaction(async (tx) => {
    if (excludedIds.length)
      await tx.query(`DELETE FROM payout_built_items WHERE batch_id = $1::uuid AND item_id = ANY($2::uuid[])`, [
        batchId,
        excludedIds,
      ]);
    for (let i = 0; i < items.length; i += 1000) {
      const chunk = items.slice(i, i + 1000);
      await tx.query(
        `INSERT INTO payout_built_items (item_id, batch_id, bill_id, vendor_id, vendor_table, recipient_type, receiver,
           currency, amount_minor)
         SELECT u.item::uuid, $1::uuid, u.bill::uuid, nullif(u.vendor, '')::uuid, nullif(u.vtable, ''), u.rtype, u.receiver,
           u.currency, u.amount::bigint
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
           AS u(item, bill, vendor, vtable, rtype, receiver, currency, amount)
         ON CONFLICT (item_id) DO UPDATE SET bill_id = EXCLUDED.bill_id, vendor_id = EXCLUDED.vendor_id,
           vendor_table = EXCLUDED.vendor_table, recipient_type = EXCLUDED.recipient_type,
           receiver = EXCLUDED.receiver, currency = EXCLUDED.currency, amount_minor = EXCLUDED.amount_minor,
           built_at = now()`,
        [
          batchId,
          chunk.map((it) => it.itemId),
          chunk.map((it) => it.billId),
          chunk.map((it) => it.vendorId ?? ''),
          chunk.map((it) => it.vendorTable ?? ''),
          chunk.map((it) => it.recipientType),
          chunk.map((it) => it.receiver),
          chunk.map((it) => it.amount.currency),
          chunk.map((it) => String(it.amount.minor)),
        ],
      );
    }
  });
}

/** The items of a batch as its build recorded them, by item id (lower case). */
export async function builtItems(sql: Sql, batchId: string): Promise<Map<string, PlannedItem>> {
  const { rows } = await sql.query<{
    item_id: string;
    bill_id: string;
    vendor_id: string | null;
    vendor_table: string | null;
    recipient_type: string;
    receiver: string;
    currency: string;
    amount_minor: string;
  }>(
    `SELECT item_id::text AS item_id, bill_id::text AS bill_id, vendor_id::text AS vendor_id, vendor_table,
       recipient_type, receiver, currency, amount_minor::text AS amount_minor
     FROM payout_built_items WHERE batch_id = $1::uuid`,
    [batchId],
  );
  return new Map(
    rows.map((r) => [
      r.item_id,
      {
        itemId: r.item_id,
        billId: r.bill_id,
        billName: '',
        ...(r.vendor_id ? { vendorId: r.vendor_id } : {}),
        ...(r.vendor_table === 'contact' ? { vendorTable: 'contact' as const } : {}),
        recipientType: r.recipient_type as RecipientType,
        receiver: r.receiver,
        amount: money(Number(r.amount_minor), r.currency),
      },
    ]),
  );
}

/** An acknowledgement a user made (`required`/`accepted` absent) or an approval decision on one. */
export async function recordAcknowledgement(
  sql: Sql,
  a: {
    batchId: string;
    approver: string | undefined;
    acknowledged: readonly string[];
    required?: readonly string[];
    accepted?: boolean;
    at: Date;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO payout_acknowledgements (batch_id, approver, acknowledged, required, accepted, at)
     VALUES ($1::uuid, $2::uuid, $3::text[], $4::text[], $5, $6)`,
    [
      a.batchId,
      a.approver ?? null,
      [...a.acknowledged],
      a.required ? [...a.required] : null,
      a.accepted ?? null,
      a.at.toISOString(),
    ],
  );
}

/** The codes `user` acknowledged last for this batch, at or after `since` (the build); undefined: none. */
export async function latestAcknowledgement(
  sql: Sql,
  batchId: string,
  user: string,
  since: Date | undefined,
): Promise<string[] | undefined> {
  const { rows } = await sql.query<{ acknowledged: string[] }>(
    `SELECT acknowledged FROM payout_acknowledgements
     WHERE batch_id = $1::uuid AND approver = $2::uuid AND accepted IS NULL AND ($3::timestamptz IS NULL OR at >= $3)
     ORDER BY id DESC LIMIT 1`,
    [batchId, user, since?.toISOString() ?? null],
  );
  return rows[0]?.acknowledged;
}

/** When the build of this batch was requested (the four-eyes request the proxy recorded). */
export async function requestedAt(sql: Sql, batchId: string): Promise<Date | undefined> {
  const { rows } = await sql.query<{ requested_at: Date | string }>(
    `SELECT requested_at FROM four_eyes_requests WHERE subject = 'payout' AND record_id = $1::uuid`,
    [batchId],
  );
  return rows[0] ? new Date(rows[0].requested_at) : undefined;
}

export async function acknowledgementsOf(
  sql: Sql,
  batchId: string,
): Promise<
  { approver: string | null; acknowledged: string[]; required: string[] | null; accepted: boolean | null; at: Date }[]
> {
  const { rows } = await sql.query<{
    approver: string | null;
    acknowledged: string[];
    required: string[] | null;
    accepted: boolean | null;
    at: Date | string;
  }>(
    `SELECT approver::text AS approver, acknowledged, required, accepted, at FROM payout_acknowledgements
     WHERE batch_id = $1::uuid ORDER BY id`,
    [batchId],
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}

export async function recordItemCommand(
  sql: Sql,
  c: { itemId: string; command: string; requestedBy: string | undefined; outcome: string },
): Promise<void> {
  await sql.query(
    `INSERT INTO payout_item_commands (item_id, command, requested_by, outcome) VALUES ($1::uuid, $2, $3::uuid, $4)`,
    [c.itemId, c.command, c.requestedBy ?? null, c.outcome.slice(0, 2000)],
  );
}

export async function itemCommands(
  sql: Sql,
  itemId: string,
): Promise<{ command: string; requested_by: string | null; outcome: string }[]> {
  const { rows } = await sql.query<{ command: string; requested_by: string | null; outcome: string }>(
    `SELECT command, requested_by::text AS requested_by, outcome FROM payout_item_commands WHERE item_id = $1::uuid
     ORDER BY id`,
    [itemId],
  );
  return rows;
}

/** Takes the named lease for `ms` when it is free or expired (or already ours); false when someone else holds it. */
export async function takeLease(sql: Sql, name: string, holder: string, ms: number): Promise<boolean> {
  const { rows } = await sql.query<{ holder: string }>(
    `INSERT INTO payout_build_lease (name, holder, expires_at) VALUES ($1, $2, now() + ($3::text || ' milliseconds')::interval)
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE payout_build_lease.expires_at <= now() OR payout_build_lease.holder = EXCLUDED.holder
     RETURNING holder`,
    [name, holder, String(ms)],
  );
  return rows.length === 1;
}

export async function releaseLease(sql: Sql, name: string, holder: string): Promise<void> {
  await sql.query(`DELETE FROM payout_build_lease WHERE name = $1 AND holder = $2`, [name, holder]);
}

/** Claims a schedule slot (once across replicas and restarts); false when it was claimed before. */
export async function claimScheduleSlot(sql: Sql, slot: string, batchId: string): Promise<boolean> {
  const { rows } = await sql.query(
    `INSERT INTO payout_schedule_runs (slot, batch_id) VALUES ($1, $2::uuid) ON CONFLICT (slot) DO NOTHING RETURNING slot`,
    [slot, batchId],
  );
  return rows.length === 1;
}

export async function finishScheduleSlot(sql: Sql, slot: string, outcome: string): Promise<void> {
  await sql.query(`UPDATE payout_schedule_runs SET outcome = $2, finished_at = now() WHERE slot = $1`, [
    slot,
    outcome.slice(0, 2000),
  ]);
}

export async function releaseScheduleSlot(sql: Sql, slot: string): Promise<void> {
  await sql.query(`DELETE FROM payout_schedule_runs WHERE slot = $1 AND finished_at IS NULL`, [slot]);
}
