/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON in tests is untyped on purpose; its shape is checked by assertions and by the OpenAPI contract validator */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertContract } from './helpers/contract.ts';
import { apiFor, captureOrder, orderBody, startEmulator, token, type Api } from './helpers/client.ts';
import type { PayPalEmulator } from '../src/index.ts';

let emu: PayPalEmulator;
let api: Api;
let control: Api;

beforeAll(async () => {
  ({ emu, api, control } = await startEmulator({ seed: 'orders' }));
});
afterAll(async () => {
  await emu.close();
  assertContract(emu.responses);
});

describe('OAuth', () => {
  it('issues a bearer token with expires_in and rejects bad credentials in the OAuth error shape', async () => {
    const ok = await token(emu.url);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 32400 });
    expect(ok.body.access_token).toMatch(/^A21AA/);
    const bad = await token(emu.url, 'emulator-client-id', 'wrong');
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: 'invalid_client', error_description: 'Client Authentication failed' });
  });

  it('answers 401 AUTHENTICATION_FAILURE without a valid token, and once the token expired', async () => {
    const anon = apiFor(emu.url, 'not-a-token');
    const res = await anon('GET', '/v2/checkout/orders/NOPE');
    expect(res.status).toBe(401);
    expect(res.body.name).toBe('AUTHENTICATION_FAILURE');
    expect(res.body.debug_id).toEqual(res.headers.get('paypal-debug-id'));
    const short = await startEmulator({ seed: 'ttl', tokenTtlSeconds: 60 });
    expect((await short.api('GET', '/v1/notifications/webhooks')).status).toBe(200);
    short.emu.clock.advance(61_000);
    expect((await short.api('GET', '/v1/notifications/webhooks')).status).toBe(401);
    await short.emu.close();
  });
});

