// PayPal's sandbox negative testing (https://developer.paypal.com/tools/sandbox/negative-testing/request-headers/):
// PayPal-Mock-Response {"mock_application_codes": CODE} answers the error the operation documents for CODE;
// Payouts take the documented items[0].note test values (https://developer.paypal.com/api/payouts/test-values).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertContract } from './helpers/contract.ts';
import { captureOrder, orderBody, startEmulator, type Api } from './helpers/client.ts';
import type { PayPalEmulator } from '../src/index.ts';

let emu: PayPalEmulator;
let api: Api;
let control: Api;

beforeAll(async () => {
  ({ emu, api, control } = await startEmulator({ seed: 'negative' }));
});
afterAll(async () => {
  assertContract(emu.responses);
  await emu.close();
});

const mock = (code: string) => ({ 'paypal-mock-response': JSON.stringify({ mock_application_codes: code }) });

describe('PayPal-Mock-Response', () => {
  it('forces a documented capture error on an approved order, and the order stays capturable', async () => {
    const created = await api('POST', '/v2/checkout/orders', orderBody(), { prefer: 'return=representation' });
    await control('POST', `/_emulator/orders/${created.body.id}/approve`, {});
    const declined = await api(
      'POST',
      `/v2/checkout/orders/${created.body.id}/capture`,
      undefined,
      mock('INSTRUMENT_DECLINED'),
    );
    expect(declined.status).toBe(422);
    expect(declined.body).toMatchObject({ name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'INSTRUMENT_DECLINED' }] });
    expect(declined.body.debug_id).toBe(declined.headers.get('paypal-debug-id'));
    // Documented example: DUPLICATE_INVOICE_ID on capture.
    const duplicate = await api(
      'POST',
      `/v2/checkout/orders/${created.body.id}/capture`,
      undefined,
      mock('DUPLICATE_INVOICE_ID'),
    );
    expect(duplicate.body.details[0].issue).toBe('DUPLICATE_INVOICE_ID');
    const real = await api('POST', `/v2/checkout/orders/${created.body.id}/capture`);
    expect(real.status).toBe(201);
  });

  it('forces the documented refund errors, with the spec description', async () => {
    const captured = await captureOrder(api, control);
    const id = captured.body.purchase_units[0].payments.captures[0].id;
    for (const code of [
      'CAPTURE_FULLY_REFUNDED',
      'REFUND_TIME_LIMIT_EXCEEDED',
      'TRANSACTION_DISPUTED',
      'REFUND_FAILED_INSUFFICIENT_FUNDS',
    ]) {
      const res = await api('POST', `/v2/payments/captures/${id}/refund`, {}, mock(code));
      expect(res.status).toBe(422);
      expect(res.body.details[0].issue).toBe(code);
    }
    const fully = await api('POST', `/v2/payments/captures/${id}/refund`, {}, mock('CAPTURE_FULLY_REFUNDED'));
    expect(fully.body.details[0].description).toBe('The capture has already been fully refunded');
    expect((await api('GET', `/v2/payments/captures/${id}`)).body.status).toBe('COMPLETED');
    const failing = await api('GET', `/v2/payments/captures/${id}`, undefined, mock('INTERNAL_SERVER_ERROR'));
    expect(failing.status).toBe(500);
    expect(failing.body.name).toBe('INTERNAL_SERVER_ERROR');
  });

  it('ignores a code the operation does not document, as the sandbox does, and needs a valid token first', async () => {
    const created = await api('POST', '/v2/checkout/orders', orderBody(), mock('NOT_A_DOCUMENTED_CODE'));
    expect(created.status).toBe(201);
    const res = await fetch(`${emu.url}/v2/checkout/orders/X/capture`, {
      method: 'POST',
      headers: mock('INSTRUMENT_DECLINED'),
    });
    expect(res.status).toBe(401);
  });
});

describe('Payouts test values', () => {
  const batch = (note: string, extra: Record<string, string> = {}) =>
    api(
      'POST',
      '/v1/payments/payouts',
      {
        sender_batch_header: { sender_batch_id: `neg-${note}-${Object.keys(extra).length}` },
        items: [
          {
            recipient_type: 'EMAIL',
            receiver: 'payouts-simulator-receiver@paypal.com',
            note,
            amount: { currency: 'USD', value: '1.00' },
          },
        ],
      },
      extra,
    );

  it('items[0].note ERRPYO002 answers SENDER_EMAIL_UNCONFIRMED in the Payouts error shape; nothing is paid', async () => {
    const res = await batch('ERRPYO002');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      name: 'SENDER_EMAIL_UNCONFIRMED',
      message: 'Authorization error occurred',
      debug_id: res.headers.get('paypal-debug-id'),
      information_link: 'https://developer.paypal.com/docs/api/payments.payouts-batch/v1/#errors',
    });
    expect((await batch('ERRPYO005')).body.name).toBe('INSUFFICIENT_FUNDS');
    expect(emu.state.events.filter((e) => e.event_type.startsWith('PAYMENT.PAYOUTS'))).toEqual([]);
  });

  it('the same errors through PayPal-Mock-Response; an ordinary note pays', async () => {
    expect((await batch('Thanks', mock('INSUFFICIENT_FUNDS'))).body.name).toBe('INSUFFICIENT_FUNDS');
    const ok = await batch('Thanks');
    expect(ok.status).toBe(201);
  });
});
