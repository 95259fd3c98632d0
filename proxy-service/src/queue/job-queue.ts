// pg-boss 12 on the proxy's own store: PGlite through pg-boss's adapter, or the PostgreSQL pool.
// Our retry decisions live in retry/ (the retry table); pg-boss's own retries only cover a worker that died
// mid-job (its lease expired), so a crash never loses a job.
import { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';

export const QUEUES = {
  /** Every inbound event, PayPal's and Dataverse's, on its way from the inbox to its flow. */
  inbound: 'inbound-events',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * Queues an earlier version sent jobs to, and the queue that took their place. A store outlives upgrades
 * (PGlite's data directory, PostgreSQL), so jobs queued under an old name before an upgrade are still
 * worked: see retireQueues.
 */
export const RETIRED_QUEUES: Readonly<Record<string, QueueName>> = {
  'paypal-events': QUEUES.inbound,
};

/** The queue a job recorded under `name` (e.g. in a dead letter) goes to today. */
export function currentQueue(name: string): string {
  return Object.hasOwn(RETIRED_QUEUES, name) ? RETIRED_QUEUES[name]! : name;
}

export interface InboxJob {
  inboxId: string;
  attempt: number;
  /** Set when this job was created by replaying a dead letter. */
  replayOf?: string;
}

/** How long one job may run before pg-boss considers its worker dead and retries it. */
export const JOB_EXPIRE_SECONDS = 300;

export async function startBoss(
  store: Store,
  options: { workers: boolean; onError?: (err: Error) => void },
): Promise<PgBoss> {
  const boss = new PgBoss({
    ...store.bossOptions,
    useListenNotify: true,
    // Maintenance and cron only where workers run; the CLI just enqueues.
    supervise: options.workers,
    schedule: false,
    migrate: true,
  });
  // A lost connection or a failed poll: pg-boss retries its own loops and reconnects LISTEN; an 'error'
  // event without a listener would end the process.
  boss.on('error', options.onError ?? (() => undefined));
  await boss.start();
  for (const name of Object.values(QUEUES)) {
    await boss.createQueue(name, {
      retryLimit: 5,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 300,
      expireInSeconds: JOB_EXPIRE_SECONDS,
      deleteAfterSeconds: 7 * 24 * 3600,
      notify: true,
    });
  }
  return boss;
}

/**
 * At a worker's start: deletes each retired queue that holds no open job, and returns the ones that still
 * do (queued, deferred for a retry, or active when a worker died), which the worker works until they are
 * empty; a later start deletes them. Open jobs are looked up in pg-boss's job table because getQueue's counts
 * are a cache that maintenance refreshes (https://pgboss.io/api/queues#getqueues-names-options) and may
 * still read 0 right after a restart; findJobs' `queued` leaves out active jobs.
 */
export async function retireQueues(store: Store, boss: PgBoss): Promise<{ deleted: string[]; draining: string[] }> {
  const schema = store.bossOptions.schema ?? 'pgboss';
  const deleted: string[] = [];
  const draining: string[] = [];
  for (const name of Object.keys(RETIRED_QUEUES)) {
    if (!(await boss.getQueue(name))) continue;
    const { rows } = await store.query(
      `SELECT 1 FROM ${schema}.job WHERE name = $1 AND state IN ('created', 'retry', 'active') LIMIT 1`,
      [name],
    );
    if (rows.length) draining.push(name);
    else {
      await boss.deleteQueue(name);
      deleted.push(name);
    }
  }
  return { deleted, draining };
}
