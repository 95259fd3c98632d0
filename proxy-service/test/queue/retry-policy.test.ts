import { describe, expect, it } from '@jest/globals';
import { errors, toAppError } from '../../src/errors.ts';
import { decideRetry, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/queue/retry-policy.ts';

const policy = { maxAttempts: 5, baseMs: 1000, maxMs: 30_000 };

describe('decideRetry', () => {
  it('retries 429, 5xx and network errors; not validation errors or other 4xx', () => {
    expect(decideRetry(errors.remote('paypal', 429, 'slow down'), 1, policy, () => 0.5)).toEqual({
      retry: true,
      delayMs: 500,
    });
    expect(decideRetry(errors.remote('dataverse', 503, 'down'), 1, policy, () => 0.5).retry).toBe(true);
    expect(decideRetry(errors.network('dataverse', new Error('ECONNRESET')), 1, policy, () => 0).retry).toBe(true);
    expect(decideRetry(toAppError(Object.assign(new Error('socket'), { code: 'ECONNRESET' })), 1, policy).retry).toBe(
      true,
    );
    expect(decideRetry(errors.validation('amount missing'), 1, policy)).toEqual({
      retry: false,
      reason: 'not_retryable',
    });
    expect(decideRetry(errors.remote('paypal', 422, 'CAPTURE_FULLY_REFUNDED'), 1, policy)).toEqual({
      retry: false,
      reason: 'not_retryable',
    });
    expect(decideRetry(toAppError(new TypeError('x is undefined')), 1, policy)).toEqual({
      retry: false,
      reason: 'not_retryable',
    });
  });

  it('doubles the ceiling per attempt, with full jitter, capped', () => {
    const err = errors.remote('paypal', 500, 'boom');
    const ceilings = [1, 2, 3, 4].map(
      (a) => (decideRetry(err, a, policy, () => 0.999999) as { delayMs: number }).delayMs,
    );
    expect(ceilings).toEqual([999, 1999, 3999, 7999]);
    expect(
      (decideRetry(err, 4, { ...policy, maxMs: 5000, maxAttempts: 10 }, () => 0.999999) as { delayMs: number }).delayMs,
    ).toBe(4999);
    expect((decideRetry(err, 3, policy, () => 0) as { delayMs: number }).delayMs).toBe(0);
  });

  it('stops after the last attempt', () => {
    expect(decideRetry(errors.remote('paypal', 500, 'boom'), 5, policy)).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
    });
  });

  it('never retries before Retry-After, and caps an absurd one', () => {
    expect(decideRetry(errors.remote('dataverse', 429, 'limit', 20_000), 1, policy, () => 0.1)).toEqual({
      retry: true,
      delayMs: 20_000,
    });
    expect(
      decideRetry(errors.remote('dataverse', 429, 'limit', 10 * MAX_RETRY_AFTER_MS), 1, policy, () => 0.1),
    ).toEqual({ retry: true, delayMs: MAX_RETRY_AFTER_MS });
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:30 GMT', Date.parse('Fri, 27 Nov 2026 10:00:00 GMT'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
