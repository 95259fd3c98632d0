import type { PgBoss } from 'pg-boss';
import type { Store } from '../adapters/store/store.ts';
import { type NewInboxEvent } from '../queue/inbox.ts';
export declare function createInboxWriter(deps: {
    store: Store;
    boss: PgBoss;
    queue: string;
    maxBatch?: number;
}): {
    /** Resolves with the new inbox id once committed, or undefined for an event already stored. */
    write(event: NewInboxEvent): Promise<string | undefined>;
};
