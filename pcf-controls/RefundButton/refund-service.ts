// Reads a credit memo with its capture and requests the refund by moving the credit memo to
// Refund requested; the proxy's Dataverse webhook step does the PayPal call (ARCHITECTURE.md §3).
import { createCurrencyResolver, moneyOf } from '../shared/currency';
import type { DataService } from '../shared/data-service';
import { guid, num, str } from '../shared/data-service';
import type { Money } from '../shared/money';
import { toMajor } from '../shared/money';
import {
  Common,
  CreditMemo,
  CreditMemoStatus,
  State,
  Tables,
  Transaction,
  TransactionKind,
  TransactionStatus,
} from '../shared/names';

export type CreditMemoState = 'draft' | 'pendingApproval' | 'refundRequested' | 'refunded' | 'failed' | 'canceled';

export interface RefundView {
  status: CreditMemoState;
  /** the credit memo's amount, in the capture's currency */
  amount: Money;
  captured: Money;
  refunded: Money;
  /** captured − refunded, never below zero */
  refundable: Money;
  hasCapture: boolean;
  failureReason?: string;
}

export interface RefundRequest {
  amount: Money;
  reasonCode: number;
  note: string;
}

export interface RefundService {
  load(creditMemoId: string): Promise<RefundView>;
  request(creditMemoId: string, request: RefundRequest): Promise<void>;
}

const STATES = new Map<number, CreditMemoState>([
  [CreditMemoStatus.Draft, 'draft'],
  [CreditMemoStatus.PendingApproval, 'pendingApproval'],
  [CreditMemoStatus.RefundRequested, 'refundRequested'],
  // approved by finance, the connector refunds next: still waiting, no longer editable
  [CreditMemoStatus.Approved, 'refundRequested'],
  [CreditMemoStatus.Refunded, 'refunded'],
  [CreditMemoStatus.Failed, 'failed'],
  [CreditMemoStatus.Canceled, 'canceled'],
]);

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

  return {
    async load(creditMemoId) {
      const memo = await data.retrieve(Tables.creditMemo, creditMemoId, [
        CreditMemo.id,
        Common.statusCode,
        CreditMemo.amount,
        Common.currencyValue,
        CreditMemo.failureReason,
        CreditMemo.paypalError,
        CreditMemo.captureValue,
      ]);
      const captureId = str(memo, CreditMemo.captureValue);
      const capture = captureId
        ? await data.retrieve(Tables.transaction, captureId, [
            Transaction.id,
            Transaction.gross,
            Transaction.refunded,
            Common.currencyValue,
          ])
        : undefined;
      const currency = await currencies.codeOf(capture ?? memo);
      const captured = capture ? (moneyOf(capture, Transaction.gross, currency)?.minor ?? 0) : 0;
      const refunded = !capture
        ? 0
        : (moneyOf(capture, Transaction.refunded, currency)?.minor ??
          (await refundedFromChildren(captureId!, currency)));
      const failure = [str(memo, CreditMemo.paypalError), str(memo, CreditMemo.failureReason)]
        .filter(Boolean)
        .join(': ');
      return {
        status: STATES.get(num(memo, Common.statusCode) ?? CreditMemoStatus.Draft) ?? 'draft',
        amount: moneyOf(memo, CreditMemo.amount, currency) ?? { minor: 0, currency },
        captured: { minor: captured, currency },
        refunded: { minor: refunded, currency },
        refundable: { minor: Math.max(0, captured - refunded), currency },
        hasCapture: capture !== undefined,
        failureReason: failure || undefined,
      };
    },

    async request(creditMemoId, request) {
      await data.update(Tables.creditMemo, creditMemoId, {
        [CreditMemo.amount]: toMajor(request.amount.minor, request.amount.currency),
        [CreditMemo.reasonCode]: request.reasonCode,
        [CreditMemo.reasonNote]: request.note,
        [Common.stateCode]: State.Active,
        [Common.statusCode]: CreditMemoStatus.RefundRequested,
      });
    },
  };
}
