// Our PayPal client (OAuth, token cache, PayPal-Request-Id, typed errors) validated against PayPal's sandbox:
// runs against the PayPal emulator by default, against the sandbox with PPC_TARGET=real (README "Validated
// against the real services"), where the answers are recorded as snapshots the emulator runs compare with.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppError } from '../../../src/errors.ts';
import type { PayPalClient } from '../../../src/adapters/paypal/index.ts';
import { adapterSnapshots, paypalTarget, type Target } from '../target.ts';

const snaps = adapterSnapshots('paypal');
let target: Target<PayPalClient>;

beforeAll(async () => {
  target = await paypalTarget();
});
afterAll(async () => {
  if (snaps.unvalidated.length)
    process.stderr.write(`[validated] paypal adapter: no sandbox snapshot yet for ${snaps.unvalidated.join(', ')}\n`);
  await target?.close();
});

function matchesSandbox(name: string, status: number, body: unknown): void {
  const diff = snaps.check(name, { status, body });
  if (diff) expect(diff).toEqual([]);
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw e;
  return e;
}

describe(`PayPal client (${process.env.PPC_TARGET ?? 'emulator'})`, () => {
  it('creates an order and reads it back; a replayed PayPal-Request-Id returns the same order', async () => {
    const requestId = `val-${Date.now().toString(36)}`;
    const body = {
      intent: 'CAPTURE' as const,
      purchase_units: [{ amount: { currency_code: 'USD', value: '12.34' }, invoice_id: requestId }],
    };
    const created = await target.client.createOrder(body, requestId);
    expect(created.status).toBe('CREATED');
    matchesSandbox('create-order', 201, created);
    const replay = await target.client.createOrder(body, requestId);
    expect(replay.id).toBe(created.id);
    const got = await target.client.getOrder(created.id!);
    expect(got.purchase_units?.[0]?.amount?.value).toBe('12.34');
    matchesSandbox('get-order', 200, got);
  });

  it('turns a 404 into a typed error with PayPal name and debug id', async () => {
    const err = await rejection(target.client.getCapture('0VALIDATED000000'));
    expect(err.code).toBe('paypal_RESOURCE_NOT_FOUND');
    expect(err.retryable).toBe(false);
    expect(err.details?.debug_id).toEqual(expect.any(String));
  });

  it('lists the app webhooks', async () => {
    const hooks = await target.client.listWebhooks();
    expect(Array.isArray(hooks)).toBe(true);
    matchesSandbox('list-webhooks', 200, { webhooks: hooks });
  });
});
