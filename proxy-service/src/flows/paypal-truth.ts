// Before money is booked, a flow reads the event's resource from PayPal by the id in the event and books
// PayPal's answer (ARCHITECTURE §3 "Trust"). A body that disagrees with the answer on what decides the
// booking, or names a resource PayPal does not know (404), is a security event: a log line without payload,
// ppc_webhook_forgery_suspected_total, and a Payment Alert (ppc_fraudalert, type Forged Notification) for
// finance to review — and nothing booked (the event is dead-lettered, not retried).
//
// Why ppc_fraudalert and not ppc_integrationevent: a forged payment notification is a fraud attempt finance
// reviews and closes (New → Under Review → Confirmed Fraud / Marked Safe, with reviewer and notes), the
// lifecycle ppc_fraudalert has and the solution's fraud cloud flow alerts on; ppc_integrationevent is the
// technical event log.
import type { DataversePort } from '../adapters/dataverse/types.ts';
import type { PayPalCapture, PayPalDispute, PayPalRefund, PayPalSale } from '../adapters/paypal/types.ts';
import { AppError } from '../errors.ts';
import { AlertType, odataString } from '../mapping/dataverse-values.ts';
import { disputeFacts, type DisputeFacts } from '../mapping/dispute-plan.ts';
import {
  bookedPayment,
  disputeDisagreements,
  parentDisagreements,
  paymentDisagreements,
  refundDisagreements,
  type CheckedField,
} from '../mapping/notification-check.ts';
import { captureFacts, saleFacts, type PaymentFacts } from '../mapping/payment-facts.ts';
import { refundFacts, type RefundFacts } from '../mapping/refund-plan.ts';
import type { HandlerContext } from './handlers.ts';

export type PayPalResourceKind =
  'capture' | 'sale' | 'refund' | 'dispute' | 'subscription' | 'payout_item' | 'payout_batch';

/** Where a suspected forgery is reported; the counter is prom-client's (metrics.ts). */
export interface ForgeryReporting {
  dataverse: DataversePort;
  counter?: { inc(labels: { event_type: string }): void };
}

/** Caller-supplied ids go into logs, alert keys and messages capped. */
const cap = (s: string, n = 64) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** PayPal's answer for a resource, or undefined when PayPal does not know the id (404). Other errors pass up. */
export async function readResource<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof AppError && err.httpStatus === 404) return undefined;
    throw err;
  }
}

export const forgerySuspected = (detail: string) =>
  new AppError({
    code: 'webhook_forgery_suspected',
    message: detail,
    failure: 'rejected',
    httpStatus: 422,
  });

/**
 * Records the security event and throws: nothing of this event is booked. `fields` empty means PayPal does
 * not know the resource at all.
 */
export async function reportForgery(
  deps: ForgeryReporting,
  ctx: Pick<HandlerContext, 'eventId' | 'eventType' | 'log'>,
  resource: { kind: PayPalResourceKind; id: string },
  fields: readonly CheckedField[],
): Promise<never> {
  const reasons = fields.length ? fields.map((f) => `body_disagrees:${f}`) : [`${resource.kind}_unknown_to_paypal`];
  const summary = fields.length
    ? `body disagrees with PayPal's ${resource.kind} ${cap(resource.id)} on ${fields.join(', ')}`
    : `PayPal does not know ${resource.kind} ${cap(resource.id)}`;
  // No payload and no body values: ids (capped) and field names only.
  ctx.log.error(
    { security: true, resourceKind: resource.kind, resourceId: cap(resource.id), fields, reasons },
    'webhook forgery suspected: nothing booked',
  );
  // One alert per event id: a redelivery or a retry of this job does not raise a second one.
  await deps.dataverse.changeSet([
    {
      method: 'PATCH',
      url: `ppc_fraudalerts(ppc_alertkey=${odataString(`forgery:${cap(ctx.eventId, 150)}`)})`,
      body: {
        ppc_name: cap(`Forged ${ctx.eventType} ${summary}`, 200),
        ppc_alerttype: AlertType.ForgedNotification,
        ppc_reasons: JSON.stringify(reasons),
      },
    },
  ]);
  deps.counter?.inc({ event_type: ctx.eventType });
  throw forgerySuspected(`${cap(ctx.eventType)}: ${summary}; nothing booked`);
}

