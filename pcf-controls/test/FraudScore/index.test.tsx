import { describe, expect, it } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
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
  it('init → updateView on a sales order reads its transaction and alert → review → getOutputs → destroy', async () => {
    const alert: Row = { [FraudAlert.id]: alertId, [Common.statusCode]: FraudAlertStatus.New };
    const queries: string[] = [];
    const context = createMockContext<IInputs>({
      control: 'FraudScore',
      record: { entityName: Tables.salesOrder, id: orderId },
      privileges: { [Tables.fraudAlert]: [Privilege.read, Privilege.write] },
      webAPI: {
        retrieve: (table) =>
          table === Tables.salesOrder
            ? { [SalesOrderFraud.score]: 75, [SalesOrderFraud.transactionValue]: transactionId }
            : {
                [Transaction.fraudScore]: 75,
                [Transaction.riskBand]: RiskBand.High,
                [Transaction.fraudReasons]: '["velocity: 4 payments in 10 min"]',
              },
        retrieveMultiple: (_table, query) => {
          queries.push(query);
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
    expect(queries[0]).toContain(
      `${FraudAlert.transactionValue} eq ${transactionId} and ${FraudAlert.alertType} eq ${AlertType.FraudScore}`,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Mark safe' }));
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
});
