import { AppError } from '../../errors.ts';
export interface PayPalErrorDetail {
    field?: string;
    value?: string;
    location?: string;
    issue: string;
    description?: string;
}
export interface PayPalErrorDetails extends Record<string, unknown> {
    name: string;
    debug_id: string | undefined;
    issues: string[];
    details: PayPalErrorDetail[];
    method: string;
    path: string;
}
/** True for answers worth retrying with the same request: throttling, PayPal failing, or the same
 * PayPal-Request-Id still being processed (409 PREVIOUS_REQUEST_IN_PROGRESS, payments_payment_v2.json). */
export declare function isRetryableStatus(status: number, issues?: readonly string[]): boolean;
export declare function payPalError(status: number, body: unknown, request: {
    method: string;
    path: string;
}, retryAfterMs?: number, headerDebugId?: string | null): AppError;
/** Connection failures and our own timeouts: retryable, the request may or may not have arrived. */
export declare function payPalNetworkError(cause: unknown): AppError;
/** The PayPal fields of an AppError made here, or undefined for other errors. */
export declare function payPalErrorDetails(err: unknown): PayPalErrorDetails | undefined;
