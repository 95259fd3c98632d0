// Reads the spend figures the proxy keeps on account/contact (customer enrichment, ARCHITECTURE.md §3):
// totals in base currency, counts, first/last payment, refund ratio and ppc_monthlyspendjson
// ({"2026-01": "123.45", …}, base currency) for the 12-month chart.
import type { DataService } from '../shared/data-service';
import { date, guid, num, str } from '../shared/data-service';
import { createCurrencyResolver } from '../shared/currency';
import type { FormRecord } from '../shared/form-record';
import type { Money } from '../shared/money';
import { toMinor } from '../shared/money';
import { Customer, Tables, Transaction, TransactionKind } from '../shared/names';

export interface MonthSpend {
  /** "YYYY-MM" */
  month: string;
  amount: Money;
}

export interface SpendView {
  /** captured, before refunds (total + refunded) */
  gross: Money;
  /** captured − refunded: what the proxy keeps as ppc_totalspendbase */
  total: Money;
  refunded: Money;
  refundCount?: number;
  /** reversals (chargebacks, disputes lost) of this customer's payments; undefined when the user may not read them */
  reversed?: Money;
  reversalCount?: number;
  paymentCount: number;
  firstPayment?: Date;
  lastPayment?: Date;
  /** 0..1 */
  refundRatio?: number;
  /** the 12 months ending with the current one, oldest first; months without spend are zero */
  months: MonthSpend[];
}

export interface SpendService {
  /** null when the customer has no PayPal payments (empty state) */
  load(record: FormRecord, fallbackCurrency: string): Promise<SpendView | null>;
}

export function lastTwelveMonths(now: Date): string[] {
  const months: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return months;
}

export function parseMonthly(json: string | undefined): Map<string, number> {
  const result = new Map<string, number>();
  if (!json) return result;
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return result;
    for (const [month, value] of Object.entries(parsed as Record<string, unknown>)) {
      const amount = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
      if (/^\d{4}-\d{2}$/.test(month) && Number.isFinite(amount)) result.set(month, amount);
    }
  } catch {
    // a malformed value shows an empty chart rather than breaking the form
  }
  return result;
}

export function createSpendService(data: DataService, now: () => Date = () => new Date()): SpendService {
  const currencies = createCurrencyResolver(data);
  return {
    async load(record, fallbackCurrency) {
      const lookup = record.entityName === Tables.contact ? Transaction.contactValue : Transaction.accountValue;
      const [customer, latest] = await Promise.all([
        data.retrieve(record.entityName, record.id, [
          Customer.totalSpendBase,
          Customer.totalRefundedBase,
          Customer.paymentCount,
          Customer.firstPayment,
          Customer.lastPayment,
          Customer.refundRatio,
          Customer.monthlySpend,
          Customer.refundCount,
        ]),
        // the organisation's base currency as the proxy recorded it on this customer's latest payment;
        // users who may not read PayPal transactions still see the totals (in the configured currency)
        data
          .retrieveMultiple(
            Tables.transaction,
            `$select=${Transaction.baseCurrency}&$filter=${lookup} eq ${guid(record.id)}&$orderby=${Transaction.date} desc&$top=1`,
          )
          .catch(() => []),
      ]);
      const count = num(customer, Customer.paymentCount) ?? 0;
      if (count === 0) return null;
      const currency = await currencies.load(
        (latest[0] && str(latest[0], Transaction.baseCurrency)) ?? fallbackCurrency,
      );
      const monthly = parseMonthly(str(customer, Customer.monthlySpend));
      const money = (major: number | undefined): Money => ({ minor: toMinor(major ?? 0, currency), currency });
      const total = money(num(customer, Customer.totalSpendBase));
      const refunded = money(num(customer, Customer.totalRefundedBase));
      // reversals are PayPal taking a payment back (chargeback, dispute lost): rows of their own, in base currency
      const reversals = await data
        .retrieveMultiple(
          Tables.transaction,
          `$select=${Transaction.grossBase},${Transaction.gross}&$filter=${lookup} eq ${guid(record.id)} and ${Transaction.kind} eq ${TransactionKind.Reversal}`,
        )
        .catch(() => undefined);
      return {
        gross: { minor: total.minor + refunded.minor, currency },
        total,
        refunded,
        refundCount: num(customer, Customer.refundCount),
        reversed: reversals && {
          minor: reversals.reduce(
            (sum, row) => sum + Math.abs(toMinor(num(row, Transaction.grossBase) ?? 0, currency)),
            0,
          ),
          currency,
        },
        reversalCount: reversals?.length,
        paymentCount: count,
        firstPayment: date(customer, Customer.firstPayment),
        lastPayment: date(customer, Customer.lastPayment),
        refundRatio: num(customer, Customer.refundRatio),
        months: lastTwelveMonths(now()).map((month) => ({ month, amount: money(monthly.get(month)) })),
      };
    },
  };
}
