import type { TokenProvider } from './oauth.ts';
export interface TransportOptions {
    tokens: TokenProvider;
    /** Attempts per call including the first (default 4). */
    maxAttempts?: number;
    /** Backoff base/cap in ms (defaults 500 / 30 000). */
    baseDelayMs?: number;
    maxDelayMs?: number;
    random?: () => number;
    sleep?: (ms: number) => Promise<void>;
    /** Per attempt (default 30 000 ms). */
    timeoutMs?: number;
    /** A wait longer than this (a long Retry-After) is not slept through here: the retryable error is
     * thrown with its retryAfterMs so the job queue reschedules instead of holding a worker (default 60 000). */
    maxInlineDelayMs?: number;
    /** Called before each retry, for logs and metrics. */
    onRetry?: (info: {
        method: string;
        path: string;
        attempt: number;
        delayMs: number;
        code: string;
    }) => void;
}
/** Header a caller sets to pick the PayPal-Request-Id of a money movement. */
export declare const REQUEST_ID_HEADER = "PayPal-Request-Id";
export declare const defaultSleep: (ms: number) => Promise<void>;
export declare function createPayPalFetch(options: TransportOptions): (request: Request) => Promise<Response>;
