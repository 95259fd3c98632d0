import type { BatchOp, ChangeSetResult } from './types.ts';
export declare const API_PATH = "/api/data/v9.2/";
export interface BuiltChangeSet {
    contentType: string;
    body: string;
    /** Content-ID sent for each op, in order (caller's own, or assigned so a failure can be traced to its op) */
    contentIds: string[];
}
/** Content-IDs: the caller's where given; the others numbered after the highest numeric one so "$n" stays unambiguous. */
export declare function assignContentIds(ops: BatchOp[]): string[];
export declare function buildChangeSet(orgUrl: string, ops: BatchOp[], makeId?: () => string): BuiltChangeSet;
export interface ResponsePart {
    contentId?: string;
    status: number;
    headers: Record<string, string>;
    body: string;
}
/** Flattens a $batch response (nested change-set responses included) into its HTTP parts, in order. */
export declare function parseBatchResponse(contentType: string | null | undefined, body: string): ResponsePart[];
/** OData-EntityId "…/contacts(<guid>)" → { entityId: "<guid>", entityUrl }. */
export declare function toResult(part: ResponsePart): ChangeSetResult;
