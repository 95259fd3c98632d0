import type { AppError } from '../errors.ts';
export interface RetryPolicy {
    maxAttempts: number;
    baseMs: number;
    maxMs: number;
}
export type RetryDecision = {
    retry: true;
    delayMs: number;
} | {
    retry: false;
    reason: 'not_retryable' | 'attempts_exhausted';
};
/** A Retry-After longer than this is treated as a misbehaving server and capped. */
export declare const MAX_RETRY_AFTER_MS = 3600000;
/**
 * @param attempt the attempt that just failed, starting at 1
 * @param random  uniform in [0, 1)
 */
export declare function decideRetry(error: Pick<AppError, 'retryable' | 'retryAfterMs'>, attempt: number, policy: RetryPolicy, random?: () => number): RetryDecision;
/** Parses an HTTP Retry-After header (delta-seconds or HTTP-date) into milliseconds from now. */
export declare function parseRetryAfter(value: string | null | undefined, now?: number): number | undefined;
