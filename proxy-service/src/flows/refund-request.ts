// Refund from D365 (ARCHITECTURE §3): a Refund Agent sets a credit memo to Refund requested → the solution's
// async Update step posts the RemoteExecutionContext → this job: role check (Refund Agent), refundable amount
// (captured − refunded − in flight), approval threshold (ppc_RefundApprovalThreshold, in base currency: above it
// a PayPal Finance user other than the requester must approve) → POST /v2/payments/captures/{id}/refund with
// PayPal-Request-Id = credit memo id and custom_id = credit memo id → the refund booked (bookRefund) and the memo
// Refunded, in one change set. A PayPal rejection (422…) ends as memo Failed with PayPal's reason; 429/5xx/409
// are retried with the same request id, so PayPal refunds once. Refunds of one capture run one at a time.
import type { DataversePort } from '../adapters/dataverse/types.ts';
import type { PayPalRefund, RefundCaptureRequest } from '../adapters/paypal/index.ts';
import { AppError } from '../errors.ts';
import { decimalToMinor, toDecimal, scalarText } from '../mapping/dataverse-values.ts';
import { convert, formatAmount, money, toPayPal, type Money } from '../mapping/money.ts';
import { CreditMemoStatus, TransactionKind } from '../mapping/dataverse-values.ts';
import { refundFacts } from '../mapping/refund-plan.ts';
import type { Handler } from './handlers.ts';
import type { ReferenceDataSource } from './reference-data.ts';
import { bookRefund, type RefundFlowDeps } from './refund-from-paypal.ts';
import type { PaymentLock } from './keyed-locks.ts';
import { parentById, parentOfInvoice } from './refund-lookups.ts';

export const REFUND_AGENT_ROLE = 'Refund Agent';
export const FINANCE_ROLE = 'PayPal Finance';

export interface RefundRequestDeps {
  dataverse: DataversePort;
  reference: ReferenceDataSource;
  captureLock: PaymentLock;
  paypal: {
    refundCapture(captureId: string, request: RefundCaptureRequest, requestId: string): Promise<PayPalRefund>;
    getRefund(id: string): Promise<PayPalRefund>;
  };
}

interface Memo {
  id: string;
  statuscode: number;
  amount: Money;
  invoiceId?: string;
  transactionId?: string;
  requestedBy?: string;
  approvedBy?: string;
  refundId?: string;
  reason?: string;
}

type Row = Record<string, unknown>;
const MEMO_SELECT =
  'ppc_creditmemoid,statuscode,ppc_amount,ppc_reason,ppc_paypalrefundid,_ppc_invoiceid_value,_ppc_transactionid_value,_ppc_requestedby_value,_ppc_approvedby_value';

async function readMemo(dv: DataversePort, id: string): Promise<Memo | undefined> {
  const [r] = await dv.query<Row>(
    'ppc_creditmemos',
    `$select=${MEMO_SELECT}&$expand=transactioncurrencyid($select=isocurrencycode)&$filter=ppc_creditmemoid eq ${id}&$top=1`,
    1,
  );
  if (!r) return undefined;
  const currency = String(
    (r.transactioncurrencyid as { isocurrencycode?: string } | undefined)?.isocurrencycode ?? 'USD',
  );
  const s = (k: string) => (r[k] ? scalarText(r[k]) : undefined);
  return {
    id,
    statuscode: Number(r.statuscode),
    amount: money(decimalToMinor(r.ppc_amount, currency), currency),
    ...(s('_ppc_invoiceid_value') ? { invoiceId: s('_ppc_invoiceid_value')! } : {}),
    ...(s('_ppc_transactionid_value') ? { transactionId: s('_ppc_transactionid_value')! } : {}),
    ...(s('_ppc_requestedby_value') ? { requestedBy: s('_ppc_requestedby_value')! } : {}),
    ...(s('_ppc_approvedby_value') ? { approvedBy: s('_ppc_approvedby_value')! } : {}),
    ...(s('ppc_paypalrefundid') ? { refundId: s('ppc_paypalrefundid')! } : {}),
    ...(s('ppc_reason') ? { reason: s('ppc_reason')! } : {}),
  };
}

