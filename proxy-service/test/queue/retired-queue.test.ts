// The job queue was renamed ('paypal-events' → 'inbound-events') while stores outlive upgrades: jobs an
// earlier version queued under the old name are worked once after the upgrade, a dead letter recorded under
// it replays to the new queue, and the old queue is deleted once a start finds it empty.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgBoss } from 'pg-boss';
import { openStore } from '../../src/adapters/store/open-store.ts';
import type { Sql, Store } from '../../src/adapters/store/store.ts';
import { loadConfig } from '../../src/config.ts';
import { recordRun, type HandlerContext } from '../../src/flows/handlers.ts';
import { addDeadLetter, replayDeadLetter } from '../../src/queue/dead-letters.ts';
import { insertInboxEvents, markInbox } from '../../src/queue/inbox.ts';
import { QUEUES, retireQueues, startBoss, type InboxJob } from '../../src/queue/job-queue.ts';
import { startTestProxy, testEnv } from '../support/test-proxy.ts';
import { waitFor } from '@ppc/test-support';

const OLD = 'paypal-events';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ppc-retired-queue-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function insertCapture(sql: Sql): Promise<string> {
  const eventId = `WH-${randomUUID()}`;
  const [id] = await insertInboxEvents(sql, [
    {
      source: 'paypal',
      eventId,
      eventType: 'PAYMENT.CAPTURE.COMPLETED',
      knownType: true,
      payload: { id: eventId, event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: { id: `CAP-${randomUUID()}` } },
    },
  ]);
  return id!;
}

/** pg-boss as a version before the rename ran it: only the old queue exists. */
async function startOldBoss(store: Store): Promise<PgBoss> {
  const boss = new PgBoss({ ...store.bossOptions, supervise: false, schedule: false, migrate: true });
  boss.on('error', () => undefined);
  await boss.start();
  await boss.createQueue(OLD, { retryLimit: 5, expireInSeconds: 300 });
  return boss;
}

const runs = async (sql: Sql, inboxId: string) =>
  (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM handler_runs WHERE inbox_id = $1::bigint`, [inboxId]))
    .rows[0]!.n;
const status = async (sql: Sql, inboxId: string) =>
  (await sql.query<{ status: string }>(`SELECT status FROM inbox_events WHERE id = $1::bigint`, [inboxId])).rows[0]
    ?.status;

describe('retireQueues', () => {
  it('keeps a retired queue while it holds a job, even one deferred for a retry, and deletes it once empty', async () => {
    const store = await openStore(loadConfig(testEnv()));
    const old = await startOldBoss(store);
    const inboxId = await insertCapture(store);
    const job: InboxJob = { inboxId, attempt: 2 };
    const jobId = (await old.send(OLD, job, { startAfter: new Date(Date.now() + 3600_000) }))!;
    await old.stop({ graceful: false, close: true });

    const boss = await startBoss(store, { workers: false });
    try {
      expect(await retireQueues(store, boss)).toEqual({ deleted: [], draining: [OLD] });
      expect(await boss.getQueue(OLD)).not.toBeNull();

      await boss.deleteJob(OLD, jobId);
      expect(await retireQueues(store, boss)).toEqual({ deleted: [OLD], draining: [] });
      expect(await boss.getQueue(OLD)).toBeNull();
      // Nothing left to retire: a later start has nothing to do.
      expect(await retireQueues(store, boss)).toEqual({ deleted: [], draining: [] });
    } finally {
      await boss.stop({ graceful: false, close: true });
      await store.close();
    }
  });
});

describe('a proxy started on a store with jobs under the old queue name', () => {
  it('processes each of them once, replays an old dead letter to the new queue, and deletes the old queue when empty', async () => {
    const env = testEnv({ PGLITE_DATA_DIR: join(dir, 'pglite') });

    // Before the upgrade: two events queued under the old name, one of them deferred as a retry would be,
    // and one dead letter recorded under it.
    const store = await openStore(loadConfig(env));
    const old = await startOldBoss(store);
    const ready = await insertCapture(store);
    const deferred = await insertCapture(store);
    const dead = await insertCapture(store);
    await old.send(OLD, { inboxId: ready, attempt: 1 } satisfies InboxJob);
    await old.send(OLD, { inboxId: deferred, attempt: 2 } satisfies InboxJob, {
      startAfter: new Date(Date.now() + 1500),
    });
    await markInbox(store, dead, 'dead', 'dataverse_unavailable: 503');
    const letter = await addDeadLetter(store, {
      queue: OLD,
      jobId: randomUUID(),
      inboxId: dead,
      attempts: 8,
      errorCode: 'dataverse_unavailable (attempts exhausted)',
      lastError: 'dataverse answered 503',
      payload: {},
    });
    await old.stop({ graceful: false, close: true });
    await store.close();

    const seen: string[] = [];
    const handler = async (ctx: HandlerContext) => {
      seen.push(ctx.inboxId);
      await recordRun(ctx);
    };
    const first = await startTestProxy({ env, overrides: { handlers: { 'capture.completed': handler } } });
    try {
      const { store: s, boss } = first.proxy;
      await waitFor(
        async () => (await status(s, ready)) === 'processed' && (await status(s, deferred)) === 'processed',
        20_000,
        'the jobs queued under the old name',
      );
      expect(await runs(s, ready)).toBe(1);
      expect(await runs(s, deferred)).toBe(1);

      const replay = await replayDeadLetter(s, boss, letter);
      if (!replay.replayed) throw new Error(`not replayed: ${replay.reason}`);
      expect(await boss.findJobs(QUEUES.inbound, { id: replay.jobId })).toHaveLength(1);
      expect(await boss.findJobs(OLD, { id: replay.jobId })).toHaveLength(0);
      await waitFor(async () => (await status(s, dead)) === 'processed', 20_000, 'the replayed dead letter');
      expect(await runs(s, dead)).toBe(1);
      // Still there: it held jobs at this start, so it is deleted by the next one.
      expect(await boss.getQueue(OLD)).not.toBeNull();
    } finally {
      await first.proxy.stop();
    }

    const second = await startTestProxy({ env, overrides: { handlers: { 'capture.completed': handler } } });
    try {
      const { store: s, boss } = second.proxy;
      expect(await boss.getQueue(OLD)).toBeNull();
      // A new event after the restart is processed; none of the old ones ran again.
      const next = await insertCapture(s);
      await s.transaction((tx) => boss.send(QUEUES.inbound, { inboxId: next, attempt: 1 }, { db: tx.bossDb }));
      await waitFor(async () => (await status(s, next)) === 'processed', 20_000, 'a new event');
      expect(seen.sort()).toEqual([ready, deferred, dead, next].sort());
    } finally {
      await second.proxy.stop();
    }
  });
});
