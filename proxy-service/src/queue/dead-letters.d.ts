import type { PgBoss } from 'pg-boss';
import type { Sql, Store } from '../adapters/store/store.ts';
export interface DeadLetter {
    id: string;
    queue: string;
    job_id: string;
    inbox_id: string | null;
    attempts: number;
    error_code: string;
    last_error: string;
    payload: unknown;
    created_at: string;
    replayed_at: string | null;
    replay_job_id: string | null;
}
export declare function addDeadLetter(sql: Sql, d: {
    queue: string;
    jobId: string;
    inboxId: string;
    attempts: number;
    errorCode: string;
    lastError: string;
    payload: unknown;
}): Promise<string>;
export declare function listDeadLetters(sql: Sql, options?: {
    includeReplayed?: boolean;
    limit?: number;
}): Promise<DeadLetter[]>;
export declare function getDeadLetter(sql: Sql, id: string): Promise<DeadLetter | undefined>;
export type ReplayResult = {
    id: string;
    replayed: true;
    jobId: string;
} | {
    id: string;
    replayed: false;
    reason: 'not_found' | 'already_replayed';
};
/** Re-enqueues one dead letter atomically with marking it replayed, so a replay can never run twice. */
export declare function replayDeadLetter(store: Store, boss: PgBoss, id: string): Promise<ReplayResult>;
export declare function replayAllDeadLetters(store: Store, boss: PgBoss): Promise<ReplayResult[]>;
export declare function countOpenDeadLetters(sql: Sql): Promise<number>;
