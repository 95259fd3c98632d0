// The one retry decision for every job (stripe-node's _shouldRetry next to backoff with full jitter,
// AWS Architecture Blog "Exponential Backoff And Jitter"). Pure: the random source is passed in.
import type { AppError } from '../errors.ts';

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export type RetryDecision =
  { retry: true; delayMs: number } | { retry: false; reason: 'not_retryable' | 'attempts_exhausted' };

/** A Retry-After longer than this is treated as a misbehaving server and capped. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * @param attempt the attempt that just failed, starting at 1
 * @param random  uniform in [0, 1)
 */
export function decideRetry(
  error: Pick<AppError, 'retryable' | 'retryAfterMs'>,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  if (!error.retryable) return { retry: false, reason: 'not_retryable' };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts_exhausted' };
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  // The server's own wait is a floor: retrying earlier would only be throttled again.
  const floor = error.retryAfterMs === undefined ? 0 : Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS);
  return { retry: true, delayMs: Math.max(jittered, floor) };
}

/** Parses an HTTP Retry-After header (delta-seconds or HTTP-date) into milliseconds from now. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
