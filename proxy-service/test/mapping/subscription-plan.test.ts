// The pure parts of subscriptions: PayPal's subscription read (saved real delivery), dunning state, the row,
// billing periods, what a D365 command asks of PayPal, and PAYMENT.SALE.REVERSED read with its real shape.
import { describe, expect, it } from '@jest/globals';
import { DunningState, SubscriptionStatus } from '@ppc/solution';
import { decideCommand } from '../../src/flows/subscriptions/commands.ts';
import { claimedReversal, reversalFacts } from '../../src/flows/subscriptions/sale-reversal.ts';
import { paymentFromEvent } from '../../src/flows/order-to-cash.ts';
import { actionFor } from '../../src/flows/event-actions.ts';
import {
  amountDue,
  billingPeriod,
  customerSubscriptionSummary,
  dunningOf,
  subscriptionFacts,
  subscriptionRow,
  type PlanFacts,
  type SubscriptionFacts,
} from '../../src/mapping/subscriptions/subscription-plan.ts';
import { fixtureResource } from '../support/fixtures.ts';

const usd = (minor: number) => ({ currency: 'USD', minor });
const plan: PlanFacts = {
  id: 'P-1',
  productId: 'STREAM',
  name: 'Streaming',
  price: usd(999),
  failureThreshold: 3,
  frequency: { unit: 'MONTH', count: 1 },
};
const active: SubscriptionFacts = {
  id: 'I-ABC123',
  planId: 'P-1',
  status: 'ACTIVE',
  quantity: 1,
  updateTime: '2026-02-01T00:00:00Z',
  subscriber: { payerId: 'PAYER1', email: 'a@example.com' },
  outstanding: usd(0),
  cyclesCompleted: 2,
  failedCount: 0,
};

describe('subscriptionFacts (saved BILLING.SUBSCRIPTION.PAYMENT.FAILED delivery)', () => {
  it('reads status, quantity, outstanding balance, REGULAR cycles, last and failed payments', () => {
    const f = subscriptionFacts(fixtureResource('BILLING.SUBSCRIPTION.PAYMENT.FAILED'));
    expect(f).toMatchObject({
      id: 'I-BW452GLLEP1G',
      status: 'ACTIVE',
      quantity: 20,
      outstanding: usd(1000),
      cyclesCompleted: 1,
      failedCount: 2,
      lastPayment: { amount: usd(50000), time: '2018-12-01T01:20:49Z' },
      lastFailed: { amount: usd(50000), time: '2019-01-01T01:20:49Z' },
      subscriber: { payerId: '2J6QB8YJQSJRJ', email: 'customer@example.com' },
    });
  });
});

describe('dunningOf', () => {
  it('current → retrying → past due (one short of the threshold, or owed) → suspended → cancelled', () => {
    expect(dunningOf(active, plan)).toBe(DunningState.Current);
    expect(dunningOf({ ...active, failedCount: 1 }, plan)).toBe(DunningState.Retrying);
    expect(dunningOf({ ...active, failedCount: 2 }, plan)).toBe(DunningState.PastDue);
    expect(dunningOf({ ...active, outstanding: usd(999) }, plan)).toBe(DunningState.PastDue);
    expect(dunningOf({ ...active, failedCount: 5 }, { failureThreshold: 0 })).toBe(DunningState.Retrying);
    expect(dunningOf({ ...active, status: 'SUSPENDED', failedCount: 3 }, plan)).toBe(DunningState.Suspended);
    expect(dunningOf({ ...active, status: 'CANCELLED' }, plan)).toBe(DunningState.Cancelled);
    expect(dunningOf({ ...active, status: 'EXPIRED' }, plan)).toBe(DunningState.Cancelled);
  });
  it('what is owed: the outstanding balance, else the failed payment being retried', () => {
    const failed = { ...active, failedCount: 1, lastFailed: { amount: usd(999), time: '2026-03-01T00:00:00Z' } };
    expect(amountDue(failed)).toEqual(usd(999));
    expect(amountDue({ ...failed, outstanding: usd(1998) })).toEqual(usd(1998));
    expect(amountDue(active)).toEqual(usd(0));
    // suspended at the threshold, then the outstanding balance captured: nothing owed (PayPal retries no more)
    expect(amountDue({ ...failed, status: 'SUSPENDED', failedCount: 3, outstanding: usd(0) })).toEqual(usd(0));
  });
});

describe('subscriptionRow', () => {
  const row = (facts: SubscriptionFacts, dunningSince?: string) =>
    subscriptionRow({
      facts,
      plan,
      eventId: 'WH-1',
      currencyId: '00000000-0000-0000-0000-0000000000aa',
      ...(dunningSince ? { existing: { id: 'x', dunningSince } } : {}),
    });
  it('keeps "in dunning since" from the first failure while the episode lasts, clears it when current', () => {
    const first = { ...active, failedCount: 1, lastFailed: { amount: usd(999), time: '2026-03-01T00:00:00Z' } };
    expect(row(first).ppc_dunningsince).toBe('2026-03-01T00:00:00Z');
    const second = { ...first, failedCount: 2, lastFailed: { amount: usd(999), time: '2026-03-06T00:00:00Z' } };
    expect(row(second, '2026-03-01T00:00:00Z').ppc_dunningsince).toBe('2026-03-01T00:00:00Z');
    expect(row(active, '2026-03-01T00:00:00Z').ppc_dunningsince).toBeNull();
  });
  it("PayPal's status decides the status reason (a pending request from D365 is replaced)", () => {
    expect(row(active)).toMatchObject({ statecode: 0, statuscode: SubscriptionStatus.Active });
    expect(row({ ...active, status: 'CANCELLED' })).toMatchObject({
      statecode: 1,
      statuscode: SubscriptionStatus.Cancelled,
    });
    expect(row({ ...active, status: 'APPROVAL_PENDING' })).toMatchObject({
      statuscode: SubscriptionStatus.ApprovalPending,
    });
  });
});

