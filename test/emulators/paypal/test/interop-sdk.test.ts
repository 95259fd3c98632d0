import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CheckoutPaymentIntent, OrdersController, PaymentsController } from '@paypal/paypal-server-sdk';
import { assertContract } from './helpers/contract.ts';
import { apiFor, token } from './helpers/client.ts';
import { sdkClient } from './helpers/sdk.ts';
import { createServer, type PayPalEmulator } from '../src/index.ts';

let emu: PayPalEmulator;

beforeAll(async () => {
  emu = await createServer({ seed: 'sdk' });
});
afterAll(async () => {
  await emu.close();
  assertContract(emu.responses);
});

describe('@paypal/paypal-server-sdk against the emulator', () => {
  it('creates and captures an order, refunds it partially and reads the capture', async () => {
    const client = sdkClient(emu.url);
    const orders = new OrdersController(client);
    const payments = new PaymentsController(client);

    const created = await orders.createOrder({
      body: {
        intent: CheckoutPaymentIntent.Capture,
        purchaseUnits: [
          {
            referenceId: 'default',
            invoiceId: 'INV-SDK-1',
            customId: 'salesorder-42',
            amount: {
              currencyCode: 'EUR',
              value: '45.00',
              breakdown: { itemTotal: { currencyCode: 'EUR', value: '45.00' } },
            },
            items: [{ name: 'Gadget', sku: 'G-1', quantity: '3', unitAmount: { currencyCode: 'EUR', value: '15.00' } }],
          },
        ],
      },
      prefer: 'return=representation',
      paypalRequestId: 'sdk-create-1',
    });
    expect(created.statusCode).toBe(201);
    const orderId = created.result.id!;
    expect(created.result.status).toBe('CREATED');

    // Buyer approval happens in PayPal's UI; here through the control API.
    const approve = await fetch(`${emu.url}/_emulator/orders/${orderId}/approve`, {
      method: 'POST',
      body: JSON.stringify({ payer: { email_address: 'buyer@example.com', address: { country_code: 'DE' } } }),
      headers: { 'content-type': 'application/json' },
    });
    expect(approve.status).toBe(200);

    const captured = await orders.captureOrder({
      id: orderId,
      prefer: 'return=representation',
      paypalRequestId: 'sdk-capture-1',
    });
    expect(captured.statusCode).toBe(201);
    expect(captured.result.status).toBe('COMPLETED');
    const capture = captured.result.purchaseUnits![0]!.payments!.captures![0]!;
    expect(capture.sellerReceivableBreakdown!.grossAmount).toEqual({ currencyCode: 'EUR', value: '45.00' });
    expect(capture.sellerReceivableBreakdown!.paypalFee!.value).toBe('1.96'); // 45 × 3.49 % = 1.57 + 0.39
    expect(capture.invoiceId).toBe('INV-SDK-1');

    const refund = await payments.refundCapturedPayment({
      captureId: capture.id!,
      prefer: 'return=representation',
      paypalRequestId: 'sdk-refund-1',
      body: { amount: { currencyCode: 'EUR', value: '15.00' }, noteToPayer: 'one item returned' },
    });
    expect(refund.statusCode).toBe(201);
    expect(refund.result.status).toBe('COMPLETED');
    expect(refund.result.sellerPayableBreakdown!.totalRefundedAmount).toEqual({ currencyCode: 'EUR', value: '15.00' });

    const read = await payments.getCapturedPayment({ captureId: capture.id! });
    expect(read.result.status).toBe('PARTIALLY_REFUNDED');
    expect(read.result.supplementaryData!.relatedIds!.orderId).toBe(orderId);

    const got = await payments.getRefund({ refundId: refund.result.id! });
    expect(got.result.amount).toEqual({ currencyCode: 'EUR', value: '15.00' });

    // The SDK surfaces PayPal errors as ApiError with the parsed body.
    await expect(
      payments.refundCapturedPayment({
        captureId: capture.id!,
        body: { amount: { currencyCode: 'EUR', value: '999.00' } },
      }),
    ).rejects.toMatchObject({ statusCode: 422 });
  });

  it('the SDK token is the emulator OAuth token (one request per expiry, reused)', async () => {
    const t = await token(emu.url);
    const api = apiFor(emu.url, t.body.access_token);
    expect((await api('GET', '/v1/notifications/webhooks')).status).toBe(200);
  });
});
