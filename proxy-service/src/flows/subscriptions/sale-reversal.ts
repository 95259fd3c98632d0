// PAYMENT.SALE.REVERSED (a chargeback on a v1 sale, e.g. a subscription renewal), booked as a reversal: a
// Reversed transaction under the sale's, Chargeback lines (refund-plan.ts) and the invoice and customer totals,
// through the refund booking (bookRefund).
//
// The delivery's real shape (developer.paypal.com/api/rest/webhooks/event-names/#sales; the PayPal emulator
// sends it, test/emulators/paypal/src/api/sales.ts): the resource is the reversal with `state: "completed"`, a
// NEGATIVE `amount.total` and NO `sale_id`, so read as a payment it would look like a completed sale of −0.49.
// It is never read as a payment: the reversal is re-read by its id from PayPal (GET /v1/payments/refund/{id},
// "show refund details", which names the sale in `sale_id`), and PayPal's answer is booked. An id PayPal does
// not know, or an amount that disagrees with PayPal's, is a forged notification: nothing booked.
import type { PayPalSaleRefund, PayPalWire } from '../../adapters/paypal/types.ts';
import { errors } from '../../errors.ts';
import { money, parseAmount } from '../../mapping/money.ts';
import type { RefundFacts } from '../../mapping/refund-plan.ts';
import type { Handler } from '../handlers.ts';
import { readResource, reportForgery, type ForgeryReporting } from '../paypal-truth.ts';
import { bookRefund, type RefundFlowDeps } from '../refund-from-paypal.ts';

export interface SaleReversalDeps extends RefundFlowDeps {
  paypal: { getSaleRefund(id: string): Promise<PayPalSaleRefund> };
  forgeryCounter?: ForgeryReporting['counter'];
}

type ReversalResource = PayPalWire<PayPalSaleRefund>;

/** What the event body claims: the reversal id and its (negative) amount. */
export function claimedReversal(resource: ReversalResource): { id: string; gross: ReturnType<typeof money> } {
  if (!resource.id) throw errors.validation('sale reversal has no id');
  if (!resource.amount?.total || !resource.amount.currency)
    throw errors.validation(`sale reversal ${resource.id} has no amount`);
  const g = parseAmount(resource.amount.total, resource.amount.currency);
  return { id: resource.id, gross: money(Math.abs(g.minor), g.currency) };
}

/** PayPal's answer for the reversal (GET /v1/payments/refund/{id}) as a reversal of its sale. PayPal keeps the fee. */
export function reversalFacts(answer: ReversalResource): RefundFacts {
  if (!answer.id) throw errors.validation('sale reversal answer has no id');
  if (!answer.sale_id) throw errors.validation(`PayPal's reversal ${answer.id} names no sale`);
  const { gross } = claimedReversal(answer);
  const time = answer.update_time ?? answer.create_time ?? new Date(0).toISOString();
  return {
    kind: 'reversal',
    refundId: answer.id,
    parentId: answer.sale_id,
    status: (answer.state ?? 'completed').toUpperCase(),
    gross,
    feeReturned: money(0, gross.currency),
    net: gross,
    updateTime: new Date(time).toISOString().replace('.000Z', 'Z'),
  };
}

export function saleReversed(deps: SaleReversalDeps): Handler {
  return async (ctx) => {
    const event = ctx.event as { id: string; resource?: unknown };
    const claimed = claimedReversal(event.resource ?? {});
    const reporting = { dataverse: deps.dataverse, ...(deps.forgeryCounter ? { counter: deps.forgeryCounter } : {}) };
    const answer = await readResource(() => deps.paypal.getSaleRefund(claimed.id));
    if (!answer) return reportForgery(reporting, ctx, { kind: 'refund', id: claimed.id }, []);
    const reversal = reversalFacts(answer);
    const fields = [
      ...(reversal.gross.minor !== claimed.gross.minor ? (['amount'] as const) : []),
      ...(reversal.gross.currency !== claimed.gross.currency ? (['currency'] as const) : []),
    ];
    if (fields.length) return reportForgery(reporting, ctx, { kind: 'refund', id: claimed.id }, fields);
    const outcome = await deps.captureLock(reversal.parentId, () => bookRefund(deps, reversal, event.id));
    ctx.log.info(
      { outcome, reversalId: reversal.refundId, saleId: reversal.parentId },
      `sale reversal ${outcome === 'recorded' ? 'booked as a chargeback' : 'already recorded'}`,
    );
  };
}
