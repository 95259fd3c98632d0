import { describe, expect, it } from '@jest/globals';
import { createPaymentService } from '../../PaymentStatus/payment-service';
import type { DataService, Row } from '../../shared/data-service';
import {
  Common,
  CreditMemo,
  FORMATTED,
  FraudAlertStatus,
  RiskBand,
  Tables,
  Transaction,
  TransactionKind,
  TransactionStatus,
} from '../../shared/names';
import { CURRENCY_IDS, currencyRecord } from '../mock-context';

const invoiceId = '6f1c2a1e-0000-4000-8000-000000000010';
const captureId = '6f1c2a1e-0000-4000-8000-0000000000c9';

function fakeData(byQuery: (table: string, query: string) => Row[]) {
  const queries: string[] = [];
  const data: DataService = {
    retrieve: async (_table, id) => currencyRecord(id),
    retrieveMultiple: async (table, query) => {
      queries.push(`${table}?${query}`);
      return byQuery(table, query);
    },
    update: async () => undefined,
  };
  return { data, queries };
}

const capture: Row = {
  [Transaction.id]: captureId,
  [Transaction.paypalId]: 'CAP-9',
  [Transaction.kind]: TransactionKind.Capture,
  [Common.statusCode]: TransactionStatus.Reversed,
  [Common.currencyValue]: CURRENCY_IDS.JPY,
  [Transaction.gross]: 5000,
  [Transaction.fee]: 190,
  [Transaction.net]: 4810,
  [Transaction.baseCurrency]: 'USD',
  [Transaction.grossBase]: 33.33,
  [Transaction.feeBase]: 1.27,
  [Transaction.netBase]: 32.06,
  [Transaction.date]: '2026-11-01T10:00:00Z',
  [Transaction.fraudScore]: 45,
  [Transaction.riskBand]: RiskBand.Medium,
};

