// Mock resources for POST /v1/notifications/simulate-event, shaped like PayPal's simulator payloads
// (fixed sample values, not linked to any emulator state, as in PayPal's simulator).
import type { Emulator } from '../emulator.ts';

type Json = Record<string, unknown>;

export function sampleResource(
  emu: Emulator,
  eventType: string,
): { resourceType: string; resourceVersion?: string; summary: string; resource: Json } {
  const id = emu.random.paypalId();
  const now = emu.nowIso();
  const amount = { currency_code: 'USD', value: '30.00' };
  const link = (path: string, rel: string, method = 'GET') => ({ href: emu.link(path), rel, method });
  if (eventType.startsWith('PAYMENT.CAPTURE.')) {
    if (eventType === 'PAYMENT.CAPTURE.REFUNDED' || eventType === 'PAYMENT.CAPTURE.REVERSED') {
      return {
        resourceType: 'refund',
        resourceVersion: '2.0',
        summary: `A $ 30.0 USD capture payment was ${eventType.endsWith('REFUNDED') ? 'refunded' : 'reversed'}`,
        resource: {
          id,
          amount,
          status: 'COMPLETED',
          create_time: now,
          update_time: now,
          links: [
            link(`/v2/payments/refunds/${id}`, 'self'),
            link(`/v2/payments/captures/${emu.random.paypalId()}`, 'up'),
          ],
        },
      };
    }
    const status = eventType.split('.')[2];
    return {
      resourceType: 'capture',
      resourceVersion: '2.0',
      summary: `Payment ${status?.toLowerCase()} for $ 30.0 USD`,
      resource: {
        id,
        amount,
        final_capture: true,
        status,
        seller_receivable_breakdown: {
          gross_amount: amount,
          paypal_fee: { currency_code: 'USD', value: '1.54' },
          net_amount: { currency_code: 'USD', value: '28.46' },
        },
        supplementary_data: { related_ids: { order_id: emu.random.paypalId() } },
        create_time: now,
        update_time: now,
        links: [link(`/v2/payments/captures/${id}`, 'self')],
      },
    };
  }
  if (eventType.startsWith('CUSTOMER.DISPUTE.')) {
    return {
      resourceType: 'dispute',
      summary: 'A new dispute opened with Case # PP-000-000-000-000',
      resource: {
        dispute_id: 'PP-000-000-000-000',
        reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
        status: 'OPEN',
        dispute_amount: amount,
        dispute_life_cycle_stage: 'INQUIRY',
        dispute_channel: 'INTERNAL',
        create_time: now,
        update_time: now,
        disputed_transactions: [{ seller_transaction_id: id }],
        links: [],
      },
    };
  }
  if (eventType.startsWith('BILLING.SUBSCRIPTION.')) {
    return {
      resourceType: 'subscription',
      resourceVersion: '2.0',
      summary: `Subscription ${eventType.split('.')[2]?.toLowerCase()}`,
      resource: {
        id: `I-${emu.random.chars(12)}`,
        plan_id: `P-${emu.random.chars(24)}`,
        status: 'ACTIVE',
        create_time: now,
        links: [],
      },
    };
  }
  if (eventType.startsWith('PAYMENT.SALE.')) {
    return {
      resourceType: 'sale',
      summary: 'Payment completed for $ 30.0 USD',
      resource: {
        id,
        amount: { total: '30.00', currency: 'USD' },
        state: 'completed',
        create_time: now,
        update_time: now,
        links: [],
      },
    };
  }
  if (eventType.startsWith('PAYMENT.PAYOUTSBATCH.')) {
    return {
      resourceType: 'payouts',
      summary: 'Payouts batch completed successfully.',
      resource: {
        batch_header: {
          payout_batch_id: emu.random.chars(13),
          batch_status: eventType.split('.')[2],
          sender_batch_header: { sender_batch_id: 'sample' },
        },
        links: [],
      },
    };
  }
  if (eventType.startsWith('PAYMENT.PAYOUTS-ITEM.')) {
    return {
      resourceType: 'payouts_item',
      summary: 'A payout item has changed.',
      resource: {
        payout_item_id: emu.random.chars(13),
        transaction_status: eventType.split('.')[2],
        payout_item: { amount: { currency: 'USD', value: '1.00' }, receiver: 'receiver@example.com' },
        links: [],
      },
    };
  }
  return {
    resourceType: eventType.split('.')[0]!.toLowerCase(),
    summary: `Sample ${eventType}`,
    resource: { id, create_time: now, links: [] },
  };
}
