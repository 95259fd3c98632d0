// The PayPal client against the PayPal emulator over real HTTP: typed reads, idempotent refunds,
// typed errors, retries (sleeps recorded, not waited), token reuse, webhooks.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppError } from '../../../src/errors.ts';
import { payPalErrorDetails, type PayPalClient } from '../../../src/adapters/paypal/index.ts';
import { answered, buyAndCapture, clientFor, control, startEmulator, type Emulator } from './emulator.ts';

let emu: Emulator;
let client: PayPalClient;
let sleeps: number[];

beforeAll(async () => {
  emu = await startEmulator();
  ({ client, sleeps } = clientFor(emu));
});
afterAll(async () => {
  await emu.close();
});

const rejection = async (p: Promise<unknown>): Promise<AppError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
};

describe('orders and captures', () => {
  it('reads an order captured through the emulator and its capture, typed', async () => {
    const { order, capture } = await buyAndCapture(
      emu,
      client,
      { currency_code: 'USD', value: '100.00' },
      'INV-READ-1',
    );
    const read = await client.getOrder(order.id!);
    expect(read.status).toBe('COMPLETED');
    expect(read.payer?.email_address).toBe('inv-read-1@example.com');
    expect(read.purchase_units?.[0]?.payments?.captures?.[0]?.id).toBe(capture.id);
    expect(capture.status).toBe('COMPLETED');
    expect(capture.amount).toEqual({ currency_code: 'USD', value: '100.00' });
    expect(capture.invoice_id).toBe('INV-READ-1');
    expect(capture.seller_receivable_breakdown?.gross_amount?.value).toBe('100.00');
    expect(capture.supplementary_data?.related_ids?.order_id).toBe(order.id);
  });

  it('maps a 404 to a non-retryable paypal_RESOURCE_NOT_FOUND with debug_id', async () => {
    const before = sleeps.length;
    const err = await rejection(client.getCapture('0NOSUCHCAPTURE000'));
    expect(err.code).toBe('paypal_RESOURCE_NOT_FOUND');
    expect(err.httpStatus).toBe(404);
    expect(err.retryable).toBe(false);
    expect(payPalErrorDetails(err)?.debug_id).toMatch(/\w+/);
    expect(sleeps.length).toBe(before);
  });
});

describe('refunds', () => {
  it('refunds part of a capture; the same PayPal-Request-Id replays the same refund, no second one', async () => {
    const { capture } = await buyAndCapture(emu, client, { currency_code: 'USD', value: '80.00' }, 'INV-REF-1');
    const request = {
      amount: { currency_code: 'USD', value: '30.00' },
      invoice_id: 'CM-REF-1',
      note_to_payer: 'Partial refund',
    };
    const first = await client.refundCapture(capture.id!, request, 'credit-memo-ref-1');
    const replay = await client.refundCapture(capture.id!, request, 'credit-memo-ref-1');
    expect(first.status).toBe('COMPLETED');
    expect(first.amount).toEqual({ currency_code: 'USD', value: '30.00' });
    expect(first.seller_payable_breakdown?.gross_amount?.value).toBe('30.00');
    expect(replay.id).toBe(first.id);
    expect(Object.values(emu.state.refunds).filter((r) => r.captureId === capture.id)).toHaveLength(1);
    const after = await client.getCapture(capture.id!);
    expect(after.status).toBe('PARTIALLY_REFUNDED');
    expect((await client.getRefund(first.id!)).invoice_id).toBe('CM-REF-1');

    // A second credit memo (new request id) refunds the rest: two refunds in all.
    const second = await client.refundCapture(
      capture.id!,
      { amount: { currency_code: 'USD', value: '50.00' } },
      'credit-memo-ref-2',
    );
    expect(second.id).not.toBe(first.id);
    expect((await client.getCapture(capture.id!)).status).toBe('REFUNDED');
  });

  it('maps an over-refund 422 to a non-retryable error carrying the issue code, without retrying', async () => {
    const { capture } = await buyAndCapture(emu, client, { currency_code: 'EUR', value: '20.00' }, 'INV-REF-2');
    const before = sleeps.length;
    const err = await rejection(
      client.refundCapture(capture.id!, { amount: { currency_code: 'EUR', value: '20.01' } }, 'credit-memo-ref-3'),
    );
    expect(err.code).toBe('paypal_UNPROCESSABLE_ENTITY');
    expect(err.httpStatus).toBe(422);
    expect(err.retryable).toBe(false);
    const details = payPalErrorDetails(err)!;
    expect(details.name).toBe('UNPROCESSABLE_ENTITY');
    expect(details.issues).toEqual(['REFUND_AMOUNT_EXCEEDED']);
    expect(details.details[0]).toMatchObject({ issue: 'REFUND_AMOUNT_EXCEEDED', field: '/amount/value' });
    expect(details.debug_id).toMatch(/\w+/);
    expect(err.message).toContain('REFUND_AMOUNT_EXCEEDED');
    expect(sleeps.length).toBe(before);
    expect(answered(emu, 'POST', `/v2/payments/captures/${capture.id}/refund`)).toHaveLength(1);
  });

  it('a fully refunded capture answers CAPTURE_FULLY_REFUNDED', async () => {
    const { capture } = await buyAndCapture(emu, client, { currency_code: 'JPY', value: '1500' }, 'INV-REF-3');
    const full = await client.refundCapture(capture.id!, {}, 'credit-memo-ref-4');
    expect(full.amount).toEqual({ currency_code: 'JPY', value: '1500' });
    const err = await rejection(client.refundCapture(capture.id!, {}, 'credit-memo-ref-5'));
    expect(payPalErrorDetails(err)?.issues).toEqual(['CAPTURE_FULLY_REFUNDED']);
    expect(err.retryable).toBe(false);
  });
});

