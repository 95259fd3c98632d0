import type { Job, PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import type { Handlers } from '../flows/handlers.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { type InboxJob } from './job-queue.ts';
import { type RetryPolicy } from './retry-policy.ts';
export interface InboxWorkerDeps {
    boss: PgBoss;
    store: Store;
    queue: string;
    handlers: Handlers;
    policy: RetryPolicy;
    metrics: Metrics;
    log: Logger;
    random?: () => number;
}
export type JobOutcome = 'processed' | 'retried' | 'dead_lettered' | 'skipped';
export declare function createInboxWorker(deps: InboxWorkerDeps): {
    run: (job: Job<InboxJob>) => Promise<JobOutcome>;
    start(options: {
        concurrency: number;
        pollingSeconds: number;
        batchSize?: number;
    }): Promise<void>;
    stop(): Promise<void>;
};
export type InboxWorker = ReturnType<typeof createInboxWorker>;
