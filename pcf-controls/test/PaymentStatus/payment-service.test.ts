import { describe, expect, it } from '@jest/globals';
import { createPaymentService } from '../../PaymentStatus/payment-service';
import type { DataService, Row } from '../../shared/data-service';
import {
  Common,
  FORMATTED,
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
    expect(view).toEqual({
      paypalId: 'CAP-9',
      status: 'reversed',
      amounts: {
        gross: { minor: 5000, currency: 'JPY' },
        fee: { minor: 190, currency: 'JPY' },
        net: { minor: 4810, currency: 'JPY' },
      },
      base: {
        gross: { minor: 3333, currency: 'USD' },
        fee: { minor: 127, currency: 'USD' },
        net: { minor: 3206, currency: 'USD' },
      },
      timeline: [
        {
          kind: 'capture',
          at: new Date('2026-11-01T10:00:00Z'),
          amount: { minor: 5000, currency: 'JPY' },
          paypalId: 'CAP-9',
        },
        {
          kind: 'reversal',
          at: new Date('2026-11-05T10:00:00Z'),
          amount: { minor: 5000, currency: 'JPY' },
          paypalId: 'REV-9',
        },
      ],
      dispute: { status: 'Open', amount: { minor: 5000, currency: 'JPY' } },
      fraud: { score: 45, band: 'medium' },
    });
  });

  it('is empty when the record has no capture', async () => {
    const { data } = fakeData(() => []);
    expect(await createPaymentService(data).load({ entityName: Tables.salesOrder, id: invoiceId })).toBeNull();
  });
});
