// Service protection limits: a burst over the configured request limit gets 429 with Retry-After and the documented
// code; the window slides and recovers (injectable clock, no sleeping). Also the execution-time and
// concurrency limits and the rule that a $batch is one request but charges every operation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INTERACTIVE_USERS, ManualClock } from '../src/index.ts';
import type { DataverseEmulator } from '../src/index.ts';
import { api, eventually, startEmulator } from './helpers.ts';

let em: DataverseEmulator;
const clock = new ManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));

beforeAll(async () => {
  em = await startEmulator({
    clock,
    limits: { requests: 10, windowSeconds: 300, executionTimeMs: 1000, concurrent: 3, costMs: { read: 5, write: 100 } },
  });
});
afterAll(async () => {
  await em.close();
});

describe('service protection limits', () => {
  it('answers 429 0x80072322 with Retry-After over the request limit and recovers as the window slides', async () => {
    const token = await em.tokenFor('salesuser');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await api(em, 'GET', 'accounts?$top=1', { token })).status);
      clock.advance(10_000); // requests at t=0,10,…,90 s
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await api(em, 'GET', 'accounts?$top=1', { token });
    expect(limited.status).toBe(429);
    expect(limited.json().error).toMatchObject({
      code: '0x80072322',
      message: 'Number of requests exceeded the limit of 10 over time window of 300 seconds.',
    });
    // now t=100 s; the oldest request (t=0) leaves the window at t=300 s
    expect(limited.headers.get('retry-after')).toBe('200');
    clock.advance(199_000);
    expect((await api(em, 'GET', 'accounts?$top=1', { token })).status).toBe(429);
    clock.advance(1_000);
    expect((await api(em, 'GET', 'accounts?$top=1', { token })).status).toBe(200);
    // other users have their own window
    expect((await api(em, 'GET', 'accounts?$top=1', { user: 'financeuser' })).status).toBe(200);
  });

  it('charges every operation in a $batch against the execution-time limit (0x80072321)', async () => {
    const token = await em.tokenFor('refundagent');
    const b = 'batch_x';
    const part = (i: number) =>
      [
        `--${b}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        '',
        'POST accounts HTTP/1.1',
        'Content-Type: application/json',
        '',
        JSON.stringify({ name: `lim ${i}` }),
      ].join('\r\n');
    const body = [...Array.from({ length: 10 }, (_, i) => part(i)), `--${b}--`, ''].join('\r\n');
    const r = await api(em, 'POST', '$batch', {
      token,
      body,
      headers: { 'Content-Type': `multipart/mixed; boundary=${b}` },
    });
    expect(r.status).toBe(200); // one request, 10 writes × 100 ms charged = 1000 ms
    const next = await api(em, 'GET', 'accounts?$top=1', { token });
    expect(next.status).toBe(429);
    expect(next.json().error).toMatchObject({ code: '0x80072321' });
    expect(Number(next.headers.get('retry-after'))).toBeGreaterThan(0);
    clock.advance(300_000);
    expect((await api(em, 'GET', 'accounts?$top=1', { token })).status).toBe(200);
  });

  it('rejects requests over the concurrency limit with 0x80072326', async () => {
    const token = await em.tokenFor('payoutapprover');
    const userId = INTERACTIVE_USERS.find((u) => u.key === 'payoutapprover')?.systemuserid as string;
    // injected latency keeps three requests in flight (path prefix only this test uses)
    await fetch(`${em.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ status: 0, count: 3, latencyMs: 3000, path: 'pricelevels' }),
    });
    const inflight = [0, 1, 2].map(() => api(em, 'GET', 'pricelevels?$top=1', { token }));
    await eventually(() => em.limiter.inFlight(userId) === 3);
    const fourth = await api(em, 'GET', 'uoms?$top=1', { token });
    expect(fourth.status).toBe(429);
    expect(fourth.json().error).toMatchObject({
      code: '0x80072326',
      message: 'Number of concurrent requests exceeded the limit of 3.',
    });
    expect((await Promise.all(inflight)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await api(em, 'GET', 'uoms?$top=1', { token })).status).toBe(200);
  });
});