describe('payment service', () => {
  it('reads the capture of an invoice with base amounts, children as timeline, dispute and fraud band', async () => {
    const { data, queries } = fakeData((table, query) => {
      if (table === Tables.dispute)
        return [
          {
            [Common.statusCode]: 1,
            [`${Common.statusCode}${FORMATTED}`]: 'Open',
            ppc_disputedamount: 5000,
            [Common.currencyValue]: CURRENCY_IDS.JPY,
          },
        ];
      if (query.includes(Transaction.invoiceValue)) return [capture];
      return [
        {
          [Transaction.kind]: TransactionKind.Reversal,
          [Common.currencyValue]: CURRENCY_IDS.JPY,
          [Transaction.gross]: 5000,
          [Transaction.paypalId]: 'REV-9',
          [Transaction.date]: '2026-11-05T10:00:00Z',
        },
      ];
    });
    const view = await createPaymentService(data).load({ entityName: Tables.invoice, id: invoiceId });
    expect(queries[0]).toContain(
      `${Transaction.invoiceValue} eq ${invoiceId} and (${Transaction.kind} eq ${TransactionKind.Capture} or ${Transaction.kind} eq ${TransactionKind.Sale})`,
    );
    expect(queries[1]).toContain(`${Transaction.parentValue} eq ${captureId}`);
    expect(view).toMatchObject({
      paypalId: 'CAP-9',
      status: 'reversed',
      settled: true,
      // the reversal took the gross back; PayPal kept its fee: the merchant is left with −190
      amounts: {
        gross: { minor: 5000, currency: 'JPY' },
        reversed: { minor: 5000, currency: 'JPY' },
        fee: { minor: 190, currency: 'JPY' },
        net: { minor: -190, currency: 'JPY' },
      },
      timeline: [
        { kind: 'capture', amount: { minor: 5000, currency: 'JPY' }, paypalId: 'CAP-9' },
        { kind: 'reversal', amount: { minor: 5000, currency: 'JPY' }, paypalId: 'REV-9' },
      ],
      dispute: { status: 'open', amount: { minor: 5000, currency: 'JPY' } },
      fraud: { score: 45, band: 'medium', reasons: [] },
    });
  });

  it('moves fee and net with each completed refund, joins the credit memo (who, why) and reflects a fraud review', async () => {
    const { data } = fakeData((table, query) => {
      if (table === Tables.creditMemo)
        return [
          {
            [CreditMemo.paypalRefundId]: 'REF-1',
            [`${CreditMemo.requestedByValue}${FORMATTED}`]: 'Riley Refunds',
            [`${CreditMemo.reasonCode}${FORMATTED}`]: 'Damaged',
            [CreditMemo.reasonNote]: 'scratched',
          },
        ];
      if (table === Tables.fraudAlert) return [{ [Common.statusCode]: FraudAlertStatus.MarkedSafe }];
      if (table === Tables.dispute) return [];
      if (query.includes(Transaction.salesOrderValue))
        return [
          {
            ...capture,
            [Common.statusCode]: TransactionStatus.PartiallyRefunded,
            [Common.currencyValue]: CURRENCY_IDS.EUR,
            [Transaction.gross]: 100,
            [Transaction.fee]: 3.49,
            [Transaction.net]: 96.51,
            [Transaction.baseCurrency]: 'EUR',
            [Transaction.payerEmail]: 'buyer@example.com',
          },
        ];
      return [
        {
          [Transaction.kind]: TransactionKind.Refund,
          [Common.statusCode]: TransactionStatus.Completed,
          [Common.currencyValue]: CURRENCY_IDS.EUR,
          [Transaction.gross]: 25,
          [Transaction.fee]: 0.87,
          [Transaction.net]: 24.13,
          [Transaction.paypalId]: 'REF-1',
          [Transaction.date]: '2026-11-05T10:00:00Z',
        },
        {
          [Transaction.kind]: TransactionKind.Refund,
          [Common.statusCode]: TransactionStatus.Pending,
          [Common.currencyValue]: CURRENCY_IDS.EUR,
          [Transaction.gross]: 10,
          [Transaction.paypalId]: 'REF-2',
        },
      ];
    });
    const view = await createPaymentService(data).load({ entityName: Tables.salesOrder, id: invoiceId });
    expect(view).toMatchObject({
      status: 'partiallyRefunded',
      base: undefined,
      payer: { email: 'buyer@example.com' },
      amounts: {
        gross: { minor: 10000, currency: 'EUR' },
        refunded: { minor: 2500, currency: 'EUR' },
        fee: { minor: 262, currency: 'EUR' },
        net: { minor: 7238, currency: 'EUR' },
      },
      refunds: [
        {
          paypalId: 'REF-1',
          amount: { minor: 2500, currency: 'EUR' },
          pending: false,
          by: 'Riley Refunds',
          reason: 'Damaged',
          note: 'scratched',
        },
        { paypalId: 'REF-2', amount: { minor: 1000, currency: 'EUR' }, pending: true, by: undefined },
      ],
      fraud: { score: 45, review: 'markedSafe' },
    });
  });

  it("treats a declined payment as unsettled and keeps PayPal's reason", async () => {
    const { data } = fakeData((table, query) =>
      query.includes(Transaction.salesOrderValue)
        ? [
            {
              ...capture,
              [Common.statusCode]: TransactionStatus.Declined,
              [Transaction.statusDetails]: 'INSTRUMENT_DECLINED',
            },
          ]
        : [],
    );
    expect(await createPaymentService(data).load({ entityName: Tables.salesOrder, id: invoiceId })).toMatchObject({
      status: 'declined',
      settled: false,
      statusReason: 'INSTRUMENT_DECLINED',
    });
  });

  it('is empty when the record has no capture', async () => {
    const { data } = fakeData(() => []);
    expect(await createPaymentService(data).load({ entityName: Tables.salesOrder, id: invoiceId })).toBeNull();
  });
});
