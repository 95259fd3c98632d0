/* eslint-disable @typescript-eslint/no-explicit-any -- wire JSON in tests is untyped on purpose; its shape is checked by assertions and by the OpenAPI contract validator */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertContract } from './helpers/contract.ts';
import { captureOrder, startEmulator, startReceiver, waitFor, type Api } from './helpers/client.ts';
import type { PayPalEmulator } from '../src/index.ts';

let emu: PayPalEmulator;
let api: Api;
let control: Api;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let refreshToken: () => Promise<void>;

beforeAll(async () => {
  ({ emu, api, control, refreshToken } = await startEmulator({ seed: 'disputes-payouts' }));
  receiver = await startReceiver();
  await api('POST', '/v1/notifications/webhooks', { url: receiver.url, event_types: [{ name: '*' }] });
});
afterAll(async () => {
  await receiver.close();
  await emu.close();
  assertContract(emu.responses);
});

const eventsOf = (prefix: string) =>
  receiver.received.map((r) => r.body).filter((e) => e.event_type.startsWith(prefix));

describe('Disputes v1', () => {
  it('lifecycle: open → escalated → resolved for the buyer, with events, hold and reversal', async () => {
    const captured = await captureOrder(api, control, { invoiceId: 'INV-D1' });
    const captureId = captured.body.purchase_units[0].payments.captures[0].id;
    const opened = await control('POST', '/_emulator/disputes', {
      capture_id: captureId,
      reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
      message: 'never arrived',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.dispute_id;
    expect(id).toMatch(/^PP-D-\d{6}$/);

    const refused = await api('POST', `/v2/payments/captures/${captureId}/refund`, {});
    expect(refused.body.details[0].issue).toBe('TRANSACTION_DISPUTED');

    const got = await api('GET', `/v1/customer/disputes/${id}`);
    expect(got.body).toMatchObject({
      status: 'WAITING_FOR_SELLER_RESPONSE',
      dispute_life_cycle_stage: 'INQUIRY',
      disputed_transactions: [{ seller_transaction_id: captureId, invoice_number: 'INV-D1' }],
    });
    const list = await api('GET', `/v1/customer/disputes?disputed_transaction_id=${captureId}`);
    expect(list.body.items.map((d: any) => d.dispute_id)).toEqual([id]);
    expect(list.body.items[0].dispute_state).toBe('REQUIRED_ACTION');

    await control('POST', `/_emulator/disputes/${id}/escalate`);
    expect((await api('GET', `/v1/customer/disputes/${id}`)).body).toMatchObject({
      dispute_life_cycle_stage: 'CHARGEBACK',
      status: 'UNDER_REVIEW',
    });
    await control('POST', `/_emulator/disputes/${id}/resolve`, { outcome: 'RESOLVED_BUYER_FAVOUR' });
    const resolved = await api('GET', `/v1/customer/disputes/${id}`);
    expect(resolved.body.status).toBe('RESOLVED');
    expect(resolved.body.dispute_outcome.outcome_code).toBe('RESOLVED_BUYER_FAVOUR');
    expect((await api('GET', `/v2/payments/captures/${captureId}`)).body.status).toBe('REFUNDED');

    await waitFor(() => eventsOf('CUSTOMER.DISPUTE').length >= 3 && eventsOf('PAYMENT.CAPTURE.REVERSED').length >= 1);
    expect(eventsOf('CUSTOMER.DISPUTE').map((e) => e.event_type)).toEqual([
      'CUSTOMER.DISPUTE.CREATED',
      'CUSTOMER.DISPUTE.UPDATED',
      'CUSTOMER.DISPUTE.RESOLVED',
    ]);
    const created = eventsOf('CUSTOMER.DISPUTE.CREATED')[0];
    expect(created).toMatchObject({
      resource_type: 'dispute',
      resource: {
        dispute_id: id,
        reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED',
        dispute_amount: { currency_code: 'USD' },
      },
    });
    const codes = emu.state.ledger.filter((l) => l.referenceId === captureId).map((l) => l.eventCode);
    expect(codes).toEqual(['T1110', 'T1111', 'T1106']);
  });

  it('seller-favour resolution keeps the money; accept-claim through the API refunds the buyer', async () => {
    const a = await captureOrder(api, control);
    const idA = (
      await control('POST', '/_emulator/disputes', { capture_id: a.body.purchase_units[0].payments.captures[0].id })
    ).body.dispute_id;
    await control('POST', `/_emulator/disputes/${idA}/resolve`, { outcome: 'RESOLVED_SELLER_FAVOUR' });
    expect(
      (await api('GET', `/v2/payments/captures/${a.body.purchase_units[0].payments.captures[0].id}`)).body.status,
    ).toBe('COMPLETED');

    const b = await captureOrder(api, control);
    const idB = (
      await control('POST', '/_emulator/disputes', {
        capture_id: b.body.purchase_units[0].payments.captures[0].id,
        amount: '5.00',
      })
    ).body.dispute_id;
    const accepted = await api('POST', `/v1/customer/disputes/${idB}/accept-claim`, { note: 'sorry' });
    expect(accepted.status).toBe(200);
    expect(
      (await api('GET', `/v2/payments/captures/${b.body.purchase_units[0].payments.captures[0].id}`)).body.status,
    ).toBe('PARTIALLY_REFUNDED');
    expect((await api('GET', '/v1/customer/disputes/PP-D-000000')).status).toBe(404);
    const page = await api('GET', '/v1/customer/disputes?page_size=1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.links.map((l: any) => l.rel)).toContain('next');
  });
});

describe('Payouts v1', () => {
  async function createBatch(senderBatchId: string, receivers: string[]) {
    return api('POST', '/v1/payments/payouts', {
      sender_batch_header: {
        sender_batch_id: senderBatchId,
        email_subject: 'You have a payout',
        recipient_type: 'EMAIL',
      },
      items: receivers.map((r, i) => ({
        recipient_type: 'EMAIL',
        amount: { currency: 'USD', value: '10.00' },
        receiver: r,
        sender_item_id: `${senderBatchId}-${i}`,
      })),
    });
  }

  it('item lifecycles: success, unclaimed → returned after 30 days, failed; batch events', async () => {
    // Outcomes come from the control API, not from the receivers' addresses (the sandbox has no magic receivers).
    await control('POST', '/_emulator/payouts/next-item-outcomes', { outcomes: ['SUCCESS', 'UNCLAIMED', 'FAILED'] });
    const created = await createBatch('vendor-bills-1', [
      'ok@example.com',
      'unclaimed@example.com',
      'fail@example.com',
    ]);
    expect(created.status).toBe(201);
    expect(created.body.batch_header.batch_status).toBe('PENDING');
    const batchId = created.body.batch_header.payout_batch_id;

    const dup = await createBatch('vendor-bills-1', ['x@example.com']);
    expect(dup.status).toBe(400);
    expect(dup.body.name).toBe('USER_BUSINESS_ERROR');

    // Processed when the emulator clock passes the processing delay.
    await control('POST', '/_emulator/clock/advance', { seconds: 61 });
    const batch = await api('GET', `/v1/payments/payouts/${batchId}?total_required=true`);
    expect(batch.body.batch_header.batch_status).toBe('SUCCESS');
    expect(batch.body.batch_header.amount).toEqual({ currency: 'USD', value: '30.00' });
    const statuses = batch.body.items.map((i: any) => i.transaction_status);
    expect(statuses).toEqual(['SUCCESS', 'UNCLAIMED', 'FAILED']);
    expect(batch.body.items[0].payout_item_fee).toEqual({ currency: 'USD', value: '0.20' });

    const unclaimed = batch.body.items[1].payout_item_id;
    await control('POST', '/_emulator/clock/advance', { days: 30 });
    await refreshToken();
    expect((await api('GET', `/v1/payments/payouts-item/${unclaimed}`)).body.transaction_status).toBe('RETURNED');

    await waitFor(() => eventsOf('PAYMENT.PAYOUTS-ITEM.RETURNED').length === 1);
    expect(eventsOf('PAYMENT.PAYOUTSBATCH').map((e) => e.event_type)).toEqual([
      'PAYMENT.PAYOUTSBATCH.PROCESSING',
      'PAYMENT.PAYOUTSBATCH.SUCCESS',
    ]);
    expect(eventsOf('PAYMENT.PAYOUTS-ITEM').map((e) => e.event_type)).toEqual([
      'PAYMENT.PAYOUTS-ITEM.SUCCEEDED',
      'PAYMENT.PAYOUTS-ITEM.UNCLAIMED',
      'PAYMENT.PAYOUTS-ITEM.FAILED',
      'PAYMENT.PAYOUTS-ITEM.RETURNED',
    ]);
    const item = eventsOf('PAYMENT.PAYOUTS-ITEM.SUCCEEDED')[0];
    expect(item.resource).toMatchObject({
      payout_batch_id: batchId,
      transaction_status: 'SUCCESS',
      payout_item: { amount: { currency: 'USD', value: '10.00' }, receiver: 'ok@example.com' },
    });
  });

  it('control API sets outcomes; unclaimed items can be cancelled; unknown ids are 404', async () => {
    await control('POST', '/_emulator/payouts/next-item-outcomes', { outcomes: ['UNCLAIMED', 'BLOCKED'] });
    const created = await createBatch('vendor-bills-2', ['a@example.com', 'b@example.com']);
    const batchId = created.body.batch_header.payout_batch_id;
    await control('POST', `/_emulator/payouts/${batchId}/process`);
    const batch = await api('GET', `/v1/payments/payouts/${batchId}`);
    expect(batch.body.items.map((i: any) => i.transaction_status)).toEqual(['UNCLAIMED', 'BLOCKED']);
    const cancelled = await api('POST', `/v1/payments/payouts-item/${batch.body.items[0].payout_item_id}/cancel`);
    expect(cancelled.body.transaction_status).toBe('RETURNED');
    const notUnclaimed = await api('POST', `/v1/payments/payouts-item/${batch.body.items[1].payout_item_id}/cancel`);
    expect(notUnclaimed.status).toBe(400);
    expect((await api('GET', '/v1/payments/payouts/NOPE')).status).toBe(404);
    expect((await api('GET', '/v1/payments/payouts-item/NOPE')).status).toBe(404);
    const missing = await api('POST', '/v1/payments/payouts', { items: [] });
    expect(missing.status).toBe(400);
  });
});
