// pg-boss 12 on the proxy's own store: PGlite through pg-boss's adapter, or the PostgreSQL pool.
// Our retry decisions live in retry/ (the retry table); pg-boss's own retries only cover a worker that died
// mid-job (its lease expired), so a crash never loses a job.
import { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';

export const QUEUES = {
  paypal: 'paypal-events',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface InboxJob {
  inboxId: string;
  attempt: number;
  /** Set when this job was created by replaying a dead letter. */
  replayOf?: string;
}

/** How long one job may run before pg-boss considers its worker dead and retries it. */
export const JOB_EXPIRE_SECONDS = 300;

export async function startBoss(store: Store, options: { workers: boolean }): Promise<PgBoss> {
  const boss = new PgBoss({
    ...store.bossOptions,
    useListenNotify: true,
    // Maintenance and cron only where workers run; the CLI just enqueues.
    supervise: options.workers,
    schedule: false,
    migrate: true,
  });
  boss.on('error', () => undefined); // surfaced through job outcomes and /readyz; pg-boss retries its own loops
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
