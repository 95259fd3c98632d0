import type { Store } from './store.ts';
export declare function openPgStore(connectionString: string, schema?: string, max?: number): Promise<Store>;
