import type { Store } from './store.ts';
export interface Migration {
    version: number;
    name: string;
    sql: string;
}
export declare const migrations: Migration[];
/** Applies every pending migration, each in its own transaction, under an advisory lock so replicas do not race. */
export declare function migrate(store: Store): Promise<number[]>;
