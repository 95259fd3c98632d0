// Group commit for the intake: deliveries that arrive while a transaction is running are written
// together in the next one (one multi-row insert + one pg-boss batch insert). Each request still waits
// for the commit that holds its event before it is acknowledged; nothing is acknowledged unstored.
import type { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import { insertInboxEvents, type NewInboxEvent } from '../queue/inbox.ts';
import type { InboxJob } from '../queue/job-queue.ts';

interface Waiter {
  event: NewInboxEvent;
  resolve: (id: string | undefined) => void;
  reject: (err: unknown) => void;
}

export function createInboxWriter(deps: { store: Store; boss: PgBoss; queue: string; maxBatch?: number }) {
  const maxBatch = deps.maxBatch ?? 250;
  let pending: Waiter[] = [];
  let running = false;

  async function drain() {
    while (pending.length) {
      // PGlite runs a whole transaction in microtasks, never yielding to I/O: let the requests that are
      // already on their sockets reach the queue first, so they share this commit.
      await new Promise((resolve) => setImmediate(resolve));
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      try {
        const ids = await deps.store.transaction(async (tx) => {
          const inserted = await insertInboxEvents(
            tx,
            batch.map((w) => w.event),
          );
          const jobs = inserted.flatMap((id, i) =>
            id && batch[i]!.event.knownType ? [{ data: { inboxId: id, attempt: 1 } satisfies InboxJob }] : [],
          );
          if (jobs.length) await deps.boss.insert(deps.queue, jobs, { db: tx.bossDb });
          return inserted;
        });
        batch.forEach((w, i) => w.resolve(ids[i]));
      } catch (err) {
        batch.forEach((w) => w.reject(err));
      }
    }
    running = false;
  }

  return {
    /** Resolves with the new inbox id once committed, or undefined for an event already stored. */
    write(event: NewInboxEvent): Promise<string | undefined> {
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
