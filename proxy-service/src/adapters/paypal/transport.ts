// The one middleware stack under every PayPal call, as a fetch function for openapi-fetch:
// bearer token from the cache (one refresh on 401) → PayPal-Request-Id on every POST (the caller's, or
// one generated per call so retries stay idempotent; developer.paypal.com/api/rest/reference/idempotency/)
// → Prefer: return=representation on writes (full resource instead of id/status/links) → per-attempt
// timeout → a failed attempt is retried as the retry table says for its class (decideRetry, layer
// 'paypal': one quick retry, a long Retry-After left to the job queue; a 401 once with a fresh token) →
// a final non-2xx becomes an AppError (paypal-error.ts), so openapi-fetch only ever sees successes.
import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { decideRetry, parseRetryAfter } from '../../retry/retry-policy.ts';
import { INLINE } from '../../retry/retry-table.ts';
import { payPalError, payPalNetworkError } from './paypal-error.ts';
import type { TokenProvider } from './oauth.ts';

export interface TransportOptions {
  tokens: TokenProvider;
  /** Attempts per call including the first, instead of the retry table's (tests). */
  maxAttempts?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Per attempt (default INLINE.timeoutMs). */
  timeoutMs?: number;
  /** A wait longer than this (a long Retry-After) is not slept through here: the retryable error is
   * thrown with its retryAfterMs so the job queue reschedules instead of holding a worker (default INLINE.maxWaitMs). */
  maxInlineDelayMs?: number;
  /** Called before each retry, for logs and metrics. */
  onRetry?: (info: { method: string; path: string; attempt: number; delayMs: number; code: string }) => void;
}

/** Header a caller sets to pick the PayPal-Request-Id of a money movement. */
export const REQUEST_ID_HEADER = 'PayPal-Request-Id';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT']);

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createPayPalFetch(options: TransportOptions): (request: Request) => Promise<Response> {
  const sleep = options.sleep ?? defaultSleep;
  const timeoutMs = options.timeoutMs ?? INLINE.timeoutMs;
  const retryOptions = {
    random: options.random ?? Math.random,
    maxWaitMs: options.maxInlineDelayMs ?? INLINE.maxWaitMs,
    ...(options.maxAttempts === undefined ? {} : { attempts: options.maxAttempts }),
  };

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

    // Every attempt re-sends the same PayPal-Request-Id: PayPal answers a repeat with the first result.
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
      const decision = decideRetry(err, 'paypal', attempt, retryOptions);
      if (!decision.retry) throw err;
      // An expired or revoked token: the next attempt fetches a new one.
      if (err.failure === 'unauthorized') options.tokens.invalidate();
      options.onRetry?.({ method, path, attempt, delayMs: decision.delayMs, code: err.code });
      if (decision.delayMs > 0) await sleep(decision.delayMs);
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
