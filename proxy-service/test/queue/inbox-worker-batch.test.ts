// The job worker runs the jobs pg-boss fetched together as one batch (queue/inbox-worker.ts runBatch): one
// statement claims the batch's events, one marks the processed ones, one transaction parks the parked ones.
// What must not change: one event's failure is retried or dead-lettered alone; a store failure or a crash in
// the middle of a batch leaves no event held, and every event reaches its outcome on the next run.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Job, PgBoss } from 'pg-boss';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Store } from '../../src/adapters/store/store.ts';
import { errors } from '../../src/errors.ts';
import { recordRun, type HandlerContext } from '../../src/flows/handlers.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/metrics.ts';
import { insertInboxEvents } from '../../src/queue/inbox.ts';
import { createInboxWorker } from '../../src/queue/inbox-worker.ts';
import type { InboxJob } from '../../src/queue/job-queue.ts';

let store: Store;
beforeAll(async () => {
  store = await openStore({ databaseUrl: undefined, databaseSchema: 'public', pgliteDataDir: 'memory://' });
});
afterAll(async () => {
  await store.close();
});

/** Capture id → what its handler does on its next run ('ok' when absent). */
let behaviour: Map<string, 'retryable' | 'fatal' | 'hang'>;
let sent: { data: InboxJob; startAfter: Date }[];
beforeEach(() => {
  behaviour = new Map();
  sent = [];
});

async function handler(ctx: HandlerContext) {
  const id = (ctx.event as { resource: { id: string } }).resource.id;
  const b = behaviour.get(id);
  if (b === 'retryable') throw errors.remote('dataverse', 503, 'Service Unavailable');
  if (b === 'fatal') throw errors.remote('dataverse', 400, 'Bad Request');
  await recordRun(ctx);
  if (b === 'hang') await new Promise(() => undefined); // the process dies here
}

/** pg-boss as the worker sees it: sends of retries are recorded (the batch's jobs come from the test). */
const boss = {
  send: async (_queue: string, data: InboxJob, options: { startAfter: Date }) => {
    sent.push({ data, startAfter: options.startAfter });
    return randomUUID();
  },
} as unknown as PgBoss;

function worker(sql: Store = store, handlers = { 'capture.completed': handler }) {
  return createInboxWorker({
    boss,
    store: sql,
    queue: 'inbound-events',
    handlers,
    policy: { maxAttempts: 5, baseMs: 1000, maxMs: 60_000 },
    metrics: createMetrics(),
    log: createLogger('silent'),
    random: () => 0.5,
  });
}

/** n stored capture events and their jobs, as pg-boss would hand them to the worker in one fetch. */
async function batch(n: number) {
  const captures = Array.from({ length: n }, () => `CAP-${randomUUID()}`);
  const ids = await insertInboxEvents(
    store,
    captures.map((c) => {
      const eventId = `WH-${randomUUID()}`;
      return {
        source: 'paypal',
        eventId,
        eventType: 'PAYMENT.CAPTURE.COMPLETED',
        knownType: true,
        payload: { id: eventId, event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { id: c } },
      };
    }),
  );
  const jobs = ids.map(
    (id) => ({ id: randomUUID(), name: 'inbound-events', data: { inboxId: id!, attempt: 1 } }) as Job<InboxJob>,
  );
  return { captures, ids: ids as string[], jobs };
}

const statuses = async (ids: string[]) =>
  (
    await store.query<{ status: string }>(
      `SELECT status FROM inbox_events WHERE id = ANY($1::bigint[]) ORDER BY array_position($1::bigint[], id)`,
      [ids],
    )
  ).rows.map((r) => r.status);
