// Loads what PaymentStatus shows for a sales order or invoice: its PayPal capture (or sale), the refunds
// and reversals whose parent is that capture, and its latest dispute.
import type { CurrencyResolver } from '../shared/currency';
import { createCurrencyResolver, moneyOf } from '../shared/currency';
import type { DataService, Row } from '../shared/data-service';
import { date, guid, num, str } from '../shared/data-service';
import type { FormRecord } from '../shared/form-record';
import type { FraudBand } from '../shared/fraud';
import { bandOf } from '../shared/fraud';
import type { Money } from '../shared/money';
import { Common, Dispute, FORMATTED, Tables, Transaction, TransactionKind, TransactionStatus } from '../shared/names';

export type PaymentStatusKey =
  | 'pending'
  | 'completed'
  | 'declined'
  | 'refunded'
  | 'partiallyRefunded'
  | 'reversed'
  | 'onHold'
  | 'failed'
  | 'unknown';

export interface Amounts {
  gross: Money;
  fee: Money;
  net: Money;
}

export interface TimelineEntry {
  kind: 'capture' | 'refund' | 'reversal';
  at?: Date;
  amount: Money;
  paypalId?: string;
}

export interface PaymentView {
  paypalId: string;
  status: PaymentStatusKey;
  amounts: Amounts;
  /** the same amounts in the organisation's base currency, when it differs */
  base?: Amounts;
  timeline: TimelineEntry[];
  dispute?: { status: string; amount?: Money };
  fraud?: { score: number; band: FraudBand };
}

export interface PaymentService {
  /** null when the record has no PayPal payment yet (empty state) */
  load(record: FormRecord): Promise<PaymentView | null>;
}

const STATUS_KEYS = new Map<number, PaymentStatusKey>([
  [TransactionStatus.Pending, 'pending'],
  [TransactionStatus.Completed, 'completed'],
  [TransactionStatus.Declined, 'declined'],
  [TransactionStatus.Refunded, 'refunded'],
  [TransactionStatus.PartiallyRefunded, 'partiallyRefunded'],
  [TransactionStatus.Reversed, 'reversed'],
  [TransactionStatus.OnHold, 'onHold'],
  [TransactionStatus.Failed, 'failed'],
]);

const COLUMNS = [
  Transaction.id,
  Transaction.paypalId,
  Transaction.kind,
  Common.statusCode,
  Common.currencyValue,
  Transaction.gross,
  Transaction.fee,
  Transaction.net,
  Transaction.baseCurrency,
  Transaction.grossBase,
  Transaction.feeBase,
  Transaction.netBase,
  Transaction.date,
  Transaction.fraudScore,
  Transaction.riskBand,
].join(',');

function zero(currency: string): Money {
  return { minor: 0, currency };
}

function amounts(row: Row, currency: string, columns: readonly [string, string, string]): Amounts {
  return {
    gross: moneyOf(row, columns[0], currency) ?? zero(currency),
    fee: moneyOf(row, columns[1], currency) ?? zero(currency),
    net: moneyOf(row, columns[2], currency) ?? zero(currency),
  };
}

function kindOf(row: Row): TimelineEntry['kind'] {
  const kind = num(row, Transaction.kind);
  if (kind === TransactionKind.Reversal) return 'reversal';
  if (kind === TransactionKind.Refund) return 'refund';
  return 'capture';
}

async function timelineEntry(row: Row, currencies: CurrencyResolver): Promise<TimelineEntry> {
  const currency = await currencies.codeOf(row);
  return {
    kind: kindOf(row),
    at: date(row, Transaction.date),
    amount: moneyOf(row, Transaction.gross, currency) ?? zero(currency),
    paypalId: str(row, Transaction.paypalId),
  };
}

export function createPaymentService(data: DataService): PaymentService {
  const currencies = createCurrencyResolver(data);
  return {
    async load(record) {
      const lookup = record.entityName === Tables.invoice ? Transaction.invoiceValue : Transaction.salesOrderValue;
      const kinds = `(${Transaction.kind} eq ${TransactionKind.Capture} or ${Transaction.kind} eq ${TransactionKind.Sale})`;
      const captures = await data.retrieveMultiple(
        Tables.transaction,
        `$select=${COLUMNS}&$filter=${lookup} eq ${guid(record.id)} and ${kinds}&$orderby=${Transaction.date} desc`,
      );
      const capture = captures[0];
      if (!capture) return null;
      const captureId = guid(String(capture[Transaction.id]));
      const [children, disputes, currency] = await Promise.all([
        data.retrieveMultiple(
          Tables.transaction,
          `$select=${COLUMNS}&$filter=${Transaction.parentValue} eq ${captureId}&$orderby=${Transaction.date} asc`,
        ),
        data.retrieveMultiple(
          Tables.dispute,
          `$select=${Common.statusCode},${Dispute.amount},${Common.currencyValue}&$filter=${Dispute.transactionValue} eq ${captureId}`,
        ),
        currencies.codeOf(capture),
      ]);
      const baseCurrency = str(capture, Transaction.baseCurrency);
      const dispute = disputes[0];
      const score = num(capture, Transaction.fraudScore);
      return {
        paypalId: str(capture, Transaction.paypalId) ?? '',
        status: STATUS_KEYS.get(num(capture, Common.statusCode) ?? 0) ?? 'unknown',
        amounts: amounts(capture, currency, [Transaction.gross, Transaction.fee, Transaction.net]),
        base:
          baseCurrency && baseCurrency !== currency
            ? amounts(capture, baseCurrency, [Transaction.grossBase, Transaction.feeBase, Transaction.netBase])
            : undefined,
        timeline: await Promise.all([capture, ...children].map((row) => timelineEntry(row, currencies))),
        dispute: dispute && {
          status: str(dispute, `${Common.statusCode}${FORMATTED}`) ?? String(num(dispute, Common.statusCode) ?? ''),
          amount: moneyOf(dispute, Dispute.amount, await currencies.codeOf(dispute)),
        },
        fraud: score === undefined ? undefined : { score, band: bandOf(score, num(capture, Transaction.riskBand)) },
      };
    },
  };
}
