// The shared 429 gate and the retry loop against the emulator's fault injection and service protection limits.
// Sleep is injected: the Retry-After waits are recorded and released by the test, never slept for real.
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataverseEmulator } from '@ppc/dataverse-emulator';
import { waitFor } from '@ppc/test-support';
import { AppError } from '../../../src/errors.ts';
import { clientFor, control, startEmulator, unique } from './emulator-client.ts';

let dv: DataverseEmulator;

beforeAll(async () => {
  dv = await startEmulator();
});
beforeEach(async () => {
  await control(dv, 'DELETE', 'faults');
});
afterAll(async () => {
  await dv.close();
});

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('429 gate and retries', () => {
  it('a 429 storm: every caller waits out Retry-After, and all change sets land exactly once', async () => {
    const sleeps: number[] = [];
    const client = clientFor(dv, {
      maxAttempts: 50,
      maxConcurrency: 4,
      sleep: (ms) => {
        sleeps.push(ms);
        return nextTurn();
      },
    });
    await client.query('contacts', '$select=lastname&$top=1'); // token fetched before the storm
    const base = client.stats();
    await control(dv, 'POST', 'faults', { status: 429, count: 12 });
    const tag = unique('storm');
    // If-None-Match: * makes a second application of any change set fail with 412, so "exactly once" is checked by the writes themselves
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.changeSet([
          {
            method: 'PATCH',
            url: `contacts(ppc_paypalpayerid='${tag}${i}')`,
            body: { lastname: `${tag}-${i}` },
            ifNoneMatch: '*',
          },
        ]),
      ),
    );
    expect(results.every((r) => r[0]?.status === 204)).toBe(true);
    const rows = await client.query<{ lastname: string }>(
      'contacts',
      `$select=lastname&$filter=startswith(lastname,'${tag}')`,
    );
    expect(rows.map((r) => r.lastname).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `${tag}-${i}`).sort());
    const stats = client.stats();
    expect(stats.throttled).toEqual({ '0x80072322': 12 });
    expect(stats.requests - base.requests).toBe(20 + 12 + 1);
    expect(stats.operations - base.operations).toBe(20 + 12 + 1);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps.every((ms) => ms === 1000)).toBe(true); // the emulator's Retry-After: 1
  });

  it('while the gate is closed no request of any caller is sent; they all go once Retry-After has passed', async () => {
    const sleeps: number[] = [];
    let reopen: (() => void) | undefined;
    const client = clientFor(dv, {
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise<void>((resolve) => {
          reopen = resolve;
        });
      },
    });
    const payer = unique('P');
    await client.changeSet([
      { method: 'PATCH', url: `contacts(ppc_paypalpayerid='${payer}')`, body: { lastname: 'Gate' } },
    ]);
    await control(dv, 'POST', 'faults', { status: 429, count: 1 });
    const first = client.get(`contacts(ppc_paypalpayerid='${payer}')`, ['lastname']);
    await waitFor(() => sleeps.length === 1, 5000, 'the first 429');
    const sentBefore = client.stats().requests;
    const others = Array.from({ length: 5 }, () => client.get(`contacts(ppc_paypalpayerid='${payer}')`, ['lastname']));
    for (let i = 0; i < 5; i++) await nextTurn();
    expect(client.stats().requests).toBe(sentBefore);
    expect(sleeps).toEqual([1000]);
    reopen?.();
    const all = await Promise.all([first, ...others]);
    expect(all.every((r) => r?.lastname === 'Gate')).toBe(true);
    expect(client.stats().requests).toBe(sentBefore + 6);
  });

  it('the real service protection limit (0x80072322): a long Retry-After closes the gate and is left to the job queue', async () => {
    const sleeps: number[] = [];
    const client = clientFor(dv, {
      sleep: async (ms) => {
        sleeps.push(ms);
        // lift the limit instead of waiting out the window: the next request must then pass
        await control(dv, 'POST', 'limits', { requests: 6000 });
      },
    });
    await client.query('contacts', '$select=lastname&$top=1');
    await control(dv, 'POST', 'limits', { requests: 0 });
    let err: unknown;
    try {
      err = await client.query('contacts', '$select=lastname&$top=1').catch((e: unknown) => e);
      expect(err).toMatchObject({ failure: 'service_protection', retryable: true, httpStatus: 429 });
      expect((err as AppError).retryAfterMs).toBeGreaterThan(5000);
      // the gate was closed for Retry-After (the injected sleep): the next request goes through
      expect(Array.isArray(await client.query('contacts', '$select=lastname&$top=1'))).toBe(true);
    } finally {
      await control(dv, 'POST', 'limits', { requests: 6000 });
    }
    expect(client.stats().throttled['0x80072322']).toBe(1);
    expect(sleeps).toEqual([(err as AppError).retryAfterMs]);
  });

  it('concurrency breaches (0x80072326) are retried behind the gate until every request has gone through', async () => {
    const client = clientFor(dv, { maxConcurrency: 8, maxAttempts: 20, sleep: () => nextTurn() });
    const payer = unique('P');
    await client.changeSet([
      { method: 'PATCH', url: `contacts(ppc_paypalpayerid='${payer}')`, body: { lastname: 'Busy' } },
    ]);
    await control(dv, 'POST', 'limits', { concurrent: 2 });
    await control(dv, 'POST', 'faults', { status: 0, latencyMs: 200, count: 8 });
    try {
      const rows = await Promise.all(
        Array.from({ length: 8 }, () =>
          client.get<{ lastname: string }>(`contacts(ppc_paypalpayerid='${payer}')`, ['lastname']),
        ),
      );
      expect(rows.every((r) => r?.lastname === 'Busy')).toBe(true);
    } finally {
      await control(dv, 'POST', 'limits', { concurrent: 52 });
    }
    expect(client.stats().throttled['0x80072326']).toBeGreaterThan(0);
  });

  it('a 401 gets one fresh token and a second try; a second 401 is thrown as dataverse_401', async () => {
    const client = clientFor(dv, { sleep: async () => {} });
    await control(dv, 'POST', 'faults', { status: 401, count: 1 });
    expect(await client.get(`contacts(ppc_paypalpayerid='${unique('none')}')`)).toBeNull();
    expect(client.stats().requests).toBe(2);
    await control(dv, 'POST', 'faults', { status: 401, count: 2 });
    const err = await client.get(`contacts(ppc_paypalpayerid='${unique('none')}')`).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'dataverse_401', retryable: false });
  });

  it('retries 5xx with backoff, then succeeds', async () => {
    const sleeps: number[] = [];
    const client = clientFor(dv, {
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await control(dv, 'POST', 'faults', { status: 503, count: 1 });
    expect(await client.get(`contacts(ppc_paypalpayerid='${unique('none')}')`)).toBeNull();
    expect(sleeps).toEqual([125]);
    expect(client.stats().requests).toBe(2);
  });

  it('after maxAttempts a 429 is thrown as a retryable AppError carrying Retry-After for the job queue', async () => {
    const client = clientFor(dv, { maxAttempts: 2, sleep: async () => {} });
    await control(dv, 'POST', 'faults', { status: 429, count: 5 });
    const err = await client
      .changeSet([{ method: 'POST', url: 'contacts', body: { lastname: unique('never') } }])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'dataverse_throttled',
      retryable: true,
      httpStatus: 429,
      retryAfterMs: 1000,
      details: { dataverseCode: '0x80072322' },
    });
    expect(client.stats().requests).toBe(2);
  });

  it('an unreachable Dataverse is a retryable dataverse_unreachable error', async () => {
    const server = createNetServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // tokens still come from the emulator; the Web API URL points at a closed port
    const client = clientFor(dv, { url: deadUrl, maxAttempts: 2, sleep: async () => {} });
    const err = await client
      .changeSet([{ method: 'POST', url: 'contacts', body: { lastname: 'x' } }])
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'dataverse_unreachable', retryable: true });
    expect(client.stats().requests).toBe(2);
    const viaLibrary = await client.get(`contacts(ppc_paypalpayerid='x')`).catch((e: unknown) => e);
    expect(viaLibrary).toMatchObject({ code: 'dataverse_unreachable', retryable: true });
  });
});
