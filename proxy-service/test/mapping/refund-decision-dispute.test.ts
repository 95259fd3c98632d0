// Pure rules: who may refund what before PayPal is called, and what a dispute event writes.
import { describe, expect, it } from '@jest/globals';
import type { PayPalDispute } from '../../src/adapters/paypal/types.ts';
import { decideRefund } from '../../src/flows/refund-request.ts';
import { PaymentStatusChoice } from '../../src/mapping/dataverse-values.ts';
import { disputeFacts, planDispute } from '../../src/mapping/dispute-plan.ts';
import { money } from '../../src/mapping/money.ts';
import { fixtureResource } from '../support/fixtures.ts';

const memo = (minor: number, over: Record<string, unknown> = {}) => ({
  id: 'm-1',
  statuscode: 416500021,
  amount: money(minor, 'USD'),
  ...over,
});
const base = {
  captured: money(4000, 'USD'),
  refundedMinor: 1000,
  inFlightMinor: 500,
};

describe('decideRefund', () => {
  it('refunds up to captured − refunded − in flight', () => {
    expect(decideRefund({ ...base, memo: memo(2500) })).toEqual({ kind: 'refund' });
    const over = decideRefund({ ...base, memo: memo(2501) });
    expect(over.kind).toBe('fail');
    expect(over.reason).toContain('exceeds the refundable 25.00');
  });
  it('refuses a memo in another currency or without an amount', () => {
    expect(decideRefund({ ...base, memo: memo(100, { amount: money(100, 'EUR') }) }).kind).toBe('fail');
    expect(decideRefund({ ...base, memo: memo(0) }).kind).toBe('fail');
  });
  it('above the threshold: waits for an approval; a checked approval lifts the threshold, not the amount rules', () => {
    const t = { thresholdBaseMinor: 1000, amountBaseMinor: 2000 };
    expect(decideRefund({ ...base, ...t, memo: memo(2000) })).toMatchObject({
      kind: 'await_approval',
      reason: expect.stringContaining('PayPal Finance user other than the requester'),
    });
    // A memo naming an approver in its columns is still only a request.
    expect(decideRefund({ ...base, ...t, memo: memo(2000, { approvedBy: 'u-fin' }) }).kind).toBe('await_approval');
    expect(decideRefund({ ...base, ...t, memo: memo(2000), approved: true })).toEqual({ kind: 'refund' });
    expect(decideRefund({ ...base, ...t, memo: memo(2501), approved: true }).kind).toBe('fail');
    expect(decideRefund({ ...base, ...t, amountBaseMinor: 1000, memo: memo(1000) })).toEqual({ kind: 'refund' });
  });
});

describe('dispute plan', () => {
  const fixture = fixtureResource<PayPalDispute>('CUSTOMER.DISPUTE.CREATED');
  const t = { id: 'txn-1', invoiceId: 'inv-1', orderId: 'so-1', invoiceState: { statecode: 2, statuscode: 100001 } };
  it('opens: dispute row, hold on the transaction, invoice/order Disputed (Paid invoice reactivated and closed again), an alert', () => {
    const ops = planDispute({
      eventId: 'WH-D1',
      eventType: 'CUSTOMER.DISPUTE.CREATED',
      dispute: disputeFacts(fixture),
      transaction: t,
      currencyId: 'c-usd',
    });
    expect(ops[0]).toMatchObject({
      url: "ppc_disputes(ppc_paypaldisputeid='PP-000-042-663-135')",
      body: {
        ppc_reason: 416500060,
        ppc_stage: 416500070,
        ppc_disputedamount: 3,
        statecode: 0,
        statuscode: 1,
        ppc_captureid: '00D10444LD479031K',
      },
    });
    expect(ops[1]).toMatchObject({
      url: 'ppc_paypaltransactions(txn-1)',
      body: { ppc_disputed: true, ppc_heldamount: 3 },
    });
    expect(ops.filter((o) => o.url === 'invoices(inv-1)').map((o) => o.body)).toEqual([
      // reactivate, edit, restore: three operations (special-update-operation-behavior.md, strict reading)
      { statecode: 0, statuscode: 1 },
      { ppc_hasdispute: true, ppc_paymentstatus: PaymentStatusChoice.Disputed },
      { statecode: 2, statuscode: 100001 },
    ]);
    expect(ops.at(-1)!.body).toMatchObject({ ppc_alerttype: 416500203 });
  });
  it('resolves: closed with its outcome, hold released; a late update does not reopen it', () => {
    const resolved = disputeFacts({
      ...fixture,
      status: 'RESOLVED',
      dispute_outcome: { outcome_code: 'RESOLVED_SELLER_FAVOUR' },
    });
    const ops = planDispute({
      eventId: 'WH-D3',
      eventType: 'CUSTOMER.DISPUTE.RESOLVED',
      dispute: resolved,
      transaction: { id: 'txn-1' },
    });
    expect(ops[0]!.body).toMatchObject({ statecode: 1, statuscode: 2, ppc_outcome: 416500081 });
    expect(ops[1]!.body).toEqual({ ppc_disputed: false, ppc_heldamount: 0 });
    expect(
      planDispute({
        eventId: 'WH-D2',
        eventType: 'CUSTOMER.DISPUTE.UPDATED',
        dispute: disputeFacts(fixture),
        existing: { statecode: 1 },
      }),
    ).toEqual([]);
  });
});
