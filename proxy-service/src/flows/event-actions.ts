// Every inbound event type we handle, from PayPal or from Dataverse, maps to one action (medusa's
// getWebhookActionAndData): a small, explicit vocabulary shared by both sources. A type not listed here is
// stored and acknowledged, never processed.

// PayPal webhooks (source 'paypal'). Event names: developer.paypal.com/api/rest/webhooks/event-names/
export const PAYPAL_ACTIONS = {
  'PAYMENT.CAPTURE.COMPLETED': 'capture.completed',
  'PAYMENT.CAPTURE.PENDING': 'capture.pending',
  'PAYMENT.CAPTURE.DECLINED': 'capture.declined',
  'PAYMENT.CAPTURE.DENIED': 'capture.declined',
  'PAYMENT.CAPTURE.REFUNDED': 'capture.refunded',
  'PAYMENT.CAPTURE.REVERSED': 'capture.reversed',
  'PAYMENT.SALE.COMPLETED': 'sale.completed',
  'PAYMENT.SALE.REFUNDED': 'sale.refunded',
  'PAYMENT.SALE.REVERSED': 'sale.reversed',
  'CUSTOMER.DISPUTE.CREATED': 'dispute.changed',
  'CUSTOMER.DISPUTE.UPDATED': 'dispute.changed',
  'CUSTOMER.DISPUTE.RESOLVED': 'dispute.changed',
  'PAYMENT.PAYOUTSBATCH.PROCESSING': 'payout.batch_changed',
  'PAYMENT.PAYOUTSBATCH.SUCCESS': 'payout.batch_changed',
  'PAYMENT.PAYOUTSBATCH.DENIED': 'payout.batch_changed',
  'PAYMENT.PAYOUTS-ITEM.SUCCEEDED': 'payout.item_changed',
  'PAYMENT.PAYOUTS-ITEM.FAILED': 'payout.item_changed',
  'PAYMENT.PAYOUTS-ITEM.UNCLAIMED': 'payout.item_changed',
  'PAYMENT.PAYOUTS-ITEM.RETURNED': 'payout.item_changed',
  'PAYMENT.PAYOUTS-ITEM.BLOCKED': 'payout.item_changed',
  'PAYMENT.PAYOUTS-ITEM.REFUNDED': 'payout.item_changed',
  'PAYMENT.PAYOUTS-ITEM.HELD': 'payout.item_changed',
  'PAYMENT.PAYOUTS-ITEM.CANCELED': 'payout.item_changed',
  'PAYMENT.PAYOUTS-ITEM.DENIED': 'payout.item_changed',
  'BILLING.SUBSCRIPTION.CREATED': 'subscription.changed',
  'BILLING.SUBSCRIPTION.ACTIVATED': 'subscription.changed',
  'BILLING.SUBSCRIPTION.UPDATED': 'subscription.changed',
  'BILLING.SUBSCRIPTION.SUSPENDED': 'subscription.changed',
  'BILLING.SUBSCRIPTION.CANCELLED': 'subscription.changed',
  'BILLING.SUBSCRIPTION.EXPIRED': 'subscription.changed',
  'BILLING.SUBSCRIPTION.PAYMENT.FAILED': 'subscription.payment_failed',
} as const;

// Dataverse webhooks (source 'dataverse'): "<MessageName>:<PrimaryEntityName>" of the solution's steps.
export const DATAVERSE_ACTIONS = {
  'Update:ppc_creditmemo': 'creditmemo.refund_requested',
  'Update:ppc_fraudalert': 'fraudalert.reviewed',
  // The Retry command on an integration event (ops/retry-command.ts).
  'Update:ppc_integrationevent': 'integrationevent.retry_requested',
  'Update:ppc_subscription': 'subscription.command_requested',
  'Update:ppc_payoutbatch': 'payoutbatch.changed',
  // "Reconcile now" on a reconciliation run (reconciliation/run-request.ts).
  'Update:ppc_reconciliationrun': 'reconciliationrun.run_requested',
  // "Cancel unclaimed payout" (ppc_cancelrequested) and a vendor's payout receiver changed (flows/payouts/commands.ts).
  'Update:ppc_payoutitem': 'payoutitem.cancel_requested',
  'Update:account': 'vendor.receiver_changed',
  'Update:contact': 'vendor.receiver_changed',
} as const;

export type PayPalEventType = keyof typeof PAYPAL_ACTIONS;
export type DataverseEventType = keyof typeof DATAVERSE_ACTIONS;
/**
 * A v1 sale that carries a billing agreement id is a subscription renewal, not a one-off sale
 * (developer.paypal.com/docs/api/subscriptions/v1/: renewals arrive as PAYMENT.SALE.COMPLETED with
 * billing_agreement_id = the subscription id): it belongs to the subscriptions flow, and is parked until that
 * flow exists, never consumed by order-to-cash.
 */
export const RENEWAL_ACTION = 'subscription.renewal' as const;

/** Every action a job can run, whichever source the event came from. */
export type EventAction =
  (typeof PAYPAL_ACTIONS)[PayPalEventType] | (typeof DATAVERSE_ACTIONS)[DataverseEventType] | typeof RENEWAL_ACTION;
export const ALL_ACTIONS: readonly EventAction[] = [
  ...new Set([...Object.values(PAYPAL_ACTIONS), ...Object.values(DATAVERSE_ACTIONS), RENEWAL_ACTION]),
];

function isRenewal(payload: unknown): boolean {
  const resource = (payload as { resource?: { billing_agreement_id?: unknown } } | null | undefined)?.resource;
  return typeof resource?.billing_agreement_id === 'string' && resource.billing_agreement_id !== '';
}

/** The action of an event; `payload` (the stored event) tells a subscription renewal from a one-off sale. */
export function actionFor(eventType: string, source = 'paypal', payload?: unknown): EventAction | 'not_supported' {
  if (source === 'dataverse')
    return Object.hasOwn(DATAVERSE_ACTIONS, eventType)
      ? DATAVERSE_ACTIONS[eventType as DataverseEventType]
      : 'not_supported';
  if (eventType === 'PAYMENT.SALE.COMPLETED' && isRenewal(payload)) return RENEWAL_ACTION;
  return Object.hasOwn(PAYPAL_ACTIONS, eventType) ? PAYPAL_ACTIONS[eventType as PayPalEventType] : 'not_supported';
}
