// Subscriptions v1 and catalog products through the client, against the PayPal emulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppError } from '../../../src/errors.ts';
import { payPalErrorDetails, type PayPalClient } from '../../../src/adapters/paypal/index.ts';
import { clientFor, control, startEmulator, type Emulator } from './emulator.ts';

let emu: Emulator;
let client: PayPalClient;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'proxy-paypal-subscriptions' });
  ({ client } = clientFor(emu));
});
afterAll(async () => {
  await emu.close();
});

describe('subscriptions', () => {
  it('product → plan → subscription approved by the buyer → renewals listed → suspend, activate, cancel', async () => {
    const product = await client.createProduct({ name: 'Support plan', type: 'SERVICE' });
    expect(product.id).toMatch(/^PROD-/);
    const plan = await client.createPlan({
      product_id: product.id!,
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
      payment_preferences: { auto_bill_outstanding: true, payment_failure_threshold: 2 },
    });
    expect(plan.id).toMatch(/^P-/);
    const created = await client.createSubscription({
      plan_id: plan.id!,
      custom_id: 'contract-7',
      subscriber: { email_address: 'ada@example.com' },
    });
    expect(created.status).toBe('APPROVAL_PENDING');

    await control(emu, 'POST', `/subscriptions/${created.id}/approve`, {});
    await control(emu, 'POST', '/clock/advance', { days: 35 });
    const active = await client.getSubscription(created.id!);
    expect(active.status).toBe('ACTIVE');
    expect(active.custom_id).toBe('contract-7');
    expect(active.billing_info?.last_payment?.amount).toEqual({ currency_code: 'USD', value: '25.00' });

    const now = emu.clock.now();
    const txns = await client.listSubscriptionTransactions(
      created.id!,
      new Date(now.getTime() - 60 * 86_400_000).toISOString(),
      now.toISOString(),
    );
    expect(txns.transactions?.length).toBe(2);
    expect(txns.transactions?.every((t) => t.status === 'COMPLETED')).toBe(true);

    await client.suspendSubscription(created.id!, 'Customer asked for a pause');
    expect((await client.getSubscription(created.id!)).status).toBe('SUSPENDED');
    await client.activateSubscription(created.id!, 'Pause over');
    expect((await client.getSubscription(created.id!)).status).toBe('ACTIVE');
    await client.cancelSubscription(created.id!, 'Contract ended');
    expect((await client.getSubscription(created.id!)).status).toBe('CANCELLED');

    const again = await client.cancelSubscription(created.id!, 'twice').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AppError);
    expect((again as AppError).retryable).toBe(false);
    expect(payPalErrorDetails(again)?.issues).toEqual(['SUBSCRIPTION_STATUS_INVALID']);
  });
});
