// Reads a credit memo with its capture and requests the refund by moving the credit memo to Refund requested;
// the proxy's Dataverse webhook step does the PayPal call (ARCHITECTURE.md §3). The refund is always the credit
// memo's own amount: the control never writes ppc_amount (the memo is the accounting document; the proxy refunds
// what it says and refuses when it changed after the request).
//
// Approval (solution roles, proxy flows/refund-request.ts): above ppc_RefundApprovalThreshold (base currency)
// the proxy moves the memo to Pending approval; a PayPal Finance user other than the requester approves it by
// setting it to Approved (that update's initiating user is what the proxy checks) or rejects it (Canceled, with
// the comment in ppc_failurereason).
import { createCurrencyResolver, moneyOf } from '../shared/currency';
import type { DataService, Row } from '../shared/data-service';
import { date, guid, num, quote, str } from '../shared/data-service';
import type { Money } from '../shared/money';
import { toMajor, toMinor } from '../shared/money';
import {
  Common,
  CreditMemo,
  CreditMemoStatus,
  Dispute,
  EnvironmentVariable,
  FORMATTED,
  State,
  Tables,
  Transaction,
  TransactionKind,
  TransactionStatus,
} from '../shared/names';

export type CreditMemoState =
  'draft' | 'pendingApproval' | 'refundRequested' | 'approved' | 'refunded' | 'failed' | 'canceled';

export type CaptureState =
  | 'completed'
  | 'partiallyRefunded'
  | 'refunded'
  | 'pending'
  | 'declined'
  | 'reversed'
  | 'onHold'
  | 'failed'
  | 'voided'
  | 'unknown';

export interface Person {
  id: string;
  name?: string;
}

export interface RefundView {
  status: CreditMemoState;
  /** the credit memo's own amount (what the proxy refunds), in the capture's currency */
  amount: Money;
  captured: Money;
  refunded: Money;
  /** captured − refunded, never below zero */
  refundable: Money;
  hasCapture: boolean;
  capture?: { state: CaptureState; kind: 'capture' | 'sale' | 'other'; paypalId?: string };
  /** an open PayPal dispute on the capture */
  dispute?: { amount?: Money; reason?: string; stage?: string; due?: Date };
  /** PayPal's issue code (ppc_paypalerror) and the text the proxy recorded */
  failureCode?: string;
  failureReason?: string;
  debugId?: string;
  requestedBy?: Person;
  requestedOn?: Date;
  approvedBy?: Person;
  approvedOn?: Date;
  reasonCode?: number;
  note?: string;
  /** whether a request of this amount will wait for a PayPal Finance approval */
  approval: 'needed' | 'notNeeded' | 'unknown';
  threshold?: Money;
}

export interface RefundRequest {
  reasonCode: number;
  note: string;
}

export interface RefundService {
  load(creditMemoId: string): Promise<RefundView>;
  /** moves the memo to Refund requested; never changes its amount */
  request(creditMemoId: string, request: RefundRequest): Promise<void>;
  /** the approver's act: Approved (the proxy checks who did it) */
  approve(creditMemoId: string): Promise<void>;
  /** the approver's refusal: Canceled with the comment as its reason */
  reject(creditMemoId: string, comment: string): Promise<void>;
}

const STATES = new Map<number, CreditMemoState>([
  [CreditMemoStatus.Draft, 'draft'],
  [CreditMemoStatus.PendingApproval, 'pendingApproval'],
  [CreditMemoStatus.RefundRequested, 'refundRequested'],
  [CreditMemoStatus.Approved, 'approved'],
  [CreditMemoStatus.Refunded, 'refunded'],
  [CreditMemoStatus.Failed, 'failed'],
  [CreditMemoStatus.Canceled, 'canceled'],
]);

const CAPTURE_STATES = new Map<number, CaptureState>([
  [TransactionStatus.Completed, 'completed'],
  [TransactionStatus.PartiallyRefunded, 'partiallyRefunded'],
  [TransactionStatus.Refunded, 'refunded'],
  [TransactionStatus.Pending, 'pending'],
  [TransactionStatus.Declined, 'declined'],
  [TransactionStatus.Reversed, 'reversed'],
  [TransactionStatus.OnHold, 'onHold'],
  [TransactionStatus.Failed, 'failed'],
  [TransactionStatus.Voided, 'voided'],
]);

