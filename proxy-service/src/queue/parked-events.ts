// Parked events: stored and acknowledged, but their action has no flow in this process (not built yet, or
// the system it writes to is not configured). They are never marked processed; a start whose registry has
// their flow puts them back on the queue, once.
import type { PgBoss } from 'pg-boss';
import type { Sql, Store } from '../adapters/store/store.ts';
import { actionFor, type EventAction } from '../flows/event-actions.ts';
import type { InboxJob } from './job-queue.ts';

export interface ParkedEvent {
  id: string;
  source: string;
  event_id: string;
  event_type: string;
  received_at: string;
  last_error: string | null;
}

export async function listParkedEvents(sql: Sql, options: { limit?: number } = {}): Promise<ParkedEvent[]> {
  const { rows } = await sql.query<ParkedEvent>(
    `SELECT id::text AS id, source, event_id, event_type, received_at::text AS received_at, last_error
       FROM inbox_events WHERE status = 'parked' ORDER BY id LIMIT $1`,
    [options.limit ?? 100],
  );
  return rows;
}

export async function countParkedByType(sql: Sql): Promise<{ source: string; event_type: string; n: number }[]> {
  const { rows } = await sql.query<{ source: string; event_type: string; n: number }>(
    `SELECT source, event_type, count(*)::int AS n FROM inbox_events WHERE status = 'parked' GROUP BY source, event_type`,
  );
  return rows;
}

/**
 * Re-enqueues every parked event whose action now has a flow. The status moves parked → received in the
 * same transaction as the job is sent, guarded by `status = 'parked'`: two replicas starting together
 * cannot both send a job for one event (the second UPDATE waits for the first's row lock, then finds the
 * row no longer parked).
 */
export async function resumeParkedEvents(
  store: Store,
  boss: PgBoss,
  queue: string,
  hasFlow: (action: EventAction) => boolean,
): Promise<string[]> {
  const resumed: string[] = [];
  for (let after = '0'; ;) {
    const { rows } = await store.query<{ id: string; source: string; event_type: string; payload: unknown }>(
      `SELECT id::text AS id, source, event_type, payload FROM inbox_events
        WHERE status = 'parked' AND id > $1::bigint ORDER BY id LIMIT 500`,
      [after],
    );
    if (!rows.length) return resumed;
    after = rows[rows.length - 1]!.id;
    const ready = rows.filter((r) => {
      const action = actionFor(r.event_type, r.source, r.payload);
      return action !== 'not_supported' && hasFlow(action);
    });
    if (!ready.length) continue;
    await store.transaction(async (tx) => {
      const { rows: moved } = await tx.query<{ id: string }>(
        `UPDATE inbox_events SET status = 'received', lease_until = NULL
          WHERE id = ANY($1::bigint[]) AND status = 'parked' RETURNING id::text AS id`,
        [ready.map((r) => r.id)],
      );
      if (!moved.length) return;
      await boss.insert(
        queue,
        moved.map((r) => ({ data: { inboxId: r.id, attempt: 1 } satisfies InboxJob })),
        { db: tx.bossDb },
      );
      resumed.push(...moved.map((r) => r.id));
    });
  }
}
