// Behaviour of the command bar scripts, run as the browser would (a script with window + Xrm globals).
import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import {
  CreditMemoStatus,
  PayoutBatchStatus,
  PayoutItemStatus,
  ReconciliationSource,
} from '../packer/model/options.ts';
import { SRC_DIR } from './helpers.ts';

interface Call {
  op: string;
  args: unknown[];
}

function fakeXrm(o: { userId: string; roles: string[]; record: Record<string, unknown>; confirm?: boolean }) {
  const calls: Call[] = [];
  const Xrm = {
    Utility: {
      getGlobalContext: () => ({
        userSettings: {
          userId: `{${o.userId.toUpperCase()}}`,
          roles: { forEach: (f: (r: { name: string }) => void) => o.roles.forEach((name) => f({ name })) },
        },
      }),
    },
    WebApi: {
      retrieveRecord: async (...args: unknown[]) => {
        calls.push({ op: 'retrieve', args });
        return o.record;
      },
      updateRecord: async (...args: unknown[]) => {
        calls.push({ op: 'update', args });
        return {};
      },
    },
    Navigation: {
      openAlertDialog: async (...args: unknown[]) => {
        calls.push({ op: 'alert', args });
      },
      openConfirmDialog: async () => ({ confirmed: o.confirm ?? true }),
    },
  };
  return { Xrm, calls };
}

async function load(file: string, Xrm: unknown): Promise<Record<string, Record<string, (...a: unknown[]) => unknown>>> {
  const window: Record<string, unknown> = {};
  runInNewContext(await readFile(join(SRC_DIR, 'WebResources', 'ppc_', 'js', file), 'utf8'), {
    window,
    Xrm,
    Promise,
    Date,
  });
  return window['PPC'] as Record<string, Record<string, (...a: unknown[]) => unknown>>;
}

const formContext = (id: string, values: Record<string, unknown> = {}) => ({
  data: { entity: { getId: () => `{${id}}` }, refresh: async () => undefined },
  getAttribute: (name: string) => (name in values ? { getValue: () => values[name] } : null),
});

const BATCH = 'aaaaaaaa-0000-4000-8000-000000000001';
const CREATOR = 'bbbbbbbb-0000-4000-8000-000000000001';
const APPROVER = 'cccccccc-0000-4000-8000-000000000001';

