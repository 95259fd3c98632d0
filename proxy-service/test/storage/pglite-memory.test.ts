// memory:// stores start from the dump of one blank cluster made once per process (an initdb in WASM is the
// costly part of opening one): each must still be a cluster of its own, migrated from scratch.
import { describe, expect, it } from '@jest/globals';
import { openPgliteStore } from '../../src/adapters/store/pglite-store.ts';
import { migrate, migrations } from '../../src/adapters/store/migrations.ts';

describe('in-memory PGlite stores', () => {
  it('are independent clusters, each migrated on its own', async () => {
    const a = await openPgliteStore('memory://');
    const b = await openPgliteStore('memory://');
    try {
      await migrate(a);
      await a.query(`CREATE TABLE only_in_a (id int)`);
      await a.query(`INSERT INTO only_in_a VALUES (1)`);
      const inB = await b.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('only_in_a', 'schema_migrations')`,
      );
      expect(inB.rows[0]!.n).toBe(0);
      await migrate(b);
      const applied = await b.query<{ n: number }>(`SELECT count(*)::int AS n FROM schema_migrations`);
      expect(applied.rows[0]!.n).toBe(migrations.length);
      const c = await openPgliteStore('memory://');
      try {
        const inC = await c.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`,
        );
        expect(inC.rows[0]!.n).toBe(0);
      } finally {
        await c.close();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
