import type { Sql } from '../adapters/store/store.ts';
export type InboxStatus = 'received' | 'processing' | 'retrying' | 'processed' | 'ignored' | 'dead';
export interface InboxRow {
    id: string;
    source: string;
    event_id: string;
    event_type: string;
    status: InboxStatus;
    attempts: number;
    last_error: string | null;
    payload: unknown;
}
export interface NewInboxEvent {
    source: string;
    eventId: string;
    eventType: string;
    transmissionId?: string;
    knownType: boolean;
    payload: unknown;
}
/** Inserts the event unless it is already stored; returns the new row id, or undefined for a duplicate. */
export declare function insertInboxEvent(sql: Sql, e: NewInboxEvent): Promise<string | undefined>;
/**
 * Takes the event for processing: only one worker holds it at a time (a lease), and an event already
 * processed or dead-lettered is never taken again. A lease left by a crashed worker expires.
 */
export declare function claimInboxEvent(sql: Sql, inboxId: string, leaseMs: number): Promise<InboxRow | undefined>;
export declare function markInbox(sql: Sql, inboxId: string, status: InboxStatus, lastError?: string | null): Promise<void>;
/**
 * Inserts many events in one statement. Returns, per input, the new row id or undefined when it was
 * already stored (or repeats an earlier input of the same call).
 */
export declare function insertInboxEvents(sql: Sql, events: NewInboxEvent[]): Promise<(string | undefined)[]>;
