import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import type { RefundRequest, RefundService, RefundView } from '../../RefundButton/refund-service';
import { RefundButton } from '../../RefundButton/RefundButton';
import type { RefundButtonProps } from '../../RefundButton/RefundButton';
import { RefundReason } from '../../shared/names';
import { testFormatter, testTranslate } from '../mock-context';
import { rememberCurrencyPrecision } from '../../shared/money';

// what the data service reads from these currencies' transactioncurrency records
for (const [code, decimals] of [
  ['JPY', 0],
  ['KWD', 3],
] as const)
  rememberCurrencyPrecision(code, decimals);

const t = testTranslate('RefundButton');
const format = testFormatter();
const memoId = '0d6c3b0a-0000-4000-8000-0000000000f1';

function draft(currency: string, captured: number, refunded: number): RefundView {
  return {
    status: 'draft',
    hasCapture: true,
    amount: { minor: captured - refunded, currency },
    captured: { minor: captured, currency },
    refunded: { minor: refunded, currency },
    refundable: { minor: Math.max(0, captured - refunded), currency },
  };
}

/** In-memory credit memo: a request moves it to Refund requested; the next read after that completes it. */
function fakeService(initial: RefundView, outcome: Partial<RefundView> = { status: 'refunded' }) {
  let view = initial;
  let readsSinceRequest = -1;
  const requests: RefundRequest[] = [];
  const service: RefundService = {
    load: async () => {
      if (readsSinceRequest >= 0 && ++readsSinceRequest > 1) view = { ...view, ...outcome };
      return view;
    },
    request: async (_id, request) => {
      requests.push(request);
      view = { ...view, status: 'refundRequested', amount: request.amount };
      readsSinceRequest = 0;
    },
  };
  return { service, requests };
}

function renderButton(props: Partial<RefundButtonProps> & { service: RefundService }) {
  return render(
    <RefundButton
      creditMemoId={memoId}
      canRefund
      readOnly={false}
      decimalSeparator="."
      t={t}
      format={format}
      pollIntervalMs={5}
      {...props}
    />,
  );
}

