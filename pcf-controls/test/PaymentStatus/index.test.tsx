import { describe, expect, it } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import type { IInputs } from '../../PaymentStatus/generated/ManifestTypes';
import { PaymentStatus } from '../../PaymentStatus/index';
import { Common, Tables, Transaction, TransactionKind, TransactionStatus } from '../../shared/names';
import { createMockContext, CURRENCY_IDS } from '../mock-context';

const orderId = '6f1c2a1e-0000-4000-8000-000000000002';
const captureId = '6f1c2a1e-0000-4000-8000-0000000000c1';

describe('PaymentStatus control lifecycle', () => {
  it('init → updateView renders the capture of the form record → getOutputs → destroy', async () => {
    const queries: string[] = [];
    const context = createMockContext<IInputs>({
      control: 'PaymentStatus',
      record: { entityName: Tables.salesOrder, id: `{${orderId.toUpperCase()}}` },
      privileges: { [Tables.transaction]: [2] },
      webAPI: {
        retrieveMultiple: (table, query) => {
          queries.push(`${table}?${query}`);
          if (table !== Tables.transaction || !query.includes(`${Transaction.salesOrderValue} eq ${orderId}`))
            return [];
          return [
            {
              [Transaction.id]: captureId,
              [Transaction.paypalId]: '2GG279541U471931P',
              [Transaction.kind]: TransactionKind.Capture,
              [Common.statusCode]: TransactionStatus.Completed,
              [Common.currencyValue]: CURRENCY_IDS.USD,
              [Transaction.gross]: 120.5,
              [Transaction.fee]: 4.5,
              [Transaction.net]: 116,
              [Transaction.date]: '2026-11-01T12:00:00Z',
            },
          ];
        },
      },
    });
    const control = new PaymentStatus();
    control.init(context);
    const view = render(control.updateView(context));
    expect(await screen.findByRole('region', { name: 'Transaction currency' })).toHaveTextContent('Gross120.50 USD');
    expect(screen.getByLabelText('Payment status')).toHaveTextContent('Completed');
    const callsAfterLoad = queries.length;
    expect(queries[0]).toContain(`${Transaction.salesOrderValue} eq ${orderId}`);

    // an unrelated property change re-renders without reloading
    view.rerender(control.updateView({ ...context, updatedProperties: ['boundField'] }));
    expect(screen.getByRole('region', { name: 'Transaction currency' })).toBeInTheDocument();
    expect(queries.length).toBe(callsAfterLoad);

    expect(control.getOutputs()).toEqual({});
    control.destroy();
    view.unmount();
  });
});
