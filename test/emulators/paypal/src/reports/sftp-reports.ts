// Settlement (STL) and Transaction Detail (TRR) report files in PayPal's SFTP layout
// (developer.paypal.com/docs/reports/sftp-reports/settlement-report/ and .../transaction-detail/;
// Settlement Report Specification v9): RH/FH/SH/CH/SB/SF/SC/RF/RC/FF rows, UTF-8 with BOM, varchar fields
// quoted, dates and amounts unquoted, amounts unsigned with two implied decimals for every currency
// (JPY 1500 → 150000), direction in CR/DR columns. Pure functions over ledger rows.
// Unverified against a complete real file (none is public): the SF/RF field layout follows the only
// public SF example: currency, gross CR, gross DR, fee CR, fee DR, six (CR/DR, amount) balance pairs, count.
import type { LedgerEntry } from '../core/state.ts';
import { exponent } from '../core/money.ts';

export const STL_COLUMNS = [
  'Transaction ID', 'Invoice ID', 'PayPal Reference ID', 'PayPal Reference ID Type', 'Transaction Event Code',
  'Transaction Initiation Date', 'Transaction Completion Date', 'Transaction Debit or Credit', 'Gross Transaction Amount',
  'Gross Transaction Currency', 'Fee Debit or Credit', 'Fee Amount', 'Fee Currency', 'Custom Field', 'Consumer ID',
  'Payment Tracking ID', 'Store ID', 'Bank Reference ID', 'Credit Transactional Fee', 'Credit Promotional Fee', 'Credit Term',
]; // prettier-ignore

// TRR version 8 column set (as in the saved Wikimedia TRR rows).
export const TRR_COLUMNS = [
  'Transaction ID', 'Invoice ID', 'PayPal Reference ID', 'PayPal Reference ID Type', 'Transaction Event Code',
  'Transaction Initiation Date', 'Transaction Completion Date', 'Transaction Debit or Credit', 'Gross Transaction Amount',
  'Gross Transaction Currency', 'Fee Debit or Credit', 'Fee Amount', 'Fee Currency', 'Transactional Status',
  'Insurance Amount', 'Sales Tax Amount', 'Shipping Amount', 'Transaction Subject', 'Transaction Note',
  "Payer's Account ID", 'Payer Address Status', 'Item Name', 'Item ID', 'Option 1 Name', 'Option 1 Value',
  'Option 2 Name', 'Option 2 Value', 'Auction Site', 'Auction Buyer ID', 'Auction Closing Date',
  'Shipping Address Line1', 'Shipping Address Line2', 'Shipping Address City', 'Shipping Address State',
  'Shipping Address Zip', 'Shipping Address Country', 'Shipping Method', 'Custom Field', 'Billing Address Line1',
  'Billing Address Line2', 'Billing Address City', 'Billing Address State', 'Billing Address Zip',
  'Billing Address Country', 'Consumer ID', 'First Name', 'Last Name', 'Consumer Business Name', 'Card Type',
  'Payment Source', 'Shipping Name', 'Authorization Review Status', 'Protection Eligibility', 'Payment Tracking ID',
]; // prettier-ignore

const NUMERIC = new Set([
  'Gross Transaction Amount',
  'Fee Amount',
  'Insurance Amount',
  'Sales Tax Amount',
  'Shipping Amount',
  'Credit Transactional Fee',
  'Credit Promotional Fee',
]);
const DATES = new Set(['Transaction Initiation Date', 'Transaction Completion Date', 'Auction Closing Date']);

export interface ReportInput {
  type: 'STL' | 'TRR';
  accountId: string;
  /** Window start (inclusive) and end (exclusive), ms since epoch. */
  from: number;
  to: number;
  generatedAt: number;
  ledger: LedgerEntry[];
  sequence?: number;
}

export interface ReportFile {
  name: string;
  content: string;
}

/** Two implied decimals for every currency: PayPal writes JPY 1500 as 150000, USD 15.00 as 1500. */
export function impliedCents(minor: number, currency: string): number {
  return Math.abs(minor) * 10 ** (2 - exponent(currency));
}

function date(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)} ${iso.slice(11, 19)} +0000`;
}

const q = (s: string | undefined) => `"${(s ?? '').replace(/"/g, '""')}"`;

function row(type: string, fields: Array<string | number | undefined>): string {
  return [q(type), ...fields.map((f) => (typeof f === 'number' ? String(f) : f === undefined ? '' : f))].join(',');
}

// Customer payments and their refunds (the rows that name a payer): T0002 subscription payment, T0006 Checkout
// capture, T1107 refund.
const PAYMENT_SOURCE: Record<string, string> = { T0006: 'Express Checkout', T0002: 'Others', T1107: 'Others' };

