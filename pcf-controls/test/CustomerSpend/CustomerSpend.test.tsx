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
  gross: { minor: 133450, currency: 'USD' },
  total: { minor: 123450, currency: 'USD' },
  refunded: { minor: 10000, currency: 'USD' },
  refundCount: 2,
  reversed: { minor: 5000, currency: 'USD' },
  reversalCount: 1,
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
  it("shows gross and net, refunds, reversals, counts, dates, the ratio in the user's percent pattern and 12 months with year and visible values", async () => {
    render(
      <CustomerSpend service={{ load: async () => view }} record={record} baseCurrency="USD" t={t} format={format} />,
    );
    const region = await screen.findByRole('region', { name: 'PayPal spend' });
    expect(region).toHaveTextContent('Paid (gross)1,334.50 USD');
    expect(region).toHaveTextContent('Net spend (after refunds)1,234.50 USD');
    expect(region).toHaveTextContent('Reversals and chargebacks50.00 USD (1)');
    expect(region).toHaveTextContent('Payments1,234');
    expect(region).toHaveTextContent('First payment2025-12-01');
    expect(region).toHaveTextContent('Last payment2026-11-20');
    expect(region).toHaveTextContent('Refunded100.00 USD (2)');
    // en-US percent pattern 1 ("n%"), as the mock's numberFormattingInfo leaves it
    expect(region).toHaveTextContent('Refund ratio8.1%');
    const bars = within(screen.getByRole('list', { name: 'Spend per month, last 12 months' })).getAllByRole('listitem');
    expect(bars).toHaveLength(12);
    // month with its year (formatDateYearMonth) and the amount as visible text, not a tooltip
    expect(bars[11]).toHaveTextContent('2026-11110.00 USD');
    expect(bars[0]).toHaveTextContent('2025-120.00 USD');
    expect(bars[11]).not.toHaveAttribute('title');
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
