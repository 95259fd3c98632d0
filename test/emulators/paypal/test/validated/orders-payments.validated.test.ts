/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON in tests is untyped on purpose; its shape is checked by assertions, the OpenAPI contract and the snapshots */
// Validated against PayPal's sandbox: the Orders, Payments and Payouts calls that need no buyer in a browser,
// run against the emulator (default) or the sandbox (PPC_TARGET=real, see README "Validated against the real
// services"). Both runs check every response against PayPal's OpenAPI specs; a sandbox run records the
// normalised responses in ./snapshots, and an emulator run compares its responses' shapes with them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { snapshots } from '@ppc/test-support/validated';
import { assertContract } from '../helpers/contract.ts';
import { orderBody } from '../helpers/client.ts';
import { paypalTarget, type PayPalTarget } from '../helpers/target.ts';

const snaps = snapshots(new URL('./snapshots/', import.meta.url).pathname);
let target: PayPalTarget;

beforeAll(async () => {
  target = await paypalTarget();
});
afterAll(async () => {
  if (snaps.unvalidated.length)
    process.stderr.write(
      `[validated] ${target.kind}: no sandbox snapshot yet for ${snaps.unvalidated.join(', ')} (record with --target real)\n`,
    );
  await target?.close();
});

/** The response's shape equals the recorded sandbox response's, when one was recorded. */
function matchesSandbox(name: string, res: { status: number; body: unknown }): void {
  const diff = snaps.check(name, res);
  if (diff) expect(diff).toEqual([]);
}

const mock = (code: string) => ({ 'paypal-mock-response': JSON.stringify({ mock_application_codes: code }) });
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`.toUpperCase();

describe(`Orders, Payments and Payouts (${process.env.PPC_TARGET ?? 'emulator'})`, () => {
  it('OAuth client credentials: a bearer token with its lifetime and scopes', () => {
    expect(target.tokenResponse.body).toMatchObject({ token_type: 'Bearer' });
    expect(typeof target.tokenResponse.body.expires_in).toBe('number');
    matchesSandbox('oauth-token', target.tokenResponse);
  });

  let orderId: string;
  it('creates an order (return=representation) and reads it back', async () => {
    const created = await target.api('POST', '/v2/checkout/orders', orderBody({ invoiceId: `VAL-${unique()}` }), {
      prefer: 'return=representation',
      'paypal-request-id': `val-create-${unique()}`,
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('CREATED');
    expect(created.body.links.map((l: any) => l.rel)).toEqual(expect.arrayContaining(['self', 'approve']));
    orderId = created.body.id;
    matchesSandbox('orders-create', created);
    const got = await target.api('GET', `/v2/checkout/orders/${orderId}`);
    expect(got.status).toBe(200);
    expect(got.body.purchase_units[0].items[0]).toMatchObject({ sku: 'SKU-1', quantity: '2' });
    matchesSandbox('orders-get', got);
  });

  it('refuses to capture an order the buyer has not approved (422 ORDER_NOT_APPROVED)', async () => {
    const res = await target.api('POST', `/v2/checkout/orders/${orderId}/capture`, undefined, {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(422);
    expect(res.body.details[0].issue).toBe('ORDER_NOT_APPROVED');
    matchesSandbox('orders-capture-not-approved', res);
  });

  it('negative testing: PayPal-Mock-Response forces INSTRUMENT_DECLINED on capture', async () => {
    const res = await target.api('POST', `/v2/checkout/orders/${orderId}/capture`, undefined, {
      'content-type': 'application/json',
      ...mock('INSTRUMENT_DECLINED'),
    });
    expect(res.status).toBe(422);
    expect(res.body.details[0].issue).toBe('INSTRUMENT_DECLINED');
    matchesSandbox('orders-capture-instrument-declined', res);
  });

  it('answers 404 RESOURCE_NOT_FOUND for an unknown capture and refund', async () => {
    const capture = await target.api('GET', '/v2/payments/captures/0VALIDATED000000');
    expect(capture.status).toBe(404);
    expect(capture.body.name).toBe('RESOURCE_NOT_FOUND');
    matchesSandbox('captures-get-unknown', capture);
    const refund = await target.api('GET', '/v2/payments/refunds/0VALIDATED000000');
    expect(refund.status).toBe(404);
    matchesSandbox('refunds-get-unknown', refund);
  });

  it('Payouts test value ERRPYO002: SENDER_EMAIL_UNCONFIRMED, nothing paid', async () => {
    const res = await target.api('POST', '/v1/payments/payouts', {
      sender_batch_header: { sender_batch_id: `val-${unique()}`, email_subject: 'This email is related to simulation' },
      items: [
        {
          recipient_type: 'EMAIL',
          receiver: 'payouts-simulator-receiver@paypal.com',
          note: 'ERRPYO002',
          sender_item_id: unique(),
          amount: { currency: 'USD', value: '1.00' },
        },
      ],
    });
    expect(res.body.name).toBe('SENDER_EMAIL_UNCONFIRMED');
    matchesSandbox('payouts-errpyo002', res);
  });

  it('lists the webhooks of the app', async () => {
    const res = await target.api('GET', '/v1/notifications/webhooks');
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.webhooks)).toBe(true);
    matchesSandbox('webhooks-list', res);
  });

  it('every response matches the response schemas of PayPal OpenAPI specs', () => {
    expect(assertContract(target.responses)).toBeGreaterThanOrEqual(8);
  });
});