export async function userRoles(dv: DataversePort, userId: string): Promise<string[]> {
  const [u] = await dv.query<{ systemuserroles_association?: { name: string }[] }>(
    'systemusers',
    `$select=systemuserid&$expand=systemuserroles_association($select=name)&$filter=systemuserid eq ${userId}&$top=1`,
    1,
  );
  return (u?.systemuserroles_association ?? []).map((r) => r.name);
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

/** The checks before PayPal is called; pure, so each rule is tested on its own. */
export function decideRefund(input: {
  memo: Memo;
  requester: string;
  requesterRoles: string[];
  approverRoles?: string[];
  captured: Money;
  refundedMinor: number;
  inFlightMinor: number;
  /** the amount in base currency (undefined when no rate) and the threshold, in base minor units */
  amountBaseMinor?: number;
  thresholdBaseMinor?: number;
}): RefundDecision {
  const { memo } = input;
  if (!input.requesterRoles.includes(REFUND_AGENT_ROLE))
    return { kind: 'fail', reason: `the requesting user does not hold the ${REFUND_AGENT_ROLE} role` };
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
  if (input.thresholdBaseMinor !== undefined && compared > input.thresholdBaseMinor) {
    if (!memo.approvedBy)
      return {
        kind: 'await_approval',
        reason: 'above the refund approval threshold: a PayPal Finance approval is required',
      };
    if (memo.approvedBy === input.requester)
      return { kind: 'await_approval', reason: 'the requester cannot approve their own refund' };
    if (!(input.approverRoles ?? []).includes(FINANCE_ROLE))
      return { kind: 'await_approval', reason: `the approver does not hold the ${FINANCE_ROLE} role` };
  }
  return { kind: 'refund' };
}

export function refundRequested(deps: RefundRequestDeps): Handler {
  return async (ctx) => {
    const event = ctx.event as {
      PrimaryEntityId: string;
      InitiatingUserId?: string;
      UserId?: string;
      OperationId?: string;
      RequestId?: string;
    };
    const dv = deps.dataverse;
    const memoId = event.PrimaryEntityId;
    const first = await readMemo(dv, memoId);
    if (!first || first.statuscode !== CreditMemoStatus.RefundRequested.statuscode) {
      ctx.log.info({ memoId, statuscode: first?.statuscode }, 'credit memo not in Refund requested: nothing to do');
      return;
    }
    const parent0 = first.transactionId
      ? await parentById(dv, first.transactionId)
      : first.invoiceId
        ? await parentOfInvoice(dv, first.invoiceId)
        : undefined;
    if (!parent0) {
      await fail(dv, memoId, 'no PayPal capture is linked to this credit memo or its invoice');
      return;
    }
    await deps.captureLock(parent0.paypalId, async () => {
      // Re-read inside the lock: another refund of this capture may have finished meanwhile.
      const memo = await readMemo(dv, memoId);
      if (!memo || memo.statuscode !== CreditMemoStatus.RefundRequested.statuscode) return;
      const parent = (await parentById(dv, parent0.id))!;
      if (parent.kind !== TransactionKind.Capture) {
        await fail(
          dv,
          memoId,
          'only v2 captures can be refunded from D365 (this payment is a v1 sale: refund it in PayPal)',
        );
        return;
      }
      const requester = memo.requestedBy ?? event.InitiatingUserId ?? event.UserId ?? '';
      const ref = await deps.reference.get();
      const [requesterRoles, approverRoles, inFlight] = await Promise.all([
        requester ? userRoles(dv, requester) : Promise.resolve([]),
        memo.approvedBy ? userRoles(dv, memo.approvedBy) : Promise.resolve(undefined),
        inFlightMinor(dv, parent.id, memoId, parent.gross.currency),
      ]);
      const base = ref.baseCurrency;
      const thresholdText = ref.envVars.ppc_RefundApprovalThreshold;
      const thresholdBaseMinor =
        thresholdText && /^\d+(\.\d+)?$/.test(thresholdText.trim())
          ? decimalToMinor(thresholdText.trim(), base)
          : undefined;
      const rate =
        memo.amount.currency === base
          ? '1'
          : ref.fxRate(memo.amount.currency, base, new Date().toISOString().slice(0, 10));
      const decision = decideRefund({
        memo,
        requester,
        requesterRoles,
        ...(approverRoles ? { approverRoles } : {}),
        captured: parent.gross,
        refundedMinor: parent.refundedMinor,
        inFlightMinor: inFlight,
        ...(rate ? { amountBaseMinor: convert(memo.amount, rate, base).minor } : {}),
        ...(thresholdBaseMinor !== undefined ? { thresholdBaseMinor } : {}),
      });
      const stamp = {
        ...(memo.requestedBy || !requester
          ? {}
          : { 'ppc_requestedby@odata.bind': `/systemusers(${requester})`, ppc_requestedon: new Date().toISOString() }),
        'ppc_transactionid@odata.bind': `/ppc_paypaltransactions(${parent.id})`,
      };
      if (decision.kind === 'fail') {
        ctx.log.info({ memoId, reason: decision.reason }, 'refund request refused before PayPal');
        await fail(dv, memoId, decision.reason!, stamp);
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
      let answer: PayPalRefund;
      try {
        answer = await deps.paypal.refundCapture(
          parent.paypalId,
          {
            amount: toPayPal(memo.amount),
            custom_id: memoId,
            ...(memo.reason ? { note_to_payer: memo.reason.slice(0, 255) } : {}),
          },
          memoId,
        );
      } catch (err) {
        if (err instanceof AppError && err.code.startsWith('paypal_') && !err.retryable) {
          const d = (err.details ?? {}) as { issues?: string[]; debug_id?: string; name?: string };
          await fail(dv, memoId, err.message, {
            ...stamp,
            ppc_paypalerror: (d.issues?.[0] ?? d.name ?? err.code).slice(0, 100),
            ...(d.debug_id ? { ppc_paypaldebugid: d.debug_id.slice(0, 64) } : {}),
          });
          ctx.log.warn({ memoId, code: err.code, issues: d.issues }, 'PayPal refused the refund; credit memo Failed');
          return;
        }
        throw err; // 429/5xx/409 in progress/network: the job retries with the same PayPal-Request-Id
      }
      // The representation may be minimal: the booking needs the breakdown and the capture link.
      const full =
        answer.seller_payable_breakdown && answer.links?.some((l) => l.rel === 'up')
          ? answer
          : await deps.paypal.getRefund(String(answer.id));
      const refund = refundFacts(full);
      const bookDeps: RefundFlowDeps = { dataverse: dv, reference: deps.reference, captureLock: deps.captureLock };
      const outcome = await bookRefund(
        bookDeps,
        refund,
        `dataverse:${event.OperationId ?? event.RequestId ?? memoId}`,
        { id: memoId, fields: stamp },
      );
      ctx.log.info(
        { memoId, refundId: refund.refundId, amount: toDecimal(refund.gross.minor, refund.gross.currency), outcome },
        'refund from D365 done',
      );
    });
  };
}

async function fail(dv: DataversePort, memoId: string, reason: string, extra: Record<string, unknown> = {}) {
  await dv.update(
    `ppc_creditmemos(${memoId})`,
    { ...CreditMemoStatus.Failed, ppc_failurereason: reason.slice(0, 2000), ...extra },
    '*',
  );
}
