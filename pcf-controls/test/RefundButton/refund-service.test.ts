import { describe, expect, it } from '@jest/globals';
import { createRefundService } from '../../RefundButton/refund-service';
import type { DataService, Row } from '../../shared/data-service';
import { Common, CreditMemo, CreditMemoStatus, RefundReason, State, Tables, Transaction } from '../../shared/names';
import { CURRENCY_IDS, currencyRecord } from '../mock-context';

const memoId = '0d6c3b0a-0000-4000-8000-0000000000f2';
const captureId = '0d6c3b0a-0000-4000-8000-0000000000c2';

function fakeData(rows: Record<string, Row>, children: Row[] = []) {
  const updates: { table: string; id: string; data: Row }[] = [];
  const queries: string[] = [];
  const data: DataService = {
    retrieve: async (table, id) => {
      if (table === Tables.currency) return currencyRecord(id);
      const row = rows[`${table}:${id}`];
      if (!row) throw new Error('not found');
      return row;
    },
    retrieveMultiple: async (table, query) => {
      queries.push(`${table}?${query}`);
      return children;
    },
    update: async (table, id, row) => {
      updates.push({ table, id, data: row });
    },
  };
  return { data, updates, queries };
}

const memo = {
  [Common.statusCode]: CreditMemoStatus.Draft,
  [CreditMemo.amount]: 30,
  [Common.currencyValue]: CURRENCY_IDS.EUR,
  [CreditMemo.captureValue]: captureId,
};

describe('refund service', () => {
  it('computes refundable = captured − refunded in the capture currency', async () => {
    const { data, queries } = fakeData({
      [`${Tables.creditMemo}:${memoId}`]: memo,
      [`${Tables.transaction}:${captureId}`]: {
        [Transaction.gross]: 100,
        [Transaction.refunded]: 25.5,
        [Common.currencyValue]: CURRENCY_IDS.EUR,
      },
    });
    const view = await createRefundService(data).load(memoId);
    expect(view).toMatchObject({
      status: 'draft',
      hasCapture: true,
      amount: { minor: 3000, currency: 'EUR' },
      captured: { minor: 10000, currency: 'EUR' },
      refunded: { minor: 2550, currency: 'EUR' },
      refundable: { minor: 7450, currency: 'EUR' },
    });
    expect(queries).toEqual([]);
  });

  it('sums completed refund transactions when the capture has no refunded amount', async () => {
    const { data, queries } = fakeData(
      {
        [`${Tables.creditMemo}:${memoId}`]: { ...memo, [Common.currencyValue]: CURRENCY_IDS.JPY },
        [`${Tables.transaction}:${captureId}`]: { [Transaction.gross]: 5000, [Common.currencyValue]: CURRENCY_IDS.JPY },
      },
      [{ [Transaction.gross]: 1200 }, { [Transaction.gross]: 300 }],
    );
    const view = await createRefundService(data).load(memoId);
    expect(view.refundable).toEqual({ minor: 3500, currency: 'JPY' });
    expect(queries[0]).toContain(`${Transaction.parentValue} eq ${captureId}`);
  });

  it("reports a failed refund with PayPal's issue and reason", async () => {
    const { data } = fakeData({
      [`${Tables.creditMemo}:${memoId}`]: {
        ...memo,
        [Common.statusCode]: CreditMemoStatus.Failed,
        [CreditMemo.paypalError]: 'REFUND_TIME_LIMIT_EXCEEDED',
        [CreditMemo.failureReason]: 'too late',
      },
      [`${Tables.transaction}:${captureId}`]: {
        [Transaction.gross]: 100,
        [Transaction.refunded]: 0,
        [Common.currencyValue]: CURRENCY_IDS.EUR,
      },
    });
    expect(await createRefundService(data).load(memoId)).toMatchObject({
      status: 'failed',
      failureReason: 'REFUND_TIME_LIMIT_EXCEEDED: too late',
    });
  });

  it('requests the refund by setting the credit memo to Refund requested with amount and reason', async () => {
    const { data, updates } = fakeData({});
    await createRefundService(data).request(memoId, {
      amount: { minor: 1999, currency: 'EUR' },
      reasonCode: RefundReason.Damaged,
      note: 'scratched',
    });
    expect(updates).toEqual([
      {
        table: Tables.creditMemo,
        id: memoId,
        data: {
          [CreditMemo.amount]: 19.99,
          [CreditMemo.reasonCode]: RefundReason.Damaged,
          [CreditMemo.reasonNote]: 'scratched',
          [Common.stateCode]: State.Active,
          [Common.statusCode]: CreditMemoStatus.RefundRequested,
        },
      },
    ]);
  });
});
