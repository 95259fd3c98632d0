// Reads and bulk writes of the payout tables in Dataverse. Large batches are written as change sets of at most
// `chunkOps` operations (Dataverse takes 1,000 requests per $batch:
// learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api), so a
// 5,000-item batch costs a few dozen requests, well inside the service protection limits (6,000 requests per
// 5 minutes per user, learn.microsoft.com/power-apps/developer/data-platform/api-limits).
import {
  PayoutBatchStatus as BatchStatusValues,
  payoutBatch,
  statusPairs,
  VendorBillStatus as BillValues,
  vendorBill,
} from '@ppc/solution';
import type { BatchOp, DataversePort } from '../../adapters/dataverse/types.ts';
import { decimalToMinor, scalarText } from '../../mapping/dataverse-values.ts';
import type { DueBill } from '../../mapping/payouts/batch-plan.ts';
import { money } from '../../mapping/money.ts';

export const PayoutBatchStatus = statusPairs(payoutBatch, BatchStatusValues);
export const VendorBillStatus = statusPairs(vendorBill, BillValues);

type Row = Record<string, unknown>;
const text = (v: unknown): string => (v === null || v === undefined ? '' : scalarText(v));

export interface BatchRow {
  id: string;
  statuscode: number;
  name: string;
  comment?: string;
}

export async function readBatch(dv: DataversePort, id: string): Promise<BatchRow | undefined> {
  const r = await dv.get<Row>(`ppc_payoutbatches(${id})`, [
    'ppc_payoutbatchid',
    'statuscode',
    'ppc_name',
    'ppc_approvalcomment',
  ]);
  if (!r) return undefined;
  return {
    id,
    statuscode: Number(r.statuscode),
    name: text(r.ppc_name),
    ...(r.ppc_approvalcomment ? { comment: text(r.ppc_approvalcomment) } : {}),
  };
}

const currencyOf = (r: Row) =>
  String((r.transactioncurrencyid as { isocurrencycode?: string } | undefined)?.isocurrencycode ?? '').toUpperCase();

/** Vendors' receivers by id, read in chunks of 50 ids from `accounts` or `contacts`. */
async function receivers(dv: DataversePort, table: 'accounts' | 'contacts', ids: readonly string[]) {
  const key = table === 'accounts' ? 'accountid' : 'contactid';
  const out = new Map<string, Row>();
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    const found = await dv.query<Row>(
      table,
      `$select=${key},ppc_payoutreceiver,ppc_payoutreceivertype&$filter=${chunk.map((id) => `${key} eq ${id}`).join(' or ')}`,
      chunk.length,
    );
    for (const v of found) out.set(String(v[key]).toLowerCase(), v);
  }
  return out;
}

const idOf = (v: unknown): string | undefined => (typeof v === 'string' && v ? v.toLowerCase() : undefined);

/**
 * Open bills due on or before `today`, with the vendor's receiver as the fallback of the bill's own. The vendor is
 * the account (ppc_vendorid) or, when the bill names none, the contact (ppc_vendorcontactid).
 */
