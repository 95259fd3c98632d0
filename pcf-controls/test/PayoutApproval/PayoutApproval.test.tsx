import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import type { Decision, PayoutService, PayoutView } from '../../PayoutApproval/payout-service';
import type { PayoutApprovalProps } from '../../PayoutApproval/PayoutApproval';
import { PayoutApproval } from '../../PayoutApproval/PayoutApproval';
import { testFormatter, testTranslate } from '../mock-context';
import { rememberCurrencyPrecision } from '../../shared/money';

// what the data service reads from these currencies' transactioncurrency records
for (const [code, decimals] of [['JPY', 0]] as const) rememberCurrencyPrecision(code, decimals);

const t = testTranslate('PayoutApproval');
const format = testFormatter();
const creator = 'aaaaaaaa-0000-4000-8000-000000000001';
const approver = 'aaaaaaaa-0000-4000-8000-000000000002';

function fakeService(initial: Partial<PayoutView> = {}) {
  let view: PayoutView = {
    status: 'pendingApproval',
    createdBy: creator,
    itemCount: 3,
    items: [
      { receiver: 'a@example.com', amount: { minor: 100000, currency: 'EUR' }, status: 'New' },
      { receiver: 'a@example.com', amount: { minor: 50000, currency: 'EUR' }, status: 'New' },
      {
        receiver: 'b@example.com',
        amount: { minor: 12000, currency: 'JPY' },
        status: 'Failed',
        failure: 'RECEIVER_UNREGISTERED: no PayPal account',
      },
    ],
    invalidCount: 0,
    totals: [
      { minor: 150000, currency: 'EUR' },
      { minor: 12000, currency: 'JPY' },
    ],
    warnings: [
      { kind: 'duplicateReceiver', receiver: 'a@example.com', count: 2 },
      { kind: 'overLimit', receiver: 'big@example.com', amount: { minor: 2500000, currency: 'USD' } },
    ],
    connectorWarnings: [],
    ...initial,
  };
  const decisions: [Decision, string][] = [];
  const acknowledged: (readonly string[] | undefined)[] = [];
  const service: PayoutService = {
    load: async () => view,
    decide: async (_id, decision, comment, ack) => {
      decisions.push([decision, comment]);
      acknowledged.push(ack);
      view = {
        ...view,
        status: decision === 'approve' ? 'approved' : 'rejected',
        comment,
        approvedBy: decision === 'approve' ? 'Parker Payouts' : undefined,
      };
    },
  };
  return { service, decisions, acknowledged };
}

function renderApproval(props: Partial<PayoutApprovalProps> & { service: PayoutService }) {
  return render(
    <PayoutApproval
      batchId="5a1d0000-0000-4000-8000-0000000000b1"
      userId={approver}
      canApprove
      readOnly={false}
      itemLimit={20000}
      t={t}
      format={format}
      {...props}
    />,
  );
}

describe('PayoutApproval', () => {
  it('shows totals per currency, item count and warnings', async () => {
    renderApproval(fakeService());
    const region = await screen.findByRole('region', { name: 'Payout approval' });
    expect(region).toHaveTextContent('Items3');
    expect(region).toHaveTextContent('Total EUR1,500.00 EUR');
    expect(region).toHaveTextContent('Total JPY12,000 JPY');
    const warnings = within(await screen.findByRole('list', { name: 'Warnings' })).getAllByRole('listitem');
    expect(warnings.map((w) => w.textContent)).toEqual([
      'Receiver a@example.com appears 2 times.',
      'big@example.com gets 25,000.00 USD, above the item limit.',
    ]);
    expect(screen.getByLabelText('Batch status')).toHaveTextContent('Pending approval');
    const items = within(screen.getByRole('region', { name: 'Items' })).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      'a@example.com · 1,000.00 EUR · New',
      'a@example.com · 500.00 EUR · New',
      'b@example.com · 12,000 JPY · Failed · failed: RECEIVER_UNREGISTERED: no PayPal account',
    ]);
  });

  it('asks before approving despite warnings and names each warning; Cancel approves nothing', async () => {
    const { service, decisions } = fakeService();
    renderApproval({ service });
    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(
      within(dialog)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Receiver a@example.com appears 2 times.', 'big@example.com gets 25,000.00 USD, above the item limit.']);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(decisions).toEqual([]);
  });

  it.each([
    [{ itemCount: 0, items: [], totals: [], warnings: [] }, 'This batch has no items: there is nothing to approve.'],
    [{ invalidCount: 1 }, '1 item(s) have no receiver or no amount: correct the batch before it can be approved.'],
  ])('refuses to approve an empty or invalid batch', async (initial, text) => {
    const { service, decisions } = fakeService(initial);
    renderApproval({ service });
    expect(await screen.findByText(text)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeDisabled();
    expect(decisions).toEqual([]);
  });

  it('lets another Payout Approver approve with a comment', async () => {
    const { service, decisions } = fakeService();
    renderApproval({ service });
    fireEvent.change(await screen.findByRole('textbox', { name: 'Approval comment' }), {
      target: { value: 'checked' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Approve anyway' }));
    expect(await screen.findByText('Approved')).toBeInTheDocument();
    expect(decisions).toEqual([['approve', 'checked']]);
    expect(screen.getByRole('region', { name: 'Payout approval' })).toHaveTextContent('Approved byParker Payouts');
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it("shows the connector's warnings and acknowledges each of them with the approval", async () => {
    const { service, decisions, acknowledged } = fakeService({
      warnings: [],
      connectorWarnings: [{ code: 'EXCLUDED:2', text: '2 bill(s) are excluded and will not be paid' }],
    });
    renderApproval({ service });
    const warnings = within(await screen.findByRole('list', { name: 'Warnings' })).getAllByRole('listitem');
    expect(warnings.map((w) => w.textContent)).toEqual(['2 bill(s) are excluded and will not be paid']);
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(
      within(dialog)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['2 bill(s) are excluded and will not be paid']);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve anyway' }));
    await waitFor(() => expect(decisions).toEqual([['approve', '']]));
    expect(acknowledged).toEqual([['EXCLUDED:2']]);
  });

  it('requires a comment to reject', async () => {
    const { service, decisions } = fakeService();
    renderApproval({ service });
    fireEvent.click(await screen.findByRole('button', { name: 'Reject' }));
    expect(await screen.findByText('Enter a comment to reject the batch.')).toBeInTheDocument();
    expect(decisions).toEqual([]);
    fireEvent.change(screen.getByRole('textbox', { name: 'Approval comment' }), {
      target: { value: 'duplicate receiver' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(decisions).toEqual([['reject', 'duplicate receiver']]));
  });

  it('refuses approval by the batch creator', async () => {
    const { service } = fakeService();
    renderApproval({ service, userId: creator });
    expect(
      await screen.findByText('You created this batch: another Payout Approver must approve it.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Reject' })).toBeDisabled();
  });

  it('is disabled for users who are not Payout Approvers', async () => {
    renderApproval({ ...fakeService(), canApprove: false });
    expect(await screen.findByText('Only Payout Approvers can approve or reject payout batches.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeDisabled();
  });

  it('offers no decision once the batch left Pending approval', async () => {
    renderApproval(fakeService({ status: 'approved', comment: 'fine' }));
    expect(await screen.findByText('fine')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });

  it('shows the load error', async () => {
    renderApproval({
      service: {
        load: async () => {
          throw new Error('boom');
        },
        decide: async () => undefined,
      },
    });
    expect(await screen.findByText('Could not load the payout batch: boom')).toBeInTheDocument();
  });
});
