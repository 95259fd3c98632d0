import { describe, expect, it } from '@jest/globals';
import { render, screen, within } from '@testing-library/react';
import * as React from 'react';
import type { PaymentService, PaymentView } from '../../PaymentStatus/payment-service';
import { PaymentStatus } from '../../PaymentStatus/PaymentStatus';
import { createTranslate } from '../../shared/strings';
import { loadResx, testFormatter, testTranslate } from '../mock-context';
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
  settled: true,
  refunds: [],
  dispute: { status: 'open' },
  fraud: { score: 82, band: 'high', reasons: [] },
};

function show(v: PaymentView | null, extra: Partial<React.ComponentProps<typeof PaymentStatus>> = {}) {
  return render(
    <PaymentStatus
      service={service(async () => v)}
      record={record}
      environment="live"
      t={t}
      format={format}
      {...extra}
    />,
  );
}

describe('PaymentStatus', () => {
  it('shows status, fraud band, dispute, amounts in both currencies and the timeline', async () => {
    render(
      <PaymentStatus service={service(async () => view)} record={record} environment="live" t={t} format={format} />,
    );
    const region = await screen.findByRole('region', { name: 'PayPal payment' });
    expect(within(region).getByLabelText('Payment status')).toHaveTextContent('Partially refunded');
    expect(within(region).getByLabelText('Fraud risk')).toHaveTextContent('High risk (82)');
    expect(within(region).getByLabelText('Dispute')).toHaveTextContent('Dispute: open');
    const tx = screen.getByRole('region', { name: 'Transaction currency' });
    expect(tx).toHaveTextContent('Gross100.00 EUR');
    expect(tx).toHaveTextContent('Fee3.49 EUR');
    expect(tx).toHaveTextContent('Net kept96.51 EUR');
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
    render(
      <PaymentStatus service={service(async () => jpy)} record={record} environment="live" t={t} format={format} />,
    );
    expect(await screen.findByRole('region', { name: 'Transaction currency' })).toHaveTextContent('Gross5,000 JPY');
    expect(screen.queryByRole('region', { name: 'Base currency' })).toBeNull();
  });

  it('shows the empty state when the record has no payment', async () => {
    render(
      <PaymentStatus service={service(async () => null)} record={record} environment="live" t={t} format={format} />,
    );
    expect(await screen.findByText('No PayPal payment for this record yet.')).toBeInTheDocument();
  });

  it('shows the error state with the reason', async () => {
    render(
      <PaymentStatus
        service={service(async () => {
          throw new Error('503 Service Unavailable');
        })}
        record={record}
        environment="live"
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
        environment="live"
        t={t}
        format={format}
      />,
    );
    expect(await screen.findByText('Save the record to see its PayPal payment.')).toBeInTheDocument();
    expect(called).toBe(false);
  });

  it('shows a declined payment as Declined with the reason, and no fee or net', async () => {
    show({ ...view, status: 'declined', settled: false, statusReason: 'INSTRUMENT_DECLINED', base: undefined });
    const region = await screen.findByRole('region', { name: 'PayPal payment' });
    expect(within(region).getByLabelText('Payment status')).toHaveTextContent('Declined');
    expect(region).toHaveTextContent(
      'PayPal declined the payment (the card or account was declined): no money was taken.',
    );
    const tx = screen.getByRole('region', { name: 'Transaction currency' });
    expect(tx).toHaveTextContent('Net keptno money moved: no fee, nothing to keep');
    expect(tx).not.toHaveTextContent('Fee');
  });

  it("shows a pending payment with PayPal's pending reason", async () => {
    show({ ...view, status: 'pending', settled: false, statusReason: 'PENDING_REVIEW' });
    expect(
      await screen.findByText(
        'PayPal has not released the money yet: PayPal is reviewing the payment. Do not ship before the payment is completed.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Payment status')).toHaveTextContent('Pending');
  });

  it('shows a full refund as Refunded with fee and net after the refund, never "Reversed · 0.00"', async () => {
    show({
      ...view,
      status: 'refunded',
      base: undefined,
      amounts: {
        gross: { minor: 10000, currency: 'EUR' },
        refunded: { minor: 10000, currency: 'EUR' },
        fee: { minor: 349, currency: 'EUR' },
        net: { minor: -349, currency: 'EUR' },
      },
      timeline: [
        { kind: 'capture', amount: { minor: 10000, currency: 'EUR' } },
        { kind: 'refund', amount: { minor: 10000, currency: 'EUR' }, paypalId: 'REF-1' },
      ],
      refunds: [
        {
          paypalId: 'REF-1',
          amount: { minor: 10000, currency: 'EUR' },
          at: new Date('2026-11-03T09:30:00Z'),
          pending: false,
          by: 'Riley Refunds',
          reason: 'Damaged',
          note: 'scratched',
        },
      ],
    });
    const tx = await screen.findByRole('region', { name: 'Transaction currency' });
    expect(tx).toHaveTextContent('Refunded100.00 EUR');
    expect(tx).toHaveTextContent('Net kept-3.49 EUR');
    expect(screen.getByLabelText('Payment status')).toHaveTextContent('Refunded');
    expect(screen.queryByText(/Reversed/)).toBeNull();
    expect(within(screen.getByRole('region', { name: 'Refunds' })).getByRole('listitem')).toHaveTextContent(
      '100.00 EUR · 2026-11-03 09:30 · REF-1 · by Riley Refunds · Damaged: scratched',
    );
  });

  it('shows the dispute with amount, reason, stage and due date, in German too', async () => {
    const disputed: PaymentView = {
      ...view,
      dispute: {
        status: 'waitingForSeller',
        amount: { minor: 2500, currency: 'EUR' },
        reason: 'Item not received',
        stage: 'Inquiry',
        due: new Date('2026-12-20T00:00:00Z'),
      },
    };
    const en = show(disputed);
    expect(await screen.findByLabelText('Dispute')).toHaveTextContent('Dispute: waiting for our response 25.00 EUR');
    const section = screen.getByRole('region', { name: 'Dispute details' });
    expect(section).toHaveTextContent('Disputed amount25.00 EUR');
    expect(section).toHaveTextContent('ReasonItem not received');
    expect(section).toHaveTextContent('StageInquiry');
    expect(section).toHaveTextContent('Respond by2026-12-20');
    en.unmount();
    const de = loadResx('PaymentStatus', 1031);
    show(disputed, { t: createTranslate({ getString: (k: string) => de[k] ?? '' } as ComponentFramework.Resources) });
    expect(await screen.findByText('Konflikt: wartet auf unsere Antwort 25.00 EUR')).toBeInTheDocument();
    expect(screen.queryByText(/Open/)).toBeNull();
  });

  it('shows the review outcome instead of the band after Mark safe', async () => {
    show({ ...view, fraud: { score: 82, band: 'high', reasons: [], review: 'markedSafe' } });
    expect(await screen.findByLabelText('Fraud risk')).toHaveTextContent('Reviewed: safe (82)');
  });

  it('links to the payment in PayPal, sandbox or live, and shows the payer', async () => {
    const live = show({ ...view, payer: { email: 'buyer@example.com', id: 'PAYER1' } });
    expect(await screen.findByRole('link', { name: 'Open 8MC585209K746392H in PayPal' })).toHaveAttribute(
      'href',
      'https://www.paypal.com/activity/payment/8MC585209K746392H',
    );
    expect(screen.getByText('buyer@example.com · PAYER1')).toBeInTheDocument();
    live.unmount();
    show(view, { environment: 'sandbox' });
    expect(await screen.findByRole('link', { name: 'Open 8MC585209K746392H in PayPal' })).toHaveAttribute(
      'href',
      'https://www.sandbox.paypal.com/activity/payment/8MC585209K746392H',
    );
  });

  it('shows only the role to ask for to a user who may not read PayPal payments', async () => {
    let called = false;
    render(
      <PaymentStatus
        service={service(async () => {
          called = true;
          return view;
        })}
        record={record}
        accessProblem="You cannot see PayPal payments: ask your administrator for the PayPal Viewer role."
        environment="live"
        t={t}
        format={format}
      />,
    );
    expect(
      await screen.findByText('You cannot see PayPal payments: ask your administrator for the PayPal Viewer role.'),
    ).toBeInTheDocument();
    expect(called).toBe(false);
  });
});
