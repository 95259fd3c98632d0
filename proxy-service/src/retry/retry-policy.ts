// The one retry decision, for every layer (stripe-node's RequestSender._shouldRetry next to backoff with full
// jitter, AWS Architecture Blog "Exponential Backoff And Jitter"). Pure: the random source is passed in.
// What is retried where and how often is the table (retry-table.ts); this applies it to one failed attempt.
import type { FailureClass } from './failure-class.ts';
import {
  attemptsAt,
  backoffCeiling,
  INLINE,
  MAX_RETRY_AFTER_MS,
  RETRY_TABLE,
  type QueuePolicy,
  type RetryLayer,
} from './retry-table.ts';

export type RetryDecision =
  { retry: true; delayMs: number } | { retry: false; reason: 'not_retryable' | 'attempts_exhausted' | 'wait_too_long' };

export interface FailedAttempt {
  failure: FailureClass;
  retryAfterMs?: number | undefined;
}

export interface DecideOptions {
  /** the job queue's policy; the inline layers use INLINE */
  queue?: QueuePolicy;
  /** attempts at this layer instead of the table's, for classes the layer retries (tests and benchmarks) */
  attempts?: number;
  /** longest wait an inline layer sleeps through (default INLINE.maxWaitMs) */
  maxWaitMs?: number;
  random?: () => number;
}

const NO_QUEUE: QueuePolicy = { maxAttempts: 1, baseMs: 0, maxMs: 0 };

/**
 * Whether `layer` tries again after attempt number `attempt` (from 1) failed, and after how long.
 */
export function decideRetry(
  failed: FailedAttempt,
  layer: RetryLayer,
  attempt: number,
  options: DecideOptions = {},
): RetryDecision {
  const queue = options.queue ?? NO_QUEUE;
  // Not retryable: a dead letter at once, with its reason, for an admin to fix and replay.
  if (layer === 'queue' && !RETRY_TABLE[failed.failure].queue) return { retry: false, reason: 'not_retryable' };
  const tableAttempts = attemptsAt(failed.failure, layer, queue);
  // An inline layer the table gives one attempt leaves the failure to the layer around it.
  if (layer !== 'queue' && tableAttempts <= 1) return { retry: false, reason: 'not_retryable' };
  const attempts = RETRY_TABLE[failed.failure].retryable ? (options.attempts ?? tableAttempts) : tableAttempts;
  if (attempt >= attempts) return { retry: false, reason: 'attempts_exhausted' };
  // A stale plan is read again at once; a rejected token is replaced at once: waiting changes neither.
  if (failed.failure === 'conflict' || failed.failure === 'unauthorized') return { retry: true, delayMs: 0 };
  const inline = layer !== 'queue';
  const ceiling = inline
    ? backoffCeiling(attempt, INLINE.baseMs, INLINE.maxMs)
    : backoffCeiling(attempt, queue.baseMs, queue.maxMs);
  const jittered = Math.floor((options.random ?? Math.random)() * ceiling);
  // The server's own wait is a floor: retrying earlier would only be throttled again (RFC 9110 §10.2.3).
  const floor = failed.retryAfterMs === undefined ? 0 : Math.min(failed.retryAfterMs, MAX_RETRY_AFTER_MS);
  const delayMs = Math.max(jittered, floor);
  // Inline layers hold a job's worker: a long wait is the queue's, which reschedules the job instead.
  if (inline && delayMs > (options.maxWaitMs ?? INLINE.maxWaitMs)) return { retry: false, reason: 'wait_too_long' };
  return { retry: true, delayMs };
}

/** Parses an HTTP Retry-After header (delta-seconds or HTTP-date, RFC 9110 §10.2.3) into milliseconds from now. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
