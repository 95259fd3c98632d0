import type { Store } from './store.ts';
export declare function openPgliteStore(dataDir: string): Promise<Store>;