describe('Orders v2', () => {
  it('creates (minimal by default, full with Prefer), gets, approves and captures an order with fees', async () => {
    const minimal = await api('POST', '/v2/checkout/orders', orderBody({ invoiceId: 'INV-A1' }));
    expect(minimal.status).toBe(201);
    expect(Object.keys(minimal.body).sort()).toEqual(['id', 'links', 'status']);
    expect(minimal.body.links.find((l: any) => l.rel === 'approve').href).toContain(minimal.body.id);

    const notApproved = await api('POST', `/v2/checkout/orders/${minimal.body.id}/capture`);
    expect(notApproved.status).toBe(422);
    expect(notApproved.body.details[0].issue).toBe('ORDER_NOT_APPROVED');

    const got = await api('GET', `/v2/checkout/orders/${minimal.body.id}`);
    expect(got.body.purchase_units[0].items[0]).toMatchObject({ sku: 'SKU-1', quantity: '2' });
    expect(got.body.purchase_units[0].invoice_id).toBe('INV-A1');

    // The buyer's approval in Orders v2 shapes; a flat or misspelt key is refused with a 400 naming it.
    const flat = await control('POST', `/_emulator/orders/${minimal.body.id}/approve`, {
      email: 'grace@example.com',
      given_name: 'Grace',
    });
    expect(flat.status).toBe(400);
    expect(flat.body.error).toMatch(/Unrecognized keys?: "email", "given_name"/);
    const misspelt = await control('POST', `/_emulator/orders/${minimal.body.id}/approve`, {
      payer: { email: 'grace@example.com' },
    });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error).toMatch(/Unrecognized key: "email"[\s\S]*payer/);
    const badId = await control('POST', `/_emulator/orders/${minimal.body.id}/approve`, {
      payer: { payer_id: 'lowercase-id' },
    });
    expect(badId.status).toBe(400);
    expect(badId.body.error).toMatch(/payer_id must be 13 characters/);
    await control('POST', `/_emulator/orders/${minimal.body.id}/approve`, {
      payer: {
        payer_id: 'PAYERXYZ23456',
        name: { given_name: 'Grace', surname: 'Hopper' },
        email_address: 'grace@example.com',
        address: { country_code: 'US' },
      },
      shipping: {
        address: {
          address_line_1: '1 Main St',
          admin_area_2: 'Arlington',
          admin_area_1: 'VA',
          postal_code: '22201',
          country_code: 'US',
        },
      },
    });
    const captured = await api('POST', `/v2/checkout/orders/${minimal.body.id}/capture`, undefined, {
      prefer: 'return=representation',
    });
    expect(captured.status).toBe(201);
    expect(captured.body.status).toBe('COMPLETED');
    expect(captured.body.payer).toMatchObject({ payer_id: 'PAYERXYZ23456', email_address: 'grace@example.com' });
    const capture = captured.body.purchase_units[0].payments.captures[0];
    // 20.00 USD at 3.49 % + 0.49 = 0.70 + 0.49 = 1.19
    expect(capture.seller_receivable_breakdown).toEqual({
      gross_amount: { currency_code: 'USD', value: '20.00' },
      paypal_fee: { currency_code: 'USD', value: '1.19' },
      net_amount: { currency_code: 'USD', value: '18.81' },
    });
    expect(capture.invoice_id).toBe('INV-A1');
    const again = await api('POST', `/v2/checkout/orders/${minimal.body.id}/capture`);
    expect(again.body.details[0].issue).toBe('ORDER_ALREADY_CAPTURED');

    const direct = await api('GET', `/v2/payments/captures/${capture.id}`);
    expect(direct.body.supplementary_data.related_ids.order_id).toBe(minimal.body.id);
    expect(direct.body.links.find((l: any) => l.rel === 'up').href).toContain(`/v2/checkout/orders/${minimal.body.id}`);
  });

  it('formats zero-decimal currencies without decimals and converts cross-currency captures', async () => {
    const captured = await captureOrder(api, control, { currency: 'JPY', unit: '500', quantity: 3 });
    const c = captured.body.purchase_units[0].payments.captures[0];
    expect(c.amount).toEqual({ currency_code: 'JPY', value: '1500' });
    const b = c.seller_receivable_breakdown;
    // 1500 × 3.60 % = 54 + 40 fixed = 94 JPY; net 1406 JPY × 0.0066 = 9.28 USD
    expect(b.paypal_fee).toEqual({ currency_code: 'JPY', value: '94' });
    expect(b.net_amount).toEqual({ currency_code: 'JPY', value: '1406' });
    expect(b.exchange_rate).toEqual({ source_currency: 'JPY', target_currency: 'USD', value: '0.0066' });
    expect(b.receivable_amount).toEqual({ currency_code: 'USD', value: '9.28' });
    expect(b.paypal_fee_in_receivable_currency).toEqual({ currency_code: 'USD', value: '0.62' });
    const fractional = await api(
      'POST',
      '/v2/checkout/orders',
      orderBody({ currency: 'JPY', unit: '10.50', quantity: 1 }),
    );
    expect(fractional.status).toBe(422);
    expect(fractional.body.details[0].issue).toBe('DECIMAL_PRECISION');
  });

  it('rejects malformed orders with PayPal issue codes', async () => {
    const missing = await api('POST', '/v2/checkout/orders', { purchase_units: [] });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      name: 'INVALID_REQUEST',
      details: [{ issue: 'MISSING_REQUIRED_PARAMETER', field: '/intent' }],
    });
    const body = orderBody();
    body.purchase_units[0]!.amount.value = '99.00';
    const mismatch = await api('POST', '/v2/checkout/orders', body);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.details[0].issue).toBe('AMOUNT_MISMATCH');
    const total = orderBody();
    total.purchase_units[0]!.amount.value = '21.00';
    total.purchase_units[0]!.amount.breakdown.item_total.value = '21.00';
    expect((await api('POST', '/v2/checkout/orders', total)).body.details[0].issue).toBe('ITEM_TOTAL_MISMATCH');
    const notJson = await api('POST', '/v2/checkout/orders', '{oops');
    expect(notJson.body.details[0].issue).toBe('MALFORMED_REQUEST_JSON');
    const unknown = await api('GET', '/v2/checkout/orders/0000000000000000X');
    expect(unknown.status).toBe(404);
    expect(unknown.body.name).toBe('RESOURCE_NOT_FOUND');
  });

  it('rejects a second order with an invoice id already paid (DUPLICATE_INVOICE_ID)', async () => {
    await captureOrder(api, control, { invoiceId: 'INV-DUP' });
    const dup = await api('POST', '/v2/checkout/orders', orderBody({ invoiceId: 'INV-DUP' }));
    expect(dup.status).toBe(422);
    expect(dup.body.details[0].issue).toBe('DUPLICATE_INVOICE_ID');
  });
});

