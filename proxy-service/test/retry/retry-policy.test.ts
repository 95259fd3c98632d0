// The retry decision per layer: classification of answers and throwables, backoff with full jitter, the
// Retry-After floor, and each layer's attempts as the retry table sets them.
import { describe, expect, it } from '@jest/globals';
import { dataverseError } from '../../src/adapters/dataverse/dataverse-errors.ts';
import { payPalError } from '../../src/adapters/paypal/paypal-error.ts';
import { errors, toAppError } from '../../src/errors.ts';
import { classifyAnswer } from '../../src/retry/failure-class.ts';
import { decideRetry, parseRetryAfter } from '../../src/retry/retry-policy.ts';
import { INLINE, MAX_RETRY_AFTER_MS } from '../../src/retry/retry-table.ts';

const queue = { maxAttempts: 5, baseMs: 1000, maxMs: 30_000 };
const at = (random: number) => ({ queue, random: () => random });

describe('classifyAnswer', () => {
  it('puts every vendor answer in its class', () => {
    expect(classifyAnswer({ service: 'paypal', status: 429 })).toBe('throttled');
    expect(classifyAnswer({ service: 'dataverse', status: 429, dataverseCode: '0x80072326' })).toBe(
      'service_protection',
    );
    expect(classifyAnswer({ service: 'dataverse', status: 429 })).toBe('throttled');
    expect(classifyAnswer({ service: 'paypal', status: 409, issues: ['PREVIOUS_REQUEST_IN_PROGRESS'] })).toBe(
      'in_progress',
    );
    expect(classifyAnswer({ service: 'paypal', status: 409, issues: ['DUPLICATE_INVOICE_ID'] })).toBe('rejected');
    expect(classifyAnswer({ service: 'dataverse', status: 412 })).toBe('conflict');
    expect(classifyAnswer({ service: 'paypal', status: 412 })).toBe('rejected');
    expect(classifyAnswer({ service: 'paypal', status: 401 })).toBe('unauthorized');
    expect(classifyAnswer({ service: 'paypal', status: 408 })).toBe('unavailable');
    expect(classifyAnswer({ service: 'dataverse', status: 502 })).toBe('unavailable');
    expect(classifyAnswer({ service: 'paypal', status: 422 })).toBe('rejected');
  });

  it('the error factories carry the class and derive retryable from the table', () => {
    expect(
      payPalError(
        409,
        { name: 'X', details: [{ issue: 'PREVIOUS_REQUEST_IN_PROGRESS' }] },
        { method: 'POST', path: '/p' },
      ),
    ).toMatchObject({ failure: 'in_progress', retryable: true });
    expect(dataverseError(412, { code: '0x80060882' })).toMatchObject({
      code: 'dataverse_412',
      failure: 'conflict',
      retryable: true,
    });
    expect(dataverseError(429, { code: '0x80072322' })).toMatchObject({
      code: 'dataverse_throttled',
      failure: 'service_protection',
    });
    expect(toAppError(Object.assign(new Error('socket'), { code: 'ECONNRESET' }))).toMatchObject({
      failure: 'network',
      retryable: true,
    });
    expect(toAppError(new DOMException('timed out', 'TimeoutError'))).toMatchObject({ failure: 'network' });
    expect(toAppError(new TypeError('x is undefined'))).toMatchObject({ failure: 'bug', retryable: false });
    expect(errors.validation('amount missing')).toMatchObject({ failure: 'rejected', retryable: false });
  });
});

describe('decideRetry', () => {
  it('the queue retries 429, 5xx and network errors; not validation errors or other 4xx', () => {
    expect(decideRetry(errors.remote('paypal', 429, 'slow down'), 'queue', 1, at(0.5))).toEqual({
      retry: true,
      delayMs: 500,
    });
    expect(decideRetry(errors.remote('dataverse', 503, 'down'), 'queue', 1, at(0.5)).retry).toBe(true);
    expect(decideRetry(errors.network('dataverse', new Error('ECONNRESET')), 'queue', 1, at(0)).retry).toBe(true);
    for (const err of [
      errors.validation('amount missing'),
      errors.remote('paypal', 422, 'CAPTURE_FULLY_REFUNDED'),
      errors.remote('paypal', 401, 'invalid token'),
      toAppError(new TypeError('x is undefined')),
    ])
      expect(decideRetry(err, 'queue', 1, at(0.5))).toEqual({ retry: false, reason: 'not_retryable' });
  });

  it('doubles the ceiling per attempt, with full jitter, capped', () => {
    const err = errors.remote('paypal', 500, 'boom');
    const delays = [1, 2, 3, 4].map((a) => (decideRetry(err, 'queue', a, at(0.999999)) as { delayMs: number }).delayMs);
    expect(delays).toEqual([999, 1999, 3999, 7999]);
    const capped = decideRetry(err, 'queue', 4, {
      queue: { ...queue, maxMs: 5000, maxAttempts: 10 },
      random: () => 0.999999,
    });
    expect(capped).toEqual({ retry: true, delayMs: 4999 });
    expect(decideRetry(err, 'queue', 3, at(0))).toEqual({ retry: true, delayMs: 0 });
  });

  it('stops after the last attempt', () => {
    expect(decideRetry(errors.remote('paypal', 500, 'boom'), 'queue', 5, at(0.5))).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
    });
  });

  it('never retries before Retry-After, and caps an absurd one', () => {
    expect(decideRetry(errors.remote('dataverse', 429, 'limit', 20_000), 'queue', 1, at(0.1))).toEqual({
      retry: true,
      delayMs: 20_000,
    });
    expect(decideRetry(errors.remote('dataverse', 429, 'limit', 10 * MAX_RETRY_AFTER_MS), 'queue', 1, at(0.1))).toEqual(
      {
        retry: true,
        delayMs: MAX_RETRY_AFTER_MS,
      },
    );
  });

  it('inline layers retry briefly and leave a long Retry-After to the queue', () => {
    const err = errors.remote('paypal', 503, 'down');
    expect(decideRetry(err, 'paypal', 1, at(0.999999))).toEqual({ retry: true, delayMs: INLINE.baseMs - 1 });
    expect(decideRetry(err, 'paypal', 2, at(0.5))).toEqual({ retry: false, reason: 'attempts_exhausted' });
    expect(decideRetry(errors.remote('paypal', 429, 'slow', INLINE.maxWaitMs), 'paypal', 1, at(0))).toEqual({
      retry: true,
      delayMs: INLINE.maxWaitMs,
    });
    expect(decideRetry(errors.remote('paypal', 429, 'slow', INLINE.maxWaitMs + 1), 'paypal', 1, at(0))).toEqual({
      retry: false,
      reason: 'wait_too_long',
    });
    // a conflict is not the Dataverse client's to retry: the same request would fail again
    expect(decideRetry(dataverseError(412, {}), 'dataverse', 1, at(0))).toEqual({
      retry: false,
      reason: 'not_retryable',
    });
    expect(decideRetry(dataverseError(412, {}), 'replan', 1, at(0.9))).toEqual({ retry: true, delayMs: 0 });
    // a 401 gets exactly one more attempt (with a fresh token), whatever attempts a test asks for
    const unauthorized = errors.remote('paypal', 401, 'expired');
    expect(decideRetry(unauthorized, 'paypal', 1, { attempts: 9 })).toEqual({ retry: true, delayMs: 0 });
    expect(decideRetry(unauthorized, 'paypal', 2, { attempts: 9 })).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
    });
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