describe('payoutbatch.ribbon.js', () => {
  it('approves a pending batch created by someone else by its status alone (the proxy records the approver)', async () => {
    const { Xrm, calls } = fakeXrm({
      userId: APPROVER,
      roles: ['Payout Approver'],
      record: { statuscode: PayoutBatchStatus.PendingApproval, _createdby_value: CREATOR },
    });
    const PPC = await load('payoutbatch.ribbon.js', Xrm);
    expect(PPC['PayoutBatch']!['isApprover']!()).toBe(true);
    await PPC['PayoutBatch']!['approveForm']!(formContext(BATCH, { ppc_approvalcomment: 'ok' }));
    const update = calls.find((c) => c.op === 'update')!;
    expect(update.args[0]).toBe('ppc_payoutbatch');
    expect(update.args[1]).toBe(BATCH);
    expect(update.args[2]).toEqual({
      statuscode: PayoutBatchStatus.Approved,
      statecode: 0,
      ppc_approvalcomment: 'ok',
    });
  });

  it('shows the batch warnings and sends the acknowledged codes with the approval; nothing when not confirmed', async () => {
    const record = {
      statuscode: PayoutBatchStatus.PendingApproval,
      _createdby_value: CREATOR,
      ppc_warnings: 'EXCLUDED:2 2 bill(s) are excluded\nDUPLICATE_RECEIVER:a@x.example:2 a@x.example receives 2 items',
    };
    const yes = fakeXrm({ userId: APPROVER, roles: ['Payout Approver'], record });
    await (
      await load('payoutbatch.ribbon.js', yes.Xrm)
    )['PayoutBatch']!['approveForm']!(formContext(BATCH));
    expect(yes.calls.find((c) => c.op === 'update')!.args[2]).toEqual({
      statuscode: PayoutBatchStatus.Approved,
      statecode: 0,
      ppc_approvalcomment: null,
      ppc_acknowledgedwarnings: 'EXCLUDED:2\nDUPLICATE_RECEIVER:a@x.example:2',
    });
    const no = fakeXrm({ userId: APPROVER, roles: ['Payout Approver'], record, confirm: false });
    await (
      await load('payoutbatch.ribbon.js', no.Xrm)
    )['PayoutBatch']!['approveForm']!(formContext(BATCH));
    expect(no.calls.some((c) => c.op === 'update')).toBe(false);
  });

  it('refuses the batch creator (four-eyes) and says why', async () => {
    const { Xrm, calls } = fakeXrm({
      userId: CREATOR,
      roles: ['Payout Approver'],
      record: { statuscode: PayoutBatchStatus.PendingApproval, _createdby_value: CREATOR },
    });
    const PPC = await load('payoutbatch.ribbon.js', Xrm);
    await PPC['PayoutBatch']!['approveForm']!(formContext(BATCH));
    expect(calls.some((c) => c.op === 'update')).toBe(false);
    expect(JSON.stringify(calls.find((c) => c.op === 'alert')!.args)).toContain('another Payout Approver');
  });

  it('rejects from the grid for each selected batch; is not enabled for other roles', async () => {
    const { Xrm, calls } = fakeXrm({
      userId: APPROVER,
      roles: ['PayPal Finance'],
      record: { statuscode: PayoutBatchStatus.PendingApproval, _createdby_value: CREATOR },
    });
    const PPC = await load('payoutbatch.ribbon.js', Xrm);
    expect(PPC['PayoutBatch']!['isApprover']!()).toBe(false);
    let refreshed = false;
    await PPC['PayoutBatch']!['rejectGrid']!([`{${BATCH}}`, 'dddddddd-0000-4000-8000-000000000001'], {
      refresh: () => (refreshed = true),
    });
    expect(calls.filter((c) => c.op === 'update').map((c) => (c.args[2] as { statuscode: number }).statuscode)).toEqual(
      [PayoutBatchStatus.Rejected, PayoutBatchStatus.Rejected],
    );
    expect(refreshed).toBe(true);
  });
});

describe('creditmemo.ribbon.js', () => {
  it('sets Refund requested with the requesting user after confirmation', async () => {
    const { Xrm, calls } = fakeXrm({ userId: APPROVER, roles: ['Refund Agent'], record: {} });
    const PPC = await load('creditmemo.ribbon.js', Xrm);
    expect(PPC['CreditMemo']!['isRefundAgent']!()).toBe(true);
    await PPC['CreditMemo']!['requestRefund']!(formContext(BATCH, { ppc_amount: 12.5 }));
    expect(calls.find((c) => c.op === 'update')!.args[2]).toMatchObject({
      statuscode: CreditMemoStatus.RefundRequested,
      'ppc_requestedby@odata.bind': `/systemusers(${APPROVER})`,
    });
  });

  it('does nothing without a positive amount or when the user cancels', async () => {
    const a = fakeXrm({ userId: APPROVER, roles: ['Refund Agent'], record: {} });
    await (
      await load('creditmemo.ribbon.js', a.Xrm)
    )['CreditMemo']!['requestRefund']!(formContext(BATCH, { ppc_amount: 0 }));
    const b = fakeXrm({ userId: APPROVER, roles: ['Refund Agent'], record: {}, confirm: false });
    await (
      await load('creditmemo.ribbon.js', b.Xrm)
    )['CreditMemo']!['requestRefund']!(formContext(BATCH, { ppc_amount: 5 }));
    expect([...a.calls, ...b.calls].some((c) => c.op === 'update')).toBe(false);
    expect(a.calls.some((c) => c.op === 'alert')).toBe(true);
  });
});

