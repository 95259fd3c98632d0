import { describe, expect, it } from '@jest/globals';
import { createRefundService, refusalOf } from '../../RefundButton/refund-service';
import type { DataService, Row } from '../../shared/data-service';
import {
  Common,
  CreditMemo,
  CreditMemoStatus,
  Dispute,
  RefundReason,
  State,
  Tables,
  Transaction,
  TransactionKind,
  TransactionStatus,
} from '../../shared/names';
import { CURRENCY_IDS, currencyRecord } from '../mock-context';

const memoId = '0d6c3b0a-0000-4000-8000-0000000000f2';
const captureId = '0d6c3b0a-0000-4000-8000-0000000000c2';

function fakeData(rows: Record<string, Row>, children: Row[] = [], lists: Record<string, Row[]> = {}) {
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
      return lists[table] ?? (table === Tables.transaction ? children : []);
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
  const capture = (extra: Row = {}): Row => ({
    [Transaction.paypalId]: 'CAP-1',
    [Transaction.kind]: TransactionKind.Capture,
    [Common.statusCode]: TransactionStatus.PartiallyRefunded,
    [Transaction.gross]: 100,
    [Transaction.refunded]: 25.5,
    [Common.currencyValue]: CURRENCY_IDS.EUR,
    ...extra,
  });

  it("reads the memo's own amount and refundable = captured − refunded in the capture currency", async () => {
    const { data } = fakeData({
      [`${Tables.creditMemo}:${memoId}`]: memo,
      [`${Tables.transaction}:${captureId}`]: capture(),
    });
    const view = await createRefundService(data).load(memoId);
    expect(view).toMatchObject({
      status: 'draft',
      hasCapture: true,
      capture: { state: 'partiallyRefunded', kind: 'capture', paypalId: 'CAP-1' },
      amount: { minor: 3000, currency: 'EUR' },
      captured: { minor: 10000, currency: 'EUR' },
      refunded: { minor: 2550, currency: 'EUR' },
      refundable: { minor: 7450, currency: 'EUR' },
      approval: 'unknown',
    });
    expect(refusalOf(view)).toBeUndefined();
  });

  it('sums completed refund transactions when the capture has no refunded amount', async () => {
    const { data, queries } = fakeData(
      {
        [`${Tables.creditMemo}:${memoId}`]: { ...memo, [Common.currencyValue]: CURRENCY_IDS.JPY },
        [`${Tables.transaction}:${captureId}`]: capture({
          [Transaction.gross]: 5000,
          [Transaction.refunded]: undefined,
          [Common.currencyValue]: CURRENCY_IDS.JPY,
        }),
      },
      [{ [Transaction.gross]: 1200 }, { [Transaction.gross]: 300 }],
    );
    const view = await createRefundService(data).load(memoId);
    expect(view.refundable).toEqual({ minor: 3500, currency: 'JPY' });
    expect(queries.find((q) => q.startsWith(Tables.transaction))).toContain(
      `${Transaction.parentValue} eq ${captureId}`,
    );
  });

  it.each([
    [TransactionStatus.Declined, TransactionKind.Capture, 'captureDeclined'],
    [TransactionStatus.Pending, TransactionKind.Capture, 'capturePending'],
    [TransactionStatus.Refunded, TransactionKind.Capture, 'captureRefunded'],
    [TransactionStatus.Reversed, TransactionKind.Capture, 'captureReversed'],
    [TransactionStatus.Completed, TransactionKind.Sale, 'v1Sale'],
  ])('refuses a capture with status %s / kind %s: %s', async (status, kind, refusal) => {
    const { data } = fakeData({
      [`${Tables.creditMemo}:${memoId}`]: memo,
      [`${Tables.transaction}:${captureId}`]: capture({
        [Common.statusCode]: status,
        [Transaction.kind]: kind,
        [Transaction.refunded]: 0,
      }),
    });
    expect(refusalOf(await createRefundService(data).load(memoId))).toBe(refusal);
  });

  it('refuses a memo above the refundable amount and one without a capture', async () => {
    const above = fakeData({
      [`${Tables.creditMemo}:${memoId}`]: { ...memo, [CreditMemo.amount]: 80 },
      [`${Tables.transaction}:${captureId}`]: capture(),
    });
    expect(refusalOf(await createRefundService(above.data).load(memoId))).toBe('amountAboveRefundable');
    const unlinked = fakeData({
      [`${Tables.creditMemo}:${memoId}`]: { ...memo, [CreditMemo.captureValue]: undefined },
    });
    expect(refusalOf(await createRefundService(unlinked.data).load(memoId))).toBe('noCapture');
  });

  it('reads the open dispute and whether the amount needs approval (threshold in base currency at the capture rate)', async () => {
    const definitionId = '0d6c3b0a-0000-4000-8000-0000000000e1';
    const { data, queries } = fakeData(
      {
        [`${Tables.creditMemo}:${memoId}`]: { ...memo, [CreditMemo.amount]: 60 },
        [`${Tables.transaction}:${captureId}`]: capture({
          [Transaction.baseCurrency]: 'USD',
          [Transaction.fxRate]: 1.1,
        }),
      },
      [],
      {
        [Tables.dispute]: [
          {
            [Dispute.amount]: 100,
            [Common.currencyValue]: CURRENCY_IDS.EUR,
            [`${Dispute.reason}@OData.Community.Display.V1.FormattedValue`]: 'Item not received',
            [Dispute.due]: '2026-12-20T00:00:00Z',
          },
        ],
        environmentvariabledefinition: [{ environmentvariabledefinitionid: definitionId, defaultvalue: '100' }],
        environmentvariablevalue: [{ value: '50' }],
      },
    );
    const view = await createRefundService(data).load(memoId);
    expect(view.dispute).toEqual({
      amount: { minor: 10000, currency: 'EUR' },
      reason: 'Item not received',
      stage: undefined,
      due: new Date('2026-12-20T00:00:00Z'),
    });
    // 60 EUR × 1.1 = 66 USD > 50 USD
    expect(view).toMatchObject({ approval: 'needed', threshold: { minor: 5000, currency: 'USD' } });
    expect(queries).toContain(
      `${Tables.dispute}?$select=ppc_disputedamount,_transactioncurrencyid_value,ppc_reason,ppc_stage,ppc_sellerresponsedue&$filter=_ppc_transactionid_value eq ${captureId} and statecode eq 0`,
    );
  });

  it("reports a failed refund with PayPal's issue code, the proxy's text and the debug id", async () => {
    const { data } = fakeData({
      [`${Tables.creditMemo}:${memoId}`]: {
        ...memo,
        [Common.statusCode]: CreditMemoStatus.Failed,
        [CreditMemo.paypalError]: 'REFUND_TIME_LIMIT_EXCEEDED',
        [CreditMemo.failureReason]: 'too late',
        [CreditMemo.debugId]: 'dbg-9',
      },
      [`${Tables.transaction}:${captureId}`]: capture(),
    });
    expect(await createRefundService(data).load(memoId)).toMatchObject({
      status: 'failed',
      failureCode: 'REFUND_TIME_LIMIT_EXCEEDED',
      failureReason: 'too late',
      debugId: 'dbg-9',
    });
  });

  it('requests the refund by moving the memo to Refund requested with the reason, never touching its amount', async () => {
    const { data, updates } = fakeData({});
    await createRefundService(data).request(memoId, { reasonCode: RefundReason.Damaged, note: 'scratched' });
    expect(updates).toEqual([
      {
        table: Tables.creditMemo,
        id: memoId,
        data: {
          [CreditMemo.reasonCode]: RefundReason.Damaged,
          [CreditMemo.reasonNote]: 'scratched',
          [Common.stateCode]: State.Active,
          [Common.statusCode]: CreditMemoStatus.RefundRequested,
        },
      },
    ]);
    expect(updates[0]!.data).not.toHaveProperty(CreditMemo.amount);
  });

  it('approves by setting Approved, rejects by canceling with the comment', async () => {
    const { data, updates } = fakeData({});
    const service = createRefundService(data);
    await service.approve(memoId);
    await service.reject(memoId, 'not returned');
    expect(updates.map((u) => u.data)).toEqual([
      { [Common.stateCode]: State.Active, [Common.statusCode]: CreditMemoStatus.Approved },
      {
        [Common.stateCode]: State.Inactive,
        [Common.statusCode]: CreditMemoStatus.Canceled,
        [CreditMemo.failureReason]: 'not returned',
      },
    ]);
  });
});
