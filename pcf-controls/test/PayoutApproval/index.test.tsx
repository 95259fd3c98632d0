import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, render, screen } from '@testing-library/react';
import type { IInputs } from '../../PayoutApproval/generated/ManifestTypes';
import { PayoutApproval } from '../../PayoutApproval/index';
import type { Row } from '../../shared/data-service';
import { Common, PayoutBatchStatus, Privilege, Tables } from '../../shared/names';
import { createMockContext } from '../mock-context';

const batchId = '5a1d0000-0000-4000-8000-0000000000b2';

function contextFor(userId: string) {
  const batch: Row = {
    [Common.statusCode]: PayoutBatchStatus.PendingApproval,
    [Common.createdByValue]: 'aaaaaaaa-0000-4000-8000-000000000001',
  };
  return createMockContext<IInputs>({
    control: 'PayoutApproval',
    record: { entityName: Tables.payoutBatch, id: batchId },
    userId,
    privileges: { [Tables.payoutBatch]: [Privilege.read, Privilege.write] },
    webAPI: {
      retrieve: () => batch,
      retrieveMultiple: () => [{ ppc_receiver: 'vendor@example.com', ppc_amount: 120 }],
      update: (_t, _id, data) => {
        Object.assign(batch, data);
      },
    },
  });
}

describe('PayoutApproval control lifecycle', () => {
  it('init → updateView → approve → getOutputs → destroy', async () => {
    const context = contextFor('{AAAAAAAA-0000-4000-8000-000000000002}');
    const notify = jest.fn();
    const control = new PayoutApproval();
    control.init(context, notify);
    const view = render(control.updateView(context));
    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Approved')).toBeInTheDocument();
    expect(context.webAPI.updateRecord).toHaveBeenCalledWith(
      Tables.payoutBatch,
      batchId,
      expect.objectContaining({ [Common.statusCode]: PayoutBatchStatus.Approved }),
    );
    expect(notify).toHaveBeenCalledTimes(1);
    expect(control.getOutputs()).toEqual({ decision: 'approve' });
    control.destroy();
    view.unmount();
  });

  it('compares the creator with userSettings.userId (braces and case ignored)', async () => {
    const context = contextFor('{AAAAAAAA-0000-4000-8000-000000000001}');
    const control = new PayoutApproval();
    control.init(context, jest.fn());
    render(control.updateView(context));
    expect(await screen.findByRole('button', { name: 'Approve' })).toBeDisabled();
    expect(control.getOutputs()).toEqual({});
  });

  it("folds the form's disabled state into read-only", async () => {
    const context = createMockContext<IInputs>({
      control: 'PayoutApproval',
      record: { entityName: Tables.payoutBatch, id: batchId },
      userId: 'aaaaaaaa-0000-4000-8000-000000000002',
      disabled: true,
      privileges: { [Tables.payoutBatch]: [Privilege.read, Privilege.write] },
      webAPI: {
        retrieve: () => ({
          [Common.statusCode]: PayoutBatchStatus.PendingApproval,
          [Common.createdByValue]: 'aaaaaaaa-0000-4000-8000-000000000001',
        }),
        retrieveMultiple: () => [{ ppc_receiver: 'vendor@example.com', ppc_amount: 120 }],
      },
    });
    const control = new PayoutApproval();
    control.init(context, jest.fn());
    render(control.updateView(context));
    expect(await screen.findByText('This form is read-only.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeDisabled();
  });

  it('folds field security (bound column not editable) into read-only', async () => {
    const context = contextFor('{AAAAAAAA-0000-4000-8000-000000000002}');
    (context.parameters.boundField as { security: { editable: boolean } }).security.editable = false;
    const control = new PayoutApproval();
    control.init(context, jest.fn());
    render(control.updateView(context));
    expect(await screen.findByText('This form is read-only.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reject' })).toBeDisabled();
  });
});
