import type { ConstructorOptions, Db } from 'pg-boss';
export interface Sql {
    query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{
        rows: T[];
    }>;
}
/** A Sql bound to one transaction, plus the same connection as pg-boss sees it (so a job is enqueued atomically with our rows). */
export interface TxSql extends Sql {
    bossDb: Db;
}
export interface Store extends Sql {
    readonly kind: 'pglite' | 'postgres';
    /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
    transaction<T>(fn: (tx: TxSql) => Promise<T>): Promise<T>;
    /** How pg-boss connects to this same database outside our transactions. */
    readonly bossOptions: Pick<ConstructorOptions, 'db' | 'connectionString' | 'max' | 'backend' | 'schema'>;
    /** Runs a multi-statement script without parameters (migrations). */
    exec(script: string): Promise<void>;
    close(): Promise<void>;
}