describe('retries', () => {
  it('waits at least the Retry-After of a 429, then succeeds', async () => {
    const { capture } = await buyAndCapture(emu, client, { currency_code: 'USD', value: '5.00' }, 'INV-RETRY-1');
    await control(emu, 'POST', '/faults', {
      route: `GET /v2/payments/captures/${capture.id}`,
      status: 429,
      retryAfterSeconds: 3,
      times: 1,
    });
    const before = sleeps.length;
    const read = await client.getCapture(capture.id!);
    expect(read.id).toBe(capture.id);
    expect(sleeps.slice(before)).toEqual([3000]);
    expect(answered(emu, 'GET', `/v2/payments/captures/${capture.id}`).map((r) => r.status)).toEqual([200, 429, 200]);
  });

  it('retries 5xx on a refund with the same request id and jittered backoff: one refund', async () => {
    const { capture } = await buyAndCapture(emu, client, { currency_code: 'USD', value: '12.00' }, 'INV-RETRY-2');
    const route = `POST /v2/payments/captures/${capture.id}/refund`;
    await control(emu, 'POST', '/faults', { route, status: 503, times: 3 });
    const before = sleeps.length;
    const request = { amount: { currency_code: 'USD', value: '2.00' } };
    // the call's own quick retry fails too: the error goes to the job queue, which calls again later
    const err = await rejection(client.refundCapture(capture.id!, request, 'credit-memo-retry-2'));
    expect(err).toMatchObject({ failure: 'unavailable', retryable: true });
    const refund = await client.refundCapture(capture.id!, request, 'credit-memo-retry-2');
    // random() = 0.5 → half of the inline ceiling, 250 ms
    expect(sleeps.slice(before)).toEqual([125, 125]);
    expect(answered(emu, 'POST', `/v2/payments/captures/${capture.id}/refund`).map((r) => r.status)).toEqual([
      503, 503, 503, 201,
    ]);
    expect(
      Object.values(emu.state.refunds)
        .filter((r) => r.captureId === capture.id)
        .map((r) => r.id),
    ).toEqual([refund.id]);
  });

  it('leaves a Retry-After longer than maxInlineDelayMs to the job queue: thrown at once, retryable, with the wait', async () => {
    const { client: c, sleeps: waits } = clientFor(emu, { maxInlineDelayMs: 60_000 });
    await control(emu, 'POST', '/faults', {
      route: 'GET /v1/notifications/webhooks',
      status: 429,
      retryAfterSeconds: 120,
      times: 1,
    });
    const err = await rejection(c.listWebhooks());
    expect(err.retryable).toBe(true);
    expect(err.httpStatus).toBe(429);
    expect(err.retryAfterMs).toBe(120_000);
    expect(waits).toEqual([]);
  });

  it('gives up after maxAttempts with a retryable error for the job queue', async () => {
    const { client: limited, sleeps: waits } = clientFor(emu, { maxAttempts: 3 });
    await control(emu, 'POST', '/faults', { route: 'GET /v1/notifications/webhooks', status: 503, times: 3 });
    const err = await rejection(limited.listWebhooks());
    expect(err.retryable).toBe(true);
    expect(err.httpStatus).toBe(503);
    expect(err.code).toMatch(/^paypal_/);
    expect(waits).toHaveLength(2);
  });

  it('retries a timed-out attempt', async () => {
    const { client: impatient, sleeps: waits } = clientFor(emu, { timeoutMs: 150 });
    await control(emu, 'POST', '/faults', { route: 'GET /v1/notifications/webhooks', latencyMs: 600, times: 1 });
    await expect(impatient.listWebhooks()).resolves.toEqual(expect.any(Array));
    expect(waits).toHaveLength(1);
  });

  it('an unreachable PayPal is a retryable paypal_unreachable after every attempt', async () => {
    const closed = await startEmulator();
    await closed.close();
    const { client: offline, sleeps: waits } = clientFor(closed, {
      maxAttempts: 2,
      tokens: { token: async () => 'unused', invalidate: () => undefined },
    });
    const err = await rejection(offline.getOrder('X'));
    expect(err.code).toBe('paypal_unreachable');
    expect(err.retryable).toBe(true);
    expect(waits).toHaveLength(1);
  });
});

describe('token', () => {
  it('requests one token for many calls and refreshes once on 401', async () => {
    const fresh = await startEmulator();
    try {
      const { client: c } = clientFor(fresh);
      await Promise.all([c.listWebhooks(), c.listWebhooks(), c.getOrder('NOPE').catch(() => undefined)]);
      await c.listWebhooks();
      expect(answered(fresh, 'POST', '/v1/oauth2/token')).toHaveLength(1);

      // A revoked token: the first answer is 401, the client invalidates and fetches a new one once.
      let calls = 0;
      let invalidated = 0;
      const { client: stale } = clientFor(fresh, {
        tokens: {
          token: async () => (calls++ === 0 ? 'revoked-token' : c.tokens.token()),
          invalidate: () => {
            invalidated++;
          },
        },
      });
      expect(await stale.listWebhooks()).toEqual([]);
      expect(invalidated).toBe(1);
      expect(calls).toBe(2);
    } finally {
      await fresh.close();
    }
  });

  it('wrong credentials fail without retrying', async () => {
    const { client: bad, sleeps: waits } = clientFor(emu, { clientSecret: 'wrong' });
    const err = await rejection(bad.listWebhooks());
    expect(err.httpStatus).toBe(401);
    expect(err.retryable).toBe(false);
    expect(waits).toHaveLength(0);
  });
});