/** The PayPal reads the checks need (adapters/paypal's client has them all). */
export interface PayPalReads {
  getCapture(id: string): Promise<PayPalCapture>;
  getSale(id: string): Promise<PayPalSale>;
  getRefund(id: string): Promise<PayPalRefund>;
  getDispute(id: string): Promise<PayPalDispute>;
}

export interface TruthDeps<R extends keyof PayPalReads = keyof PayPalReads> extends ForgeryReporting {
  paypal: Pick<PayPalReads, R>;
}

type Ctx = Pick<HandlerContext, 'eventId' | 'eventType' | 'log'>;

/** A capture or sale event: PayPal's capture (GET /v2/payments/captures/{id}) or sale (GET /v1/payments/sale/{id}). */
export async function verifiedPayment(
  deps: TruthDeps<'getCapture' | 'getSale'>,
  ctx: Ctx,
  claimed: PaymentFacts,
): Promise<PaymentFacts> {
  const answer = await readResource(async () =>
    claimed.kind === 'sale'
      ? saleFacts(await deps.paypal.getSale(claimed.paypalId))
      : captureFacts(await deps.paypal.getCapture(claimed.paypalId)),
  );
  if (!answer) return reportForgery(deps, ctx, { kind: claimed.kind, id: claimed.paypalId }, []);
  const fields = paymentDisagreements(claimed, answer);
  if (fields.length) return reportForgery(deps, ctx, { kind: claimed.kind, id: claimed.paypalId }, fields);
  return bookedPayment(claimed, answer);
}

/**
 * A refund or reversal event. A v2 refund is read by its id (GET /v2/payments/refunds/{id}) and PayPal's answer
 * booked. A reversal and a v1 sale refund are checked against the payment they name (GET the capture / sale):
 * PayPal's answer for that payment must show it reversed or refunded, in that currency, for at least that much.
 */
export async function verifiedRefund(
  deps: TruthDeps<'getRefund' | 'getCapture' | 'getSale'>,
  ctx: Ctx,
  claimed: RefundFacts,
): Promise<RefundFacts> {
  if (claimed.kind === 'refund' && !ctx.eventType.startsWith('PAYMENT.SALE.')) {
    const answer = await readResource(async () => refundFacts(await deps.paypal.getRefund(claimed.refundId)));
    if (!answer) return reportForgery(deps, ctx, { kind: 'refund', id: claimed.refundId }, []);
    const fields = refundDisagreements(claimed, answer);
    if (fields.length) return reportForgery(deps, ctx, { kind: 'refund', id: claimed.refundId }, fields);
    return answer;
  }
  const kind = ctx.eventType.startsWith('PAYMENT.SALE.') ? 'sale' : 'capture';
  const parent = await readResource(async () =>
    kind === 'sale'
      ? saleFacts(await deps.paypal.getSale(claimed.parentId))
      : captureFacts(await deps.paypal.getCapture(claimed.parentId)),
  );
  if (!parent) return reportForgery(deps, ctx, { kind, id: claimed.parentId }, []);
  const fields = parentDisagreements(claimed, parent);
  if (fields.length) return reportForgery(deps, ctx, { kind, id: claimed.parentId }, fields);
  return claimed;
}

/** A dispute event: PayPal's dispute (GET /v1/customer/disputes/{id}) is booked. */
export async function verifiedDispute(
  deps: TruthDeps<'getDispute'>,
  ctx: Ctx,
  claimed: DisputeFacts,
): Promise<DisputeFacts> {
  const answer = await readResource(async () => disputeFacts(await deps.paypal.getDispute(claimed.disputeId)));
  if (!answer) return reportForgery(deps, ctx, { kind: 'dispute', id: claimed.disputeId }, []);
  const fields = disputeDisagreements(claimed, answer);
  if (fields.length) return reportForgery(deps, ctx, { kind: 'dispute', id: claimed.disputeId }, fields);
  return answer;
}
