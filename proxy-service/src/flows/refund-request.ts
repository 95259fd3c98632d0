// Refund from D365 (ARCHITECTURE §3): a Refund Agent sets a credit memo to Refund requested → the solution's
// async Update step posts the RemoteExecutionContext → this job: the requester is the event's initiating user
// (four-eyes.ts), who must hold Refund Agent; refundable amount (captured − refunded − in flight); approval
// threshold (ppc_RefundApprovalThreshold, in base currency: above it the memo goes to Pending approval until a
// PayPal Finance user other than the requester sets it to Approved, an event of its own whose initiating user is
// checked the same way against the requester the proxy kept in its own store; the Requested/Approved By columns
// are the connector's record for people, never read as input) →
// POST /v2/payments/captures/{id}/refund with
// PayPal-Request-Id = credit memo id and custom_id = credit memo id → the refund booked (bookRefund) and the memo
// Refunded, in one change set. A PayPal rejection (422…) ends as memo Failed with PayPal's reason; 429/5xx/409
// are retried with the same request id, so PayPal refunds once. Refunds of one capture run one at a time.
// A v1 sale (a subscription payment) is refunded the same way through POST /v1/payments/sale/{id}/refund.
import type { DataversePort } from '../adapters/dataverse/types.ts';
import {
  payPalErrorDetails,
  type PayPalRefund,
  type PayPalSaleRefund,
  type RefundCaptureRequest,
  type RefundSaleRequest,
} from '../adapters/paypal/index.ts';
import { AppError, errors } from '../errors.ts';
import { convert, formatAmount, formatPayPalAmount, money, toPayPal, type Money } from '../mapping/money.ts';
import {
  CreditMemoStatus,
  decimalToMinor,
  scalarText,
  toDecimal,
  TransactionKind,
} from '../mapping/dataverse-values.ts';
import { REFUND_RULE } from '../mapping/four-eyes.ts';
import { forgetRequest, recordedRequester, recordRequest } from '../adapters/store/four-eyes-requests.ts';
import { refundFacts, saleRefundFacts, type RefundFacts } from '../mapping/refund-plan.ts';
import {
  approvalRecord,
  checkApproval,
  checkRequest,
  postImageValue,
  requestRecord,
  type ApprovalEvent,
} from './approvals.ts';
import type { Handler } from './handlers.ts';
import { recordIntegrationEvent } from '../ops/integration-events.ts';
import type { ReferenceDataSource } from './reference-data.ts';
import { bookRefund, type RefundFlowDeps } from './refund-from-paypal.ts';
import type { PaymentLock } from './keyed-locks.ts';
import { parentById, parentOfInvoice } from './refund-lookups.ts';

export interface RefundRequestDeps {
  dataverse: DataversePort;
  reference: ReferenceDataSource;
  captureLock: PaymentLock;
  paypal: {
    refundCapture(captureId: string, request: RefundCaptureRequest, requestId: string): Promise<PayPalRefund>;
    getRefund(id: string): Promise<PayPalRefund>;
    refundSale(saleId: string, request: RefundSaleRequest, requestId: string): Promise<PayPalSaleRefund>;
  };
  refundCounter?: RefundFlowDeps['refundCounter'];
}

interface Memo {
  id: string;
  statuscode: number;
  amount: Money;
  invoiceId?: string;
  transactionId?: string;
  refundId?: string;
  reason?: string;
}

type Row = Record<string, unknown>;
const MEMO_SELECT =
  'ppc_creditmemoid,statuscode,ppc_amount,ppc_reason,ppc_paypalrefundid,_ppc_invoiceid_value,_ppc_transactionid_value';

async function readMemo(dv: DataversePort, id: string): Promise<Memo | undefined> {
  const [r] = await dv.query<Row>(
    'ppc_creditmemos',
    `$select=${MEMO_SELECT}&$expand=transactioncurrencyid($select=isocurrencycode)&$filter=ppc_creditmemoid eq ${id}&$top=1`,
    1,
  );
  if (!r) return undefined;
  const iso = (r.transactioncurrencyid as { isocurrencycode?: string } | undefined)?.isocurrencycode;
  // Dataverse gives every record with money columns a currency (the creator's or the organization's base one), so a
  // memo without one is a broken record: dead-lettered with this reason, never read as some default currency.
  if (!iso) throw errors.validation(`credit memo ${id} has no currency: set it to the currency of the capture`);
  const currency = String(iso);
  const s = (k: string) => (r[k] ? scalarText(r[k]) : undefined);
  return {
    id,
    statuscode: Number(r.statuscode),
    amount: money(decimalToMinor(r.ppc_amount, currency), currency),
    ...(s('_ppc_invoiceid_value') ? { invoiceId: s('_ppc_invoiceid_value')! } : {}),
    ...(s('_ppc_transactionid_value') ? { transactionId: s('_ppc_transactionid_value')! } : {}),
    ...(s('ppc_paypalrefundid') ? { refundId: s('ppc_paypalrefundid')! } : {}),
    ...(s('ppc_reason') ? { reason: s('ppc_reason')! } : {}),
  };
}

