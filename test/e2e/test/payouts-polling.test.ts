// Polling fallback: every PayPal webhook of the payout is lost (the PayPal emulator holds its deliveries), and
// the batch still reaches its terminal state, read by the proxy's poll (GET batch with paging, PAYOUT_POLL_SECONDS).
// When the held webhooks arrive later they find everything booked: nothing changes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@ppc/test-support';
import { startLocalStack, type LocalStack } from '@ppc/stack';
import { PayoutItemStatus } from '@ppc/solution';
import {
  approveBatch,
  actors,
  bill,
  buildBatch,
  control,
  currencyIds,
  itemsOf,
  ledgerOf,
  paypalBatchesOf,
  PayoutBatchStatus,
  ReceiverType,
  vendor,
  VendorBillStatus,
  waitForBatch,
} from './payouts-support.ts';

type Row = Record<string, unknown>;
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ proxyEnv: { PAYOUT_POLL_SECONDS: '1' } });
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

const payoutWebhooksReceived = async () => {
  const { rows } = await stack.proxy.store.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM inbox_events WHERE source = 'paypal' AND event_type LIKE 'PAYMENT.PAYOUTS%'`,
  );
  return Number(rows[0]!.n);
};

describe('payout polling fallback', () => {
  it('with every PayPal webhook lost, the batch still ends: items, bills and ledger booked by the poll', async () => {
    const who = actors(stack);
    const currencies = await currencyIds(stack);
    const v = await vendor(stack, 'Polled Vendor', { type: ReceiverType.Email, value: 'polled@vendor.example' });
    const paid = await bill(stack, currencies, { name: 'AP-P1', vendorId: v, amount: 30, currency: 'USD' });
    const failed = await bill(stack, currencies, { name: 'AP-P2', vendorId: v, amount: 20, currency: 'USD' });
    // Webhooks lost from here on: PayPal delivers none of the next 10,000 events.
    await control(stack, '/_emulator/deliveries/inject', { hold: 10_000 });

    const batchId = await buildBatch(who.finance, 'Polled run');
    await waitFor(async () => ((await itemsOf(stack, batchId)).length === 2 ? true : undefined), 30_000, 'items');
    await waitFor(async () =>
      (await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`))._ppc_submittedby_value ? true : undefined,
    );
    await approveBatch(who.approver, stack, batchId);
    const pending = await waitFor(
      async () => {
        const list = (await itemsOf(stack, batchId)).filter((i) => i.statuscode === PayoutItemStatus.Pending);
        return list.length === 2 ? list : undefined;
      },
      30_000,
      'items pending at PayPal',
    );
    const byBill = new Map(pending.map((i) => [i._ppc_vendorbillid_value, String(i.ppc_paypalitemid)]));
    await control(stack, `/_emulator/payout-items/${byBill.get(failed)}/status`, { status: 'FAILED' });
    const [pb] = paypalBatchesOf(stack, batchId);
    await control(stack, `/_emulator/payouts/${pb}/process`);

    const done = await waitForBatch(stack, batchId, PayoutBatchStatus.Completed, 30_000);
    expect(done.ppc_paypalstatus).toBe('SUCCESS');
    expect(await payoutWebhooksReceived()).toBe(0);
    expect((await stack.admin.get<Row>(`ppc_vendorbills(${paid})`)).statuscode).toBe(VendorBillStatus.Paid);
    expect((await stack.admin.get<Row>(`ppc_vendorbills(${failed})`)).statuscode).toBe(VendorBillStatus.Open);
    const ledger = await ledgerOf(stack, batchId);
    expect(ledger.imbalance).toEqual({ USD: 0 });
    expect(ledger.byPurpose).toEqual({ 'Payable:USD': 3000, 'FeeExpense:USD': 60, 'Clearing:USD': -3060 });

    // The lost webhooks arrive after all: stored, processed, and nothing changes.
    await control(stack, '/_emulator/deliveries/release');
    await waitFor(async () => ((await payoutWebhooksReceived()) > 0 ? true : undefined), 30_000, 'late webhooks');
    await waitFor(
      async () => {
        const { rows } = await stack.proxy.store.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM inbox_events WHERE source = 'paypal' AND status NOT IN ('processed', 'ignored', 'dead')`,
        );
        return rows[0]!.n === '0' ? true : undefined;
      },
      30_000,
      'late webhooks processed',
    );
    expect(await ledgerOf(stack, batchId)).toEqual(ledger);
    expect((await stack.admin.get<Row>(`ppc_payoutbatches(${batchId})`)).statuscode).toBe(PayoutBatchStatus.Completed);
  });
});
