// Embedded store: PGlite (WASM PostgreSQL) in a data directory, in this process. Single connection:
// PGlite serialises statements itself, and transaction() holds it exclusively.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { fromPglite } from 'pg-boss';
import type { Store, TxSql } from './store.ts';

// A new cluster costs an initdb inside WASM (~1.4 s here); loading the dump of a fresh one costs ~0.3 s. So every
// memory:// store (tests open hundreds) starts from the dump of one blank cluster made once per process; each
// store is still its own cluster, and migrations run on it as on any other.
let blankCluster: Promise<Blob> | undefined;
function blankClusterDump(): Promise<Blob> {
  blankCluster ??= PGlite.create().then(async (db) => {
    const dump = await db.dumpDataDir('none');
    await db.close();
    return dump;
  });
  return blankCluster;
}

export async function openPgliteStore(dataDir: string): Promise<Store> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  const db = inMemory ? await PGlite.create({ loadDataDir: await blankClusterDump() }) : await PGlite.create(dataDir);
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