function sbFields(columns: string[], e: LedgerEntry): Array<string | number | undefined> {
  const customer = e.payer !== undefined;
  const payment = e.eventCode === 'T0006' || e.eventCode === 'T0002';
  const values: Record<string, string | number | undefined> = {
    'Transaction ID': e.transactionId,
    'Invoice ID': e.invoiceId,
    'PayPal Reference ID': e.referenceId,
    // ODR (order), TXN (transaction), SUB (subscription), PAP (pre-approved payment): written whenever a
    // reference id is (TRR and STL specs, "PayPal Reference ID Type").
    'PayPal Reference ID Type': e.referenceId ? (e.referenceIdType ?? '') : '',
    'Transaction Event Code': e.eventCode,
    'Transaction Initiation Date': date(Date.parse(e.initiationTime)),
    'Transaction Completion Date': date(Date.parse(e.updatedTime)),
    'Transaction Debit or Credit': e.amountMinor < 0 ? 'DR' : 'CR',
    'Gross Transaction Amount': impliedCents(e.amountMinor, e.currency),
    'Gross Transaction Currency': e.currency,
    'Fee Debit or Credit': e.feeMinor ? (e.feeMinor < 0 ? 'DR' : 'CR') : '',
    'Fee Amount': e.feeMinor ? impliedCents(e.feeMinor, e.currency) : undefined,
    'Fee Currency': e.feeMinor ? e.currency : '',
    'Custom Field': e.customId,
    // The saved TRR rows (test/fixtures/paypal-reports): Consumer ID is the payer's account id, Payer's
    // Account ID the payer's email; Sales Tax and Shipping 0 (Insurance left empty); Payer Address Status N
    // (the emulator confirms no addresses); Protection Eligibility and Authorization Review Status as
    // two-digit codes (01 eligible / approved: emulator captures are ELIGIBLE for seller protection, and a
    // refund row carries its payment's code but no review status).
    'Consumer ID': e.payer?.payerId,
    'Bank Reference ID': e.bankReferenceId,
    'Transactional Status': e.status,
    'Sales Tax Amount': customer ? 0 : undefined,
    'Shipping Amount': customer ? 0 : undefined,
    'Transaction Subject': e.subject,
    'Transaction Note': e.note,
    "Payer's Account ID": e.payer?.email,
    'Payer Address Status': customer ? 'N' : '',
    'First Name': e.payer?.givenName,
    'Last Name': e.payer?.surname,
    'Payment Source': customer ? (PAYMENT_SOURCE[e.eventCode] ?? '') : '',
    'Authorization Review Status': customer && payment ? '01' : '',
    'Protection Eligibility': customer ? '01' : '',
  };
  return columns.map((c) => {
    const v = values[c];
    if (NUMERIC.has(c) || DATES.has(c)) return v;
    return q(v === undefined ? '' : String(v));
  });
}

interface Totals {
  grossCr: number;
  grossDr: number;
  feeCr: number;
  feeDr: number;
  begin: number;
  end: number;
  count: number;
}

function footer(type: 'SF' | 'RF', currency: string, t: Totals): string {
  const pair = (minor: number) => [q(minor < 0 ? 'DR' : 'CR'), impliedCents(minor, currency)] as const;
  return row(type, [
    q(currency),
    t.grossCr,
    t.grossDr,
    t.feeCr,
    t.feeDr,
    ...pair(t.begin),
    ...pair(t.end),
    ...pair(0),
    ...pair(0),
    ...pair(0),
    ...pair(0),
    t.count,
  ]);
}

export function buildReport(input: ReportInput): ReportFile {
  const { type, from, to } = input;
  const columns = type === 'STL' ? STL_COLUMNS : TRR_COLUMNS;
  const counts = (e: LedgerEntry) => (type === 'STL' ? e.balanceAffecting && e.status !== 'D' : true);
  const inWindow = (e: LedgerEntry) => {
    const t = Date.parse(e.initiationTime);
    return t >= from && t < to;
  };
  const rows = input.ledger.filter((e) => inWindow(e) && counts(e));
  const totals = new Map<string, Totals>();
  const balanceBefore = new Map<string, number>();
  for (const e of input.ledger) {
    if (Date.parse(e.initiationTime) < from && e.balanceAffecting && e.status !== 'D')
      balanceBefore.set(e.currency, (balanceBefore.get(e.currency) ?? 0) + e.amountMinor + e.feeMinor);
  }
  for (const e of rows) {
    const t = totals.get(e.currency) ?? {
      grossCr: 0,
      grossDr: 0,
      feeCr: 0,
      feeDr: 0,
      begin: balanceBefore.get(e.currency) ?? 0,
      end: balanceBefore.get(e.currency) ?? 0,
      count: 0,
    };
    const gross = impliedCents(e.amountMinor, e.currency);
    const fee = impliedCents(e.feeMinor, e.currency);
    if (e.amountMinor < 0) t.grossDr += gross;
    else t.grossCr += gross;
    if (e.feeMinor < 0) t.feeDr += fee;
    else t.feeCr += fee;
    if (e.balanceAffecting && e.status !== 'D') t.end += e.amountMinor + e.feeMinor;
    t.count++;
    totals.set(e.currency, t);
  }
  const lines: string[] = [
    row('RH', [date(input.generatedAt), q('A'), q(input.accountId), type === 'STL' ? '009' : '008', '']),
    row('FH', ['01']),
    row('SH', [date(from), date(to - 1000), q(input.accountId), q('')]),
    row('CH', columns.map(q)),
    ...rows.map((e) => row('SB', sbFields(columns, e))),
    ...[...totals.entries()].map(([c, t]) => footer('SF', c, t)),
    row('SC', [rows.length]),
    ...[...totals.entries()].map(([c, t]) => footer('RF', c, t)),
    row('RC', [rows.length]),
    row('FF', [rows.length]),
  ];
  const day = new Date(from).toISOString().slice(0, 10).replace(/-/g, '');
  const seq = String(input.sequence ?? 1).padStart(2, '0');
  return {
    name: `${type}-${day}.${seq}.${type === 'STL' ? '009' : '008'}.CSV`,
    content: `\uFEFF${lines.join('\r\n')}\r\n`,
  };
}
