// Embedded store: PGlite (WASM PostgreSQL) in a data directory, in this process. Single connection:
// PGlite serialises statements itself, and transaction() holds it exclusively.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { fromPglite } from 'pg-boss';
import type { Store, TxSql } from './store.ts';

export async function openPgliteStore(dataDir: string): Promise<Store> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(inMemory ? undefined : dataDir);
  return {
    kind: 'pglite',
    bossOptions: { db: fromPglite(db), backend: 'pglite' },
    query: (text, params) => db.query(text, params),
    exec: async (script) => {
      await db.exec(script);
    },
    transaction: (fn) =>
      db.transaction(async (tx) => {
        const txSql: TxSql = {
          query: (text, params) => tx.query(text, params),
          bossDb: fromPglite(tx),
        };
        return fn(txSql);
      }),
    close: () => db.close(),
  };
}
