// Loads what PaymentStatus shows for a sales order or invoice: its PayPal capture (or sale), the refunds and
// reversals whose parent is that capture (so fee and net follow them), the credit memos behind the refunds (who
// asked and why), its latest dispute with amount, reason, stage and due date, and the fraud review outcome.
import type { CurrencyResolver } from '../shared/currency';
import { createCurrencyResolver, moneyOf } from '../shared/currency';
import type { DataService, Row } from '../shared/data-service';
import { date, guid, num, str } from '../shared/data-service';
import type { FormRecord } from '../shared/form-record';
import type { FraudBand } from '../shared/fraud';
import { bandOf, parseReasons } from '../shared/fraud';
import type { Money } from '../shared/money';
import { toMinor } from '../shared/money';
import {
  AlertType,
  Common,
  CreditMemo,
  Dispute,
  DisputeStatus,
  FORMATTED,
  FraudAlert,
  FraudAlertStatus,
  State,
  Tables,
  Transaction,
  TransactionKind,
  TransactionStatus,
} from '../shared/names';

export type PaymentStatusKey =
  | 'pending'
  | 'completed'
  | 'declined'
  | 'refunded'
  | 'partiallyRefunded'
  | 'reversed'
  | 'onHold'
  | 'failed'
  | 'voided'
  | 'unknown';

export interface Amounts {
  gross: Money;
  /** PayPal's fee less what refunds returned */
  fee: Money;
  /** what the merchant keeps: net of the capture less the net of every refund and reversal */
  net: Money;
  refunded?: Money;
  reversed?: Money;
}

export interface TimelineEntry {
  kind: 'capture' | 'refund' | 'reversal';
  at?: Date;
  amount: Money;
  paypalId?: string;
  pending?: boolean;
}

export interface RefundEntry {
  paypalId?: string;
  at?: Date;
  amount: Money;
  pending: boolean;
  /** the credit memo's requester, from the connector's Requested By */
  by?: string;
  reason?: string;
  note?: string;
}

export type DisputeStatusKey = 'open' | 'waitingForSeller' | 'waitingForBuyer' | 'underReview' | 'resolved' | 'other';

export interface PaymentView {
  paypalId: string;
  status: PaymentStatusKey;
  /** PayPal's status_details.reason for a pending or declined payment, e.g. PENDING_REVIEW */
  statusReason?: string;
  /** money moved: false for pending, declined, failed and voided payments (no fee, no net) */
  settled: boolean;
  amounts: Amounts;
  /** the same amounts in the organisation's base currency, when it differs */
  base?: Amounts;
  payer?: { id?: string; email?: string };
  timeline: TimelineEntry[];
  refunds: RefundEntry[];
  dispute?: {
    status: DisputeStatusKey;
    amount?: Money;
    reason?: string;
    stage?: string;
    due?: Date;
    paypalId?: string;
  };
  fraud?: { score: number; band: FraudBand; reasons: string[]; review?: 'markedSafe' | 'confirmedFraud' };
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
  [TransactionStatus.Voided, 'voided'],
]);

const UNSETTLED = new Set<PaymentStatusKey>(['pending', 'declined', 'failed', 'voided']);

