/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON in tests is untyped on purpose; its shape is checked by assertions and by the OpenAPI contract validator */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SubscriptionsController } from '@paypal/paypal-server-sdk';
import { assertContract } from './helpers/contract.ts';
import { startEmulator, startReceiver, waitFor, type Api } from './helpers/client.ts';
import { sdkClient } from './helpers/sdk.ts';
import type { PayPalEmulator } from '../src/index.ts';

let emu: PayPalEmulator;
let api: Api;
let control: Api;
let refreshToken: () => Promise<void>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  ({ emu, api, control, refreshToken } = await startEmulator({ seed: 'subs', tokenTtlSeconds: 10 * 365 * 86_400 }));
  receiver = await startReceiver();
  await api('POST', '/v1/notifications/webhooks', { url: receiver.url, event_types: [{ name: '*' }] });
});
afterAll(async () => {
  await receiver.close();
  await emu.close();
  assertContract(emu.responses);
});

async function planWithThreshold(threshold: number) {
  const product = await api('POST', '/v1/catalogs/products', {
    name: 'Support plan',
    type: 'SERVICE',
    category: 'SOFTWARE',
  });
  expect(product.status).toBe(201);
  expect(product.body.id).toMatch(/^PROD-/);
  const plan = await api(
    'POST',
    '/v1/billing/plans',
    {
      product_id: product.body.id,
      name: 'Monthly support',
      billing_cycles: [
        {
          frequency: { interval_unit: 'MONTH', interval_count: 1 },
          tenure_type: 'REGULAR',
          sequence: 1,
          total_cycles: 12,
          pricing_scheme: { fixed_price: { value: '25.00', currency_code: 'USD' } },
        },
      ],
      payment_preferences: { auto_bill_outstanding: true, payment_failure_threshold: threshold },
    },
    { prefer: 'return=representation' },
  );
  expect(plan.status).toBe(201);
  expect(plan.body.id).toMatch(/^P-[0-9A-Z]{24}$/);
  return plan.body.id as string;
}

