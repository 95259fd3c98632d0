import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import type { RefundRequest, RefundService, RefundView } from '../../RefundButton/refund-service';
import { RefundButton } from '../../RefundButton/RefundButton';
import type { RefundButtonProps } from '../../RefundButton/RefundButton';
import { RefundReason } from '../../shared/names';
import { testFormatter, testTranslate } from '../mock-context';

const t = testTranslate('RefundButton');
const format = testFormatter();
const memoId = '0d6c3b0a-0000-4000-8000-0000000000f1';
const AGENT = '0d6c3b0a-0000-4000-8000-00000000a9e1';
const FINANCE = '0d6c3b0a-0000-4000-8000-00000000f1a1';

/** A draft credit memo of `amount` on a completed capture of `captured` with `refunded` already refunded. */
function draft(currency: string, amount: number, captured: number, refunded = 0): RefundView {
  return {
    status: 'draft',
    hasCapture: true,
    capture: { state: refunded > 0 ? 'partiallyRefunded' : 'completed', kind: 'capture', paypalId: 'CAP-1' },
    amount: { minor: amount, currency },
    captured: { minor: captured, currency },
    refunded: { minor: refunded, currency },
    refundable: { minor: Math.max(0, captured - refunded), currency },
    approval: 'notNeeded',
  };
}

/** In-memory credit memo: a request moves it to Refund requested; the next read after that completes it. */
function fakeService(initial: RefundView, outcome: Partial<RefundView> = { status: 'refunded' }) {
  let view = initial;
  let readsSinceRequest = -1;
  const requests: RefundRequest[] = [];
  const decisions: string[] = [];
  const service: RefundService = {
    load: async () => {
      if (readsSinceRequest >= 0 && ++readsSinceRequest > 1) view = { ...view, ...outcome };
      return view;
    },
    request: async (_id, request) => {
      requests.push(request);
      view = { ...view, status: 'refundRequested' };
      readsSinceRequest = 0;
    },
    approve: async () => {
      decisions.push('approve');
      view = { ...view, status: 'approved', approvedBy: { id: FINANCE, name: 'Finley Finance' } };
    },
    reject: async (_id, comment) => {
      decisions.push(`reject:${comment}`);
      view = { ...view, status: 'canceled', failureReason: comment };
    },
  };
  return { service, requests, decisions };
}

function renderButton(props: Partial<RefundButtonProps> & { service: RefundService }) {
  return render(
    <RefundButton
      creditMemoId={memoId}
      canRead
      canRefund
      canApprove={false}
      userId={AGENT}
      readOnly={false}
      t={t}
      format={format}
      pollIntervalMs={5}
      {...props}
    />,
  );
}