/** Why no refund can be requested for this memo (PayPal would refuse it, or there is nothing to refund). */
export type Refusal =
  | 'noCapture'
  | 'v1Sale'
  | 'captureDeclined'
  | 'capturePending'
  | 'captureRefunded'
  | 'captureReversed'
  | 'captureFailed'
  | 'nothingRefundable'
  | 'amountMissing'
  | 'amountAboveRefundable';

export function refusalOf(view: RefundView): Refusal | undefined {
  if (!view.hasCapture || !view.capture) return 'noCapture';
  // the proxy refunds v2 captures only (flows/refund-request.ts); a v1 sale is refunded in PayPal
  if (view.capture.kind !== 'capture') return 'v1Sale';
  switch (view.capture.state) {
    case 'declined':
      return 'captureDeclined';
    case 'pending':
    case 'onHold':
      return 'capturePending';
    case 'refunded':
      return 'captureRefunded';
    case 'reversed':
      return 'captureReversed';
    case 'failed':
    case 'voided':
      return 'captureFailed';
    default:
      break;
  }
  if (view.refundable.minor <= 0) return 'nothingRefundable';
  if (view.amount.minor <= 0) return 'amountMissing';
  if (view.amount.minor > view.refundable.minor) return 'amountAboveRefundable';
  return undefined;
}

const MEMO_COLUMNS = [
  CreditMemo.id,
  Common.statusCode,
  CreditMemo.amount,
  Common.currencyValue,
  CreditMemo.reasonCode,
  CreditMemo.reasonNote,
  CreditMemo.failureReason,
  CreditMemo.paypalError,
  CreditMemo.debugId,
  CreditMemo.captureValue,
  CreditMemo.requestedByValue,
  CreditMemo.requestedOn,
  CreditMemo.approvedByValue,
  CreditMemo.approvedOn,
];

function person(row: Row, column: string): Person | undefined {
  const id = str(row, column);
  return id ? { id: id.toLowerCase(), name: str(row, `${column}${FORMATTED}`) } : undefined;
}

