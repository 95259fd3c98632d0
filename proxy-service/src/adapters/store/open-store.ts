import type { Config } from '../../config.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresLog } from './embedded-postgres.ts';
import { migrate } from './migrations.ts';
import { openPgliteStore } from './pglite-store.ts';
import { openPgStore } from './pg-store.ts';
import type { Store } from './store.ts';

export type StoreConfig = Pick<Config, 'databaseUrl' | 'databaseSchema'> &
  Partial<Pick<Config, 'store' | 'storeDataDir' | 'pgliteDataDir'>>;

export type StoreChoice =
  | { kind: 'postgres'; url: string; schema: string }
  | { kind: 'embedded-postgres'; dataDir: string }
  | { kind: 'pglite'; dataDir: string };

export const DEFAULT_DATA_DIRS = { 'embedded-postgres': '.data/proxy-postgres', pglite: '.data/proxy-pglite' } as const;

/**
 * Which store the config selects: DATABASE_URL → that PostgreSQL; else STORE; else PGlite when the older
 * PGLITE_DATA_DIR is set (it keeps its meaning); else the embedded PostgreSQL server.
 */
export function storeChoice(config: StoreConfig): StoreChoice {
  if (config.databaseUrl) return { kind: 'postgres', url: config.databaseUrl, schema: config.databaseSchema };
  const kind = config.store ?? (config.pgliteDataDir ? 'pglite' : 'embedded-postgres');
  return { kind, dataDir: config.storeDataDir ?? config.pgliteDataDir ?? DEFAULT_DATA_DIRS[kind] };
}

const quiet: EmbeddedPostgresLog = { info: () => undefined, warn: () => undefined };

/** Opens the configured store (starting the embedded server when it is the one) and migrates it. */
export async function openStore(
  config: StoreConfig,
  log: EmbeddedPostgresLog & { error?(obj: object, msg: string): void } = quiet,
): Promise<Store> {
  const choice = storeChoice(config);
  const onConnectionError = (err: Error) =>
    log.warn({ err: { message: err.message, code: (err as { code?: unknown }).code } }, 'database connection lost');
  let store: Store;
  if (choice.kind === 'postgres') store = await openPgStore(choice.url, { schema: choice.schema, onConnectionError });
  else if (choice.kind === 'pglite') store = await openPgliteStore(choice.dataDir);
  else {
    const server = await startEmbeddedPostgres({ dataDir: choice.dataDir, log });
    try {
      store = await openPgStore(server.url, {
        kind: 'embedded-postgres',
        onConnectionError,
        afterClose: () => server.stop(),
      });
    } catch (err) {
      await server.stop().catch(() => undefined);
      throw err;
    }
  }
  try {
    await migrate(store);
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
