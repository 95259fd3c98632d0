import type { Config } from '../../config.ts';
import type { Store } from './store.ts';
/** Opens the configured store (PostgreSQL when DATABASE_URL is set, else PGlite) and migrates it. */
export declare function openStore(config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'pgliteDataDir'>): Promise<Store>;
