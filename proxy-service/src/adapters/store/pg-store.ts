// PostgreSQL store (DATABASE_URL, or the embedded server): one pg.Pool for our queries; pg-boss keeps its own.
// The connection may go away at any time (server restart, failover, pg_terminate_backend, an idle reaper):
// every connection error is handled here, so it surfaces as a failed operation (store_unavailable, 503 at
// the intake) and never as an unhandled 'error' event that ends the process; the pool opens new connections
// by itself once the server answers again.
import pg from 'pg';
import type { QueryResultRow } from 'pg';
import type { Store, TxSql } from './store.ts';
import { storeError } from './store-errors.ts';

export interface PgStoreOptions {
  schema?: string;
  max?: number;
  /** Told about connection errors outside any operation (an idle connection ended by the server). */
  onConnectionError?: (err: Error) => void;
  kind?: Store['kind'];
  /** Runs after the pool has ended (the embedded server's stop). */
  afterClose?: () => Promise<void>;
}

export async function openPgStore(connectionString: string, options: PgStoreOptions = {}): Promise<Store> {
  const schema = options.schema ?? 'public';
  const onConnectionError = options.onConnectionError ?? (() => undefined);
  const pgOptions = schema === 'public' ? undefined : `-c search_path=${schema}`;
  const poolConfig: pg.PoolConfig = {
    connectionString,
    max: options.max ?? 10,
    application_name: 'ppc-proxy',
    // A server that vanished without closing the socket (failover, cable) must not hang a request forever.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    ...(pgOptions ? { options: pgOptions } : {}),
  };
  const pool = new pg.Pool(poolConfig);
  // An idle connection ended by the server: pg-pool has already dropped it and emits it here; without a
  // listener Node would throw it as an uncaught exception.
  pool.on('error', (err) => onConnectionError(err));
  // Fail fast on a bad URL or unreachable server instead of at the first request.
  const probe = await pool.connect();
  try {
    if (schema !== 'public') await probe.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    probe.release();
  }
  return {
    kind: options.kind ?? 'postgres',
    // pg-boss keeps its own small pool (it needs a dedicated LISTEN connection); our transactions lend it theirs.
    bossOptions: {
      connectionString,
      max: 4,
      backend: 'postgres',
      schema: schema === 'public' ? 'pgboss' : `${schema}_pgboss`,
      application_name: 'ppc-proxy-jobs',
      connectionTimeoutMillis: 10_000,
    },
    query: async <T>(text: string, params?: unknown[]) => {
      try {
        return await pool.query<T & QueryResultRow>(text, params);
      } catch (err) {
        throw storeError(err);
      }
    },
    exec: async (script) => {
      try {
        await pool.query(script);
      } catch (err) {
        throw storeError(err);
      }
    },
    transaction: async (fn) => {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw storeError(err);
      }
      // pg-pool takes its idle 'error' listener off a client while it is checked out: a connection that drops
      // between two statements of this transaction would otherwise emit 'error' with nobody listening.
      let lost: Error | undefined;
      const onError = (err: Error) => {
        lost = err;
        onConnectionError(err);
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const tx: TxSql = {
          query: <T>(text: string, params?: unknown[]) => client.query<T & QueryResultRow>(text, params),
          bossDb: { executeSql: (text: string, values?: unknown[]) => client.query(text, values) },
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
          lost ??= rollbackErr as Error;
        });
        throw storeError(err);
      } finally {
        client.removeListener('error', onError);
        // A connection in an unknown state is discarded rather than handed to the next caller.
        client.release(lost);
      }
    },
    close: async () => {
      await pool.end();
      await options.afterClose?.();
    },
  };
}