const runs = async (ids: string[]) =>
  Promise.all(
    ids.map(
      async (id) =>
        (
          await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM handler_runs WHERE inbox_id = $1::bigint`, [
            id,
          ])
        ).rows[0]!.n,
    ),
  );

/** The store, with the statements matching `fails` refused once each (a connection lost at that moment). */
function faulty(fails: RegExp): Store {
  let armed = true;
  const refuse = (text: string) => {
    if (armed && fails.test(text)) {
      armed = false;
      return Promise.reject(Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' }));
    }
    return undefined;
  };
  return {
    ...store,
    query: (text, params) => refuse(text) ?? store.query(text, params),
    transaction: (fn) =>
      store.transaction((tx) => fn({ ...tx, query: (text, params) => refuse(text) ?? tx.query(text, params) })),
  };
}

describe('a batch of jobs', () => {
  it('runs every event once and marks them processed', async () => {
    const { ids, jobs } = await batch(5);
    expect(await worker().runBatch(jobs)).toEqual(Array(5).fill('processed'));
    expect(await statuses(ids)).toEqual(Array(5).fill('processed'));
    expect(await runs(ids)).toEqual([1, 1, 1, 1, 1]);
  });

  it('retries only the event whose handler failed; the others are processed once', async () => {
    const { captures, ids, jobs } = await batch(5);
    behaviour.set(captures[2]!, 'retryable');
    expect(await worker().runBatch(jobs)).toEqual(['processed', 'processed', 'retried', 'processed', 'processed']);
    expect(await statuses(ids)).toEqual(['processed', 'processed', 'retrying', 'processed', 'processed']);
    expect(await runs(ids)).toEqual([1, 1, 0, 1, 1]);
    expect(sent.map((s) => s.data)).toEqual([{ inboxId: ids[2], attempt: 2 }]);

    // Its retry job runs it alone, once the fault is gone.
    behaviour.clear();
    const retry = { id: randomUUID(), name: 'inbound-events', data: sent[0]!.data } as Job<InboxJob>;
    expect(await worker().runBatch([retry])).toEqual(['processed']);
    expect(await runs(ids)).toEqual([1, 1, 1, 1, 1]);
  });

  it('dead-letters only the event whose failure is final, with its reason', async () => {
    const { captures, ids, jobs } = await batch(3);
    behaviour.set(captures[0]!, 'fatal');
    expect(await worker().runBatch(jobs)).toEqual(['dead_lettered', 'processed', 'processed']);
    expect(await statuses(ids)).toEqual(['dead', 'processed', 'processed']);
    const { rows } = await store.query<{ inbox_id: string; error_code: string }>(
      `SELECT inbox_id::text AS inbox_id, error_code FROM dead_letters WHERE inbox_id = ANY($1::bigint[])`,
      [ids],
    );
    expect(rows).toEqual([{ inbox_id: ids[0], error_code: expect.stringMatching(/./) }]);
    expect(sent).toEqual([]);
  });

  it('runs a job repeated in the same batch once', async () => {
    const { ids, jobs } = await batch(2);
    const again = { ...jobs[0]!, id: randomUUID() } as Job<InboxJob>;
    expect(await worker().runBatch([jobs[0]!, again, jobs[1]!])).toEqual(['processed', 'skipped', 'processed']);
    expect(await runs(ids)).toEqual([1, 1]);
  });

  it('parks the events without a flow, each with its integration event, in one go', async () => {
    const { ids, jobs } = await batch(4);
    expect(await worker(store, {} as never).runBatch(jobs)).toEqual(Array(4).fill('parked'));
    expect(await statuses(ids)).toEqual(Array(4).fill('parked'));
    const { rows } = await store.query<{ key: string; kind: string }>(
      `SELECT key, kind FROM integration_events WHERE inbox_id = ANY($1::bigint[]) ORDER BY inbox_id`,
      [ids],
    );
    expect(rows).toEqual(ids.map((id) => ({ key: `inbox:${id}`, kind: 'parked' })));
  });

  it('leaves no event held when the store fails mid-batch: the retried jobs run every event', async () => {
    const { ids, jobs } = await batch(4);
    // The statement that marks the batch's processed events is refused: the handlers ran, nothing is marked.
    await expect(worker(faulty(/SET status = \$2/)).runBatch(jobs)).rejects.toThrow(/Connection terminated/);
    expect(await statuses(ids)).toEqual(Array(4).fill('retrying'));
    // pg-boss fails the batch's jobs and retries them: every event runs to its outcome (its handler again:
    // handlers are idempotent, an at-least-once queue runs them again after any failure).
    expect(await worker().runBatch(jobs)).toEqual(Array(4).fill('processed'));
    expect(await statuses(ids)).toEqual(Array(4).fill('processed'));
    expect(await runs(ids)).toEqual([2, 2, 2, 2]);
  });

  it('a failure while one event is retried releases the rest of the batch', async () => {
    const { captures, ids, jobs } = await batch(3);
    behaviour.set(captures[1]!, 'retryable');
    await expect(worker(faulty(/SET status = \$2/)).runBatch(jobs)).rejects.toThrow(/Connection terminated/);
    expect(await statuses(ids)).toEqual(['retrying', 'retrying', 'retrying']);
    behaviour.clear();
    expect(await worker().runBatch(jobs)).toEqual(Array(3).fill('processed'));
    expect(await runs(ids)).toEqual([2, 1, 1]);
  });

  it('loses nothing when the process dies mid-batch: after the lease expires the batch runs again', async () => {
    const { captures, ids, jobs } = await batch(4);
    behaviour.set(captures[1]!, 'hang');
    void worker().runBatch(jobs); // never settles: the process is gone while event 2 runs
    await new Promise((r) => setTimeout(r, 200));
    expect(await statuses(ids)).toEqual(Array(4).fill('processing'));
    // A job of a dead worker is retried by pg-boss once it expires (JOB_EXPIRE_SECONDS), as long as the lease.
    expect(await worker().runBatch(jobs)).toEqual(Array(4).fill('skipped'));
    await store.query(
      `UPDATE inbox_events SET lease_until = now() - interval '1 second' WHERE id = ANY($1::bigint[])`,
      [ids],
    );
    behaviour.clear();
    expect(await worker().runBatch(jobs)).toEqual(Array(4).fill('processed'));
    expect(await statuses(ids)).toEqual(Array(4).fill('processed'));
    // Events 1 and 2 ran before the crash and again after it; none was lost.
    expect(await runs(ids)).toEqual([2, 2, 1, 1]);
  });
});
