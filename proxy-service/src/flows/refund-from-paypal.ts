// PAYMENT.CAPTURE.REFUNDED, v1 PAYMENT.SALE.REFUNDED and PAYMENT.CAPTURE.REVERSED (ARCHITECTURE §3): the refund
// (resource = the refund; the capture only in its `up` link) becomes a refund or reversal transaction, reversing
// ledger lines and, for a refund, a Refunded credit memo — the one begun in D365 (its id travels as the refund's
// custom_id; or it already carries the refund id), otherwise a new one with origin PayPal. One change set.
import type { DataversePort } from '../adapters/dataverse/types.ts';
import { errors } from '../errors.ts';
import { odataString } from '../mapping/dataverse-values.ts';
import { planRefund, refundFacts, saleRefundFacts, type RefundFacts } from '../mapping/refund-plan.ts';
import { requireStatusMap } from '../mapping/status-map.ts';
import type { Handler } from './handlers.ts';
import type { PaymentLock } from './keyed-locks.ts';
import { verifiedRefund, type TruthDeps } from './paypal-truth.ts';
import type { ReferenceDataSource } from './reference-data.ts';
import {
  customerTotals,
  invoiceTotals,
  parentByPayPalId,
  parentMissing,
  recordedTransaction,
} from './refund-lookups.ts';

export interface RefundFlowDeps {
  dataverse: DataversePort;
  reference: ReferenceDataSource;
  captureLock: PaymentLock;
  /** counts newly booked refunds / reversals (metrics.ts ppc_refunds_booked_total: the refund-rate spike rule) */
  refundCounter?: { inc(labels: { kind: string }): void };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function refundFromEvent(event: { event_type?: string; resource?: unknown }): RefundFacts {
  const resource = (event.resource ?? {}) as Record<string, unknown>;
  if (event.event_type?.startsWith('PAYMENT.SALE.')) return saleRefundFacts(resource);
  return refundFacts(resource, event.event_type === 'PAYMENT.CAPTURE.REVERSED' ? 'reversal' : 'refund');
}

/** Books one refund/reversal PayPal reports (webhook, or the refund API's answer). Idempotent: the refund id is the key. */
/** `memo`: the D365 credit memo this refund completes, with fields to stamp on it (requester, request time). */
export async function bookRefund(
  deps: RefundFlowDeps,
  refund: RefundFacts,
  eventId: string,
  memo?: { id: string; fields?: Record<string, unknown> },
): Promise<'recorded' | 'unchanged'> {
  const dv = deps.dataverse;
  const ref = await deps.reference.get();
  const statuses = requireStatusMap(ref.statusMap);
  const parent = await parentByPayPalId(dv, refund.parentId);
  if (!parent) throw parentMissing(refund.parentId);
  const currencyId = ref.currencyId(refund.gross.currency);
  if (!currencyId) throw errors.validation(`currency ${refund.gross.currency} is not enabled in Dataverse`);
  const [alreadyRecorded, found, invoice, customer] = await Promise.all([
    recordedTransaction(dv, refund.refundId),
    findMemo(dv, refund, memo),
    invoiceTotals(dv, parent.invoiceId, parent.gross.currency, parent.orderId),
    customerTotals(dv, parent.customer),
  ]);
  const plan = planRefund({
    eventId,
    refund,
    parent,
    alreadyRecorded,
    ...(found ? { memo: found } : {}),
    ...(invoice ? { invoice } : {}),
    ...(customer ? { customer } : {}),
    rules: ref,
    currencyId,
    statuses,
  });
  if (plan.ops.length) await dv.changeSet(plan.ops);
  if (plan.outcome === 'recorded') deps.refundCounter?.inc({ kind: refund.kind });
  return plan.outcome;
}

async function findMemo(
  dv: DataversePort,
  refund: RefundFacts,
  memo: { id: string; fields?: Record<string, unknown> } | undefined,
): Promise<{ id: string; fields?: Record<string, unknown> } | undefined> {
  if (refund.kind === 'reversal') return undefined;
  if (memo) return memo;
  const candidate = refund.customId && GUID.test(refund.customId) ? refund.customId : undefined;
  if (candidate && (await dv.get(`ppc_creditmemos(${candidate})`, ['ppc_creditmemoid']))) return { id: candidate };
  const byKey = await dv.get<{ ppc_creditmemoid: string }>(
    `ppc_creditmemos(ppc_paypalrefundid=${odataString(refund.refundId)})`,
    ['ppc_creditmemoid'],
  );
  return byKey ? { id: String(byKey.ppc_creditmemoid) } : undefined;
}

export function refundFromPayPal(
  deps: RefundFlowDeps & {
    paypal: TruthDeps<'getRefund' | 'getCapture' | 'getSale'>['paypal'];
    forgeryCounter?: TruthDeps['counter'];
  },
): Handler {
  return async (ctx) => {
    const event = ctx.event as { id: string; event_type: string; resource?: unknown };
    // The body is a notification: PayPal's answer for the refund (or the payment it reverses) decides.
    const refund = await verifiedRefund(
      { dataverse: deps.dataverse, paypal: deps.paypal, counter: deps.forgeryCounter },
      ctx,
      refundFromEvent(event),
    );
    const outcome = await deps.captureLock(refund.parentId, () => bookRefund(deps, refund, event.id));
    ctx.log.info(
      { outcome, refundId: refund.refundId, parentId: refund.parentId, kind: refund.kind },
      `${refund.kind} ${outcome === 'recorded' ? 'recorded in Dataverse' : 'already recorded'}`,
    );
  };
}
