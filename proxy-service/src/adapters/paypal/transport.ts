// The one middleware stack under every PayPal call, as a fetch function for openapi-fetch:
// bearer token from the cache (one refresh on 401) → PayPal-Request-Id on every POST (the caller's, or
// one generated per call so retries stay idempotent; developer.paypal.com/api/rest/reference/idempotency/)
// → Prefer: return=representation on writes (full resource instead of id/status/links) → per-attempt
// timeout → retry on 429/5xx/network with backoff and jitter, Retry-After as a floor (decideRetry) →
// a final non-2xx becomes an AppError (paypal-error.ts), so openapi-fetch only ever sees successes.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { decideRetry, parseRetryAfter, type RetryPolicy } from '../../queue/retry-policy.ts';
import { payPalError, payPalNetworkError } from './paypal-error.ts';
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
  onRetry?: (info: { method: string; path: string; attempt: number; delayMs: number; code: string }) => void;
}

/** Header a caller sets to pick the PayPal-Request-Id of a money movement. */
export const REQUEST_ID_HEADER = 'PayPal-Request-Id';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT']);

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createPayPalFetch(options: TransportOptions): (request: Request) => Promise<Response> {
  const policy: RetryPolicy = {
    maxAttempts: options.maxAttempts ?? 4,
    baseMs: options.baseDelayMs ?? 500,
    maxMs: options.maxDelayMs ?? 30_000,
  };
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxInlineDelayMs = options.maxInlineDelayMs ?? 60_000;

  return async (original: Request): Promise<Response> => {
    const method = original.method.toUpperCase();
    const path = new URL(original.url).pathname;
    const headers = new Headers(original.headers);
    if (method === 'POST' && !headers.has(REQUEST_ID_HEADER)) headers.set(REQUEST_ID_HEADER, randomUUID());
    if (WRITE_METHODS.has(method) && !headers.has('prefer')) headers.set('prefer', 'return=representation');
    // PayPal wants a JSON content type on writes even when the body is empty (e.g. order capture).
    if (WRITE_METHODS.has(method) && !headers.has('content-type')) headers.set('content-type', 'application/json');
    headers.set('accept', 'application/json');
    // Buffer once: every attempt re-sends the same bytes.
    const body = method === 'GET' || method === 'HEAD' ? undefined : await original.arrayBuffer();

    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      let err: AppError;
      try {
        // Inside the try: a throttled or failing token endpoint is retried like any other call.
        headers.set('authorization', `Bearer ${await options.tokens.token()}`);
        const res = await fetch(original.url, {
          method,
          headers,
          body: body?.byteLength ? body : undefined,
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.ok) return res;
        // An expired or revoked token: fetch a new one once, without spending an attempt.
        if (res.status === 401 && !refreshed) {
          refreshed = true;
          options.tokens.invalidate();
          await res.body?.cancel();
          attempt--;
          continue;
        }
        err = payPalError(
          res.status,
          parseJson(await res.text()),
          { method, path },
          parseRetryAfter(res.headers.get('retry-after')),
          res.headers.get('paypal-debug-id'),
        );
      } catch (cause) {
        err = cause instanceof AppError ? cause : payPalNetworkError(cause);
      }
      const decision = decideRetry(err, attempt, policy, random);
      if (!decision.retry || decision.delayMs > maxInlineDelayMs) throw err;
      options.onRetry?.({ method, path, attempt, delayMs: decision.delayMs, code: err.code });
      await sleep(decision.delayMs);
    }
  };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