describe('Subscriptions v1', () => {
  it('lifecycle: activation → renewals → failed payments (retried) → suspension → capture outstanding → reactivation → cancel', async () => {
    const planId = await planWithThreshold(2);
    const created = await api(
      'POST',
      '/v1/billing/subscriptions',
      {
        plan_id: planId,
        custom_id: 'contract-7',
        subscriber: { name: { given_name: 'Ada', surname: 'Lovelace' }, email_address: 'ada@example.com' },
      },
      { prefer: 'return=representation' },
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(id).toMatch(/^I-[0-9A-Z]{12}$/);
    expect(created.body.status).toBe('APPROVAL_PENDING');
    expect(created.body.links.find((l: any) => l.rel === 'approve')).toBeDefined();

    await control('POST', `/_emulator/subscriptions/${id}/approve`, {});
    let sub = (await api('GET', `/v1/billing/subscriptions/${id}`)).body;
    expect(sub.status).toBe('ACTIVE');
    expect(sub.billing_info.cycle_executions[0].cycles_completed).toBe(1);
    expect(sub.billing_info.next_billing_time).toBe('2026-02-01T00:00:00Z');

    // Two monthly renewals.
    await control('POST', '/_emulator/clock/advance', { days: 59 });
    sub = (await api('GET', `/v1/billing/subscriptions/${id}`)).body;
    expect(sub.billing_info.cycle_executions[0].cycles_completed).toBe(3);
    expect(sub.billing_info.last_payment.amount).toEqual({ currency_code: 'USD', value: '25.00' });

    // Next payment fails, the retry 5 days later fails too: threshold 2 → SUSPENDED.
    await control('POST', '/_emulator/subscriptions/next-payment-outcomes', { outcomes: ['DECLINED', 'DECLINED'] });
    await control('POST', '/_emulator/clock/advance', { days: 31 }); // 2026-04-01 billing fails
    sub = (await api('GET', `/v1/billing/subscriptions/${id}`)).body;
    expect(sub.status).toBe('ACTIVE');
    expect(sub.billing_info.failed_payments_count).toBe(1);
    expect(sub.billing_info.last_failed_payment.next_payment_retry_time).toBe('2026-04-06T00:00:00Z');
    await control('POST', '/_emulator/clock/advance', { days: 5 });
    sub = (await api('GET', `/v1/billing/subscriptions/${id}`)).body;
    expect(sub.status).toBe('SUSPENDED');
    expect(sub.billing_info.outstanding_balance).toEqual({ currency_code: 'USD', value: '25.00' });

    const cannot = await api('POST', `/v1/billing/subscriptions/${id}/activate`, { reason: 'paid' });
    expect(cannot.status).toBe(422);
    expect(cannot.body.details[0].issue).toBe('SUBSCRIPTION_CANNOT_BE_ACTIVATED');
    const captured = await api('POST', `/v1/billing/subscriptions/${id}/capture`, {
      note: 'outstanding',
      capture_type: 'OUTSTANDING_BALANCE',
      amount: { currency_code: 'USD', value: '25.00' },
    });
    expect(captured.status).toBe(202);
    expect((await api('POST', `/v1/billing/subscriptions/${id}/activate`, { reason: 'paid' })).status).toBe(204);
    expect((await api('GET', `/v1/billing/subscriptions/${id}`)).body.status).toBe('ACTIVE');

    const suspendAgain = await api('POST', `/v1/billing/subscriptions/${id}/suspend`, { reason: 'customer asked' });
    expect(suspendAgain.status).toBe(204);
    const badSuspend = await api('POST', `/v1/billing/subscriptions/${id}/suspend`, { reason: 'again' });
    expect(badSuspend.body.details[0].issue).toBe('SUBSCRIPTION_STATUS_INVALID');
    expect((await api('POST', `/v1/billing/subscriptions/${id}/cancel`, {})).status).toBe(400);
    expect((await api('POST', `/v1/billing/subscriptions/${id}/cancel`, { reason: 'done' })).status).toBe(204);

    const txns = await api(
      'GET',
      `/v1/billing/subscriptions/${id}/transactions?start_time=2026-01-01T00:00:00Z&end_time=2026-12-31T00:00:00Z`,
    );
    expect(txns.body.transactions.map((t: any) => t.status)).toEqual([
      'COMPLETED',
      'COMPLETED',
      'COMPLETED',
      'DECLINED',
      'DECLINED',
      'COMPLETED',
    ]);
    expect((await api('GET', `/v1/billing/subscriptions/${id}/transactions`)).status).toBe(400);

    await waitFor(() => receiver.received.some((r) => r.body.event_type === 'BILLING.SUBSCRIPTION.CANCELLED'));
    const types = receiver.received
      .map((r) => r.body.event_type)
      .filter((t) => t.startsWith('BILLING.SUBSCRIPTION') || t === 'PAYMENT.SALE.COMPLETED');
    expect(types).toEqual([
      'BILLING.SUBSCRIPTION.CREATED',
      'BILLING.SUBSCRIPTION.ACTIVATED',
      'PAYMENT.SALE.COMPLETED',
      'PAYMENT.SALE.COMPLETED',
      'PAYMENT.SALE.COMPLETED',
      'BILLING.SUBSCRIPTION.PAYMENT.FAILED',
      'BILLING.SUBSCRIPTION.PAYMENT.FAILED',
      'BILLING.SUBSCRIPTION.SUSPENDED',
      // the captured outstanding balance is a payment on the subscription: a v1 sale with its event
      'PAYMENT.SALE.COMPLETED',
      'BILLING.SUBSCRIPTION.ACTIVATED',
      'BILLING.SUBSCRIPTION.SUSPENDED',
      'BILLING.SUBSCRIPTION.CANCELLED',
    ]);
    const sale = receiver.received.find((r) => r.body.event_type === 'PAYMENT.SALE.COMPLETED')!.body;
    expect(sale.resource_type).toBe('sale');
    expect(sale.resource_version).toBeUndefined();
    expect(sale.resource).toMatchObject({
      billing_agreement_id: id,
      amount: { total: '25.00', currency: 'USD' },
      state: 'completed',
      transaction_fee: { currency: 'USD' },
    });
    expect(sale.resource.parent_payment).toBeUndefined();
    const collected = receiver.received.filter((r) => r.body.event_type === 'PAYMENT.SALE.COMPLETED').at(-1)!.body;
    expect(collected.resource).toMatchObject({ billing_agreement_id: id, amount: { total: '25.00', currency: 'USD' } });
    expect(emu.state.sales[collected.resource.id]).toMatchObject({ subscriptionId: id, amountMinor: 2500 });
    await refreshToken();
  });

  it('products, plans and revise through the API; the official SDK lists subscription transactions', async () => {
    const planA = await planWithThreshold(0);
    const planB = await planWithThreshold(0);
    expect((await api('GET', '/v1/catalogs/products')).body.products.length).toBeGreaterThanOrEqual(2);
    const plans = await api('GET', '/v1/billing/plans?page_size=20');
    expect(plans.body.plans.map((p: any) => p.id)).toEqual(expect.arrayContaining([planA, planB]));
    expect((await api('POST', `/v1/billing/plans/${planB}/deactivate`)).status).toBe(204);
    expect((await api('GET', `/v1/billing/plans/${planB}`)).body.status).toBe('INACTIVE');
    await api('POST', `/v1/billing/plans/${planB}/activate`);
    const created = await api('POST', '/v1/billing/subscriptions', {
      plan_id: planA,
      subscriber: { email_address: 'b@example.com' },
    });
    const id = created.body.id;
    await control('POST', `/_emulator/subscriptions/${id}/approve`, {
      given_name: 'Bob',
      surname: 'B',
      email: 'bob@example.com',
    });
    const revised = await api('POST', `/v1/billing/subscriptions/${id}/revise`, { plan_id: planB });
    expect(revised.body.plan_id).toBe(planB);
    const product = (await api('GET', '/v1/catalogs/products')).body.products[0];
    expect(
      (
        await api('PATCH', `/v1/catalogs/products/${product.id}`, [
          { op: 'replace', path: '/description', value: 'Premium' },
        ])
      ).status,
    ).toBe(204);
    expect((await api('GET', `/v1/catalogs/products/${product.id}`)).body.description).toBe('Premium');
    expect((await api('GET', '/v1/billing/subscriptions/I-NOPE')).status).toBe(404);

    const sdk = new SubscriptionsController(sdkClient(emu.url));
    const now = emu.clock.now();
    const res = await sdk.listSubscriptionTransactions({
      id,
      startTime: new Date(now.getTime() - 86_400_000).toISOString(),
      endTime: new Date(now.getTime() + 86_400_000).toISOString(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.result.transactions).toHaveLength(1);
    expect(res.result.transactions![0]!.amountWithBreakdown!.grossAmount).toEqual({
      currencyCode: 'USD',
      value: '25.00',
    });
    const got = await sdk.getSubscription({ id });
    expect(got.result.status).toBe('ACTIVE');

    // Refunding a renewal sale (Payments v1) emits PAYMENT.SALE.REFUNDED like PayPal's payload.
    const saleId = res.result.transactions![0]!.id!;
    const sale = await api('GET', `/v1/payments/sale/${saleId}`);
    expect(sale.body).toMatchObject({
      id: saleId,
      state: 'completed',
      billing_agreement_id: id,
      amount: { total: '25.00', currency: 'USD' },
    });
    const refund = await api('POST', `/v1/payments/sale/${saleId}/refund`, {
      amount: { total: '5.00', currency: 'USD' },
    });
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({
      sale_id: saleId,
      state: 'completed',
      total_refunded_amount: { value: '5.00', currency: 'USD' },
    });
    expect((await api('GET', `/v1/payments/sale/${saleId}`)).body.state).toBe('partially_refunded');
    const over = await api('POST', `/v1/payments/sale/${saleId}/refund`, {
      amount: { total: '25.00', currency: 'USD' },
    });
    expect(over.status).toBe(400);
    expect(over.body.name).toBe('REFUND_EXCEEDED_TRANSACTION_AMOUNT');
    expect((await api('GET', '/v1/payments/sale/NOPE')).status).toBe(404);
    const event = await waitFor(() => receiver.received.find((r) => r.body.event_type === 'PAYMENT.SALE.REFUNDED'));
    expect(event.body).toMatchObject({
      resource_type: 'sale',
      resource: { sale_id: saleId, amount: { total: '-5.00', currency: 'USD' }, state: 'completed' },
    });
    const txns = await api(
      'GET',
      `/v1/billing/subscriptions/${id}/transactions?start_time=2025-01-01T00:00:00Z&end_time=2027-01-01T00:00:00Z`,
    );
    expect(txns.body.transactions[0].status).toBe('PARTIALLY_REFUNDED');
  });
});
