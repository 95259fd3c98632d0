// What Dynamics 365 booked, read for matching: PayPal transactions of a window (one paged query), the ones a
// report row names that were not in it (by id), payout items by PayPal transaction id and bank deposits by
// bank reference. Amounts come back as Dataverse decimals and are turned into integer minor units here.
import type { DataversePort } from '../adapters/dataverse/types.ts';
import { LedgerPurpose, LedgerSourceType, odataString } from '../mapping/dataverse-values.ts';
import { decimalsOf } from '../mapping/money.ts';
import { PayoutItemStatus } from '@ppc/solution';
import type { BookedDispute, BookedPayoutItem, BookedRecord } from './matcher.ts';

const TXN_SELECT =
  '$select=ppc_paypaltransactionid,ppc_paypalid,ppc_grossamount,ppc_feeamount,ppc_paypalstatus,ppc_netbaseamount,_transactioncurrencyid_value';

interface TxnRow {
  ppc_paypaltransactionid: string;
  ppc_paypalid: string;
  ppc_grossamount?: number | null;
  ppc_feeamount?: number | null;
  ppc_paypalstatus?: string | null;
  ppc_netbaseamount?: number | null;
  _transactioncurrencyid_value?: string;
}

/** A Dataverse decimal → minor units (rounded at the currency's decimals: Dataverse returns JSON numbers). */
export function toMinor(value: number | string | null | undefined, currency: string): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = typeof value === 'number' ? value : Number(value);
  return Math.round(Math.abs(n) * 10 ** decimalsOf(currency));
}

export interface Books {
  currencies: Map<string, string>;
  byId: Map<string, BookedRecord & { netBase?: number }>;
}

export async function currencyCodes(dv: DataversePort): Promise<Map<string, string>> {
  const rows = await dv.query<{ transactioncurrencyid: string; isocurrencycode: string }>(
    'transactioncurrencies',
    '$select=transactioncurrencyid,isocurrencycode',
  );
  return new Map(rows.map((r) => [r.transactioncurrencyid, r.isocurrencycode]));
}

function fromTxn(r: TxnRow, currencies: Map<string, string>): BookedRecord & { netBase?: number } {
  const currency = currencies.get(r._transactioncurrencyid_value ?? '') ?? '';
  return {
    paypalId: r.ppc_paypalid,
    kind: 'transaction',
    currency,
    grossMinor: currency ? toMinor(r.ppc_grossamount, currency) : 0,
    feeMinor: currency ? toMinor(r.ppc_feeamount, currency) : 0,
    ...(r.ppc_paypalstatus ? { status: r.ppc_paypalstatus } : {}),
    recordId: r.ppc_paypaltransactionid,
    ...(typeof r.ppc_netbaseamount === 'number' ? { netBase: r.ppc_netbaseamount } : {}),
  };
}

/** PayPal transactions booked with a transaction date in [from, to). */
export async function loadBooks(dv: DataversePort, from: string, to: string): Promise<Books> {
  const currencies = await currencyCodes(dv);
  const rows = await dv.query<TxnRow>(
    'ppc_paypaltransactions',
    `${TXN_SELECT}&$filter=ppc_transactiondate ge ${from} and ppc_transactiondate lt ${to}`,
    1_000_000,
  );
  return { currencies, byId: new Map(rows.map((r) => [r.ppc_paypalid, fromTxn(r, currencies)])) };
}

const chunks = <T>(xs: T[], n: number) =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const anyOf = (column: string, ids: string[]) => ids.map((id) => `${column} eq ${odataString(id)}`).join(' or ');

/** Booked transactions and payout items by PayPal id, whatever their date. */
export async function lookUpBooked(
  dv: DataversePort,
  currencies: Map<string, string>,
  ids: { transactions: string[]; payouts: string[] },
): Promise<Map<string, BookedRecord>> {
  const found = new Map<string, BookedRecord>();
  for (const part of chunks(ids.transactions, 25)) {
    const rows = await dv.query<TxnRow>(
      'ppc_paypaltransactions',
      `${TXN_SELECT}&$filter=${anyOf('ppc_paypalid', part)}`,
    );
    for (const r of rows) found.set(r.ppc_paypalid, fromTxn(r, currencies));
  }
  for (const part of chunks(ids.payouts, 25)) {
    const rows = await dv.query<{
      ppc_payoutitemid: string;
      ppc_paypaltransactionref: string;
      ppc_amount?: number;
      ppc_feeamount?: number;
      _transactioncurrencyid_value?: string;
    }>(
      'ppc_payoutitems',
      `$select=ppc_payoutitemid,ppc_paypaltransactionref,ppc_amount,ppc_feeamount,_transactioncurrencyid_value&$filter=${anyOf('ppc_paypaltransactionref', part)}`,
    );
    for (const r of rows) {
      const currency = currencies.get(r._transactioncurrencyid_value ?? '') ?? '';
      found.set(r.ppc_paypaltransactionref, {
        paypalId: r.ppc_paypaltransactionref,
        kind: 'payout',
        currency,
        grossMinor: currency ? toMinor(r.ppc_amount, currency) : 0,
        feeMinor: currency ? toMinor(r.ppc_feeamount, currency) : 0,
        recordId: r.ppc_payoutitemid,
      });
    }
  }
  return found;
}

