import type { DataversePort } from '../adapters/dataverse/types.ts';
import type { ReferenceData } from '../mapping/order-to-cash-plan.ts';
export interface ReferenceDataSource {
    get(): Promise<ReferenceData & {
        envVars: Record<string, string>;
    }>;
    invalidate(): void;
}
export declare function dataverseReferenceData(dv: DataversePort, options?: {
    ttlMs?: number;
    now?: () => number;
}): ReferenceDataSource;
