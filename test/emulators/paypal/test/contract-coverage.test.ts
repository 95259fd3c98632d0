// Every vendor route the emulator serves is exercised here at least once with a success and once with an
// error, and every response is validated against PayPal's OpenAPI response schemas (other suites validate
// their own responses the same way in afterAll).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertContract, contract } from './helpers/contract.ts';
import { apiFor, captureOrder, startEmulator, type Api } from './helpers/client.ts';
import type { PayPalEmulator } from '../src/index.ts';

let emu: PayPalEmulator;
let api: Api;
let control: Api;

beforeAll(async () => {
  ({ emu, api, control } = await startEmulator({ seed: 'coverage', tokenTtlSeconds: 365 * 86_400 }));
});
afterAll(async () => {
  await emu.close();
});

describe('contract coverage', () => {
  it('exercises every route with a success and an error, and all responses match the specs', async () => {
    const anon = apiFor(emu.url, 'expired-or-wrong');
    // Orders, captures, refunds
    const captured = await captureOrder(api, control, { invoiceId: 'INV-COV-1' });
    const orderId = captured.body.id;
    const captureId = captured.body.purchase_units[0].payments.captures[0].id;
    await api('GET', `/v2/checkout/orders/${orderId}`);
    await api('POST', '/v2/checkout/orders', { intent: 'SALE', purchase_units: [] });
    await api('POST', `/v2/checkout/orders/${orderId}/capture`);
    await anon('GET', `/v2/checkout/orders/${orderId}`);
    const refund = await api('POST', `/v2/payments/captures/${captureId}/refund`, {
      amount: { currency_code: 'USD', value: '1.00' },
    });
    await api('GET', `/v2/payments/captures/${captureId}`);
    await api('GET', '/v2/payments/captures/NOPE');
    await api('GET', `/v2/payments/refunds/${refund.body.id}`);
    await api('GET', '/v2/payments/refunds/NOPE');
    await api('POST', `/v2/payments/captures/${captureId}/refund`, {
      amount: { currency_code: 'USD', value: '1000.00' },
    });

    // Webhooks
    const hook = await api('POST', '/v1/notifications/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      event_types: [{ name: 'PAYMENT.CAPTURE.COMPLETED' }],
    });
    const hookId = hook.body.id;
    await api('POST', '/v1/notifications/webhooks', { url: 'http://127.0.0.1:9/hook', event_types: [{ name: '*' }] });
    await api('GET', '/v1/notifications/webhooks');
    await anon('GET', '/v1/notifications/webhooks');
    await api('GET', `/v1/notifications/webhooks/${hookId}`);
    await api('GET', '/v1/notifications/webhooks/NOPE');
    await api('PATCH', `/v1/notifications/webhooks/${hookId}`, [
      { op: 'replace', path: '/url', value: 'http://127.0.0.1:9/other' },
    ]);
    await api('PATCH', '/v1/notifications/webhooks/NOPE', []);
    await api('GET', `/v1/notifications/webhooks/${hookId}/event-types`);
    await api('GET', '/v1/notifications/webhooks/NOPE/event-types');
    await api('GET', '/v1/notifications/webhooks-event-types');
    await anon('GET', '/v1/notifications/webhooks-event-types');
    await api('GET', '/v1/notifications/webhooks-events');
    await anon('GET', '/v1/notifications/webhooks-events');
    const eventId = emu.state.events[0]!.id;
    await api('GET', `/v1/notifications/webhooks-events/${eventId}`);
    await api('GET', '/v1/notifications/webhooks-events/NOPE');
    await api('POST', `/v1/notifications/webhooks-events/${eventId}/resend`, { webhook_ids: [hookId] });
    await api('POST', '/v1/notifications/webhooks-events/NOPE/resend', {});
    await api('POST', '/v1/notifications/verify-webhook-signature', {
      auth_algo: 'SHA256withRSA',
      cert_url: emu.certUrl,
      transmission_id: 'x',
      transmission_sig: 'eA==',
      transmission_time: '2026-01-01T00:00:00Z',
      webhook_id: hookId,
      webhook_event: {},
    });
    await api('POST', '/v1/notifications/verify-webhook-signature', {});
    await api('POST', '/v1/notifications/simulate-event', {
      webhook_id: hookId,
      event_type: 'PAYMENT.CAPTURE.COMPLETED',
    });
    await api('POST', '/v1/notifications/simulate-event', { webhook_id: hookId, event_type: 'NOPE' });
    await fetch(emu.certUrl);
    await fetch(`${emu.url}/v1/notifications/certs/CERT-00000000-00000000-00000000`);
    await api('DELETE', `/v1/notifications/webhooks/${hookId}`);
    await api('DELETE', `/v1/notifications/webhooks/${hookId}`);

    // Disputes
    const dispute = (await control('POST', '/_emulator/disputes', { capture_id: captureId, amount: '2.00' })).body
      .dispute_id;
    await api('GET', '/v1/customer/disputes');
    await api('GET', '/v1/customer/disputes?start_time=2026-01-01T00:00:00Z&disputed_transaction_id=X');
    await api('GET', `/v1/customer/disputes/${dispute}`);
    await api('GET', '/v1/customer/disputes/NOPE');
    await api('POST', `/v1/customer/disputes/${dispute}/escalate`, {});
    await api('POST', `/v1/customer/disputes/${dispute}/escalate`, {});
    await api('POST', `/v1/customer/disputes/${dispute}/accept-claim`, {});
    await api('POST', `/v1/customer/disputes/${dispute}/accept-claim`, {});

    // Payouts
    await control('POST', '/_emulator/payouts/next-item-outcomes', { outcomes: ['UNCLAIMED'] });
    const batch = await api('POST', '/v1/payments/payouts', {
      sender_batch_header: { sender_batch_id: 'cov-1' },
      items: [{ amount: { currency: 'USD', value: '1.00' }, receiver: 'payee@example.com' }],
    });
    await api('POST', '/v1/payments/payouts', {
      sender_batch_header: { sender_batch_id: 'cov-1' },
      items: [{ amount: { currency: 'USD', value: '1.00' }, receiver: 'x@example.com' }],
    });
    const batchId = batch.body.batch_header.payout_batch_id;
    await control('POST', `/_emulator/payouts/${batchId}/process`);
    const item = (await api('GET', `/v1/payments/payouts/${batchId}`)).body.items[0].payout_item_id;
    await api('GET', '/v1/payments/payouts/NOPE');
    await api('GET', `/v1/payments/payouts-item/${item}`);
    await api('GET', '/v1/payments/payouts-item/NOPE');
    await api('POST', `/v1/payments/payouts-item/${item}/cancel`);
    await api('POST', `/v1/payments/payouts-item/${item}/cancel`);

    // Catalog products, plans, subscriptions
    const product = await api('POST', '/v1/catalogs/products', { name: 'P', type: 'SERVICE' });
    await api('POST', '/v1/catalogs/products', { name: 'no type' });
    await api('GET', '/v1/catalogs/products');
    await anon('GET', '/v1/catalogs/products');
    await api('GET', `/v1/catalogs/products/${product.body.id}`);
    await api('GET', '/v1/catalogs/products/NOPE');
    await api('PATCH', `/v1/catalogs/products/${product.body.id}`, [
      { op: 'replace', path: '/description', value: 'd' },
    ]);
    await api('PATCH', '/v1/catalogs/products/NOPE', []);
    const planBody = {
      product_id: product.body.id,
      name: 'M',
      billing_cycles: [
        {
          frequency: { interval_unit: 'MONTH', interval_count: 1 },
          tenure_type: 'REGULAR',
          sequence: 1,
          total_cycles: 0,
          pricing_scheme: { fixed_price: { value: '9.00', currency_code: 'USD' } },
        },
      ],
      payment_preferences: { payment_failure_threshold: 1 },
    };
    const plan = await api('POST', '/v1/billing/plans', planBody, { prefer: 'return=representation' });
    await api('POST', '/v1/billing/plans', { ...planBody, billing_cycles: [] });
    await api('GET', '/v1/billing/plans');
    await anon('GET', '/v1/billing/plans');
    await api('GET', `/v1/billing/plans/${plan.body.id}`);
    await api('GET', '/v1/billing/plans/NOPE');
    const patched = await api('PATCH', `/v1/billing/plans/${plan.body.id}`, [
      { op: 'replace', path: '/description', value: 'Updated' },
    ]);
    expect(patched.status).toBe(204);
    const refused = await api('PATCH', `/v1/billing/plans/${plan.body.id}`, [
      { op: 'replace', path: '/status', value: 'INACTIVE' },
    ]);
    expect(refused.status).toBe(400);
    await api('POST', `/v1/billing/plans/${plan.body.id}/deactivate`);
    await api('POST', '/v1/billing/plans/NOPE/deactivate');
    await api('POST', `/v1/billing/plans/${plan.body.id}/activate`);
    await api('POST', '/v1/billing/plans/NOPE/activate');
    const sub = await api(
      'POST',
      '/v1/billing/subscriptions',
      { plan_id: plan.body.id },
      { prefer: 'return=representation' },
    );
    await api('POST', '/v1/billing/subscriptions', {});
    await api('POST', `/v1/billing/subscriptions/${sub.body.id}/suspend`, { reason: 'r' });
    await control('POST', `/_emulator/subscriptions/${sub.body.id}/approve`, {});
    await api('GET', `/v1/billing/subscriptions/${sub.body.id}`);
    await api('GET', '/v1/billing/subscriptions/NOPE');
    await api('POST', `/v1/billing/subscriptions/${sub.body.id}/revise`, { plan_id: plan.body.id });
    await api('POST', `/v1/billing/subscriptions/${sub.body.id}/revise`, {});
    await api(
      'GET',
      `/v1/billing/subscriptions/${sub.body.id}/transactions?start_time=2025-01-01T00:00:00Z&end_time=2027-01-01T00:00:00Z`,
    );
    await api('GET', `/v1/billing/subscriptions/${sub.body.id}/transactions`);
    await control('POST', '/_emulator/subscriptions/next-payment-outcomes', { outcomes: ['DECLINED'] });
    emu.clock.advance(32 * 86_400_000);
    await api('POST', `/v1/billing/subscriptions/${sub.body.id}/activate`, { reason: 'r' });
    await api('POST', `/v1/billing/subscriptions/${sub.body.id}/capture`, {
      note: 'n',
      capture_type: 'OUTSTANDING_BALANCE',
      amount: { currency_code: 'USD', value: '9.00' },
    });
    await api('POST', `/v1/billing/subscriptions/${sub.body.id}/capture`, {
      note: 'n',
      capture_type: 'OUTSTANDING_BALANCE',
      amount: { currency_code: 'USD', value: '9.00' },
    });
    await api('POST', `/v1/billing/subscriptions/${sub.body.id}/activate`, { reason: 'r' });
    await api('POST', `/v1/billing/subscriptions/${sub.body.id}/suspend`, { reason: 'r' });
    await api('POST', `/v1/billing/subscriptions/${sub.body.id}/cancel`, { reason: 'r' });
    await api('POST', `/v1/billing/subscriptions/${sub.body.id}/cancel`, { reason: 'r' });

    // Payments v1 sales (renewals)
    const saleId = Object.keys(emu.state.sales)[0]!;
    await api('GET', `/v1/payments/sale/${saleId}`);
    await api('GET', '/v1/payments/sale/NOPE');
    const saleRefund = await api('POST', `/v1/payments/sale/${saleId}/refund`, {});
    await api('POST', `/v1/payments/sale/${saleId}/refund`, {});
    await api('GET', `/v1/payments/refund/${String(saleRefund.body.id)}`);
    await api('GET', '/v1/payments/refund/NOPE');

    // Transaction search and balances
    await api('GET', '/v1/reporting/transactions?start_date=2026-01-01T00:00:00Z&end_date=2026-01-31T00:00:00Z');
    await api('GET', '/v1/reporting/transactions?start_date=2026-01-01T00:00:00Z');
    await api('GET', '/v1/reporting/balances');
    await api('GET', '/v1/reporting/balances?as_of_time=yesterday');

    // OAuth
    await fetch(`${emu.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: { authorization: 'Basic bm86bm8=' },
      body: 'grant_type=client_credentials',
    });

    // Coverage: each served route answered at least one 2xx and one 4xx in this run.
    const matches = (pattern: string, path: string) =>
      new RegExp(`^${pattern.replace(/:[^/]+/g, '[^/]+')}$`).test(path);
    const missing: string[] = [];
    for (const r of emu.routes) {
      const hits = emu.responses.filter((x) => x.method === r.method && matches(r.pattern, x.path));
      if (!hits.some((h) => h.status < 300)) missing.push(`${r.method} ${r.pattern} success`);
      if (!hits.some((h) => h.status >= 400)) missing.push(`${r.method} ${r.pattern} error`);
    }
    expect(missing).toEqual([]);
    const validated = assertContract(emu.responses);
    expect(validated).toBeGreaterThan(90);
    // Every route outside OAuth and the cert URL maps to an operation of the saved specs.
    const unmapped = emu.routes.filter((r) => !contract().find(r.method, r.pattern.replace(/:[^/]+/g, 'X')));
    expect(unmapped.map((r) => `${r.method} ${r.pattern}`)).toEqual([
      'POST /v1/oauth2/token',
      'GET /v1/notifications/certs/:certId',
    ]);
  });
});
