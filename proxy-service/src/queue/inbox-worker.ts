// Runs queued inbox events through their handler: claim (lease) → handler → processed; on failure the
// retry table decides (decideRetry, layer 'queue'): a new job after a backoff delay, or a dead letter with the reason.
import type { Job, PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import { toAppError } from '../errors.ts';
import type { Handlers } from '../flows/handlers.ts';
import { actionFor } from '../flows/event-actions.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { addDeadLetter } from './dead-letters.ts';
import { claimInboxEvent, markInbox } from './inbox.ts';
import { JOB_EXPIRE_SECONDS, type InboxJob } from './job-queue.ts';
import { decideRetry } from '../retry/retry-policy.ts';
import { withJobContext } from '../ops/audit.ts';
import { describeDeadLetter, describeParked } from '../ops/describe.ts';
import { inboxKey, recordIntegrationEvent, setInboxEventStatus } from '../ops/integration-events.ts';
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

  async function run(job: Job<InboxJob>): Promise<JobOutcome> {
    const { inboxId, attempt, replayOf } = job.data;
    const row = await claimInboxEvent(store, inboxId, leaseMs);
    if (!row) {
      // Already processed, dead-lettered, or held by another worker: a duplicate job does no new work.
      metrics.jobOutcomes.inc({ queue, outcome: 'skipped' });
      return 'skipped';
    }
    const action = actionFor(row.event_type, row.source, row.payload);
    const jobLog = log.child({ correlationId: row.event_id, eventType: row.event_type, jobId: job.id, attempt });
    const handler = action === 'not_supported' ? undefined : deps.handlers[action];
    if (action !== 'not_supported' && !handler) {
      // No flow for this action in this process (not built, or its system not configured): keep the event
      // for the start that registers one (resumeParkedEvents), rather than consume it.
      await store.transaction(async (tx) => {
        await markInbox(tx, inboxId, 'parked', `no flow registered for ${action}`);
        const d = describeParked({ source: row.source, eventType: row.event_type, action, payload: row.payload });
        await recordIntegrationEvent(tx, {
          key: inboxKey(inboxId),
          kind: 'parked',
          source: row.source === 'dataverse' ? 'dataverse' : 'paypal',
          eventType: row.event_type,
          eventId: row.event_id,
          action,
          ...d,
          inboxId,
        });
      });
      deps.onIntegrationEvent?.();
      metrics.jobOutcomes.inc({ queue, outcome: 'parked' });
      jobLog.info({ action }, 'event parked: no flow registered for its action');
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
      await markInbox(store, inboxId, 'processed');
      if (replayOf) {
        // The replay of a dead letter went through: its integration event is resolved.
        await setInboxEventStatus(store, inboxId, 'resolved');
        deps.onIntegrationEvent?.();
      }
      metrics.jobOutcomes.inc({ queue, outcome: 'processed' });
      jobLog.info('event processed');
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
      deps.onIntegrationEvent?.();
      metrics.jobOutcomes.inc({ queue, outcome: 'dead_lettered' });
      jobLog.error({ err: { code: err.code, message: err.message }, reason: decision.reason }, 'event dead-lettered');
      return 'dead_lettered';
    } finally {
      end();
    }
  }

  const workerIds = new Map<string, string>();
  return {
    run,
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
            for (const job of jobs) await run(job);
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
