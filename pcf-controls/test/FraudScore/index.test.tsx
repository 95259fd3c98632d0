import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { IInputs } from '../../FraudScore/generated/ManifestTypes';
import { FraudScore } from '../../FraudScore/index';
import type { Row } from '../../shared/data-service';
import {
  AlertType,
  Common,
  FraudAlert,
  FraudAlertStatus,
  Privilege,
  RiskBand,
  SalesOrderFraud,
  State,
  Tables,
  Transaction,
} from '../../shared/names';
import { createMockContext } from '../mock-context';

const orderId = '7e000000-0000-4000-8000-0000000000a1';
const transactionId = '7e000000-0000-4000-8000-0000000000a2';
const alertId = '7e000000-0000-4000-8000-0000000000a3';

describe('FraudScore control lifecycle', () => {
  it('on a sales order follows the capture that points to the order (salesorder._ppc_transactionid_value is never set) → review → destroy', async () => {
    const alert: Row = { [FraudAlert.id]: alertId, [Common.statusCode]: FraudAlertStatus.New };
    const queries: string[] = [];
    const context = createMockContext<IInputs>({
      control: 'FraudScore',
      record: { entityName: Tables.salesOrder, id: orderId },
      privileges: {
        [Tables.fraudAlert]: [Privilege.read, Privilege.write],
        [Tables.transaction]: [Privilege.read],
      },
      webAPI: {
        // what order-to-cash leaves on the order: no transaction lookup
        retrieve: () => ({ [SalesOrderFraud.transactionValue]: null }),
        retrieveMultiple: (table, query) => {
          queries.push(`${table}?${query}`);
          if (table === Tables.transaction)
            return query.includes(`${Transaction.salesOrderValue} eq ${orderId}`)
              ? [
                  {
                    [Transaction.id]: transactionId,
                    [Transaction.fraudScore]: 75,
                    [Transaction.riskBand]: RiskBand.High,
                    [Transaction.fraudReasons]: '["velocity: 4 payments in 10 min"]',
                  },
                ]
              : [];
          return [alert];
        },
        update: (_table, _id, data) => {
          Object.assign(alert, data);
        },
      },
    });
    const control = new FraudScore();
    control.init(context);
    const view = render(control.updateView(context));
    expect(await screen.findByRole('meter', { name: 'Fraud score' })).toHaveAttribute(
      'aria-valuetext',
      'High risk (75)',
    );
    expect(screen.getByText('velocity: 4 payments in 10 min')).toBeInTheDocument();
    expect(queries[1]).toContain(
      `${FraudAlert.transactionValue} eq ${transactionId} and ${FraudAlert.alertType} eq ${AlertType.FraudScore}`,
    );
    expect(context.webAPI.retrieveRecord).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Mark safe' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Mark safe' }));
    expect(await screen.findByLabelText('Review outcome')).toHaveTextContent('Marked safe');
    expect(context.webAPI.updateRecord).toHaveBeenCalledWith(
      Tables.fraudAlert,
      alertId,
      expect.objectContaining({ [Common.stateCode]: State.Inactive, [Common.statusCode]: FraudAlertStatus.MarkedSafe }),
    );
    expect(control.getOutputs()).toEqual({});
    control.destroy();
    view.unmount();
  });

  it('names the role to a Refund Agent who may not read PayPal transactions, and reads nothing', async () => {
    const context = createMockContext<IInputs>({
      control: 'FraudScore',
      record: { entityName: Tables.salesOrder, id: orderId },
      privileges: {},
    });
    const control = new FraudScore();
    control.init(context);
    render(control.updateView(context));
    expect(
      await screen.findByText('You cannot see PayPal payments: ask your administrator for the PayPal Viewer role.'),
    ).toBeInTheDocument();
    expect(context.webAPI.retrieveMultipleRecords).not.toHaveBeenCalled();
  });
});
