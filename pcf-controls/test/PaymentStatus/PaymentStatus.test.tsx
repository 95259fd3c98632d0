import { describe, expect, it } from '@jest/globals';
import { render, screen, within } from '@testing-library/react';
import * as React from 'react';
import type { PaymentService, PaymentView } from '../../PaymentStatus/payment-service';
import { PaymentStatus } from '../../PaymentStatus/PaymentStatus';
import { testFormatter, testTranslate } from '../mock-context';
import { rememberCurrencyPrecision } from '../../shared/money';

// what the data service reads from these currencies' transactioncurrency records
for (const [code, decimals] of [['JPY', 0]] as const) rememberCurrencyPrecision(code, decimals);

const t = testTranslate('PaymentStatus');
const format = testFormatter();
const record = { entityName: 'salesorder', id: '6f1c2a1e-0000-4000-8000-000000000001' };

function service(load: PaymentService['load']): PaymentService {
  return { load };
}

const view: PaymentView = {
  paypalId: '8MC585209K746392H',
  status: 'partiallyRefunded',
  amounts: {
    gross: { minor: 10000, currency: 'EUR' },
    fee: { minor: 349, currency: 'EUR' },
    net: { minor: 9651, currency: 'EUR' },
  },
  base: {
    gross: { minor: 10850, currency: 'USD' },
    fee: { minor: 379, currency: 'USD' },
    net: { minor: 10471, currency: 'USD' },
  },
  timeline: [
    {
      kind: 'capture',
      amount: { minor: 10000, currency: 'EUR' },
      at: new Date('2026-11-02T10:00:00Z'),
      paypalId: 'CAP1',
    },
    {
      kind: 'refund',
      amount: { minor: 2500, currency: 'EUR' },
      at: new Date('2026-11-03T09:30:00Z'),
      paypalId: 'REF1',
    },
  ],
  dispute: { status: 'Open' },
  fraud: { score: 82, band: 'high' },
};

describe('PaymentStatus', () => {
  it('shows status, fraud band, dispute, amounts in both currencies and the timeline', async () => {
    render(<PaymentStatus service={service(async () => view)} record={record} t={t} format={format} />);
    const region = await screen.findByRole('region', { name: 'PayPal payment' });
    expect(within(region).getByLabelText('Payment status')).toHaveTextContent('Partially refunded');
    expect(within(region).getByLabelText('Fraud risk')).toHaveTextContent('High risk (82)');
    expect(within(region).getByLabelText('Dispute')).toHaveTextContent('Dispute: Open');
    const tx = screen.getByRole('region', { name: 'Transaction currency' });
    expect(tx).toHaveTextContent('Gross100.00 EUR');
    expect(tx).toHaveTextContent('Fee3.49 EUR');
    expect(tx).toHaveTextContent('Net96.51 EUR');
    expect(screen.getByRole('region', { name: 'Base currency' })).toHaveTextContent('Gross108.50 USD');
    const items = within(screen.getByRole('region', { name: 'Timeline' })).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'Captured · 100.00 EUR · 2026-11-02 10:00',
      'Refunded · 25.00 EUR · 2026-11-03 09:30',
    ]);
  });

  it('formats zero-decimal currencies without decimals', async () => {
    const jpy = {
      ...view,
      base: undefined,
      amounts: {
        gross: { minor: 5000, currency: 'JPY' },
        fee: { minor: 190, currency: 'JPY' },
        net: { minor: 4810, currency: 'JPY' },
      },
    };
    render(<PaymentStatus service={service(async () => jpy)} record={record} t={t} format={format} />);
    expect(await screen.findByRole('region', { name: 'Transaction currency' })).toHaveTextContent('Gross5,000 JPY');
    expect(screen.queryByRole('region', { name: 'Base currency' })).toBeNull();
  });

  it('shows the empty state when the record has no payment', async () => {
    render(<PaymentStatus service={service(async () => null)} record={record} t={t} format={format} />);
    expect(await screen.findByText('No PayPal payment for this record yet.')).toBeInTheDocument();
  });

  it('shows the error state with the reason', async () => {
    render(
      <PaymentStatus
        service={service(async () => {
          throw new Error('503 Service Unavailable');
        })}
        record={record}
        t={t}
        format={format}
      />,
    );
    expect(await screen.findByText('Could not load the PayPal payment: 503 Service Unavailable')).toBeInTheDocument();
  });

  it('asks to save a new record instead of loading', async () => {
    let called = false;
    render(
      <PaymentStatus
        service={service(async () => {
          called = true;
          return null;
        })}
        record={undefined}
        t={t}
        format={format}
      />,
    );
    expect(await screen.findByText('Save the record to see its PayPal payment.')).toBeInTheDocument();
    expect(called).toBe(false);
  });
});
