import type { Config } from '../../config.ts';
import { migrate } from './migrations.ts';
import { openPgliteStore } from './pglite-store.ts';
import { openPgStore } from './pg-store.ts';
import type { Store } from './store.ts';

/** Opens the configured store (PostgreSQL when DATABASE_URL is set, else PGlite) and migrates it. */
export async function openStore(
  config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'pgliteDataDir'>,
): Promise<Store> {
  const store = config.databaseUrl
    ? await openPgStore(config.databaseUrl, config.databaseSchema)
    : await openPgliteStore(config.pgliteDataDir);
  await migrate(store);
  return store;
}
