// PostgreSQL store for DATABASE_URL: one pg.Pool shared by our queries and pg-boss.
import pg from 'pg';
import type { QueryResultRow } from 'pg';
import type { Store, TxSql } from './store.ts';

export async function openPgStore(connectionString: string, schema = 'public', max = 10): Promise<Store> {
  const options = schema === 'public' ? undefined : `-c search_path=${schema}`;
  const pool = new pg.Pool({ connectionString, max, application_name: 'ppc-proxy', ...(options ? { options } : {}) });
  // Fail fast on a bad URL or unreachable server instead of at the first request.
  const probe = await pool.connect();
  try {
    if (schema !== 'public') await probe.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    probe.release();
  }
  return {
    kind: 'postgres',
    // pg-boss keeps its own small pool (it needs a dedicated LISTEN connection); our transactions lend it theirs.
    bossOptions: {
      connectionString,
      max: 4,
      backend: 'postgres',
      schema: schema === 'public' ? 'pgboss' : `${schema}_pgboss`,
    },
    query: <T>(text: string, params?: unknown[]) => pool.query<T & QueryResultRow>(text, params),
    exec: async (script) => {
      await pool.query(script);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
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
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
