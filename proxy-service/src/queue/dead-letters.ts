// Dead letters: jobs that failed for good, with their source queue, job id, attempts, last error and
// payload. Replay puts the event back on its queue once the fault is fixed (admin endpoint and CLI).
import type { PgBoss } from 'pg-boss';
import type { Sql, Store } from '../adapters/store/store.ts';
import { currentQueue, type InboxJob } from './job-queue.ts';

export interface DeadLetter {
  id: string;
  queue: string;
  job_id: string;
  inbox_id: string | null;
  attempts: number;
  error_code: string;
  last_error: string;
  payload: unknown;
  created_at: string;
  replayed_at: string | null;
  replay_job_id: string | null;
}

const COLUMNS = `id::text AS id, queue, job_id, inbox_id::text AS inbox_id, attempts, error_code, last_error, payload,
  created_at::text AS created_at, replayed_at::text AS replayed_at, replay_job_id`;

/** A dead letter id as the URL or CLI gives it: digits within bigint (a longer number is no letter, not a 500). */
const isLetterId = (id: string) => /^\d{1,18}$/.test(id);

export async function addDeadLetter(
  sql: Sql,
  d: {
    queue: string;
    jobId: string;
    inboxId: string;
    attempts: number;
    errorCode: string;
    lastError: string;
    payload: unknown;
  },
): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO dead_letters (queue, job_id, inbox_id, attempts, error_code, last_error, payload)
     VALUES ($1, $2, $3::bigint, $4, $5, $6, $7) RETURNING id::text AS id`,
    [d.queue, d.jobId, d.inboxId, d.attempts, d.errorCode, d.lastError, JSON.stringify(d.payload)],
  );
  return rows[0]!.id;
}

export async function listDeadLetters(
  sql: Sql,
  options: { includeReplayed?: boolean; limit?: number; afterId?: string } = {},
): Promise<DeadLetter[]> {
  const { rows } = await sql.query<DeadLetter>(
    `SELECT ${COLUMNS} FROM dead_letters WHERE id > $2::bigint ${options.includeReplayed ? '' : 'AND replayed_at IS NULL'} ORDER BY id LIMIT $1`,
    [options.limit ?? 100, options.afterId ?? '0'],
  );
  return rows;
}

export async function getDeadLetter(sql: Sql, id: string): Promise<DeadLetter | undefined> {
  if (!isLetterId(id)) return undefined;
  const { rows } = await sql.query<DeadLetter>(`SELECT ${COLUMNS} FROM dead_letters WHERE id = $1::bigint`, [id]);
  return rows[0];
}

export type ReplayResult =
  | { id: string; replayed: true; jobId: string }
  | { id: string; replayed: false; reason: 'not_found' | 'already_replayed' | 'not_replayable' };

/** Re-enqueues one dead letter atomically with marking it replayed, so a replay can never run twice. */
export async function replayDeadLetter(store: Store, boss: PgBoss, id: string): Promise<ReplayResult> {
  if (!isLetterId(id)) return { id, replayed: false, reason: 'not_found' };
  return store.transaction(async (tx) => {
    const { rows } = await tx.query<{ queue: string; inbox_id: string; replayed_at: string | null }>(
      `SELECT queue, inbox_id::text AS inbox_id, replayed_at::text AS replayed_at FROM dead_letters WHERE id = $1::bigint FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (!row) return { id, replayed: false, reason: 'not_found' } as const;
    if (row.replayed_at) return { id, replayed: false, reason: 'already_replayed' } as const;
    // An event stored without JSON (its body is poison: see intake/json-body.ts) has nothing a handler could
    // read; running it again cannot succeed. It stays listed, with its raw bytes in inbox_events.raw_body.
    const { rows: inbox } = await tx.query<{ poison: boolean }>(
      `SELECT payload IS NULL AS poison FROM inbox_events WHERE id = $1::bigint`,
      [row.inbox_id],
    );
    if (inbox[0]?.poison) return { id, replayed: false, reason: 'not_replayable' } as const;
    await tx.query(
      `UPDATE inbox_events SET status = 'retrying', lease_until = NULL WHERE id = $1::bigint AND status = 'dead'`,
      [row.inbox_id],
    );
    const job: InboxJob = { inboxId: row.inbox_id, attempt: 1, replayOf: id };
    // A letter recorded under a queue since renamed goes to the queue that took its place.
    const jobId = await boss.send(currentQueue(row.queue), job, { db: tx.bossDb });
    if (!jobId) throw new Error(`pg-boss did not enqueue the replay of dead letter ${id}`);
    await tx.query(`UPDATE dead_letters SET replayed_at = now(), replay_job_id = $2 WHERE id = $1::bigint`, [
      id,
      jobId,
    ]);
    return { id, replayed: true, jobId } as const;
  });
}

export async function replayAllDeadLetters(store: Store, boss: PgBoss): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  // A cursor, not "the first 100 open": letters that cannot be replayed stay open and must not be met again.
  let afterId = '0';
  for (;;) {
    const batch = await listDeadLetters(store, { limit: 100, afterId });
    if (!batch.length) return results;
    for (const d of batch) results.push(await replayDeadLetter(store, boss, d.id));
    afterId = batch[batch.length - 1]!.id;
  }
}

export async function countOpenDeadLetters(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM dead_letters WHERE replayed_at IS NULL`,
  );
  return rows[0]?.n ?? 0;
}
