// Group commit for the intake: deliveries that arrive while a transaction is running are written
// together in the next one (one multi-row insert + one pg-boss batch insert). Each request still waits
// for the commit that holds its event before it is acknowledged; nothing is acknowledged unstored.
//
// One bad event never fails the others: when the database refuses a batch for its data (SQLSTATE classes
// 22, 23, 54), each event of it is written alone, and an event the database still refuses is stored as bytes
// and dead-lettered ('database_rejected'). Errors that are not about the data (connection lost) fail the batch:
// its requests get a 5xx and the sender redelivers.
import { createHash } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { Store, TxSql } from '../adapters/store/store.ts';
import { errorForLog, type Logger } from '../logger.ts';
import { addDeadLetter } from '../queue/dead-letters.ts';
import { insertInboxEvents, type NewInboxEvent } from '../queue/inbox.ts';
import type { InboxJob } from '../queue/job-queue.ts';
import { POISON_DESCRIPTIONS, type PoisonReason } from './json-body.ts';
import { transmissionsForgetBefore } from './replay-guard.ts';

export interface IntakeEvent extends NewInboxEvent {
  rawBody: Buffer;
  /** A PayPal delivery's signed transmission: its id must not come back with other bytes (replay-guard.ts). */
  transmission?: { id: string; time: Date };
}

export type WriteResult =
  { kind: 'stored'; inboxId: string; poison?: PoisonReason } | { kind: 'duplicate' } | { kind: 'replayed' };

interface Waiter {
  event: IntakeEvent;
  resolve: (result: WriteResult) => void;
  reject: (err: unknown) => void;
}

const FORGET_EVERY_MS = 3_600_000;

/** Errors about the data of a statement, not about the connection: the same statement fails again. */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