describe('billingPeriod', () => {
  it('one plan interval from the payment, in UTC calendar months', () => {
    expect(billingPeriod('2026-01-31T10:00:00Z', { unit: 'MONTH', count: 1 })).toEqual({
      start: '2026-01-31',
      end: '2026-03-03',
    });
    expect(billingPeriod('2026-01-01T00:00:00Z', { unit: 'WEEK', count: 2 })).toEqual({
      start: '2026-01-01',
      end: '2026-01-15',
    });
  });
});

describe('decideCommand (PayPal state re-read first)', () => {
  it('calls PayPal only when its state needs the change; reasons required for cancel and suspend', () => {
    expect(decideCommand('cancel', { status: 'ACTIVE', outstandingMinor: 0 }, 'moving')).toEqual({
      call: true,
      note: '',
    });
    expect(decideCommand('cancel', { status: 'CANCELLED', outstandingMinor: 0 }, 'x').call).toBe(false);
    expect(decideCommand('cancel', { status: 'ACTIVE', outstandingMinor: 0 }, ' ').note).toMatch(/reason is required/);
    expect(decideCommand('suspend', { status: 'SUSPENDED', outstandingMinor: 0 }, 'x').call).toBe(false);
    expect(decideCommand('activate', { status: 'SUSPENDED', outstandingMinor: 999 }, '').note).toMatch(/collect/);
    expect(decideCommand('activate', { status: 'SUSPENDED', outstandingMinor: 0 }, '').call).toBe(true);
    // a second "collect" after PayPal captured the balance asks nothing
    expect(decideCommand('collect', { status: 'SUSPENDED', outstandingMinor: 0 }, '').call).toBe(false);
    expect(decideCommand('collect', { status: 'SUSPENDED', outstandingMinor: 999 }, '').call).toBe(true);
  });
});

// PAYMENT.SALE.REVERSED as PayPal sends it (developer.paypal.com/api/rest/webhooks/event-names/#sales): state
// "completed", negative amounts, no sale_id. The same shape as the saved PAYMENT.SALE.REFUNDED delivery without sale_id.
const reversedEvent = {
  id: 'WH-REVERSED-1',
  event_type: 'PAYMENT.SALE.REVERSED',
  resource_type: 'sale',
  summary: 'A 0.49 USD sale payment was reversed',
  resource: {
    id: '6YX43824R4443062K',
    create_time: '2014-10-31T15:41:51Z',
    update_time: '2014-10-31T15:41:51Z',
    state: 'completed',
    amount: { total: '-0.49', currency: 'USD' },
    links: [{ href: 'https://api.paypal.com/v1/payments/refund/6YX43824R4443062K', rel: 'self', method: 'GET' }],
  },
} as const;

describe('PAYMENT.SALE.REVERSED', () => {
  it('is routed to the reversal flow, never to order-to-cash or renewals', () => {
    expect(actionFor('PAYMENT.SALE.REVERSED', 'paypal', reversedEvent)).toBe('sale.reversed');
  });
  it('read as a payment it would be a COMPLETED sale of −0.49: why it is never read that way', () => {
    const misread = paymentFromEvent(reversedEvent);
    expect(misread).toMatchObject({ status: 'COMPLETED', gross: usd(-49) });
  });
  it("claims a reversal of 0.49; PayPal's refund read names the sale, booked as a reversal keeping no fee back", () => {
    expect(claimedReversal(reversedEvent.resource)).toEqual({ id: '6YX43824R4443062K', gross: usd(49) });
    expect(() => reversalFacts(reversedEvent.resource)).toThrow(/names no sale/);
    const r = reversalFacts({
      ...reversedEvent.resource,
      amount: { total: '0.49', currency: 'USD' },
      sale_id: 'SALE1',
    });
    expect(r).toMatchObject({
      kind: 'reversal',
      refundId: '6YX43824R4443062K',
      parentId: 'SALE1',
      gross: usd(49),
      feeReturned: usd(0),
      net: usd(49),
      updateTime: '2014-10-31T15:41:51Z',
    });
  });
});

describe('customerSubscriptionSummary (account/contact ppc_subscriptionstatus)', () => {
  it('live subscriptions first, what is owed and since when', () => {
    expect(
      customerSubscriptionSummary([
        { id: 'I-OLD', status: 'CANCELLED', dunning: DunningState.Cancelled, due: usd(0) },
        {
          id: 'I-NEW',
          status: 'SUSPENDED',
          dunning: DunningState.Suspended,
          due: usd(999),
          since: '2026-05-01T00:00:00Z',
        },
      ]),
    ).toBe('I-NEW suspended (suspended, owes 9.99 USD since 2026-05-01); I-OLD cancelled (cancelled)');
  });
});
