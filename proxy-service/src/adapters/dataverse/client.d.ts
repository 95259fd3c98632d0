import type { DataverseClientOptions, DataversePort } from './types.ts';
/** "contacts(ppc_paypalpayerid='X')" → { collection: "contacts", key: "ppc_paypalpayerid='X'" } */
export declare function splitRecordPath(path: string): {
    collection: string;
    key: string;
};
export declare function encodeQuery(odataQuery: string): string;
export declare function createDataverseClient(options: DataverseClientOptions): DataversePort;
