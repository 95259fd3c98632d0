import { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
export declare const QUEUES: {
    readonly paypal: "paypal-events";
};
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export interface InboxJob {
    inboxId: string;
    attempt: number;
    /** Set when this job was created by replaying a dead letter. */
    replayOf?: string;
}
/** How long one job may run before pg-boss considers its worker dead and retries it. */
export declare const JOB_EXPIRE_SECONDS = 300;
export declare function startBoss(store: Store, options: {
    workers: boolean;
}): Promise<PgBoss>;