export async function dueBills(dv: DataversePort, today: string, max = 100_000): Promise<DueBill[]> {
  const rows = await dv.query<Row>(
    'ppc_vendorbills',
    `$select=ppc_vendorbillid,ppc_name,ppc_amount,ppc_receivertype,ppc_receiver,_ppc_vendorid_value,_ppc_vendorcontactid_value` +
      `&$expand=transactioncurrencyid($select=isocurrencycode)` +
      `&$filter=statuscode eq ${VendorBillStatus.Open.statuscode} and ppc_duedate le ${today}&$orderby=ppc_name`,
    max,
  );
  const accountIds = [...new Set(rows.map((r) => idOf(r._ppc_vendorid_value)).filter((v) => v !== undefined))];
  const contactIds = [
    ...new Set(
      rows
        .filter((r) => !idOf(r._ppc_vendorid_value))
        .map((r) => idOf(r._ppc_vendorcontactid_value))
        .filter((v) => v !== undefined),
    ),
  ];
  const accounts = await receivers(dv, 'accounts', accountIds);
  const contacts = contactIds.length ? await receivers(dv, 'contacts', contactIds) : new Map<string, Row>();
  return rows.map((r) => {
    const cur = currencyOf(r);
    const accountId = idOf(r._ppc_vendorid_value);
    const contactId = accountId ? undefined : idOf(r._ppc_vendorcontactid_value);
    const vendorId = accountId ?? contactId;
    const vendor = accountId ? accounts.get(accountId) : contactId ? contacts.get(contactId) : undefined;
    const own = typeof r.ppc_receiver === 'string' && r.ppc_receiver.trim() !== '';
    const receiver = own ? r.ppc_receiver : vendor?.ppc_payoutreceiver;
    const type = own ? r.ppc_receivertype : vendor?.ppc_payoutreceivertype;
    return {
      id: String(r.ppc_vendorbillid),
      name: text(r.ppc_name),
      ...(vendorId ? { vendorId } : {}),
      ...(contactId ? { vendorTable: 'contact' as const } : {}),
      amount: money(decimalToMinor(r.ppc_amount, cur || 'USD'), cur || 'XXX'),
      ...(typeof type === 'number' ? { receiverType: type } : {}),
      ...(typeof receiver === 'string' && receiver.trim() ? { receiver: receiver.trim() } : {}),
    };
  });
}

/** Bills held by a payout item of another batch that has not ended (statecode 0: New, Pending, Unclaimed, On hold). */
export async function billsInOpenItems(dv: DataversePort, batchId: string): Promise<Set<string>> {
  const rows = await dv.query<Row>(
    'ppc_payoutitems',
    `$select=_ppc_vendorbillid_value&$filter=statecode eq 0 and _ppc_payoutbatchid_value ne ${batchId} and _ppc_vendorbillid_value ne null`,
    500_000,
  );
  return new Set(rows.map((r) => scalarText(r._ppc_vendorbillid_value)));
}

export interface BatchItemRow {
  itemId: string;
  billId: string;
  vendorId?: string;
  statuscode: number;
  receiver: string;
  receiverType: number;
  amountMinor: number;
  currency: string;
  name: string;
  /** ppc_errormessage: an excluded item's reason, PayPal's error */
  message?: string;
}

/** The items of a batch as the build wrote them. */
export async function batchItems(dv: DataversePort, batchId: string): Promise<BatchItemRow[]> {
  const rows = await dv.query<Row>(
    'ppc_payoutitems',
    `$select=ppc_payoutitemid,ppc_name,statuscode,ppc_receiver,ppc_receivertype,ppc_amount,ppc_errormessage,_ppc_vendorbillid_value` +
      `&$expand=transactioncurrencyid($select=isocurrencycode)&$filter=_ppc_payoutbatchid_value eq ${batchId}`,
    500_000,
  );
  return rows.map((r) => {
    const cur = currencyOf(r);
    return {
      itemId: String(r.ppc_payoutitemid),
      billId: text(r._ppc_vendorbillid_value),
      statuscode: Number(r.statuscode),
      receiver: text(r.ppc_receiver),
      receiverType: Number(r.ppc_receivertype),
      amountMinor: decimalToMinor(r.ppc_amount, cur),
      currency: cur,
      name: text(r.ppc_name),
      ...(r.ppc_errormessage ? { message: text(r.ppc_errormessage) } : {}),
    };
  });
}

/**
 * Sends groups of operations (one item's writes belong together) as change sets of at most `chunkOps` operations;
 * a group never spans two change sets, so each item is written whole or not at all. Every write is an upsert or
 * an update by key: after a failure the job repeats the lot and the chunks already written change nothing.
 */
export async function writeGroups(dv: DataversePort, groups: readonly BatchOp[][], chunkOps = 500): Promise<void> {
  let chunk: BatchOp[] = [];
  for (const g of groups) {
    if (chunk.length && chunk.length + g.length > chunkOps) {
      await dv.changeSet(chunk);
      chunk = [];
    }
    chunk.push(...g);
  }
  if (chunk.length) await dv.changeSet(chunk);
}
