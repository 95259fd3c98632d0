import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertContract } from './helpers/contract.ts';
import { captureOrder, orderBody, startEmulator, type Api } from './helpers/client.ts';
import type { PayPalEmulator } from '../src/index.ts';

let emu: PayPalEmulator;
let api: Api;
let control: Api;

beforeAll(async () => {
  ({ emu, api, control } = await startEmulator({ seed: 'idem' }));
});
afterAll(async () => {
  await emu.close();
  assertContract(emu.responses);
});

describe('PayPal-Request-Id idempotency', () => {
  it('replays an order create: same order, 200 instead of 201, latest state', async () => {
    const body = orderBody({ invoiceId: 'INV-IDEM-1' });
    const first = await api('POST', '/v2/checkout/orders', body, {
      'paypal-request-id': 'create-1',
      prefer: 'return=representation',
    });
    expect(first.status).toBe(201);
    await control('POST', `/_emulator/orders/${first.body.id}/approve`, {});
    const replay = await api('POST', '/v2/checkout/orders', body, {
      'paypal-request-id': 'create-1',
      prefer: 'return=representation',
    });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.body.status).toBe('APPROVED');
    const other = await api('POST', '/v2/checkout/orders', body, { 'paypal-request-id': 'create-2' });
    expect(other.body.id).not.toBe(first.body.id);
    expect(Object.keys(emu.state.orders)).toHaveLength(2);
  });

  it('replays a refund without refunding twice; a new id refunds again', async () => {
    const captured = await captureOrder(api, control, { unit: '10.00', quantity: 1 });
    const id = captured.body.purchase_units[0].payments.captures[0].id;
    const body = { amount: { currency_code: 'USD', value: '4.00' } };
    const a = await api('POST', `/v2/payments/captures/${id}/refund`, body, { 'paypal-request-id': 'creditmemo-1' });
    const b = await api('POST', `/v2/payments/captures/${id}/refund`, body, { 'paypal-request-id': 'creditmemo-1' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(emu.state.captures[id]!.refundIds).toHaveLength(1);
    const c = await api('POST', `/v2/payments/captures/${id}/refund`, body, { 'paypal-request-id': 'creditmemo-2' });
    expect(c.body.id).not.toBe(a.body.id);
    expect(emu.state.captures[id]!.refundedMinor).toBe(800);
  });

  it('forgets request ids after the retention window (Orders v2: 6 hours)', async () => {
    const body = orderBody();
    const first = await api('POST', '/v2/checkout/orders', body, { 'paypal-request-id': 'create-ttl' });
    emu.clock.advance(6 * 3_600_000 + 1000);
    const { api: fresh } = await (async () => ({ api }))();
    const second = await fresh('POST', '/v2/checkout/orders', body, { 'paypal-request-id': 'create-ttl' });
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('answers 409 PREVIOUS_REQUEST_IN_PROGRESS to a concurrent refund on the same capture', async () => {
    const local = await startEmulator({ seed: 'idem-409' });
    const captured = await captureOrder(local.api, local.control);
    const id = captured.body.purchase_units[0].payments.captures[0].id;
    await local.control('POST', '/_emulator/faults', {
      route: 'POST /v2/payments/captures/*/refund',
      latencyMs: 200,
      times: 1,
    });
    const [slow, fast] = await Promise.all([
      local.api(
        'POST',
        `/v2/payments/captures/${id}/refund`,
        { amount: { currency_code: 'USD', value: '1.00' } },
        { 'paypal-request-id': 'r-1' },
      ),
      new Promise((r) => setTimeout(r, 50)).then(() =>
        local.api(
          'POST',
          `/v2/payments/captures/${id}/refund`,
          { amount: { currency_code: 'USD', value: '1.00' } },
          { 'paypal-request-id': 'r-1' },
        ),
      ),
    ]);
    expect(slow.status).toBe(201);
    expect(fast.status).toBe(409);
    expect(fast.body).toMatchObject({
      name: 'RESOURCE_CONFLICT',
      details: [{ issue: 'PREVIOUS_REQUEST_IN_PROGRESS' }],
    });
    await local.emu.close();
    assertContract(local.emu.responses);
  });
});

describe('fault injection', () => {
  it('429 RATE_LIMIT_REACHED with Retry-After for the next N calls, then normal answers', async () => {
    await control('POST', '/_emulator/faults', { status: 429, retryAfterSeconds: 7, times: 2 });
    const a = await api('GET', '/v1/notifications/webhooks');
    const b = await api('GET', '/v1/notifications/webhooks');
    const c = await api('GET', '/v1/notifications/webhooks');
    expect([a.status, b.status, c.status]).toEqual([429, 429, 200]);
    expect(a.headers.get('retry-after')).toBe('7');
    expect(a.body).toMatchObject({
      name: 'RATE_LIMIT_REACHED',
      message: 'Too many requests. Blocked due to rate limiting.',
      links: [],
    });
    expect(a.body.debug_id).toMatch(/^[0-9a-f]{13}$/);
  });

  it('5xx on one route only, and does not apply the operation (a retry succeeds once)', async () => {
    await control('POST', '/_emulator/faults', { route: 'POST /v2/checkout/orders', status: 503, times: 1 });
    expect((await api('GET', '/v1/notifications/webhooks')).status).toBe(200);
    const count = Object.keys(emu.state.orders).length;
    const failed = await api('POST', '/v2/checkout/orders', orderBody(), { 'paypal-request-id': 'retry-me' });
    expect(failed.status).toBe(503);
    expect(failed.body.name).toBe('SERVICE_UNAVAILABLE');
    expect(Object.keys(emu.state.orders)).toHaveLength(count);
    const retried = await api('POST', '/v2/checkout/orders', orderBody(), { 'paypal-request-id': 'retry-me' });
    expect(retried.status).toBe(201);
    await control('POST', '/_emulator/faults', { route: '/v2/payments/*', status: 500, times: 1 });
    const e500 = await api('GET', '/v2/payments/captures/ANY');
    expect(e500.status).toBe(500);
    expect(e500.body.name).toBe('INTERNAL_SERVER_ERROR');
  });

  it('a seeded probability fires the same calls for the same seed', async () => {
    const pattern = async () => {
      const local = await startEmulator({ seed: 'prob' });
      await local.control('POST', '/_emulator/faults', { status: 500, probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await local.api('GET', '/v1/notifications/webhooks')).status);
      await local.control('DELETE', '/_emulator/faults');
      expect((await local.api('GET', '/v1/notifications/webhooks')).status).toBe(200);
      await local.emu.close();
      assertContract(local.emu.responses);
      return statuses;
    };
    const first = await pattern();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await pattern()).toEqual(first);
  });

  it('reset clears state; the clock can be read and advanced', async () => {
    const local = await startEmulator({ seed: 'reset' });
    await captureOrder(local.api, local.control);
    expect(Object.keys(local.emu.state.orders)).toHaveLength(1);
    const clock = await local.control('GET', '/_emulator/clock');
    expect(clock.body.now).toBe('2026-01-01T00:00:00.000Z');
    const advanced = await local.control('POST', '/_emulator/clock/advance', { days: 1 });
    expect(advanced.body.now).toBe('2026-01-02T00:00:00.000Z');
    await local.control('POST', '/_emulator/reset');
    expect(Object.keys(local.emu.state.orders)).toHaveLength(0);
    expect(local.emu.clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    await local.emu.close();
  });
});
