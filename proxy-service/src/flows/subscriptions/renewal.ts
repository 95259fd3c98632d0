// A subscription payment (PAYMENT.SALE.COMPLETED with billing_agreement_id: every renewal, the first cycle at
// activation and a captured outstanding balance) becomes a paid renewal invoice for its billing period, with the
// PayPal transaction, ledger lines and customer totals: the order-to-cash booking (paymentBooking /
// planOrderToCash), with the subscription's payer and plan as the "order". Facts re-read from PayPal: the sale
// (GET /v1/payments/sale/{id}, verifiedPayment) and the subscription it names (GET /v1/billing/subscriptions/{id}).
// The sale id keys the transaction, order and invoice, so a payment is booked once whichever event arrives
// first and however often; the subscription row is mirrored first, so a renewal that overtakes the
// subscription's own events still finds (creates) its row.
import type { OrderFacts } from '../../mapping/order-facts.ts';
import { billingPeriod } from '../../mapping/subscriptions/subscription-plan.ts';
import type { PayPalReads, ForgeryReporting } from '../paypal-truth.ts';
import { reportForgery, verifiedPayment } from '../paypal-truth.ts';
import { paymentBooking, paymentFromEvent } from '../order-to-cash.ts';
import type { Handler } from '../handlers.ts';
import type { FraudScorer } from '../../fraud/scorer.ts';
import { subscriptionSyncer, type SyncDeps } from './subscription-sync.ts';

export interface RenewalDeps extends SyncDeps {
  paypal: SyncDeps['paypal'] & Pick<PayPalReads, 'getSale' | 'getCapture'>;
  forgeryCounter?: ForgeryReporting['counter'];
  /** fraud scoring: a renewal is scored in the job that books it, its score in the payment's change set */
  fraud?: FraudScorer;
}

export function subscriptionRenewal(deps: RenewalDeps): Handler {
  const sync = subscriptionSyncer(deps);
  const book = paymentBooking(deps);
  return async (ctx) => {
    const event = ctx.event as { id: string; event_type: string; resource?: unknown };
    const claimed = paymentFromEvent(event);
    const reporting = { dataverse: deps.dataverse, ...(deps.forgeryCounter ? { counter: deps.forgeryCounter } : {}) };
    const payment = await verifiedPayment({ ...reporting, paypal: deps.paypal }, ctx, claimed);
    // PayPal's sale names the subscription; a body naming another one is not PayPal's.
    const subscriptionId = payment.billingAgreementId;
    if (!subscriptionId || subscriptionId !== claimed.billingAgreementId)
      return reportForgery(reporting, ctx, { kind: 'sale', id: payment.paypalId }, ['link']);
    const synced = await sync(ctx, subscriptionId, event.id);
    const { facts, plan } = synced;
    const period = billingPeriod(payment.createTime, plan.frequency);
    const label = `${plan.name} ${period.start} – ${period.end}`;
    const order: OrderFacts = {
      orderId: subscriptionId,
      payer: {
        ...(facts.subscriber.payerId ? { payerId: facts.subscriber.payerId } : {}),
        ...(facts.subscriber.email ? { email: facts.subscriber.email } : {}),
        ...(facts.subscriber.givenName ? { givenName: facts.subscriber.givenName } : {}),
        ...(facts.subscriber.surname ? { surname: facts.subscriber.surname } : {}),
        isBusiness: false,
      },
      // One line: the plan's catalog product (productnumber = PayPal product id) for what PayPal collected.
      lines: [{ sku: plan.productId, name: `${label} (${subscriptionId})`, quantity: 1, unitAmount: payment.gross }],
    };
    await book(ctx, event.id, payment, order, {
      orderName: `Subscription ${subscriptionId}`,
      invoiceName: `Renewal ${label} (${subscriptionId})`.slice(0, 300),
      stock: false,
      transaction: { 'ppc_subscriptionid@odata.bind': `/ppc_subscriptions(${synced.rowId})` },
    });
    ctx.log.info({ subscriptionId, saleId: payment.paypalId, period }, 'subscription payment invoiced');
  };
}