describe('RefundButton', () => {
  it("proposes the credit memo's own amount (5 USD on a 24 USD capture) and never sends an amount", async () => {
    const { service, requests } = fakeService(draft('USD', 500, 2400));
    renderButton({ service });
    const region = await screen.findByRole('region', { name: 'PayPal refund' });
    expect(region).toHaveTextContent('Credit memo amount5.00 USD');
    expect(region).toHaveTextContent('Refundable24.00 USD');
    fireEvent.click(screen.getByRole('button', { name: 'Request refund of 5.00 USD' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent("Refund 5.00 USD, the credit memo's amount, to the customer through PayPal.");
    expect(dialog).not.toHaveTextContent('24.00');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Refund' }));
    expect(await screen.findByText('Refund of 5.00 USD requested, waiting for PayPal…')).toBeInTheDocument();
    // the request carries reason and note only: the amount stays the memo's
    expect(requests).toEqual([{ reasonCode: RefundReason.ReturnedGoods, note: '' }]);
    expect(await screen.findByText('Refunded 5.00 USD.')).toBeInTheDocument();
  });

  it("refuses a memo above what is refundable and tells the user to correct the memo's amount", async () => {
    const { service, requests } = fakeService(draft('EUR', 4000, 10000, 7500));
    renderButton({ service });
    expect(
      await screen.findByText(
        "The credit memo's amount 40.00 EUR is more than can still be refunded (25.00 EUR). Correct the credit memo's amount on the form, then request the refund.",
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request refund of 40.00 EUR' })).toBeDisabled();
    expect(requests).toEqual([]);
  });

  it.each([
    ['declined', { state: 'declined' }, 'No refund possible: PayPal declined this payment, so no money was taken.'],
    ['pending', { state: 'pending' }, 'Not yet: the payment is still pending at PayPal.'],
    ['fully refunded', { state: 'refunded' }, 'No refund possible: the payment is already fully refunded.'],
    ['reversed', { state: 'reversed' }, 'No refund possible: the payment was reversed (chargeback)'],
    ['a v1 sale', { kind: 'sale' }, 'payment CAP-1 is an older PayPal sale, which the connector cannot refund.'],
  ] as const)('offers nothing on a %s capture and says why', async (_name, capture, text) => {
    const view = draft('USD', 500, 2400);
    const { service, requests } = fakeService({ ...view, capture: { ...view.capture!, ...capture } });
    renderButton({ service });
    expect(await screen.findByText(text, { exact: false })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request refund of 5.00 USD' })).toBeDisabled();
    expect(requests).toEqual([]);
  });

  it('warns about an open dispute with its amount, reason and due date', async () => {
    const { service } = fakeService({
      ...draft('USD', 500, 2400),
      dispute: {
        amount: { minor: 2400, currency: 'USD' },
        reason: 'Item not received',
        due: new Date('2026-12-20T00:00:00Z'),
      },
    });
    renderButton({ service });
    expect(
      await screen.findByText(
        'This payment has an open PayPal dispute (24.00 USD, Item not received, seller response due 2026-12-20).',
        { exact: false },
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request refund of 5.00 USD' })).toBeEnabled();
  });

  it('says in the confirmation that an amount above the threshold waits for a PayPal Finance approval', async () => {
    const { service } = fakeService({
      ...draft('USD', 60000, 80000),
      approval: 'needed',
      threshold: { minor: 50000, currency: 'USD' },
    });
    renderButton({ service });
    fireEvent.click(await screen.findByRole('button', { name: 'Request refund of 600.00 USD' }));
    expect(await screen.findByRole('alertdialog')).toHaveTextContent(
      'This amount is above the refund approval threshold (500.00 USD): the refund waits until a PayPal Finance user other than you approves it',
    );
  });

  it('shows Approve and Reject to a PayPal Finance user who is not the requester; Reject needs a comment', async () => {
    const pending: RefundView = {
      ...draft('USD', 60000, 80000),
      status: 'pendingApproval',
      requestedBy: { id: AGENT, name: 'Riley Refunds' },
    };
    const { service, decisions } = fakeService(pending);
    renderButton({ service, canApprove: true, userId: FINANCE });
    expect(
      await screen.findByText('Waiting for approval: the refund of 600.00 USD is above the approval threshold', {
        exact: false,
      }),
    ).toHaveTextContent('Requested by Riley Refunds');
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    expect(await screen.findByText('Enter a comment to reject the refund.')).toBeInTheDocument();
    expect(decisions).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('PayPal refunds 600.00 USD to the customer next.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(decisions).toEqual(['approve']));
    expect(await screen.findByText('Approved by Finley Finance: waiting for PayPal…')).toBeTruthy();
  });

  it('rejects with the comment', async () => {
    const { service, decisions } = fakeService({
      ...draft('USD', 60000, 80000),
      status: 'pendingApproval',
      requestedBy: { id: AGENT, name: 'Riley Refunds' },
    });
    renderButton({ service, canApprove: true, userId: FINANCE });
    fireEvent.change(await screen.findByRole('textbox', { name: 'Comment (required to reject)' }), {
      target: { value: 'goods not returned yet' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(decisions).toEqual(['reject:goods not returned yet']));
    expect(await screen.findByText('The refund was rejected or canceled: goods not returned yet')).toBeInTheDocument();
  });

  it('offers no approval to the requester, nor to a user without PayPal Finance', async () => {
    const pending: RefundView = {
      ...draft('USD', 60000, 80000),
      status: 'pendingApproval',
      requestedBy: { id: FINANCE, name: 'Dana Dualrole' },
    };
    const own = renderButton({ service: fakeService(pending).service, canApprove: true, userId: FINANCE });
    expect(
      await screen.findByText('You requested this refund: another PayPal Finance user must approve it.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    own.unmount();

    renderButton({ service: fakeService(pending).service, canApprove: false, userId: AGENT });
    await screen.findByText('Waiting for approval', { exact: false });
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
  });

  it.each([
    [
      'REFUND_NOT_ALLOWED',
      'PayPal refused: this payment cannot be refunded (for example, it was declined). Cancel this credit memo. (PayPal reference dbg-1)',
    ],
    [
      'INVALID_RESOURCE_ID',
      'PayPal does not know this payment. Check that the credit memo is linked to the right PayPal payment, or ask PayPal Finance. (PayPal reference dbg-1)',
    ],
    [
      'SOMETHING_NEW',
      'PayPal refused the refund (SOMETHING_NEW). Ask PayPal Finance to look at the payment in PayPal and give them the reference below. (PayPal reference dbg-1)',
    ],
  ])("explains PayPal's refusal %s in words with the next step, never the raw error", async (code, text) => {
    const { service } = fakeService({
      ...draft('USD', 500, 2400),
      status: 'failed',
      failureCode: code,
      failureReason: `${code}: PayPal POST /v2/payments/captures/CAP-1/refund answered 422`,
      debugId: 'dbg-1',
    });
    renderButton({ service });
    expect(await screen.findByText(text)).toBeInTheDocument();
    expect(screen.queryByText(/answered 422/)).toBeNull();
  });

  it('shows nothing of the memo to a user who may not read it, and names the role to ask for', async () => {
    const { service } = fakeService(draft('USD', 500, 2400));
    renderButton({ service, canRead: false, canRefund: false });
    expect(
      await screen.findByText('You cannot see credit memos: ask your administrator for the PayPal Viewer role.'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/5\.00/)).toBeNull();
  });

  it('names the Refund Agent role to a user who may read but not request', async () => {
    const { service } = fakeService(draft('USD', 500, 2400));
    renderButton({ service, canRefund: false });
    expect(
      await screen.findByText('You cannot create credit memos: ask your administrator for the Refund Agent role.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request refund of 5.00 USD' })).toBeDisabled();
  });

  it('turns a privilege error from Dataverse into the sentence with the role', async () => {
    renderButton({
      service: {
        ...fakeService(draft('USD', 500, 2400)).service,
        load: async () => {
          throw Object.assign(
            new Error(
              'Principal user (Id=5f0c7a6e-0000-4000-8000-000000000003, type=8) is missing prvReadppc_paypaltransaction privilege on OTC=10009.',
            ),
            { code: '0x80040220' },
          );
        },
      },
    });
    expect(
      await screen.findByText('You cannot see PayPal payments: ask your administrator for the PayPal Viewer role.'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Principal user/)).toBeNull();
  });

  it('cancelling the confirmation requests nothing; a read-only form disables the request', async () => {
    const { service, requests } = fakeService(draft('EUR', 1000, 10000));
    const first = renderButton({ service });
    fireEvent.click(await screen.findByRole('button', { name: 'Request refund of 10.00 EUR' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(requests).toHaveLength(0);
    first.unmount();

    renderButton({ service: fakeService(draft('EUR', 1000, 10000)).service, readOnly: true });
    expect(await screen.findByText('This form is read-only.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Request refund of 10.00 EUR' })).toBeDisabled();
  });
});
