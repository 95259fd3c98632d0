// Choice values and small conversions for the solution's data model (solution/README.md). One place, so a
// renamed value is one edit.
import { decimalsOf, formatAmount, money, type Money } from './money.ts';

export const TransactionKind = { Capture: 416500000, Sale: 416500001, Refund: 416500002, Reversal: 416500003 } as const;
export const TransactionStatus = {
  Pending: { statecode: 0, statuscode: 1 },
  Completed: { statecode: 0, statuscode: 416500010 },
  PartiallyRefunded: { statecode: 0, statuscode: 416500011 },
  Refunded: { statecode: 0, statuscode: 416500012 },
  Reversed: { statecode: 0, statuscode: 416500013 },
  OnHold: { statecode: 0, statuscode: 416500014 },
  Declined: { statecode: 1, statuscode: 2 },
  Failed: { statecode: 1, statuscode: 416500015 },
} as const;
export const PaymentStatusChoice = {
  None: 416500290,
  Pending: 416500291,
  Paid: 416500292,
  PartiallyRefunded: 416500293,
  Refunded: 416500294,
  Declined: 416500295,
  Reversed: 416500296,
  Disputed: 416500297,
} as const;
export const CreditMemoStatus = {
  Draft: { statecode: 0, statuscode: 1 },
  PendingApproval: { statecode: 0, statuscode: 416500020 },
  RefundRequested: { statecode: 0, statuscode: 416500021 },
  Refunded: { statecode: 1, statuscode: 2 },
  Failed: { statecode: 1, statuscode: 416500022 },
} as const;
export const CreditMemoOrigin = { Dynamics365: 416500030, PayPal: 416500031 } as const;
export const AlertType = { Reversal: 416500201, Dispute: 416500203 } as const;
export const InvoiceState = { Active: 0, Paid: 2 } as const;
export const InvoiceStatus = { New: 1, Complete: 100001, Partial: 100002 } as const;
export const LedgerPurpose = {
  Clearing: 416500240,
  FeeExpense: 416500241,
  FxGain: 416500242,
  FxLoss: 416500243,
  Receivable: 416500244,
  Refunds: 416500245,
  Chargeback: 416500246,
  ChargebackFee: 416500247,
} as const;
export const LedgerSide = { Debit: 416500260, Credit: 416500261 } as const;
export const LedgerSourceType = { Capture: 416500270, Refund: 416500271, Reversal: 416500272 } as const;
export const PurposeName: Record<number, string> = Object.fromEntries(
  Object.entries(LedgerPurpose).map(([k, v]) => [v, k]),
);

/** A Dataverse decimal (number or text, any number of decimals) as minor units of `currency`, rounded half away from zero. */
export function decimalToMinor(value: unknown, currency: string): number {
  if (value === null || value === undefined || value === '') return 0;
  const text = typeof value === 'number' ? value.toFixed(10) : String(value);
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

/** OData string literal: single quotes doubled. */
export const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A Dataverse date value as ISO 8601 text, whether the client gave a Date or a string. */
export const isoDateTime = (v: unknown): string | undefined => {
  if (v === null || v === undefined || v === '') return undefined;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace('.000Z', 'Z');
};
