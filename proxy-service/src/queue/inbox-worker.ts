// Runs queued inbox events through their handler: claim (lease) → handler → processed; on failure the
// retry table decides (decideRetry, layer 'queue'): a new job after a backoff delay, or a dead letter with the reason.
import type { Job, PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import { toAppError } from '../errors.ts';
import type { Handlers } from '../flows/handlers.ts';
import { actionFor, type EventAction } from '../flows/event-actions.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { addDeadLetter } from './dead-letters.ts';
import { claimInboxEvents, markInbox, markInboxEvents, type InboxRow } from './inbox.ts';
import { JOB_EXPIRE_SECONDS, type InboxJob } from './job-queue.ts';
import { decideRetry } from '../retry/retry-policy.ts';
import { withJobContext } from '../ops/audit.ts';
import { describeDeadLetter, describeParked } from '../ops/describe.ts';
import {
  inboxKey,
  recordIntegrationEvent,
  integrationEventsInsert,
  setInboxEventStatus,
} from '../ops/integration-events.ts';
import type { QueuePolicy } from '../retry/retry-table.ts';

export interface InboxWorkerDeps {
  boss: PgBoss;
  store: Store;
  /** The queue this worker works; retries go back to it and dead letters name it. */
  queue: string;
  /** Retired queues that still held jobs at start (retireQueues): worked too, their retries go to `queue`. */
  retiredQueues?: readonly string[];
  handlers: Handlers;
  policy: QueuePolicy;
  metrics: Metrics;
  log: Logger;
  random?: () => number;
  /** Called after an integration event was recorded (the mirror writes it to Dataverse at once). */
  onIntegrationEvent?: () => void;
}

export type JobOutcome = 'processed' | 'retried' | 'dead_lettered' | 'skipped' | 'parked';

export function createInboxWorker(deps: InboxWorkerDeps) {
  const { boss, store, queue, metrics, log } = deps;
  const leaseMs = JOB_EXPIRE_SECONDS * 1000;

  /**
   * Runs the jobs pg-boss fetched together, in their order (one event after the other, as a single job would
   * run: per-payment ordering stays what the queue gives). The store sees one statement that claims every
   * event of the batch, one that marks the processed ones and one that parks the parked ones (with their
   * integration events), instead of one to three commits per event. A failure of one event is that event's: it is retried or
   * dead-lettered alone (its own transaction) and the others of the batch go on. When the batch itself
   * cannot go on (the store failed), the events it claimed but did not finish are released and the error
   * goes to pg-boss, which fails the batch's jobs and retries them: an event is never left held.
   */
  async function runBatch(jobs: readonly Job<InboxJob>[]): Promise<JobOutcome[]> {
    const claimed = await claimInboxEvents(
      store,
      jobs.map((j) => j.data.inboxId),
      leaseMs,
    );
    /** Ids whose outcome the store already holds (retried or dead-lettered in their own transaction). */
    const settled = new Set<string>();
    const processed: { inboxId: string; replayOf?: string; log: Logger }[] = [];
    const parked: { row: InboxRow; action: EventAction; log: Logger }[] = [];
    const outcomes: JobOutcome[] = [];
    try {
      const taken = new Set<string>();
      for (const job of jobs) {
        const row = claimed.get(job.data.inboxId);
        if (!row || taken.has(row.id)) {
          // Already processed, dead-lettered, or held by another worker (or by an earlier job of this batch):
          // a duplicate job does no new work.
          metrics.jobOutcomes.inc({ queue, outcome: 'skipped' });
          outcomes.push('skipped');
          continue;
        }
        taken.add(row.id);
        const outcome = await runClaimed(job, row, { settled, processed, parked });
        outcomes.push(outcome);
      }
      await finish(processed, parked);
      return outcomes;
    } catch (err) {
      const unfinished = [...claimed.keys()].filter((id) => !settled.has(id));
      await markInboxEvents(store, unfinished, 'retrying', `worker batch failed: ${toAppError(err).message}`).catch(
        () => undefined, // the store is gone: the lease expires, as after a crash
      );
      throw err;
    }
  }

  /** Writes the batch's processed and parked outcomes: one statement each. */
  async function finish(
    processed: { inboxId: string; replayOf?: string; log: Logger }[],
    parked: { row: InboxRow; action: EventAction; log: Logger }[],
  ) {
    if (parked.length) {
      // One statement (one commit): the rows this batch holds move to 'parked', each with its integration event.
      const insert = integrationEventsInsert(
        parked.map(({ row, action }) => ({
          key: inboxKey(row.id),
          kind: 'parked' as const,
          source: row.source === 'dataverse' ? ('dataverse' as const) : ('paypal' as const),
          eventType: row.event_type,
          eventId: row.event_id,
          action,
          ...describeParked({ source: row.source, eventType: row.event_type, action, payload: row.payload }),
          inboxId: row.id,
        })),
        3,
        'e.inbox_id IN (SELECT id FROM parked)',
      );
      await store.query(
        `WITH parked AS (
           UPDATE inbox_events i SET status = 'parked', last_error = p.reason, lease_until = NULL
             FROM unnest($1::bigint[], $2::text[]) AS p(id, reason)
            WHERE i.id = p.id AND i.status = 'processing'
            RETURNING i.id)
         ${insert.text}`,
        [parked.map((p) => p.row.id), parked.map((p) => `no flow registered for ${p.action}`), ...insert.params],
      );
      deps.onIntegrationEvent?.();
      for (const p of parked) {
        metrics.jobOutcomes.inc({ queue, outcome: 'parked' });
        p.log.info({ action: p.action }, 'event parked: no flow registered for its action');
      }
    }
    if (processed.length) {
      await markInboxEvents(
        store,
        processed.map((p) => p.inboxId),
        'processed',
      );
      const replays = processed.filter((p) => p.replayOf);
      // The replay of a dead letter went through: its integration event is resolved.
      for (const p of replays) await setInboxEventStatus(store, p.inboxId, 'resolved');
      if (replays.length) deps.onIntegrationEvent?.();
      for (const p of processed) {
        metrics.jobOutcomes.inc({ queue, outcome: 'processed' });
        p.log.info('event processed');
      }
    }
  }

  async function runClaimed(
    job: Job<InboxJob>,
    row: InboxRow,
    batch: {
      settled: Set<string>;
      processed: { inboxId: string; replayOf?: string; log: Logger }[];
      parked: { row: InboxRow; action: EventAction; log: Logger }[];
    },
  ): Promise<JobOutcome> {
    const { inboxId, attempt, replayOf } = job.data;
    const action = actionFor(row.event_type, row.source, row.payload);
    const jobLog = log.child({ correlationId: row.event_id, eventType: row.event_type, jobId: job.id, attempt });
    const handler = action === 'not_supported' ? undefined : deps.handlers[action];
    if (action !== 'not_supported' && !handler) {
      // No flow for this action in this process (not built, or its system not configured): keep the event
      // for the start that registers one (resumeParkedEvents), rather than consume it.
      batch.parked.push({ row, action, log: jobLog });
      return 'parked';
    }
    const end = metrics.jobSeconds.startTimer({ queue, action });
    try {
      if (action === 'not_supported' || !handler) throw new Error(`no action for ${row.event_type}`);
      await withJobContext(row.source, inboxId, row.payload, () =>
        handler({
          inboxId,
          eventId: row.event_id,
          eventType: row.event_type,
          action,
          attempt,
          ...(replayOf ? { replayOf } : {}),
          event: row.payload,
          store,
          log: jobLog,
        }),
      );
      batch.processed.push({ inboxId, ...(replayOf ? { replayOf } : {}), log: jobLog });
      return 'processed';
    } catch (thrown) {
      const err = toAppError(thrown);
      const decision = decideRetry(err, 'queue', attempt, {
        queue: deps.policy,
        ...(deps.random ? { random: deps.random } : {}),
      });
      if (decision.retry) {
        await store.transaction(async (tx) => {
          await markInbox(tx, inboxId, 'retrying', `${err.code}: ${err.message}`);
          const next: InboxJob = { inboxId, attempt: attempt + 1, ...(replayOf ? { replayOf } : {}) };
          await boss.send(queue, next, { db: tx.bossDb, startAfter: new Date(Date.now() + decision.delayMs) });
        });
        batch.settled.add(inboxId);
        metrics.jobOutcomes.inc({ queue, outcome: 'retried' });
        jobLog.warn(
          { err: { code: err.code, message: err.message }, delayMs: decision.delayMs },
          'event failed, retry scheduled',
        );
        return 'retried';
      }
      const exhausted = decision.reason === 'attempts_exhausted';
      await store.transaction(async (tx) => {
        const deadLetterId = await addDeadLetter(tx, {
          queue,
          jobId: job.id,
          inboxId,
          attempts: attempt,
          errorCode: decision.reason === 'attempts_exhausted' ? `${err.code} (attempts exhausted)` : err.code,
          lastError: err.message,
          payload: row.payload,
        });
        await markInbox(tx, inboxId, 'dead', `${err.code}: ${err.message}`);
        // In the same transaction: a dead letter always has its integration event (the mirror takes it to D365).
        const facts = { source: row.source, eventType: row.event_type, action, payload: row.payload };
        await recordIntegrationEvent(tx, {
          key: inboxKey(inboxId),
          kind: 'dead_letter',
          source: row.source === 'dataverse' ? 'dataverse' : 'paypal',
          eventType: row.event_type,
          eventId: row.event_id,
          action,
          attempts: attempt,
          errorCode: err.code,
          ...describeDeadLetter(facts, err, attempt, exhausted),
          inboxId,
          deadLetterId,
          jobId: job.id,
        });
      });
      batch.settled.add(inboxId);
      deps.onIntegrationEvent?.();
      metrics.jobOutcomes.inc({ queue, outcome: 'dead_lettered' });
      jobLog.error({ err: { code: err.code, message: err.message }, reason: decision.reason }, 'event dead-lettered');
      return 'dead_lettered';
    } finally {
      end();
    }
  }

  /** One job alone (tests, tools): a batch of one. */
  async function run(job: Job<InboxJob>): Promise<JobOutcome> {
    return (await runBatch([job]))[0]!;
  }

  const workerIds = new Map<string, string>();
  return {
    run,
    runBatch,
    async start(options: { concurrency: number; pollingSeconds: number; batchSize?: number }) {
      for (const name of [queue, ...(deps.retiredQueues ?? [])]) {
        const id = await boss.work<InboxJob>(
          name,
          {
            localConcurrency: options.concurrency,
            pollingIntervalSeconds: options.pollingSeconds,
            // NOTIFY wakes workers for new jobs, not for a retry whose startAfter arrives: keep polling at the base rate.
            notifyPollingIntervalSeconds: options.pollingSeconds,
            // Fetching and completing jobs in batches costs the embedded store far less than one at a time.
            batchSize: options.batchSize ?? 10,
            // A full batch means a backlog (after an outage, a burst): fetch again at once instead of waiting
            // for the polling interval, which would cap draining at concurrency × batchSize per interval.
            burstWhenBatchFull: true,
          },
          async (jobs) => {
            await runBatch(jobs);
          },
        );
        workerIds.set(name, id);
      }
    },
    async stop() {
      for (const [name, id] of workerIds) await boss.offWork(name, { id, wait: true });
      workerIds.clear();
    },
  };
}

export type InboxWorker = ReturnType<typeof createInboxWorker>;
