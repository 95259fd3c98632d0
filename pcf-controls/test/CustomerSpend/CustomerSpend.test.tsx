import { describe, expect, it } from '@jest/globals';
import { render, screen, within } from '@testing-library/react';
import * as React from 'react';
import { CustomerSpend } from '../../CustomerSpend/CustomerSpend';
import type { SpendView } from '../../CustomerSpend/spend-service';
import { lastTwelveMonths } from '../../CustomerSpend/spend-service';
import { testFormatter, testTranslate } from '../mock-context';

const t = testTranslate('CustomerSpend');
const format = testFormatter();
const record = { entityName: 'account', id: '3c000000-0000-4000-8000-000000000002' };

const view: SpendView = {
  total: { minor: 123450, currency: 'USD' },
  refunded: { minor: 10000, currency: 'USD' },
  paymentCount: 1234,
  refundRatio: 0.081,
  firstPayment: new Date('2025-12-01T08:00:00Z'),
  lastPayment: new Date('2026-11-20T08:00:00Z'),
  months: lastTwelveMonths(new Date('2026-11-27T00:00:00Z')).map((month, i) => ({
    month,
    amount: { minor: i * 1000, currency: 'USD' },
  })),
};

describe('CustomerSpend', () => {
  it('shows totals, counts, dates, refund ratio and a 12-month chart readable as a list', async () => {
    render(
      <CustomerSpend service={{ load: async () => view }} record={record} baseCurrency="USD" t={t} format={format} />,
    );
    const region = await screen.findByRole('region', { name: 'PayPal spend' });
    expect(region).toHaveTextContent('Total spend1,234.50 USD');
    expect(region).toHaveTextContent('Payments1,234');
    expect(region).toHaveTextContent('First payment2025-12-01');
    expect(region).toHaveTextContent('Last payment2026-11-20');
    expect(region).toHaveTextContent('Refunded100.00 USD');
    expect(region).toHaveTextContent('Refund ratio8.1 %');
    const bars = within(screen.getByRole('list', { name: 'Spend per month, last 12 months' })).getAllByRole('listitem');
    expect(bars).toHaveLength(12);
    expect(bars[11]).toHaveAccessibleName('2026-11: 110.00 USD');
  });

  it('shows the empty state for a customer without payments', async () => {
    render(
      <CustomerSpend service={{ load: async () => null }} record={record} baseCurrency="USD" t={t} format={format} />,
    );
    expect(await screen.findByText('No PayPal payments from this customer yet.')).toBeInTheDocument();
  });

  it('shows the error state', async () => {
    render(
      <CustomerSpend
        service={{
          load: async () => {
            throw new Error('offline');
          },
        }}
        record={record}
        baseCurrency="USD"
        t={t}
        format={format}
      />,
    );
    expect(await screen.findByText('Could not load the PayPal spend: offline')).toBeInTheDocument();
  });
});
