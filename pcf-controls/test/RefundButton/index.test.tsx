import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen, within } from '@testing-library/react';
import type { IInputs } from '../../RefundButton/generated/ManifestTypes';
import { RefundButton } from '../../RefundButton/index';
import type { Row } from '../../shared/data-service';
import {
  Common,
  CreditMemo,
  CreditMemoStatus,
  Privilege,
  Tables,
  Transaction,
  TransactionKind,
  TransactionStatus,
} from '../../shared/names';
import { createMockContext, CURRENCY_IDS } from '../mock-context';

const memoId = '0d6c3b0a-0000-4000-8000-0000000000f3';
const captureId = '0d6c3b0a-0000-4000-8000-0000000000c3';

function contextFor(privileges: number[], transactionPrivileges: number[] = [Privilege.read]) {
  const memo: Row = {
    [Common.statusCode]: CreditMemoStatus.Draft,
    [CreditMemo.amount]: 40,
    [Common.currencyValue]: CURRENCY_IDS.USD,
    [CreditMemo.captureValue]: captureId,
  };
  const capture: Row = {
    [Transaction.kind]: TransactionKind.Capture,
    [Common.statusCode]: TransactionStatus.Completed,
    [Transaction.gross]: 240,
    [Transaction.refunded]: 0,
    [Common.currencyValue]: CURRENCY_IDS.USD,
  };
  return createMockContext<IInputs>({
    control: 'RefundButton',
    record: { entityName: Tables.creditMemo, id: memoId },
    privileges: { [Tables.creditMemo]: privileges, [Tables.transaction]: transactionPrivileges },
    webAPI: {
      retrieve: (table) => (table === Tables.creditMemo ? memo : capture),
      update: (_table, _id, data) => {
        Object.assign(memo, data);
      },
    },
  });
}

describe('RefundButton control lifecycle', () => {
  it("init → updateView → request of the memo's own 40 USD on a 240 USD capture → getOutputs → destroy", async () => {
    const context = contextFor([Privilege.create, Privilege.read, Privilege.write]);
    const notify = jest.fn();
    const control = new RefundButton();
    control.init(context, notify);
    expect(control.getOutputs()).toEqual({});
    const view = render(control.updateView(context));
    fireEvent.click(await screen.findByRole('button', { name: 'Request refund of 40.00 USD' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Refund' }));
    expect(await screen.findByText('Refund of 40.00 USD requested, waiting for PayPal…')).toBeInTheDocument();
    const [, , written] = jest.mocked(context.webAPI.updateRecord).mock.calls[0]!;
    expect(written).toMatchObject({ [Common.statusCode]: CreditMemoStatus.RefundRequested });
    // the memo keeps its own amount: the control never writes ppc_amount
    expect(written).not.toHaveProperty(CreditMemo.amount);
    expect(notify).toHaveBeenCalledTimes(1);
    expect(control.getOutputs()).toEqual({ requestedAmount: 40 });
    control.destroy();
    view.unmount();
  });

  it('renders disabled for a user without Create on credit memos (a PayPal Finance user)', async () => {
    const context = contextFor([Privilege.read, Privilege.write]);
    const control = new RefundButton();
    control.init(context, jest.fn());
    render(control.updateView(context));
    expect(await screen.findByRole('button', { name: 'Request refund of 40.00 USD' })).toBeDisabled();
    expect(
      await screen.findByText('You cannot create credit memos: ask your administrator for the Refund Agent role.'),
    ).toBeInTheDocument();
  });

  it('reads nothing for a user without Read on PayPal transactions (a Salesperson) and names the role', async () => {
    const context = contextFor([], []);
    const control = new RefundButton();
    control.init(context, jest.fn());
    render(control.updateView(context));
    expect(
      await screen.findByText('You cannot see credit memos: ask your administrator for the PayPal Viewer role.'),
    ).toBeInTheDocument();
    expect(context.webAPI.retrieveRecord).not.toHaveBeenCalled();
  });

  it("renders a configuration message instead of querying when placed on another table's form", async () => {
    const context = createMockContext<IInputs>({
      control: 'RefundButton',
      record: { entityName: Tables.account, id: memoId },
    });
    const control = new RefundButton();
    control.init(context, jest.fn());
    render(control.updateView(context));
    expect(await screen.findByText('This control belongs on credit memo forms, not on account.')).toBeInTheDocument();
    expect(context.webAPI.retrieveRecord).not.toHaveBeenCalled();
  });
});
