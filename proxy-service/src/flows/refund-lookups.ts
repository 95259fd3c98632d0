// Reads shared by the refund, reversal and D365 refund-request flows (the per-payment lock they take is
// paymentLock in keyed-locks.ts).
import type { DataversePort } from '../adapters/dataverse/types.ts';
import { AppError } from '../errors.ts';
import { decimalToMinor, odataString, scalarText, TransactionKind } from '../mapping/dataverse-values.ts';
import { money } from '../mapping/money.ts';
import type {
  DocumentState,
  ExistingCustomerTotals,
  ExistingInvoiceTotals,
  ParentTransaction,
} from '../mapping/refund-plan.ts';

const PARENT_SELECT =
  'ppc_paypaltransactionid,ppc_paypalid,ppc_kind,statuscode,ppc_grossamount,ppc_refundedamount,_ppc_invoiceid_value,_ppc_salesorderid_value,_ppc_contactid_value,_ppc_accountid_value';

type Row = Record<string, unknown>;

function toParent(r: Row): ParentTransaction {
  const currency = String((r.transactioncurrencyid as { isocurrencycode?: string } | undefined)?.isocurrencycode ?? '');
  if (!currency)
    throw new AppError({
      code: 'validation_failed',
      message: `transaction ${String(r.ppc_paypalid)} has no currency`,
      failure: 'rejected',
      httpStatus: 400,
    });
  const contact = r._ppc_contactid_value ? scalarText(r._ppc_contactid_value) : undefined;
  const account = r._ppc_accountid_value ? scalarText(r._ppc_accountid_value) : undefined;
  return {
    id: String(r.ppc_paypaltransactionid),
    paypalId: String(r.ppc_paypalid),
    kind: Number(r.ppc_kind),
    statuscode: Number(r.statuscode),
    ...(r['@odata.etag'] ? { etag: scalarText(r['@odata.etag']) } : {}),
    gross: money(decimalToMinor(r.ppc_grossamount, currency), currency),
    refundedMinor: decimalToMinor(r.ppc_refundedamount, currency),
    ...(r._ppc_invoiceid_value ? { invoiceId: scalarText(r._ppc_invoiceid_value) } : {}),
    ...(r._ppc_salesorderid_value ? { orderId: scalarText(r._ppc_salesorderid_value) } : {}),
    ...(account
      ? { customer: { table: 'account' as const, id: account } }
      : contact
        ? { customer: { table: 'contact' as const, id: contact } }
        : {}),
  };
}

export async function parentByPayPalId(dv: DataversePort, paypalId: string): Promise<ParentTransaction | undefined> {
  const rows = await dv.query<Row>(
    'ppc_paypaltransactions',
    `$select=${PARENT_SELECT}&$expand=transactioncurrencyid($select=isocurrencycode)&$filter=ppc_paypalid eq ${odataString(paypalId)}&$top=1`,
    1,
  );
  return rows[0] ? toParent(rows[0]) : undefined;
}

export async function parentById(dv: DataversePort, id: string): Promise<ParentTransaction | undefined> {
  const rows = await dv.query<Row>(
    'ppc_paypaltransactions',
    `$select=${PARENT_SELECT}&$expand=transactioncurrencyid($select=isocurrencycode)&$filter=ppc_paypaltransactionid eq ${id}&$top=1`,
    1,
  );
  return rows[0] ? toParent(rows[0]) : undefined;
}

/** The capture/sale transaction of an invoice (for a credit memo that names only the invoice). */
export async function parentOfInvoice(dv: DataversePort, invoiceId: string): Promise<ParentTransaction | undefined> {
  const rows = await dv.query<Row>(
    'ppc_paypaltransactions',
    `$select=${PARENT_SELECT}&$expand=transactioncurrencyid($select=isocurrencycode)&$filter=_ppc_invoiceid_value eq ${invoiceId} and (ppc_kind eq ${TransactionKind.Capture} or ppc_kind eq ${TransactionKind.Sale})&$orderby=ppc_transactiondate desc&$top=1`,
    1,
  );
  return rows[0] ? toParent(rows[0]) : undefined;
}

export async function documentState(dv: DataversePort, path: string): Promise<DocumentState | undefined> {
  const r = await dv.get<Row>(path, ['statecode', 'statuscode']);
  return r ? { statecode: Number(r.statecode), statuscode: Number(r.statuscode) } : undefined;
}

export async function invoiceTotals(
  dv: DataversePort,
  invoiceId: string | undefined,
  currency: string,
  orderId?: string,
): Promise<ExistingInvoiceTotals | undefined> {
  if (!invoiceId) return undefined;
  const [inv, orderState] = await Promise.all([
    dv.get<Row>(`invoices(${invoiceId})`, [
      'invoiceid',
      'totalamount',
      'ppc_refundedamount',
      'statecode',
      'statuscode',
    ]),
    orderId ? documentState(dv, `salesorders(${orderId})`) : Promise.resolve(undefined),
  ]);
  if (!inv) return undefined;
  return {
    id: invoiceId,
    totalMinor: decimalToMinor(inv.totalamount, currency),
    refundedMinor: decimalToMinor(inv.ppc_refundedamount, currency),
    state: { statecode: Number(inv.statecode), statuscode: Number(inv.statuscode) },
    ...(orderState ? { orderState } : {}),
  };
}

export async function customerTotals(
  dv: DataversePort,
  customer: ParentTransaction['customer'],
): Promise<ExistingCustomerTotals | undefined> {
  if (!customer) return undefined;
  const r = await dv.get<Row>(`${customer.table}s(${customer.id})`, [
    `${customer.table}id`,
    'ppc_totalspendbase',
    'ppc_totalrefundedbase',
    'ppc_refundcount',
  ]);
  if (!r) return undefined;
  return {
    ...customer,
    ...(r['@odata.etag'] ? { etag: scalarText(r['@odata.etag']) } : {}),
    totalSpendBase: r.ppc_totalspendbase,
    totalRefundedBase: r.ppc_totalrefundedbase,
    refundCount: Number(r.ppc_refundcount ?? 0),
  };
}

export async function recordedTransaction(dv: DataversePort, paypalId: string): Promise<boolean> {
  return (
    (await dv.get(`ppc_paypaltransactions(ppc_paypalid=${odataString(paypalId)})`, ['ppc_paypaltransactionid'])) !==
    null
  );
}

/** The capture has not reached Dataverse yet (its webhook is late): retry later. */
export const parentMissing = (paypalId: string) =>
  new AppError({
    code: 'capture_not_recorded',
    message: `transaction ${paypalId} is not in Dataverse yet; retrying`,
    failure: 'not_yet_recorded',
    httpStatus: 409,
  });
