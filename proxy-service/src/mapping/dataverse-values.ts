// Choice values of the solution's data model, imported from @ppc/solution (solution/packer/model/options.ts,
// the source solution/src is generated from), so a value is defined once. Kept here: the shapes the flows
// write, e.g. `{ statecode, statuscode }` pairs whose state comes from the table's state model.
import { errors } from '../errors.ts';
import {
  AlertType,
  CreditMemoOrigin,
  CreditMemoStatus as SolutionCreditMemoStatus,
  DisputeOutcome,
  DisputeReason,
  DisputeStage,
  DisputeStatus as SolutionDisputeStatus,
  GlPurpose,
  LedgerSide,
  LedgerSourceType,
  PaymentStatus,
  TransactionKind,
  TransactionStatus as SolutionTransactionStatus,
  creditMemo,
  dispute,
  paypalTransaction,
  statusPairs,
} from '@ppc/solution';
import { decimalsOf, formatAmount, money, type Money } from './money.ts';

export {
  AlertType,
  CreditMemoOrigin,
  DisputeOutcome,
  DisputeReason,
  DisputeStage,
  LedgerSide,
  LedgerSourceType,
  TransactionKind,
};
export const TransactionStatus = statusPairs(paypalTransaction, SolutionTransactionStatus);
export const CreditMemoStatus = statusPairs(creditMemo, SolutionCreditMemoStatus);
export const DisputeStatus = statusPairs(dispute, SolutionDisputeStatus);
/** salesorder / invoice ppc_paymentstatus. */
export const PaymentStatusChoice = PaymentStatus;
/** The GL purposes the ledger posts to (ppc_glaccountmap.ppc_purpose). */
export const LedgerPurpose = GlPurpose;
export const PurposeName: Record<number, string> = Object.fromEntries(
  Object.entries(LedgerPurpose).map(([k, v]) => [v, k]),
);
// invoice's own state and status reasons are the platform's, not the solution's
// (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/invoice#BKMK_StatusCode).
export const InvoiceState = { Active: 0, Paid: 2 } as const;
export const InvoiceStatus = { New: 1, Complete: 100001, Partial: 100002 } as const;

/** A Dataverse decimal (number or text, any number of decimals) as minor units of `currency`, rounded half away from zero. */
export function decimalToMinor(value: unknown, currency: string): number {
  if (value === null || value === undefined || value === '') return 0;
  const text = typeof value === 'number' ? value.toFixed(10) : scalarText(value);
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return 0;
  const d = decimalsOf(currency);
  const frac = (m[3] ?? '').padEnd(d + 1, '0');
  let minor = Number(m[2]) * 10 ** d + Number(frac.slice(0, d) || '0');
  if (Number(frac[d]) >= 5) minor += 1;
  return m[1] ? -minor : minor;
}

export const toDecimal = (minor: number, currency: string): number => Number(formatAmount(money(minor, currency)));
export const moneyValue = (m: Money): number => toDecimal(m.minor, m.currency);

/**
 * A scalar Dataverse column value (lookup GUIDs, etags, text, numbers) as text. A JSON object or array here
 * is a read of the wrong column, so it fails loudly instead of becoming "[object Object]" in a record key.
 */
export function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  throw errors.validation(`expected a scalar Dataverse value, got ${v === null ? 'null' : typeof v}`);
}

/** OData string literal: single quotes doubled. */
export const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A Dataverse date value as ISO 8601 text, whether the client gave a Date or a string. */
export const isoDateTime = (v: unknown): string | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  const d = v instanceof Date ? v : new Date(scalarText(v));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace('.000Z', 'Z');
};