describe('RefundButton', () => {
  it('shows the refundable amount and refunds it in full after confirmation, then shows progress and outcome', async () => {
    const { service, requests } = fakeService(draft('EUR', 10000, 2500));
    renderButton({ service });
    const region = await screen.findByRole('region', { name: 'PayPal refund' });
    expect(region).toHaveTextContent('Captured100.00 EUR');
    expect(region).toHaveTextContent('Already refunded25.00 EUR');
    expect(region).toHaveTextContent('Refundable75.00 EUR');
    expect(screen.getByRole('radio', { name: 'Full refund (75.00 EUR)' })).toBeChecked();

    fireEvent.click(screen.getByRole('button', { name: 'Request refund' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('Refund 75.00 EUR to the customer through PayPal.');
    expect(requests).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Refund' }));

    expect(await screen.findByText('Refund of 75.00 EUR requested, waiting for PayPal…')).toBeInTheDocument();
    expect(requests).toEqual([
      { amount: { minor: 7500, currency: 'EUR' }, reasonCode: RefundReason.ReturnedGoods, note: '' },
    ]);
    expect(await screen.findByText('Refunded 75.00 EUR.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Request refund' })).toBeNull();
  });

  it('refunds a partial amount typed by the user', async () => {
    const { service, requests } = fakeService(draft('USD', 5000, 0));
    renderButton({ service });
    fireEvent.click(await screen.findByRole('radio', { name: 'Partial refund' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Amount (USD)' }), { target: { value: '12.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Request refund' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Refund' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]!.amount).toEqual({ minor: 1250, currency: 'USD' });
  });

  it.each([
    ['JPY', 500000, '1000.5', 'JPY amounts have no decimal places.'],
    ['EUR', 10000, '10.999', 'EUR amounts have at most 2 decimal places.'],
    ['KWD', 10000, '1.0001', 'KWD amounts have at most 3 decimal places.'],
    ['EUR', 10000, '100.01', 'At most 100.00 EUR can be refunded.'],
    ['JPY', 5000, '5001', 'At most 5,000 JPY can be refunded.'],
    ['EUR', 10000, '12,3x', 'Enter a number, for example 12.50.'],
    ['EUR', 10000, '0', 'The amount must be greater than zero.'],
    ['EUR', 10000, '', 'Enter an amount.'],
  ])('rejects %s amount %s typed as "%s"', async (currency, captured, text, message) => {
    const { service, requests } = fakeService(draft(currency, captured, 0));
    renderButton({ service });
    fireEvent.click(await screen.findByRole('radio', { name: 'Partial refund' }));
    const amount = screen.getByRole('textbox', { name: `Amount (${currency})` });
    fireEvent.change(amount, { target: { value: `${text} ` } });
    fireEvent.change(amount, { target: { value: text } });
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request refund' })).toBeDisabled();
    expect(requests).toHaveLength(0);
  });

  it("accepts whole yen and the user's decimal comma", async () => {
    const yen = fakeService(draft('JPY', 500000, 0));
    const { unmount } = renderButton({ service: yen.service });
    fireEvent.click(await screen.findByRole('radio', { name: 'Partial refund' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Amount (JPY)' }), { target: { value: '1000' } });
    expect(screen.getByRole('button', { name: 'Request refund' })).toBeEnabled();
    unmount();

    const euro = fakeService(draft('EUR', 10000, 0));
    renderButton({ service: euro.service, decimalSeparator: ',' });
    fireEvent.click(await screen.findByRole('radio', { name: 'Partial refund' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Amount (EUR)' }), { target: { value: '12,34' } });
    fireEvent.click(screen.getByRole('button', { name: 'Request refund' }));
    expect(await screen.findByRole('alertdialog')).toHaveTextContent('Refund 12.34 EUR');
  });

  it('is disabled with an explanation for a user without the Refund Agent privilege', async () => {
    const { service } = fakeService(draft('EUR', 10000, 0));
    renderButton({ service, canRefund: false });
    expect(
      await screen.findByText('You cannot request refunds: this needs the Refund Agent role.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request refund' })).toBeDisabled();
    expect(screen.getByRole('radio', { name: 'Partial refund' })).toBeDisabled();
  });

  it('still explains the missing privilege when the credit memo cannot be read', async () => {
    renderButton({
      service: {
        load: async () => {
          throw new Error('missing prvReadppc_creditmemo');
        },
        request: async () => undefined,
      },
      canRefund: false,
    });
    expect(
      await screen.findByText('You cannot request refunds: this needs the Refund Agent role.'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Could not load the credit memo: missing prvReadppc_creditmemo'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request refund' })).toBeDisabled();
  });

  it('is disabled when nothing is refundable, and on a read-only form', async () => {
    const spent = fakeService(draft('EUR', 10000, 10000));
    const { unmount } = renderButton({ service: spent.service });
    expect(await screen.findByText('Nothing left to refund on this capture.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request refund' })).toBeDisabled();
    unmount();

    const locked = fakeService(draft('EUR', 10000, 0));
    renderButton({ service: locked.service, readOnly: true });
    expect(await screen.findByText('This form is read-only.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request refund' })).toBeDisabled();
  });

  it("shows PayPal's reason when the refund failed", async () => {
    const { service } = fakeService(draft('EUR', 10000, 0), {
      status: 'failed',
      failureReason: 'CAPTURE_FULLY_REFUNDED: The capture has already been fully refunded',
    });
    renderButton({ service });
    fireEvent.click(await screen.findByRole('button', { name: 'Request refund' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Refund' }));
    expect(
      await screen.findByText(
        'PayPal refused the refund: CAPTURE_FULLY_REFUNDED: The capture has already been fully refunded',
      ),
    ).toBeInTheDocument();
  });

  it('cancelling the confirmation requests nothing', async () => {
    const { service, requests } = fakeService(draft('EUR', 10000, 0));
    renderButton({ service });
    fireEvent.click(await screen.findByRole('button', { name: 'Request refund' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(requests).toHaveLength(0);
  });

  it('shows a request error and stays editable', async () => {
    const { service } = fakeService(draft('EUR', 10000, 0));
    service.request = async () => {
      throw new Error('403 PrivilegeDenied');
    };
    renderButton({ service });
    fireEvent.click(await screen.findByRole('button', { name: 'Request refund' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Refund' }));
    expect(await screen.findByText('The refund could not be requested: 403 PrivilegeDenied')).toBeInTheDocument();
    // the closing dialog keeps the page aria-hidden until its exit animation ends
    expect(await screen.findByRole('button', { name: 'Request refund' })).toBeEnabled();
  });
});
