import { AppError } from '../../errors.ts';
export declare const SERVICE = "dataverse";
export declare const THROTTLE_CODES: {
    readonly requests: "0x80072322";
    readonly executionTime: "0x80072321";
    readonly concurrency: "0x80072326";
};
type HeaderSource = Headers | Record<string, unknown> | undefined;
export declare function parseErrorBody(body: string | undefined): {
    code?: string;
    message?: string;
};
/** An HTTP answer that is an error, as an AppError; extra lands in details (e.g. the failing change-set operation). */
export declare function dataverseError(status: number, error: {
    code?: string;
    message?: string;
}, headers?: HeaderSource, extra?: Record<string, unknown>): AppError;
/** Normalises whatever dynamics-web-api, fetch or msal threw. */
export declare function fromThrown(e: unknown): AppError;
export {};
