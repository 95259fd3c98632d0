import { describe, expect, it } from '@jest/globals';
import { createPayoutService } from '../../PayoutApproval/payout-service';
import type { DataService, Row } from '../../shared/data-service';
import {
  Common,
  PayoutBatch,
  PayoutBatchStatus,
  PayoutItem,
  PayoutItemStatus,
  State,
  Tables,
} from '../../shared/names';
import { CURRENCY_IDS, currencyRecord } from '../mock-context';

const batchId = '5a1d0000-0000-4000-8000-0000000000b1';

function fakeData(batch: Row, items: Row[]) {
  const updates: Row[] = [];
  const queries: string[] = [];
  const data: DataService = {
    retrieve: async (table, id) => (table === Tables.currency ? currencyRecord(id) : batch),
    retrieveMultiple: async (table, query) => {
      queries.push(`${table}?${query}`);
      return items;
    },
    update: async (_table, _id, row) => {
      updates.push(row);
    },
  };
  return { data, updates, queries };
}

const item = (receiver: string | null, amount: number, currency: string): Row => ({
  [PayoutItem.receiver]: receiver,
  [PayoutItem.amount]: amount,
  [Common.currencyValue]: CURRENCY_IDS[currency],
});

describe('payout service', () => {
  it('totals per currency and warns about missing, duplicate and over-limit receivers', async () => {
    const { data, queries } = fakeData(
      {
        [Common.statusCode]: PayoutBatchStatus.PendingApproval,
        [Common.createdByValue]: '{AAAAAAAA-0000-4000-8000-000000000001}',
        [PayoutBatch.warnings]:
          'EXCLUDED:1 1 bill(s) are excluded and will not be paid\r\nDUPLICATE_RECEIVERS:1:2 1 receiver(s) get several items',
      },
      [
        item('a@example.com', 10.1, 'USD'),
        item('A@example.com ', 0.2, 'USD'),
        item(null, 5, 'EUR'),
        item('big@example.com', 25000, 'EUR'),
        item('yen@example.com', 3000, 'JPY'),
        // excluded by the connector's build (no receiver): shown, never paid, does not block the approval
        { ...item(null, 7, 'USD'), [Common.statusCode]: PayoutItemStatus.Excluded },
      ],
    );
    const view = await createPayoutService(data).load(batchId, 20000);
    expect(queries[0]).toContain(`${PayoutItem.batchValue} eq ${batchId}`);
    expect(view).toMatchObject({
      invalidCount: 1,
      status: 'pendingApproval',
      createdBy: 'aaaaaaaa-0000-4000-8000-000000000001',
      itemCount: 6,
      totals: [
        { minor: 2500500, currency: 'EUR' },
        { minor: 3000, currency: 'JPY' },
        { minor: 1730, currency: 'USD' },
      ],
      warnings: [
        { kind: 'missingReceiver', count: 2 },
        { kind: 'overLimit', receiver: 'big@example.com', amount: { minor: 2500000, currency: 'EUR' } },
        { kind: 'duplicateReceiver', receiver: 'a@example.com', count: 2 },
      ],
      connectorWarnings: [
        { code: 'EXCLUDED:1', text: '1 bill(s) are excluded and will not be paid' },
        { code: 'DUPLICATE_RECEIVERS:1:2', text: '1 receiver(s) get several items' },
      ],
      comment: undefined,
    });
  });

  it('approves in state Active and rejects in state Inactive, with the comment', async () => {
    const { data, updates } = fakeData({}, []);
    const service = createPayoutService(data);
    await service.decide(batchId, 'approve', 'ok');
    await service.decide(batchId, 'reject', 'wrong amounts');
    await service.decide(batchId, 'approve', '', ['EXCLUDED:1', 'DUPLICATE_RECEIVERS:1:2']);
    expect(updates[2]).toEqual({
      [Common.stateCode]: State.Active,
      [Common.statusCode]: PayoutBatchStatus.Approved,
      [PayoutBatch.comment]: '',
      [PayoutBatch.acknowledgedWarnings]: 'EXCLUDED:1\nDUPLICATE_RECEIVERS:1:2',
    });
    expect(updates.slice(0, 2)).toEqual([
      {
        [Common.stateCode]: State.Active,
        [Common.statusCode]: PayoutBatchStatus.Approved,
        [PayoutBatch.comment]: 'ok',
      },
      {
        [Common.stateCode]: State.Inactive,
        [Common.statusCode]: PayoutBatchStatus.Rejected,
        [PayoutBatch.comment]: 'wrong amounts',
      },
    ]);
  });
});