describe('reconciliationrun.ribbon.js', () => {
  const RUN = '0b7c2a51-1d2e-4f00-9a00-00000000aa01';
  const RUN2 = '0b7c2a51-1d2e-4f00-9a00-00000000aa02';
  const withForm = (confirm = true) => {
    const x = fakeXrm({ userId: APPROVER, roles: ['PayPal Finance'], record: {}, confirm });
    const opened: unknown[][] = [];
    const Xrm = {
      ...x.Xrm,
      Navigation: {
        ...x.Xrm.Navigation,
        openForm: async (...args: unknown[]) => {
          opened.push(args);
        },
      },
    };
    return { Xrm, calls: x.calls, opened };
  };

  it('Reconcile now on a run sets ppc_runrequested on it (the step takes it to the connector)', async () => {
    const { Xrm, calls } = withForm();
    const PPC = await load('reconciliationrun.ribbon.js', Xrm);
    await PPC['ReconciliationRun']!['reconcileForm']!(formContext(RUN, { ppc_currencyscope: 'USD' }));
    expect(calls.filter((c) => c.op === 'update').map((c) => c.args)).toEqual([
      ['ppc_reconciliationrun', RUN, { ppc_runrequested: true }],
    ]);
  });

  it('asks the selected runs again from the grid; with none selected, opens a new On Demand run to fill in', async () => {
    const a = withForm();
    await (
      await load('reconciliationrun.ribbon.js', a.Xrm)
    )['ReconciliationRun']!['reconcileGrid']!([`{${RUN.toUpperCase()}}`, RUN2], { refresh: () => undefined });
    expect(a.calls.filter((c) => c.op === 'update').map((c) => c.args[1])).toEqual([RUN, RUN2]);
    const b = withForm();
    await (
      await load('reconciliationrun.ribbon.js', b.Xrm)
    )['ReconciliationRun']!['reconcileGrid']!([], undefined);
    expect(b.calls.some((c) => c.op === 'update')).toBe(false);
    expect(b.opened).toHaveLength(1);
    expect(b.opened[0]![0]).toMatchObject({ entityName: 'ppc_reconciliationrun' });
    expect(b.opened[0]![1]).toMatchObject({
      ppc_source: ReconciliationSource.OnDemand,
      ppc_rundate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    });
  });

  it('does nothing when the user cancels', async () => {
    const { Xrm, calls } = withForm(false);
    await (
      await load('reconciliationrun.ribbon.js', Xrm)
    )['ReconciliationRun']!['reconcileForm']!(formContext(RUN));
    expect(calls.some((c) => c.op === 'update')).toBe(false);
  });
});

describe('payoutitem.ribbon.js', () => {
  const ITEM = 'eeeeeeee-0000-4000-8000-000000000001';
  it('requests the cancel of an unclaimed item (the flag alone: the proxy checks the user and asks PayPal)', async () => {
    const { Xrm, calls } = fakeXrm({
      userId: APPROVER,
      roles: ['Payout Approver'],
      record: { statuscode: PayoutItemStatus.Unclaimed, ppc_paypalitemid: 'PI1' },
    });
    const PPC = await load('payoutitem.ribbon.js', Xrm);
    expect(PPC['PayoutItem']!['mayCancel']!()).toBe(true);
    await PPC['PayoutItem']!['cancelForm']!(formContext(ITEM));
    const update = calls.find((c) => c.op === 'update')!;
    expect(update.args).toEqual(['ppc_payoutitem', ITEM, { ppc_cancelrequested: true }]);
  });

  it('refuses an item that is not unclaimed; is not enabled without Payout Approver or PayPal Finance', async () => {
    const { Xrm, calls } = fakeXrm({
      userId: APPROVER,
      roles: ['Salesperson'],
      record: { statuscode: PayoutItemStatus.Success, ppc_paypalitemid: 'PI1' },
    });
    const PPC = await load('payoutitem.ribbon.js', Xrm);
    expect(PPC['PayoutItem']!['mayCancel']!()).toBe(false);
    await PPC['PayoutItem']!['cancelGrid']!([`{${ITEM}}`], { refresh: () => undefined });
    expect(calls.some((c) => c.op === 'update')).toBe(false);
    expect(JSON.stringify(calls.find((c) => c.op === 'alert')!.args)).toContain('Only an unclaimed payout item');
  });
});
