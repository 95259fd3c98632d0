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
} as const;

export type PayPalEventType = keyof typeof PAYPAL_ACTIONS;
export type DataverseEventType = keyof typeof DATAVERSE_ACTIONS;
/** Every action a job can run, whichever source the event came from. */
export type EventAction = (typeof PAYPAL_ACTIONS)[PayPalEventType] | (typeof DATAVERSE_ACTIONS)[DataverseEventType];
export const ALL_ACTIONS: readonly EventAction[] = [
  ...new Set([...Object.values(PAYPAL_ACTIONS), ...Object.values(DATAVERSE_ACTIONS)]),
];

export function actionFor(eventType: string, source = 'paypal'): EventAction | 'not_supported' {
  if (source === 'dataverse')
    return Object.hasOwn(DATAVERSE_ACTIONS, eventType)
      ? DATAVERSE_ACTIONS[eventType as DataverseEventType]
      : 'not_supported';
  return Object.hasOwn(PAYPAL_ACTIONS, eventType) ? PAYPAL_ACTIONS[eventType as PayPalEventType] : 'not_supported';
}