/**
 * Bank deposits recorded in D365 for PayPal withdrawals: ledger lines with purpose Bank and source type
 * Withdrawal, ppc_sourceid = the withdrawal's bank reference (or its PayPal transaction id). Σ per source id.
 */
export async function bankDeposits(
  dv: DataversePort,
  currencies: Map<string, string>,
  sourceIds: string[],
): Promise<Map<string, { currency: string; amountMinor: number }>> {
  const out = new Map<string, { currency: string; amountMinor: number }>();
  for (const part of chunks(sourceIds, 25)) {
    const rows = await dv.query<{ ppc_sourceid: string; ppc_amount: number; _transactioncurrencyid_value?: string }>(
      'ppc_ledgerentries',
      `$select=ppc_sourceid,ppc_amount,_transactioncurrencyid_value&$filter=ppc_purpose eq ${LedgerPurpose.Bank} and ppc_sourcetype eq ${LedgerSourceType.Withdrawal} and (${anyOf('ppc_sourceid', part)})`,
    );
    for (const r of rows) {
      const currency = currencies.get(r._transactioncurrencyid_value ?? '') ?? '';
      const d = out.get(r.ppc_sourceid) ?? { currency, amountMinor: 0 };
      d.amountMinor += currency ? toMinor(r.ppc_amount, currency) : 0;
      out.set(r.ppc_sourceid, d);
    }
  }
  return out;
}

/**
 * The records dispute holds/releases and payout returns are matched to: ppc_dispute by the disputed payment's
 * PayPal id (ppc_captureid), ppc_payoutitem by the original payout's transaction id (ppc_paypaltransactionref).
 */
export async function linkedRecords(
  dv: DataversePort,
  currencies: Map<string, string>,
  refs: { disputedPayments: string[]; payoutTransactions: string[] },
): Promise<{ disputes: Map<string, BookedDispute>; payoutItems: Map<string, BookedPayoutItem> }> {
  const disputes = new Map<string, BookedDispute>();
  const payoutItems = new Map<string, BookedPayoutItem>();
  for (const part of chunks(refs.disputedPayments, 25)) {
    const rows = await dv.query<{
      ppc_disputeid: string;
      ppc_captureid: string;
      ppc_disputedamount?: number | null;
      ppc_paypalstatus?: string | null;
      statecode?: number;
      _transactioncurrencyid_value?: string;
    }>(
      'ppc_disputes',
      `$select=ppc_disputeid,ppc_captureid,ppc_disputedamount,ppc_paypalstatus,statecode,_transactioncurrencyid_value&$filter=${anyOf('ppc_captureid', part)}&$orderby=createdon desc`,
    );
    for (const r of rows) {
      if (disputes.has(r.ppc_captureid)) continue; // the newest dispute of a payment
      const currency = currencies.get(r._transactioncurrencyid_value ?? '') ?? '';
      disputes.set(r.ppc_captureid, {
        disputeId: r.ppc_disputeid,
        captureId: r.ppc_captureid,
        currency,
        amountMinor: currency ? toMinor(r.ppc_disputedamount, currency) : 0,
        closed: r.statecode === 1,
        ...(r.ppc_paypalstatus ? { status: r.ppc_paypalstatus } : {}),
      });
    }
  }
  const statusName = new Map(Object.entries(PayoutItemStatus).map(([name, value]) => [value, name]));
  for (const part of chunks(refs.payoutTransactions, 25)) {
    const rows = await dv.query<{
      ppc_payoutitemid: string;
      ppc_paypaltransactionref: string;
      ppc_amount?: number | null;
      statuscode?: number;
      _transactioncurrencyid_value?: string;
    }>(
      'ppc_payoutitems',
      `$select=ppc_payoutitemid,ppc_paypaltransactionref,ppc_amount,statuscode,_transactioncurrencyid_value&$filter=${anyOf('ppc_paypaltransactionref', part)}`,
    );
    for (const r of rows) {
      const currency = currencies.get(r._transactioncurrencyid_value ?? '') ?? '';
      payoutItems.set(r.ppc_paypaltransactionref, {
        itemId: r.ppc_payoutitemid,
        transactionRef: r.ppc_paypaltransactionref,
        currency,
        amountMinor: currency ? toMinor(r.ppc_amount, currency) : 0,
        status: statusName.get(r.statuscode ?? -1) ?? String(r.statuscode ?? 'unknown'),
      });
    }
  }
  return { disputes, payoutItems };
}