export function createRefundService(data: DataService): RefundService {
  const currencies = createCurrencyResolver(data);

  /** Sum of completed refunds under the capture, for rows written before ppc_refundedamount was kept. */
  async function refundedFromChildren(captureId: string, currency: string): Promise<number> {
    const rows = await data.retrieveMultiple(
      Tables.transaction,
      `$select=${Transaction.gross}&$filter=${Transaction.parentValue} eq ${guid(captureId)} and ${Transaction.kind} eq ${TransactionKind.Refund} and ${Common.statusCode} eq ${TransactionStatus.Completed}`,
    );
    return rows.reduce((sum, row) => sum + (moneyOf(row, Transaction.gross, currency)?.minor ?? 0), 0);
  }

  /** ppc_RefundApprovalThreshold: the environment's value, else the definition's default (major units, base). */
  async function threshold(): Promise<number | undefined> {
    const definitions = await data.retrieveMultiple(
      Tables.envDefinition,
      `$select=${EnvironmentVariable.definitionId},${EnvironmentVariable.defaultValue}&$filter=${EnvironmentVariable.schemaName} eq ${quote(EnvironmentVariable.refundThreshold)}`,
    );
    const definition = definitions[0];
    if (!definition) return undefined;
    const values = await data.retrieveMultiple(
      Tables.envValue,
      `$select=${EnvironmentVariable.value}&$filter=${EnvironmentVariable.definitionValue} eq ${guid(String(definition[EnvironmentVariable.definitionId]))}`,
    );
    const text = str(values[0] ?? {}, EnvironmentVariable.value) ?? str(definition, EnvironmentVariable.defaultValue);
    return text && /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : undefined;
  }

  async function openDispute(captureId: string): Promise<RefundView['dispute']> {
    const rows = await data.retrieveMultiple(
      Tables.dispute,
      `$select=${Dispute.amount},${Common.currencyValue},${Dispute.reason},${Dispute.stage},${Dispute.due}&$filter=${Dispute.transactionValue} eq ${guid(captureId)} and ${Common.stateCode} eq ${State.Active}`,
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      amount: moneyOf(row, Dispute.amount, await currencies.codeOf(row)),
      reason: str(row, `${Dispute.reason}${FORMATTED}`),
      stage: str(row, `${Dispute.stage}${FORMATTED}`),
      due: date(row, Dispute.due),
    };
  }

  const setStatus = (creditMemoId: string, state: number, status: number, extra: Row = {}) =>
    data.update(Tables.creditMemo, creditMemoId, {
      [Common.stateCode]: state,
      [Common.statusCode]: status,
      ...extra,
    });

  return {
    async load(creditMemoId) {
      const memo = await data.retrieve(Tables.creditMemo, creditMemoId, MEMO_COLUMNS);
      const captureId = str(memo, CreditMemo.captureValue);
      const capture = captureId
        ? await data.retrieve(Tables.transaction, captureId, [
            Transaction.id,
            Transaction.paypalId,
            Transaction.kind,
            Common.statusCode,
            Transaction.gross,
            Transaction.refunded,
            Transaction.fxRate,
            Transaction.baseCurrency,
            Common.currencyValue,
          ])
        : undefined;
      const currency = await currencies.codeOf(capture ?? memo);
      const captured = capture ? (moneyOf(capture, Transaction.gross, currency)?.minor ?? 0) : 0;
      const refunded = !capture
        ? 0
        : (moneyOf(capture, Transaction.refunded, currency)?.minor ??
          (await refundedFromChildren(captureId!, currency)));
      const amount = moneyOf(memo, CreditMemo.amount, currency) ?? { minor: 0, currency };
      const [dispute, limit] = await Promise.all([
        captureId ? openDispute(captureId).catch(() => undefined) : undefined,
        threshold().catch(() => undefined),
      ]);
      // the amount in base currency at the capture's posting rate, as the proxy compares it
      const baseCode = capture && str(capture, Transaction.baseCurrency);
      const rate = baseCode === currency ? 1 : capture && num(capture, Transaction.fxRate);
      let approval: RefundView['approval'] = 'unknown';
      let thresholdMoney: Money | undefined;
      if (limit !== undefined && baseCode && rate !== undefined) {
        const base = await currencies.load(baseCode);
        thresholdMoney = { minor: toMinor(limit, base), currency: base };
        const amountBase = toMinor(toMajor(amount.minor, currency) * rate, base);
        approval = amountBase > thresholdMoney.minor ? 'needed' : 'notNeeded';
      }
      const kind = capture && num(capture, Transaction.kind);
      return {
        status: STATES.get(num(memo, Common.statusCode) ?? CreditMemoStatus.Draft) ?? 'draft',
        amount,
        captured: { minor: captured, currency },
        refunded: { minor: refunded, currency },
        refundable: { minor: Math.max(0, captured - refunded), currency },
        hasCapture: capture !== undefined,
        capture: capture && {
          state: CAPTURE_STATES.get(num(capture, Common.statusCode) ?? 0) ?? 'unknown',
          kind: kind === TransactionKind.Capture ? 'capture' : kind === TransactionKind.Sale ? 'sale' : 'other',
          paypalId: str(capture, Transaction.paypalId),
        },
        dispute,
        failureCode: str(memo, CreditMemo.paypalError),
        failureReason: str(memo, CreditMemo.failureReason),
        debugId: str(memo, CreditMemo.debugId),
        requestedBy: person(memo, CreditMemo.requestedByValue),
        requestedOn: date(memo, CreditMemo.requestedOn),
        approvedBy: person(memo, CreditMemo.approvedByValue),
        approvedOn: date(memo, CreditMemo.approvedOn),
        reasonCode: num(memo, CreditMemo.reasonCode),
        note: str(memo, CreditMemo.reasonNote),
        approval,
        threshold: thresholdMoney,
      };
    },

    async request(creditMemoId, request) {
      await setStatus(creditMemoId, State.Active, CreditMemoStatus.RefundRequested, {
        [CreditMemo.reasonCode]: request.reasonCode,
        [CreditMemo.reasonNote]: request.note,
      });
    },

    async approve(creditMemoId) {
      await setStatus(creditMemoId, State.Active, CreditMemoStatus.Approved);
    },

    async reject(creditMemoId, comment) {
      await setStatus(creditMemoId, State.Inactive, CreditMemoStatus.Canceled, {
        [CreditMemo.failureReason]: comment.slice(0, 2000),
      });
    },
  };
}