const DISPUTE_KEYS = new Map<number, DisputeStatusKey>([
  [DisputeStatus.Open, 'open'],
  [DisputeStatus.WaitingForSellerResponse, 'waitingForSeller'],
  [DisputeStatus.WaitingForBuyerResponse, 'waitingForBuyer'],
  [DisputeStatus.UnderReview, 'underReview'],
  [DisputeStatus.Resolved, 'resolved'],
  [DisputeStatus.Other, 'other'],
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
  Transaction.fraudReasons,
  Transaction.statusDetails,
  Transaction.payerId,
  Transaction.payerEmail,
].join(',');

function zero(currency: string): Money {
  return { minor: 0, currency };
}

const sum = (a: Money, minor: number): Money => ({ minor: a.minor + minor, currency: a.currency });

function kindOf(row: Row): TimelineEntry['kind'] {
  const kind = num(row, Transaction.kind);
  if (kind === TransactionKind.Reversal) return 'reversal';
  if (kind === TransactionKind.Refund) return 'refund';
  return 'capture';
}

const isPending = (row: Row) => num(row, Common.statusCode) === TransactionStatus.Pending;

/** Gross, fee and net after the completed refunds and reversals in `children` (columns: transaction or base). */
function amountsAfter(
  capture: Row,
  children: Row[],
  currency: string,
  columns: readonly [string, string, string],
): Amounts {
  // a child without base amounts is converted at the capture's own rate (base gross / gross)
  const captureGross = num(capture, Transaction.gross);
  const captureColumn = num(capture, columns[0]);
  const rate = captureGross && captureColumn !== undefined ? captureColumn / captureGross : 1;
  const transactionColumn = [Transaction.gross, Transaction.fee, Transaction.net];
  const money = (row: Row, column: string) => {
    const own = moneyOf(row, column, currency);
    if (own) return own.minor;
    const other = num(row, transactionColumn[columns.indexOf(column)] ?? column);
    return other === undefined ? 0 : Math.round(toMinor(other * rate, currency));
  };
  let result: Amounts = {
    gross: moneyOf(capture, columns[0], currency) ?? zero(currency),
    fee: moneyOf(capture, columns[1], currency) ?? zero(currency),
    net: moneyOf(capture, columns[2], currency) ?? zero(currency),
  };
  for (const child of children) {
    if (isPending(child)) continue;
    // refunds and reversals are stored with positive amounts; their fee is what PayPal returned
    const gross = Math.abs(money(child, columns[0]));
    const fee = Math.abs(money(child, columns[1]));
    // a row without its net (older rows) nets to gross − fee returned
    const net =
      num(child, columns[2]) !== undefined || num(child, Transaction.net) !== undefined
        ? Math.abs(money(child, columns[2]))
        : gross - fee;
    const key = kindOf(child) === 'reversal' ? 'reversed' : 'refunded';
    result = {
      ...result,
      [key]: sum(result[key] ?? zero(currency), gross),
      fee: sum(result.fee, -fee),
      net: sum(result.net, -net),
    };
  }
  return result;
}

async function timelineEntry(row: Row, currencies: CurrencyResolver): Promise<TimelineEntry> {
  const currency = await currencies.codeOf(row);
  const amount = moneyOf(row, Transaction.gross, currency) ?? zero(currency);
  return {
    kind: kindOf(row),
    at: date(row, Transaction.date),
    amount: { minor: Math.abs(amount.minor), currency },
    paypalId: str(row, Transaction.paypalId),
    pending: isPending(row) || undefined,
  };
}

/** Finds the capture (or v1 sale) a sales order or invoice is linked to: the transaction's own lookup to it. */
export async function linkedCapture(data: DataService, record: FormRecord, columns: string): Promise<Row | undefined> {
  const lookup = record.entityName === Tables.invoice ? Transaction.invoiceValue : Transaction.salesOrderValue;
  const kinds = `(${Transaction.kind} eq ${TransactionKind.Capture} or ${Transaction.kind} eq ${TransactionKind.Sale})`;
  const rows = await data.retrieveMultiple(
    Tables.transaction,
    `$select=${columns}&$filter=${lookup} eq ${guid(record.id)} and ${kinds}&$orderby=${Transaction.date} desc&$top=1`,
  );
  return rows[0];
}

const baseCurrencyOf = (row: Row) => str(row, Transaction.baseCurrency);

export function createPaymentService(data: DataService): PaymentService {
  const currencies = createCurrencyResolver(data);
  return {
    async load(record) {
      const capture = await linkedCapture(data, record, COLUMNS);
      if (!capture) return null;
      const captureId = guid(String(capture[Transaction.id]));
      const [children, disputes, memos, alerts, currency] = await Promise.all([
        data.retrieveMultiple(
          Tables.transaction,
          `$select=${COLUMNS}&$filter=${Transaction.parentValue} eq ${captureId}&$orderby=${Transaction.date} asc`,
        ),
        data
          .retrieveMultiple(
            Tables.dispute,
            `$select=${Common.statusCode},${Dispute.paypalId},${Dispute.amount},${Common.currencyValue},${Dispute.reason},${Dispute.stage},${Dispute.due}&$filter=${Dispute.transactionValue} eq ${captureId}&$orderby=${Dispute.openedOn} desc`,
          )
          .catch(() => []),
        // who asked for each refund and why: the credit memos on this capture (unreadable ones are left out)
        data
          .retrieveMultiple(
            Tables.creditMemo,
            `$select=${CreditMemo.paypalRefundId},${CreditMemo.requestedByValue},${CreditMemo.reasonCode},${CreditMemo.reasonNote}&$filter=${CreditMemo.captureValue} eq ${captureId}`,
          )
          .catch(() => []),
        data
          .retrieveMultiple(
            Tables.fraudAlert,
            `$select=${Common.statusCode}&$filter=${FraudAlert.transactionValue} eq ${captureId} and ${FraudAlert.alertType} eq ${AlertType.FraudScore} and ${Common.stateCode} eq ${State.Inactive}&$orderby=${FraudAlert.reviewedOn} desc&$top=1`,
          )
          .catch(() => []),
        currencies.codeOf(capture),
      ]);
      // the base currency's symbol and decimals, from its transactioncurrency record
      if (baseCurrencyOf(capture)) await currencies.load(baseCurrencyOf(capture)!);
      const status = STATUS_KEYS.get(num(capture, Common.statusCode) ?? 0) ?? 'unknown';
      const baseCurrency = str(capture, Transaction.baseCurrency);
      const dispute = disputes[0];
      const score = num(capture, Transaction.fraudScore);
      const reviewStatus = alerts[0] && num(alerts[0], Common.statusCode);
      const memoByRefund = new Map(memos.map((m) => [str(m, CreditMemo.paypalRefundId), m]));
      const refundRows = children.filter((row) => kindOf(row) === 'refund');
      return {
        paypalId: str(capture, Transaction.paypalId) ?? '',
        status,
        statusReason: str(capture, Transaction.statusDetails),
        settled: !UNSETTLED.has(status),
        amounts: amountsAfter(capture, children, currency, [Transaction.gross, Transaction.fee, Transaction.net]),
        base:
          baseCurrency && baseCurrency !== currency
            ? amountsAfter(capture, children, baseCurrency, [
                Transaction.grossBase,
                Transaction.feeBase,
                Transaction.netBase,
              ])
            : undefined,
        payer:
          str(capture, Transaction.payerId) || str(capture, Transaction.payerEmail)
            ? { id: str(capture, Transaction.payerId), email: str(capture, Transaction.payerEmail) }
            : undefined,
        timeline: await Promise.all([capture, ...children].map((row) => timelineEntry(row, currencies))),
        refunds: await Promise.all(
          refundRows.map(async (row) => {
            const entry = await timelineEntry(row, currencies);
            const memo = memoByRefund.get(entry.paypalId);
            return {
              paypalId: entry.paypalId,
              at: entry.at,
              amount: entry.amount,
              pending: entry.pending ?? false,
              by: memo && str(memo, `${CreditMemo.requestedByValue}${FORMATTED}`),
              reason: memo && str(memo, `${CreditMemo.reasonCode}${FORMATTED}`),
              note: memo && str(memo, CreditMemo.reasonNote),
            };
          }),
        ),
        dispute: dispute && {
          status: DISPUTE_KEYS.get(num(dispute, Common.statusCode) ?? DisputeStatus.Open) ?? 'open',
          amount: moneyOf(dispute, Dispute.amount, await currencies.codeOf(dispute)),
          reason: str(dispute, `${Dispute.reason}${FORMATTED}`),
          stage: str(dispute, `${Dispute.stage}${FORMATTED}`),
          due: date(dispute, Dispute.due),
          paypalId: str(dispute, Dispute.paypalId),
        },
        fraud:
          score === undefined
            ? undefined
            : {
                score,
                band: bandOf(score, num(capture, Transaction.riskBand)),
                reasons: parseReasons(str(capture, Transaction.fraudReasons)),
                review:
                  reviewStatus === FraudAlertStatus.MarkedSafe
                    ? 'markedSafe'
                    : reviewStatus === FraudAlertStatus.ConfirmedFraud
                      ? 'confirmedFraud'
                      : undefined,
              },
      };
    },
  };
}
