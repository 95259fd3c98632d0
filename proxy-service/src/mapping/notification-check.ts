// A webhook is a notification, not the truth: PayPal signs only crc32(body), so a body can be forged under
// a genuine signature (developer.paypal.com/api/rest/webhooks/rest/#link-eventheaders: the signed string is
// transmission id | time | webhook id | CRC32 of the body). The flows read the resource from PayPal's API and
// compare it with the body here. Pure: which of the fields that decide a booking disagree.
//
// A status that PayPal has since moved on from is not a disagreement (the event may be a late redelivery):
// only a body status PayPal's answer cannot have passed through is.
import type { DisputeFacts } from './dispute-plan.ts';
import type { PaymentFacts, PaymentStatus } from './payment-facts.ts';
import type { RefundFacts } from './refund-plan.ts';

/** The fields compared: what a booking depends on. */
export type CheckedField = 'id' | 'amount' | 'currency' | 'status' | 'link' | 'reference';

// Capture lifecycle (developer.paypal.com/docs/api/payments/v2/#captures_get, capture.status): PENDING ends
// COMPLETED, DECLINED or FAILED; a completed capture can be refunded in parts, fully, or reversed.
const PAYMENT_NEXT: Record<PaymentStatus, readonly PaymentStatus[]> = {
  PENDING: ['COMPLETED', 'DECLINED', 'FAILED'],
  COMPLETED: ['PARTIALLY_REFUNDED', 'REFUNDED', 'REVERSED'],
  PARTIALLY_REFUNDED: ['REFUNDED', 'REVERSED'],
  REFUNDED: [],
  REVERSED: [],
  DECLINED: [],
  FAILED: [],
};

/** True when PayPal's status `now` is `then` or a status reachable from it. */
export function paymentStatusReachable(then: PaymentStatus, now: PaymentStatus): boolean {
  const seen = new Set<PaymentStatus>([then]);
  for (const status of seen) for (const next of PAYMENT_NEXT[status]) seen.add(next); // a Set iterates what is added
  return seen.has(now);
}

// Refund lifecycle (developer.paypal.com/docs/api/payments/v2/#refunds_get, refund.status): PENDING ends
// COMPLETED, FAILED or CANCELLED.
function refundStatusReachable(then: string, now: string): boolean {
  return then === now || (then === 'PENDING' && ['COMPLETED', 'FAILED', 'CANCELLED'].includes(now));
}

const differs = (body: string | undefined, truth: string | undefined) => body !== undefined && body !== truth;

/** A capture or sale event's resource against PayPal's answer for the same id. */
export function paymentDisagreements(body: PaymentFacts, truth: PaymentFacts): CheckedField[] {
  const out: CheckedField[] = [];
  if (body.paypalId !== truth.paypalId || body.kind !== truth.kind) out.push('id');
  if (body.gross.minor !== truth.gross.minor) out.push('amount');
  if (body.gross.currency !== truth.gross.currency) out.push('currency');
  if (!paymentStatusReachable(body.status, truth.status)) out.push('status');
  if (differs(body.orderId, truth.orderId)) out.push('link');
  // invoice_id / custom_id decide which invoice is paid. A v1 sale as GET /v1/payments/sale/{id} answers it has
  // neither (payments_payment_v1.json, schema sale): there the body's are kept unverified.
  if (differs(body.invoiceRef, truth.invoiceRef) && !saleWithout(truth, truth.invoiceRef)) out.push('reference');
  else if (differs(body.customId, truth.customId) && !saleWithout(truth, truth.customId)) out.push('reference');
  return out;
}

const saleWithout = (truth: PaymentFacts, field: string | undefined) => truth.kind === 'sale' && field === undefined;

/**
 * What order-to-cash books: PayPal's answer. When PayPal's status has moved on since the event (refunded,
 * reversed), the event's status and time are kept — the answer proves the payment passed through them, and
 * the later change arrives as its own event and flow.
 */
export function bookedPayment(body: PaymentFacts, answer: PaymentFacts): PaymentFacts {
  const truth: PaymentFacts = {
    ...answer,
    ...(saleWithout(answer, answer.invoiceRef) && body.invoiceRef ? { invoiceRef: body.invoiceRef } : {}),
    ...(saleWithout(answer, answer.customId) && body.customId ? { customId: body.customId } : {}),
  };
  if (body.status === truth.status) return truth;
  const { statusDetails: _later, ...rest } = truth;
  return {
    ...rest,
    status: body.status,
    ...(body.statusDetails ? { statusDetails: body.statusDetails } : {}),
    updateTime: body.updateTime,
  };
}

/** A v2 refund event's resource against PayPal's answer for the same refund id. */
export function refundDisagreements(body: RefundFacts, truth: RefundFacts): CheckedField[] {
  const out: CheckedField[] = [];
  if (body.refundId !== truth.refundId) out.push('id');
  if (body.gross.minor !== truth.gross.minor) out.push('amount');
  if (body.gross.currency !== truth.gross.currency) out.push('currency');
  if (!refundStatusReachable(body.status, truth.status)) out.push('status');
  if (body.parentId !== truth.parentId) out.push('link');
  if (differs(body.invoiceRef, truth.invoiceRef) || differs(body.customId, truth.customId)) out.push('reference');
  return out;
}

/**
 * A reversal (PAYMENT.CAPTURE.REVERSED) or a v1 sale refund against PayPal's answer for the payment it
 * names: that payment must exist under that id, in that currency, at least as large, and no longer simply
 * completed (a reversal or refund leaves it PARTIALLY_REFUNDED, REFUNDED or REVERSED).
 */
export function parentDisagreements(body: RefundFacts, parent: PaymentFacts): CheckedField[] {
  const out: CheckedField[] = [];
  if (body.parentId !== parent.paypalId) out.push('link');
  if (body.gross.currency !== parent.gross.currency) out.push('currency');
  else if (body.gross.minor > parent.gross.minor) out.push('amount');
  if (!['PARTIALLY_REFUNDED', 'REFUNDED', 'REVERSED'].includes(parent.status)) out.push('status');
  return out;
}

/** A dispute event's resource against PayPal's answer for the same dispute id. */
export function disputeDisagreements(body: DisputeFacts, truth: DisputeFacts): CheckedField[] {
  const out: CheckedField[] = [];
  if (body.disputeId !== truth.disputeId) out.push('id');
  if (body.amount && body.amount.minor !== truth.amount?.minor) out.push('amount');
  if (body.amount && body.amount.currency !== truth.amount?.currency) out.push('currency');
  // Disputes move between open states in any order; only "resolved" is final.
  if (body.status === 'RESOLVED' && truth.status !== 'RESOLVED') out.push('status');
  if (differs(body.captureId, truth.captureId)) out.push('link');
  return out;
}