export function createInboxWriter(deps: {
  store: Store;
  boss: PgBoss;
  queue: string;
  log: Logger;
  clock?: () => Date;
  maxBatch?: number;
}) {
  const maxBatch = deps.maxBatch ?? 250;
  const clock = deps.clock ?? (() => new Date());
  let pending: Waiter[] = [];
  let running = false;
  let lastForget = 0;

  async function writeBatch(tx: TxSql, events: IntakeEvent[]): Promise<WriteResult[]> {
    const results: (WriteResult | undefined)[] = events.map(() => undefined);
    await guardTransmissions(tx, events, results);
    const toInsert = events.flatMap((e, i) => (results[i] ? [] : [{ e, i }]));
    const ids = await insertInboxEvents(
      tx,
      toInsert.map(({ e }) => e),
    );
    const jobs: { data: InboxJob }[] = [];
    for (const [k, { e, i }] of toInsert.entries()) {
      const id = ids[k];
      if (!id) {
        results[i] = { kind: 'duplicate' };
        continue;
      }
      if (e.poison) {
        await addDeadLetter(tx, {
          queue: deps.queue,
          jobId: 'intake',
          inboxId: id,
          attempts: 0,
          errorCode: `poison_body: ${e.poison}`,
          lastError: POISON_DESCRIPTIONS[e.poison],
          payload: null,
        });
        results[i] = { kind: 'stored', inboxId: id, poison: e.poison };
        continue;
      }
      if (e.knownType) jobs.push({ data: { inboxId: id, attempt: 1 } });
      results[i] = { kind: 'stored', inboxId: id };
    }
    if (jobs.length) await deps.boss.insert(deps.queue, jobs, { db: tx.bossDb });
    return results as WriteResult[];
  }

  /**
   * Records each transmission id with the SHA-256 of its bytes; marks 'replayed' the events whose id is already
   * recorded (or earlier in this batch) with other bytes. Insert first, then read: a concurrent transaction
   * holding the same id makes the insert wait for its commit, so two replicas cannot both miss each other.
   */
  async function guardTransmissions(tx: TxSql, events: IntakeEvent[], results: (WriteResult | undefined)[]) {
    const first = new Map<string, { hash: string; time: Date }>();
    const checked: { i: number; id: string; hash: string }[] = [];
    events.forEach((e, i) => {
      if (!e.transmission) return;
      const hash = createHash('sha256').update(e.rawBody).digest('hex');
      const seen = first.get(e.transmission.id);
      if (!seen) first.set(e.transmission.id, { hash, time: e.transmission.time });
      else if (seen.hash !== hash) results[i] = { kind: 'replayed' };
      checked.push({ i, id: e.transmission.id, hash });
    });
    if (!first.size) return;
    const ids = [...first.keys()];
    const { rows: inserted } = await tx.query<{ transmission_id: string }>(
      `INSERT INTO paypal_transmissions (transmission_id, body_sha256, transmission_time)
       SELECT id, decode(hash, 'hex'), time FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS t(id, hash, time)
       ON CONFLICT (transmission_id) DO NOTHING
       RETURNING transmission_id`,
      [ids, ids.map((id) => first.get(id)!.hash), ids.map((id) => first.get(id)!.time.toISOString())],
    );
    const fresh = new Set(inserted.map((r) => r.transmission_id));
    const known = ids.filter((id) => !fresh.has(id));
    if (!known.length) return;
    const { rows } = await tx.query<{ transmission_id: string; hash: string }>(
      `SELECT transmission_id, encode(body_sha256, 'hex') AS hash FROM paypal_transmissions WHERE transmission_id = ANY($1::text[])`,
      [known],
    );
    const stored = new Map(rows.map((r) => [r.transmission_id, r.hash]));
    for (const c of checked) {
      const hash = stored.get(c.id);
      if (hash !== undefined && hash !== c.hash) results[c.i] = { kind: 'replayed' };
    }
  }

  async function commit(batch: Waiter[]): Promise<void> {
    try {
      const results = await deps.store.transaction((tx) =>
        writeBatch(
          tx,
          batch.map((w) => w.event),
        ),
      );
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      if (!isDataError(err)) {
        batch.forEach((w) => w.reject(err));
        return;
      }
      if (batch.length > 1) {
        // Find the event the database refuses: each one alone, so the others are stored.
        for (const w of batch) await commit([w]);
        return;
      }
      const w = batch[0]!;
      if (w.event.poison) {
        w.reject(err);
        return;
      }
      deps.log.warn(
        { err: errorForLog(err), source: w.event.source },
        'database refused an event body; storing it as bytes and dead-lettering it',
      );
      await commit([{ ...w, event: { ...w.event, poison: 'database_rejected' } }]);
    }
  }

  /** Transmission ids older than the replay window can go: the time check rejects their deliveries first. */
  async function forgetOldTransmissions() {
    const now = clock();
    if (now.getTime() - lastForget < FORGET_EVERY_MS) return;
    lastForget = now.getTime();
    try {
      await deps.store.query(`DELETE FROM paypal_transmissions WHERE transmission_time < $1`, [
        transmissionsForgetBefore(now).toISOString(),
      ]);
    } catch (err) {
      deps.log.warn({ err: errorForLog(err) }, 'old PayPal transmission ids not deleted; next try in an hour');
    }
  }

  async function drain() {
    try {
      await drainPending();
    } finally {
      running = false;
    }
  }

  async function drainPending() {
    while (pending.length) {
      // PGlite runs a whole transaction in microtasks, never yielding to I/O: let the requests that are
      // already on their sockets reach the queue first, so they share this commit.
      await new Promise((resolve) => setImmediate(resolve));
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      await commit(batch);
      await forgetOldTransmissions();
    }
  }

  return {
    /** Resolves once committed: stored (maybe dead-lettered as poison), a duplicate, or a replayed transmission. */
    write(event: IntakeEvent): Promise<WriteResult> {
      return new Promise((resolve, reject) => {
        pending.push({ event, resolve, reject });
        if (!running) {
          running = true;
          void drain();
        }
      });
    },
  };
}

export type InboxWriter = ReturnType<typeof createInboxWriter>;
