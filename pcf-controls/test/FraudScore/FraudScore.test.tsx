import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import * as React from 'react';
import type { FraudService, FraudView, Verdict } from '../../FraudScore/fraud-service';
import { FraudScore } from '../../FraudScore/FraudScore';
import type { FraudScoreProps } from '../../FraudScore/FraudScore';
import { testFormatter, testTranslate } from '../mock-context';

const t = testTranslate('FraudScore');
const record = { entityName: 'ppc_paypaltransaction', id: '7e000000-0000-4000-8000-000000000001' };

function fakeService(initial: FraudView | null) {
  let view = initial;
  const reviews: [string, Verdict, string][] = [];
  const service: FraudService = {
    load: async () => view,
    review: async (id, verdict, notes) => {
      reviews.push([id, verdict, notes]);
      if (view?.alert)
        view = {
          ...view,
          alert: {
            ...view.alert,
            state: verdict === 'safe' ? 'markedSafe' : 'confirmedFraud',
            reviewedBy: 'Finley Finance',
            reviewedOn: new Date('2026-12-07T08:00:00Z'),
            notes: notes || undefined,
          },
        };
    },
  };
  return { service, reviews };
}

const high: FraudView = {
  score: 82,
  band: 'high',
  reasons: ['COUNTRY_MISMATCH', 'First purchase above 500 USD'],
  alert: { id: 'alert-1', state: 'new' },
};

function renderScore(props: Partial<FraudScoreProps> & { service: FraudService }) {
  return render(<FraudScore record={record} readOnly={false} t={t} format={testFormatter()} {...props} />);
}

describe('FraudScore', () => {
  it('shows the score as a meter with its band and the reasons', async () => {
    renderScore(fakeService(high));
    const meter = await screen.findByRole('meter', { name: 'Fraud score' });
    expect(meter).toHaveAttribute('aria-valuenow', '82');
    expect(meter).toHaveAttribute('aria-valuetext', 'High risk (82)');
    expect(screen.getByLabelText('Risk band')).toHaveTextContent('High risk (82)');
    const reasons = within(screen.getByRole('region', { name: 'Reasons' })).getAllByRole('listitem');
    // a reason code reads from the resx; a text the proxy stored is shown as it is
    expect(reasons.map((r) => r.textContent)).toEqual([
      'Payer, shipping and currency countries do not match',
      'First purchase above 500 USD',
    ]);
  });

  it('asks before confirming fraud (not the primary button), then shows outcome, reviewer, notes and time', async () => {
    const { service, reviews } = fakeService(high);
    renderScore({ service });
    fireEvent.change(await screen.findByRole('textbox', { name: 'Review notes' }), {
      target: { value: 'card reported stolen' },
    });
    const confirm = screen.getByRole('button', { name: 'Confirm fraud' });
    expect(confirm.className).not.toMatch(/ms-Button--primary/);
    fireEvent.click(confirm);
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('The alert closes as confirmed fraud. Do not ship');
    expect(reviews).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(reviews).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm fraud' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Confirm fraud' }));
    expect(await screen.findByLabelText('Review outcome')).toHaveTextContent('Confirmed fraud');
    expect(reviews).toEqual([['alert-1', 'fraud', 'card reported stolen']]);
    const region = screen.getByRole('region', { name: 'Fraud score' });
    expect(region).toHaveTextContent('Reviewed byFinley Finance');
    expect(region).toHaveTextContent('Reviewed on2026-12-07 08:00');
    expect(region).toHaveTextContent('Review notescard reported stolen');
    expect(screen.queryByRole('button', { name: 'Mark safe' })).toBeNull();
  });

  it('lets a reviewer mark the payment safe', async () => {
    const { service, reviews } = fakeService(high);
    renderScore({ service });
    fireEvent.click(await screen.findByRole('button', { name: 'Mark safe' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Mark safe' }));
    await waitFor(() => expect(reviews).toEqual([['alert-1', 'safe', '']]));
    expect(await screen.findByLabelText('Review outcome')).toHaveTextContent('Marked safe');
  });

  it('disables review for users who may not review, with the reason', async () => {
    renderScore({
      ...fakeService(high),
      reviewProblem: 'You cannot change payment alerts: ask your administrator for the PayPal Finance role.',
    });
    expect(
      await screen.findByText('You cannot change payment alerts: ask your administrator for the PayPal Finance role.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Mark safe' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Confirm fraud' })).toBeDisabled();
  });

  it('offers no review without an open alert, and shows the low band', async () => {
    renderScore(fakeService({ score: 12, band: 'low', reasons: [] }));
    expect(await screen.findByRole('meter', { name: 'Fraud score' })).toHaveAttribute(
      'aria-valuetext',
      'Low risk (12)',
    );
    expect(screen.getByText('No risk signals.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Mark safe' })).toBeNull();
  });

  it('shows the empty and error states', async () => {
    const { unmount } = renderScore(fakeService(null));
    expect(await screen.findByText('This payment has not been scored yet.')).toBeInTheDocument();
    unmount();
    renderScore({
      service: {
        load: async () => {
          throw new Error('timeout');
        },
        review: async () => undefined,
      },
    });
    expect(await screen.findByText('Could not load the fraud score: timeout')).toBeInTheDocument();
  });
});