/** Σ amounts of the capture's other memos that PayPal already refunded but Dataverse has not booked yet. */
async function inFlightMinor(
  dv: DataversePort,
  captureTxnId: string,
  memoId: string,
  currency: string,
): Promise<number> {
  const rows = await dv.query<Row>(
    'ppc_creditmemos',
    `$select=ppc_amount&$filter=_ppc_transactionid_value eq ${captureTxnId} and statuscode eq ${CreditMemoStatus.RefundRequested.statuscode} and ppc_paypalrefundid ne null and ppc_creditmemoid ne ${memoId}`,
    500,
  );
  return rows.reduce((s, r) => s + decimalToMinor(r.ppc_amount, currency), 0);
}

export interface RefundDecision {
  kind: 'refund' | 'fail' | 'await_approval';
  reason?: string;
}

/**
 * The amount rules before PayPal is called (who asked and who approved are four-eyes.ts's); pure, so each rule
 * is tested on its own. `approved`: a checked approval covers this amount, so the threshold no longer applies.
 */
export function decideRefund(input: {
  memo: Pick<Memo, 'amount'>;
  captured: Money;
  refundedMinor: number;
  inFlightMinor: number;
  /** the amount in base currency (undefined when no rate) and the threshold, in base minor units */
  amountBaseMinor?: number;
  thresholdBaseMinor?: number;
  approved?: boolean;
}): RefundDecision {
  const { memo } = input;
  if (memo.amount.currency !== input.captured.currency)
    return {
      kind: 'fail',
      reason: `credit memo is in ${memo.amount.currency}, the capture in ${input.captured.currency}`,
    };
  if (memo.amount.minor <= 0) return { kind: 'fail', reason: 'credit memo amount must be positive' };
  const refundable = input.captured.minor - input.refundedMinor - input.inFlightMinor;
  if (memo.amount.minor > refundable) {
    return {
      kind: 'fail',
      reason: `amount ${formatAmount(memo.amount)} ${memo.amount.currency} exceeds the refundable ${formatAmount(money(Math.max(0, refundable), memo.amount.currency))} (captured ${formatAmount(input.captured)} − refunded ${formatAmount(money(input.refundedMinor, memo.amount.currency))} − in flight ${formatAmount(money(input.inFlightMinor, memo.amount.currency))})`,
    };
  }
  const compared = input.amountBaseMinor ?? memo.amount.minor;
  if (!input.approved && input.thresholdBaseMinor !== undefined && compared > input.thresholdBaseMinor)
    return {
      kind: 'await_approval',
      reason: `above the refund approval threshold: a ${REFUND_RULE.approvingRole} user other than the requester approves it by setting the credit memo to Approved`,
    };
  return { kind: 'refund' };
}

type EventKind = 'request' | 'approval';
type RefundEvent = ApprovalEvent & { PrimaryEntityId: string; OperationId?: string; RequestId?: string };

/**
 * What this event did, from its PostImage (the row as this update left it), so a job that runs late still
 * knows whether it carries a request or an approval; the current row only when the image is missing.
 */
function eventKind(event: RefundEvent, current: Memo): EventKind | undefined {
  const status = Number(postImageValue(event, 'statuscode') ?? current.statuscode);
  if (status === CreditMemoStatus.RefundRequested.statuscode) return 'request';
  if (status === CreditMemoStatus.Approved.statuscode) return 'approval';
  return undefined;
}

