// Shared steps of the mass payout e2e suites: vendors and bills as an AP clerk enters them, the batch as PayPal
// Finance builds it and a Payout Approver approves it (each through the Dataverse Web API as that user, so the
// webhook's InitiatingUserId is theirs), and reads of the outcome.
import { waitFor } from '@ppc/test-support';
import { dataverseAdmin, type DataverseAdmin, type LocalStack } from '@ppc/stack';
import { GlPurpose, LedgerSide, PayoutBatchStatus, ReceiverType, VendorBillStatus } from '@ppc/solution';

export { dataverseEventsDone, emulatorControl as control } from './support.ts';

type Row = Record<string, unknown>;

export const USERS = {
  admin: '5f0c7a6e-0000-4000-8000-000000000002',
  payoutapprover: '5f0c7a6e-0000-4000-8000-000000000005',
  financeuser: '5f0c7a6e-0000-4000-8000-000000000006',
};

export interface Actors {
  finance: DataverseAdmin;
  approver: DataverseAdmin;
}

export function actors(stack: LocalStack): Actors {
  return {
    finance: dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('financeuser')),
    approver: dataverseAdmin(stack.dataverse.apiUrl, () => stack.dataverse.tokenFor('payoutapprover')),
  };
}

export async function currencyIds(stack: LocalStack): Promise<Record<string, string>> {
  const rows = await stack.admin.list<Row>('transactioncurrencies', '$select=transactioncurrencyid,isocurrencycode');
  return Object.fromEntries(rows.map((r) => [String(r.isocurrencycode), String(r.transactioncurrencyid)]));
}

export async function vendor(stack: LocalStack, name: string, receiver?: { type: number; value: string }) {
  return stack.admin.create('accounts', {
    name,
    ...(receiver ? { ppc_payoutreceivertype: receiver.type, ppc_payoutreceiver: receiver.value } : {}),
  });
}

export async function bill(
  stack: LocalStack,
  currencies: Record<string, string>,
  b: { name: string; vendorId: string; amount: number; currency: string; receiver?: { type: number; value: string } },
) {
  return stack.admin.create('ppc_vendorbills', {
    ppc_name: b.name,
    ppc_amount: b.amount,
    ppc_duedate: '2026-01-01',
    'ppc_vendorid@odata.bind': `/accounts(${b.vendorId})`,
    'transactioncurrencyid@odata.bind': `/transactioncurrencies(${currencies[b.currency]})`,
    ...(b.receiver ? { ppc_receivertype: b.receiver.type, ppc_receiver: b.receiver.value } : {}),
  });
}

/** Bills left Open by earlier tests would be picked by the next build: cancelled first. */
export async function cancelOpenBills(stack: LocalStack) {
  const open = await stack.admin.list<Row>(
    'ppc_vendorbills',
    `$select=ppc_vendorbillid&$filter=statuscode eq ${VendorBillStatus.Open}`,
  );
  for (const b of open)
    await stack.admin.patch(`ppc_vendorbills(${String(b.ppc_vendorbillid)})`, {
      statecode: 1,
      statuscode: VendorBillStatus.Canceled,
    });
}

/** "Build payout batch": PayPal Finance creates a batch and sets it to Pending approval. */
export async function buildBatch(finance: DataverseAdmin, name: string) {
  const id = await finance.create('ppc_payoutbatches', { ppc_name: name, ppc_senderbatchid: `draft-${name}` });
  await finance.patch(`ppc_payoutbatches(${id})`, { statuscode: PayoutBatchStatus.PendingApproval });
  return id;
}

export const batchRow = (stack: LocalStack, id: string) => stack.admin.get<Row>(`ppc_payoutbatches(${id})`);

/**
 * "Approve payout" as the command bar does it: the batch's warnings (ppc_warnings, written by the build) are shown
 * and acknowledged, their codes sent with the status in the same update (the proxy refuses an approval that does
 * not cover them).
 */
export async function approveBatch(actor: DataverseAdmin, stack: LocalStack, id: string) {
  const warnings = String((await batchRow(stack, id)).ppc_warnings ?? '');
  const codes = warnings
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0])
    .filter(Boolean);
  await actor.patch(`ppc_payoutbatches(${id})`, {
    statuscode: PayoutBatchStatus.Approved,
    ...(codes.length ? { ppc_acknowledgedwarnings: codes.join('\n') } : {}),
  });
}

export const itemsOf = (stack: LocalStack, batchId: string) =>
  stack.admin.list<Row>(
    'ppc_payoutitems',
    `$filter=_ppc_payoutbatchid_value eq ${batchId}&$select=ppc_payoutitemid,ppc_name,statuscode,ppc_paypalitemid,ppc_paypaltransactionref,ppc_errorname,ppc_errormessage,ppc_receiver,ppc_amount,_ppc_vendorbillid_value,ppc_feeamount`,
  );

export async function waitForBatch(stack: LocalStack, id: string, statuscode: number, timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const b = await batchRow(stack, id);
      return b.statuscode === statuscode ? b : undefined;
    },
    timeoutMs,
    `payout batch ${id} with status ${statuscode}`,
    100,
  );
}

/** PayPal's own record: batches created for sender_batch_ids that start with the batch id. */
export function paypalBatchesOf(stack: LocalStack, batchId: string): string[] {
  const ids = stack.paypal.state.senderBatchIds as unknown as Record<string, { batchId: string }>;
  return Object.entries(ids)
    .filter(([sender]) => sender.startsWith(batchId))
    .map(([, v]) => v.batchId);
}

export function paypalItemsOf(stack: LocalStack, batchId: string): { id: string; status: string }[] {
  const items = stack.paypal.state.payoutItems as unknown as Record<
    string,
    { id: string; status: string; senderBatchId: string }
  >;
  return Object.values(items)
    .filter((i) => i.senderBatchId.startsWith(batchId))
    .map((i) => ({ id: i.id, status: i.status }));
}

export interface LedgerTotals {
  /** Σ debits − Σ credits per currency (minor units): zero when balanced */
  imbalance: Record<string, number>;
  byPurpose: Record<string, number>;
  lines: number;
}

export async function ledgerOf(stack: LocalStack, batchId: string): Promise<LedgerTotals> {
  const rows = await stack.admin.list<Row>(
    'ppc_ledgerentries',
    `$filter=_ppc_payoutbatchid_value eq ${batchId}&$select=ppc_side,ppc_amount,ppc_purpose,ppc_sourceid,ppc_lineno&$expand=transactioncurrencyid($select=isocurrencycode)`,
  );
  const imbalance: Record<string, number> = {};
  const byPurpose: Record<string, number> = {};
  const purposeName = Object.fromEntries(Object.entries(GlPurpose).map(([k, v]) => [v, k]));
  for (const r of rows) {
    const cur = String((r.transactioncurrencyid as { isocurrencycode: string }).isocurrencycode);
    const minor = Math.round(Number(r.ppc_amount) * 100);
    const signed = r.ppc_side === LedgerSide.Debit ? minor : -minor;
    imbalance[cur] = (imbalance[cur] ?? 0) + signed;
    const key = `${purposeName[Number(r.ppc_purpose)]}:${cur}`;
    byPurpose[key] = (byPurpose[key] ?? 0) + signed;
  }
  return { imbalance, byPurpose, lines: rows.length };
}

export { GlPurpose, PayoutBatchStatus, ReceiverType, VendorBillStatus };
