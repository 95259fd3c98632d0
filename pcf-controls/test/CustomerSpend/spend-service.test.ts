import { describe, expect, it } from '@jest/globals';
import { createSpendService, lastTwelveMonths, parseMonthly } from '../../CustomerSpend/spend-service';
import type { DataService, Row } from '../../shared/data-service';
import { Customer, Tables, Transaction } from '../../shared/names';

const accountId = '3c000000-0000-4000-8000-000000000001';

function fakeData(customer: Row, latest: Row[]) {
  const queries: string[] = [];
  const data: DataService = {
    retrieve: async () => customer,
    retrieveMultiple: async (table, query) => {
      queries.push(`${table}?${query}`);
      // the base currency's record: JPY has no decimals in Dataverse
      if (table === Tables.currency)
        return query.includes("'JPY'") ? [{ isocurrencycode: 'JPY', currencyprecision: 0 }] : [];
      return latest;
    },
    update: async () => undefined,
  };
  return { data, queries };
}

describe('spend service', () => {
  it('lists the 12 months ending with the current one', () => {
    expect(lastTwelveMonths(new Date('2026-02-15T00:00:00Z'))).toEqual([
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
  });

  it('parses ppc_monthlyspendjson and ignores malformed input', () => {
    expect([...parseMonthly('{"2026-01":"123.45","2026-02":7,"bad":"1","2026-03":"x"}')]).toEqual([
      ['2026-01', 123.45],
      ['2026-02', 7],
    ]);
    expect(parseMonthly('not json').size).toBe(0);
  });

  it('maps the customer columns into base-currency money and the chart', async () => {
    const { data, queries } = fakeData(
      {
        [Customer.totalSpendBase]: 1234.5,
        [Customer.totalRefundedBase]: 100,
        [Customer.paymentCount]: 7,
        [Customer.refundRatio]: 0.081,
        [Customer.firstPayment]: '2025-12-01T08:00:00Z',
        [Customer.lastPayment]: '2026-11-20T08:00:00Z',
        [Customer.monthlySpend]: '{"2026-11":"200.10","2025-12":"1034.40","2024-01":"5"}',
      },
      [{ [Transaction.baseCurrency]: 'EUR' }],
    );
    const view = await createSpendService(data, () => new Date('2026-11-27T00:00:00Z')).load(
      { entityName: Tables.account, id: accountId },
      'USD',
    );
    expect(queries[0]).toContain(`${Transaction.accountValue} eq ${accountId}`);
    expect(view).toMatchObject({
      total: { minor: 123450, currency: 'EUR' },
      refunded: { minor: 10000, currency: 'EUR' },
      paymentCount: 7,
      refundRatio: 0.081,
      firstPayment: new Date('2025-12-01T08:00:00Z'),
      lastPayment: new Date('2026-11-20T08:00:00Z'),
    });
    expect(view!.months).toHaveLength(12);
    expect(view!.months[0]).toEqual({ month: '2025-12', amount: { minor: 103440, currency: 'EUR' } });
    expect(view!.months[11]).toEqual({ month: '2026-11', amount: { minor: 20010, currency: 'EUR' } });
    expect(view!.months[5]!.amount.minor).toBe(0);
  });

  it('falls back to the configured currency when transactions may not be read', async () => {
    const { data } = fakeData({ [Customer.paymentCount]: 2, [Customer.totalSpendBase]: 10 }, []);
    data.retrieveMultiple = async () => {
      throw new Error('missing prvReadppc_paypaltransaction');
    };
    const view = await createSpendService(data).load({ entityName: Tables.account, id: accountId }, 'GBP');
    expect(view!.total).toEqual({ minor: 1000, currency: 'GBP' });
  });

  it('is empty without payments and falls back to the configured currency', async () => {
    expect(
      await createSpendService(fakeData({ [Customer.paymentCount]: 0 }, []).data).load(
        { entityName: Tables.contact, id: accountId },
        'USD',
      ),
    ).toBeNull();
    const view = await createSpendService(
      fakeData({ [Customer.paymentCount]: 1, [Customer.totalSpendBase]: 5000 }, []).data,
    ).load({ entityName: Tables.contact, id: accountId }, 'JPY');
    expect(view!.total).toEqual({ minor: 5000, currency: 'JPY' });
  });
});