export function refundRequested(deps: RefundRequestDeps): Handler {
  return async (ctx) => {
    const event = ctx.event as RefundEvent;
    const dv = deps.dataverse;
    const memoId = event.PrimaryEntityId;
    // A refusal (business rule, four-eyes, PayPal's 422): the memo Failed with the reason, and an integration
    // event so it is listed with the other failures (ops/integration-events.ts).
    const reject = async (reason: string, extra: Record<string, unknown> = {}) => {
      await fail(dv, memoId, reason, extra);
      await recordIntegrationEvent(ctx.store, {
        key: `rejected:${ctx.inboxId}`,
        kind: 'rejected',
        source: 'dataverse',
        eventType: ctx.eventType,
        eventId: `${ctx.eventId}:rejected`,
        action: ctx.action,
        attempts: ctx.attempt,
        message: `The refund of this credit memo was refused: ${reason}`,
        detail: `credit memo ${memoId}; event ${ctx.eventType} ${ctx.eventId}`,
        record: { table: 'ppc_creditmemo', id: memoId },
        inboxId: ctx.inboxId,
      });
    };
    const first = await readMemo(dv, memoId);
    const kind = first && eventKind(event, first);
    // A replayed dead letter (Retry from D365, admin replay) finds the memo Failed by the dead letter's mirror
    // (ops/mirror.ts): it runs as the event it replays; every check below runs again.
    const current = (status: number, k: EventKind) =>
      status === statusOf(k) || (ctx.replayOf !== undefined && status === CreditMemoStatus.Failed.statuscode);
    if (!first || !kind || !current(first.statuscode, kind)) {
      ctx.log.info({ memoId, statuscode: first?.statuscode, kind }, 'credit memo event needs no refund: nothing to do');
      return;
    }
    const parent0 = first.transactionId
      ? await parentById(dv, first.transactionId)
      : first.invoiceId
        ? await parentOfInvoice(dv, first.invoiceId)
        : undefined;
    if (!parent0) {
      await reject('no PayPal capture is linked to this credit memo or its invoice');
      return;
    }
    await deps.captureLock(parent0.paypalId, async () => {
      // Re-read inside the lock: another refund of this capture, or another event of this memo, may have finished.
      const memo = await readMemo(dv, memoId);
      if (!memo || !current(memo.statuscode, kind)) return;
      // A refund PayPal already created (our own write of a pending refund fires the step too): nothing to ask.
      if (memo.refundId) return;
      const now = new Date();
      // The amount this event requested or approved must still be the memo's: a change afterwards needs a new act.
      const imageAmount = postImageValue(event, 'ppc_amount');
      if (imageAmount !== undefined && decimalToMinor(imageAmount, memo.amount.currency) !== memo.amount.minor) {
        await reject(
          `the amount changed after it was ${kind === 'request' ? 'requested' : 'approved'}: request the refund again`,
        );
        return;
      }
      let record: Record<string, unknown>;
      if (kind === 'request') {
        const checked = await checkRequest(dv, REFUND_RULE, event);
        // The connector's record of the request replaces whatever a user wrote in the record columns.
        record = requestRecord(checked.user, now);
        if (!checked.decision.ok) {
          ctx.log.info({ memoId, reason: checked.decision.reason }, 'refund request refused before PayPal');
          await forgetRequest(ctx.store, REFUND_RULE.subject, memoId);
          await reject(checked.decision.reason, record);
          return;
        }
        // Before the memo shows Pending approval, so an approval always finds the request it refers to.
        await recordRequest(ctx.store, REFUND_RULE.subject, memoId, checked.user!, now);
      } else {
        // The proxy's own record, not the Requested By column: an administrator can write any column.
        const requester = await recordedRequester(ctx.store, REFUND_RULE.subject, memoId);
        const checked = await checkApproval(dv, REFUND_RULE, event, requester);
        if (!checked.decision.ok) {
          ctx.log.info({ memoId, reason: checked.decision.reason }, 'refund approval refused before PayPal');
          await reject(checked.decision.reason, { 'ppc_approvedby@odata.bind': null, ppc_approvedon: null });
          return;
        }
        record = approvalRecord(checked.user!, now);
      }
      const parent = (await parentById(dv, parent0.id))!;
      if (parent.kind !== TransactionKind.Capture && parent.kind !== TransactionKind.Sale) {
        await reject('only captures and sales (subscription payments) can be refunded from D365', record);
        return;
      }
      const ref = await deps.reference.get();
      const inFlight = await inFlightMinor(dv, parent.id, memoId, parent.gross.currency);
      const base = ref.baseCurrency;
      const thresholdText = ref.envVars.ppc_RefundApprovalThreshold;
      const thresholdBaseMinor =
        thresholdText && /^\d+(\.\d+)?$/.test(thresholdText.trim())
          ? decimalToMinor(thresholdText.trim(), base)
          : undefined;
      const rate =
        memo.amount.currency === base ? '1' : ref.fxRate(memo.amount.currency, base, now.toISOString().slice(0, 10));
      const decision = decideRefund({
        memo,
        captured: parent.gross,
        refundedMinor: parent.refundedMinor,
        inFlightMinor: inFlight,
        ...(rate ? { amountBaseMinor: convert(memo.amount, rate, base).minor } : {}),
        ...(thresholdBaseMinor !== undefined ? { thresholdBaseMinor } : {}),
        approved: kind === 'approval',
      });
      const stamp = { ...record, 'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${parent.id})` };
      if (decision.kind === 'fail') {
        ctx.log.info({ memoId, reason: decision.reason }, 'refund request refused before PayPal');
        await reject(decision.reason!, stamp);
        return;
      }
      if (decision.kind === 'await_approval') {
        await dv.update(
          `ppc_creditmemos(${memoId})`,
          { ...CreditMemoStatus.PendingApproval, ppc_failurereason: decision.reason, ...stamp },
          '*',
        );
        ctx.log.info({ memoId, reason: decision.reason }, 'refund waits for approval');
        return;
      }
      let refund: RefundFacts;
      try {
        if (parent.kind === TransactionKind.Sale) {
          // A v1 sale (subscription payment): POST /v1/payments/sale/{id}/refund, PayPal-Request-Id = memo id
          // (kept 30 days). v1 refunds carry no custom_id: the memo is passed to the booking, and PayPal's later
          // PAYMENT.SALE.REFUNDED finds it by the refund id stamped on it.
          const answer = await deps.paypal.refundSale(
            parent.paypalId,
            {
              amount: { total: formatPayPalAmount(memo.amount), currency: memo.amount.currency },
              ...(memo.reason ? { reason: memo.reason.slice(0, 255) } : {}),
            },
            memoId,
          );
          refund = saleRefundFacts(answer.sale_id ? answer : { ...answer, sale_id: parent.paypalId });
        } else {
          const answer = await deps.paypal.refundCapture(
            parent.paypalId,
            {
              amount: toPayPal(memo.amount),
              custom_id: memoId,
              ...(memo.reason ? { note_to_payer: memo.reason.slice(0, 255) } : {}),
            },
            memoId,
          );
          // The representation may be minimal: the booking needs the breakdown and the capture link.
          const full =
            answer.seller_payable_breakdown && answer.links?.some((l) => l.rel === 'up')
              ? answer
              : await deps.paypal.getRefund(String(answer.id));
          refund = refundFacts(full);
        }
      } catch (err) {
        const d = payPalErrorDetails(err);
        if (err instanceof AppError && d && !err.retryable) {
          await reject(err.message, {
            ...stamp,
            ppc_paypalerror: (d.issues[0] ?? d.name).slice(0, 100),
            ...(d.debug_id ? { ppc_paypaldebugid: d.debug_id.slice(0, 64) } : {}),
          });
          ctx.log.warn({ memoId, code: err.code, issues: d.issues }, 'PayPal refused the refund; credit memo Failed');
          return;
        }
        throw err; // 429/5xx/409 in progress/network: the job retries with the same PayPal-Request-Id
      }
      const bookDeps: RefundFlowDeps = {
        dataverse: dv,
        reference: deps.reference,
        captureLock: deps.captureLock,
        ...(deps.refundCounter ? { refundCounter: deps.refundCounter } : {}),
      };
      const outcome = await bookRefund(
        bookDeps,
        refund,
        `dataverse:${event.OperationId ?? event.RequestId ?? memoId}`,
        { id: memoId, fields: { ...stamp, ...(ctx.replayOf ? { ppc_failurereason: null } : {}) } },
      );
      ctx.log.info(
        { memoId, refundId: refund.refundId, amount: toDecimal(refund.gross.minor, refund.gross.currency), outcome },
        'refund from D365 done',
      );
    });
  };
}

const statusOf = (kind: EventKind) =>
  (kind === 'request' ? CreditMemoStatus.RefundRequested : CreditMemoStatus.Approved).statuscode;

async function fail(dv: DataversePort, memoId: string, reason: string, extra: Record<string, unknown> = {}) {
  await dv.update(
    `ppc_creditmemos(${memoId})`,
    { ...CreditMemoStatus.Failed, ppc_failurereason: reason.slice(0, 2000), ...extra },
    '*',
  );
}