describe('Payments v2 refunds', () => {
  it('lifecycle: capture → partial refunds → full refund, then CAPTURE_FULLY_REFUNDED', async () => {
    const captured = await captureOrder(api, control, { unit: '50.00', quantity: 2 });
    const captureId = captured.body.purchase_units[0].payments.captures[0].id;
    const r1 = await api(
      'POST',
      `/v2/payments/captures/${captureId}/refund`,
      { amount: { currency_code: 'USD', value: '30.00' }, note_to_payer: 'partial' },
      { prefer: 'return=representation' },
    );
    expect(r1.status).toBe(201);
    expect(r1.body.seller_payable_breakdown.total_refunded_amount).toEqual({ currency_code: 'USD', value: '30.00' });
    expect(r1.body.links.find((l: any) => l.rel === 'up').href).toContain(`/v2/payments/captures/${captureId}`);
    expect((await api('GET', `/v2/payments/captures/${captureId}`)).body.status).toBe('PARTIALLY_REFUNDED');

    const over = await api('POST', `/v2/payments/captures/${captureId}/refund`, {
      amount: { currency_code: 'USD', value: '70.01' },
    });
    expect(over.status).toBe(422);
    expect(over.body.details[0].issue).toBe('REFUND_AMOUNT_EXCEEDED');
    const wrongCurrency = await api('POST', `/v2/payments/captures/${captureId}/refund`, {
      amount: { currency_code: 'EUR', value: '1.00' },
    });
    expect(wrongCurrency.body.details[0].issue).toBe('REFUND_CAPTURE_CURRENCY_MISMATCH');

    const r2 = await api('POST', `/v2/payments/captures/${captureId}/refund`, {
      amount: { currency_code: 'USD', value: '20.00' },
    });
    expect(Object.keys(r2.body).sort()).toEqual(['id', 'links', 'status']);
    const rest = await api(
      'POST',
      `/v2/payments/captures/${captureId}/refund`,
      {},
      { prefer: 'return=representation' },
    );
    expect(rest.body.amount).toEqual({ currency_code: 'USD', value: '50.00' });
    expect(rest.body.seller_payable_breakdown.total_refunded_amount.value).toBe('100.00');
    expect((await api('GET', `/v2/payments/captures/${captureId}`)).body.status).toBe('REFUNDED');
    const fetched = await api('GET', `/v2/payments/refunds/${r2.body.id}`);
    expect(fetched.body.amount.value).toBe('20.00');
    const full = await api('POST', `/v2/payments/captures/${captureId}/refund`, {});
    expect(full.body.details[0].issue).toBe('CAPTURE_FULLY_REFUNDED');
    expect((await api('GET', '/v2/payments/refunds/NOPE')).status).toBe(404);
  });

  it('returns the percentage part of the fee pro rata and keeps the fixed part', async () => {
    const captured = await captureOrder(api, control, { unit: '100.00', quantity: 1 });
    const c = captured.body.purchase_units[0].payments.captures[0];
    expect(c.seller_receivable_breakdown.paypal_fee.value).toBe('3.98'); // 3.49 + 0.49
    const r = await api(
      'POST',
      `/v2/payments/captures/${c.id}/refund`,
      { amount: { currency_code: 'USD', value: '50.00' } },
      { prefer: 'return=representation' },
    );
    expect(r.body.seller_payable_breakdown).toMatchObject({
      paypal_fee: { value: '1.75' },
      net_amount: { value: '48.25' },
    });
  });

  it('rejects refunds past the time limit with REFUND_TIME_LIMIT_EXCEEDED', async () => {
    const { emu: e2, api: a2, control: c2 } = await startEmulator({ seed: 'limit', refundTimeLimitDays: 180 });
    const captured = await captureOrder(a2, c2);
    const id = captured.body.purchase_units[0].payments.captures[0].id;
    e2.clock.advance(181 * 86_400_000);
    const late = await apiFor(e2.url, (await token(e2.url)).body.access_token)(
      'POST',
      `/v2/payments/captures/${id}/refund`,
      {},
    );
    expect(late.status).toBe(422);
    expect(late.body.details[0].issue).toBe('REFUND_TIME_LIMIT_EXCEEDED');
    await e2.close();
    assertContract(e2.responses);
  });

  it('PENDING and DECLINED captures come from the control API; pending ones refuse refunds until completed', async () => {
    await control('POST', '/_emulator/captures/next-outcome', { status: 'PENDING', reason: 'ECHECK' });
    const pending = await captureOrder(api, control);
    const p = pending.body.purchase_units[0].payments.captures[0];
    expect(p.status).toBe('PENDING');
    expect(p.status_details).toEqual({ reason: 'ECHECK' });
    expect(p.seller_receivable_breakdown).toBeUndefined();
    const refused = await api('POST', `/v2/payments/captures/${p.id}/refund`, {});
    expect(refused.body.details[0].issue).toBe('PENDING_CAPTURE');
    await control('POST', `/_emulator/captures/${p.id}/complete`);
    expect((await api('GET', `/v2/payments/captures/${p.id}`)).body.status).toBe('COMPLETED');

    await control('POST', '/_emulator/captures/next-outcome', { status: 'DECLINED' });
    const declined = await captureOrder(api, control);
    expect(declined.body.purchase_units[0].payments.captures[0].status).toBe('DECLINED');

    await control('POST', '/_emulator/captures/next-outcome', { status: 'INSTRUMENT_DECLINED' });
    const created = await api('POST', '/v2/checkout/orders', orderBody());
    await control('POST', `/_emulator/orders/${created.body.id}/approve`, {});
    const refusedCapture = await api('POST', `/v2/checkout/orders/${created.body.id}/capture`);
    expect(refusedCapture.status).toBe(422);
    expect(refusedCapture.body.details[0].issue).toBe('INSTRUMENT_DECLINED');
    const types = emu.state.events.map((e) => e.event_type);
    expect(types).toEqual(
      expect.arrayContaining(['PAYMENT.CAPTURE.PENDING', 'PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.DECLINED']),
    );
  });

  it('a reversal emits PAYMENT.CAPTURE.REVERSED and blocks refunds', async () => {
    const captured = await captureOrder(api, control);
    const id = captured.body.purchase_units[0].payments.captures[0].id;
    const rev = await control('POST', `/_emulator/captures/${id}/reverse`);
    expect(rev.status).toBe(200);
    const event = emu.state.events.at(-1)!;
    expect(event.event_type).toBe('PAYMENT.CAPTURE.REVERSED');
    expect(event.resource_type).toBe('refund');
    const refused = await api('POST', `/v2/payments/captures/${id}/refund`, {});
    expect(refused.body.details[0].issue).toBe('REFUND_NOT_PERMITTED_DUE_TO_CHARGEBACK');
  });
});
