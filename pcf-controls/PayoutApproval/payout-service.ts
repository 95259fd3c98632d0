// Reads a payout batch with its items (totals per currency, warnings) and records the approver's decision.
// The proxy re-checks role and creator before paying (solution README, role Payout Approver).
import { createCurrencyResolver, moneyOf } from '../shared/currency';
import type { DataService } from '../shared/data-service';
import { date, guid, num, str } from '../shared/data-service';
import type { Money } from '../shared/money';
import { toMinor } from '../shared/money';
import {
  Common,
  FORMATTED,
  PayoutBatch,
  PayoutBatchStatus,
  PayoutItem,
  PayoutItemStatus,
  State,
  Tables,
} from '../shared/names';

export type BatchState =
  'draft' | 'pendingApproval' | 'approved' | 'processing' | 'completed' | 'rejected' | 'failed' | 'canceled';

export type PayoutWarning =
  | { kind: 'missingReceiver'; count: number }
  | { kind: 'duplicateReceiver'; receiver: string; count: number }
  | { kind: 'overLimit'; receiver: string; amount: Money };

export interface PayoutItemView {
  receiver?: string;
  amount: Money;
  /** the item's status reason as Dataverse labels it (PayPal's transaction_status) */
  status?: string;
  failure?: string;
}

export interface PayoutView {
  status: BatchState;
  createdBy?: string;
  items: PayoutItemView[];
  /** items that cannot be paid: no receiver, or an amount that is not above zero */
  invalidCount: number;
  approvedBy?: string;
  approvedOn?: Date;
  failureReason?: string;
  itemCount: number;
  /** one entry per currency, sorted by code */
  totals: Money[];
  warnings: PayoutWarning[];
  /**
   * The connector's warnings of the batch (ppc_warnings, written by its build): an approval must acknowledge every
   * code, or the connector refuses it.
   */
  connectorWarnings: { code: string; text: string }[];
  comment?: string;
}

export type Decision = 'approve' | 'reject';

export interface PayoutService {
  /** `itemLimit` is the largest amount one receiver may get, in major units of the item's currency */
  load(batchId: string, itemLimit: number): Promise<PayoutView>;
  /** `acknowledged`: the connector warning codes the approver confirmed (sent with an approval) */
  decide(batchId: string, decision: Decision, comment: string, acknowledged?: readonly string[]): Promise<void>;
}

const STATES = new Map<number, BatchState>([
  [PayoutBatchStatus.Draft, 'draft'],
  [PayoutBatchStatus.PendingApproval, 'pendingApproval'],
  [PayoutBatchStatus.Approved, 'approved'],
  [PayoutBatchStatus.Processing, 'processing'],
  [PayoutBatchStatus.Completed, 'completed'],
  [PayoutBatchStatus.Rejected, 'rejected'],
  [PayoutBatchStatus.Failed, 'failed'],
  [PayoutBatchStatus.Canceled, 'canceled'],
]);

export function normaliseId(id: string | undefined): string | undefined {
  return id?.replace(/[{}]/g, '').toLowerCase();
}

export function createPayoutService(data: DataService): PayoutService {
  const currencies = createCurrencyResolver(data);
  return {
    async load(batchId, itemLimit) {
      const [batch, rows] = await Promise.all([
        data.retrieve(Tables.payoutBatch, batchId, [
          PayoutBatch.id,
          Common.statusCode,
          Common.createdByValue,
          PayoutBatch.comment,
          PayoutBatch.approvedByValue,
          PayoutBatch.approvedOn,
          PayoutBatch.failureReason,
          PayoutBatch.warnings,
        ]),
        data.retrieveMultiple(
          Tables.payoutItem,
          `$select=${PayoutItem.receiver},${PayoutItem.amount},${Common.currencyValue},${Common.statusCode},${PayoutItem.errorName},${PayoutItem.errorMessage}&$filter=${PayoutItem.batchValue} eq ${guid(batchId)}`,
        ),
      ]);
      const totals = new Map<string, number>();
      const receivers = new Map<string, number>();
      const warnings: PayoutWarning[] = [];
      let missing = 0;
      let invalid = 0;
      const items: PayoutItemView[] = [];
      for (const row of rows) {
        const currency = await currencies.codeOf(row);
        const amount = moneyOf(row, PayoutItem.amount, currency) ?? { minor: 0, currency };
        totals.set(currency, (totals.get(currency) ?? 0) + amount.minor);
        const receiver = str(row, PayoutItem.receiver)?.trim().toLowerCase();
        const failure = [str(row, PayoutItem.errorName), str(row, PayoutItem.errorMessage)].filter(Boolean).join(': ');
        items.push({
          receiver,
          amount,
          status: str(row, `${Common.statusCode}${FORMATTED}`),
          failure: failure || undefined,
        });
        // An item the connector excluded (with its reason) is never paid: it does not block the approval.
        const excluded = num(row, Common.statusCode) === PayoutItemStatus.Excluded;
        if (!excluded && (!receiver || amount.minor <= 0)) invalid++;
        if (!receiver) {
          missing++;
          continue;
        }
        receivers.set(receiver, (receivers.get(receiver) ?? 0) + 1);
        if (amount.minor > toMinor(itemLimit, currency)) warnings.push({ kind: 'overLimit', receiver, amount });
      }
      if (missing > 0) warnings.unshift({ kind: 'missingReceiver', count: missing });
      for (const [receiver, count] of receivers) {
        if (count > 1) warnings.push({ kind: 'duplicateReceiver', receiver, count });
      }
      return {
        status: STATES.get(num(batch, Common.statusCode) ?? PayoutBatchStatus.Draft) ?? 'draft',
        createdBy: normaliseId(str(batch, Common.createdByValue)),
        itemCount: rows.length,
        items,
        invalidCount: invalid,
        // who approved: the connector's record (Approved By/On), written when it accepted the approval
        approvedBy: str(batch, `${PayoutBatch.approvedByValue}${FORMATTED}`),
        approvedOn: date(batch, PayoutBatch.approvedOn),
        failureReason: str(batch, PayoutBatch.failureReason),
        totals: [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, minor]) => ({ minor, currency })),
        warnings,
        connectorWarnings: (str(batch, PayoutBatch.warnings) ?? '')
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter((line) => line !== '')
          .map((line) => {
            const space = line.search(/\s/);
            return space < 0
              ? { code: line, text: line }
              : { code: line.slice(0, space), text: line.slice(space + 1).trim() };
          }),
        comment: str(batch, PayoutBatch.comment),
      };
    },

    async decide(batchId, decision, comment, acknowledged = []) {
      await data.update(
        Tables.payoutBatch,
        batchId,
        decision === 'approve'
          ? {
              [Common.stateCode]: State.Active,
              [Common.statusCode]: PayoutBatchStatus.Approved,
              [PayoutBatch.comment]: comment,
              ...(acknowledged.length ? { [PayoutBatch.acknowledgedWarnings]: acknowledged.join('\n') } : {}),
            }
          : {
              [Common.stateCode]: State.Inactive,
              [Common.statusCode]: PayoutBatchStatus.Rejected,
              [PayoutBatch.comment]: comment,
            },
      );
    },
  };
}
