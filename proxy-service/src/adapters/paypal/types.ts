// Names for the generated PayPal schemas the flows use (generated/*.d.ts, from openapi/).
import type { components as Orders, paths as OrdersPaths } from './generated/checkout_orders_v2.d.ts';
import type { components as Payments, paths as PaymentsPaths } from './generated/payments_payment_v2.d.ts';
import type { components as PaymentsV1, paths as PaymentsV1Paths } from './generated/payments_payment_v1.d.ts';
import type { components as Webhooks, paths as WebhooksPaths } from './generated/notifications_webhooks_v1.d.ts';
import type { components as Disputes, paths as DisputesPaths } from './generated/customer_disputes_v1.d.ts';
import type { components as Reporting, paths as ReportingPaths } from './generated/reporting_transactions_v1.d.ts';
import type { components as Payouts, paths as PayoutsPaths } from './generated/payments_payouts_batch_v1.d.ts';
import type { components as Billing, paths as BillingPaths } from './generated/billing_subscriptions_v1.d.ts';
import type { components as Catalog, paths as CatalogPaths } from './generated/catalogs_products_v1.d.ts';

/** Every PayPal path the client can call (the specs' paths do not overlap). */
export type PayPalPaths = OrdersPaths &
  PaymentsPaths &
  PaymentsV1Paths &
  WebhooksPaths &
  DisputesPaths &
  ReportingPaths &
  PayoutsPaths &
  BillingPaths &
  CatalogPaths;

export type PayPalOrder = Orders['schemas']['order'];
export type PayPalOrderRequest = Orders['schemas']['order_request'];
export type PayPalCapture = Payments['schemas']['capture-2'];
export type PayPalRefund = Payments['schemas']['refund'];
export type PayPalRefundRequest = Payments['schemas']['refund_request'];
export type PayPalMoney = Payments['schemas']['money'];
export type PayPalSale = PaymentsV1['schemas']['sale'];
export type PayPalWebhook = Webhooks['schemas']['webhook'];
export type PayPalWebhookList = Webhooks['schemas']['WebhookList'];
export type PayPalWebhookEvent = Webhooks['schemas']['event'];
export type PayPalVerifyWebhookSignatureRequest = Webhooks['schemas']['verify_webhook_signature'];
export type PayPalVerifyWebhookSignatureResponse = Webhooks['schemas']['verify_webhook_signature_response'];
export type PayPalDispute = Disputes['schemas']['dispute'];
export type PayPalTransactionSearchParams = ReportingPaths['/v1/reporting/transactions']['get']['parameters']['query'];
export type PayPalTransactionSearchResponse = Reporting['schemas']['search_response'];
export type PayPalTransactionDetail = Reporting['schemas']['transaction_detail'];
export type PayPalBalancesResponse = Reporting['schemas']['balances_response'];
export type PayPalCreatePayoutRequest = Payouts['schemas']['create_payout_request'];
export type PayPalPayout = Payouts['schemas']['payout'];
export type PayPalPayoutBatch = Payouts['schemas']['payout_batch'];
export type PayPalPayoutItem = Payouts['schemas']['payout_item-2'];
export type PayPalDisputeSearchParams = NonNullable<
  DisputesPaths['/v1/customer/disputes']['get']['parameters']['query']
>;
export type PayPalDisputeSearch = Disputes['schemas']['dispute_search'];
export type PayPalProductRequest = Catalog['schemas']['product_request_POST'];
export type PayPalProduct = Catalog['schemas']['product'];
export type PayPalPlanRequest = Billing['schemas']['plan_request_POST'];
export type PayPalPlan = Billing['schemas']['plan'];
export type PayPalSubscriptionRequest = Billing['schemas']['subscription_request_post'];
export type PayPalSubscription = Billing['schemas']['subscription'];
export type PayPalSubscriptionTransactions = Billing['schemas']['transactions_list'];
export type PayPalSaleRefund = PaymentsV1['schemas']['refund'];
export type PayPalAddressPortable = Orders['schemas']['address_portable-2'];

/**
 * A PayPal resource as it arrives (webhook `resource`, API answer): the generated shape, with every field
 * optional, because the mapping must check what it needs rather than trust that PayPal sent it.
 */
export type PayPalWire<T> = T extends readonly (infer E)[]
  ? readonly PayPalWire<E>[]
  : T extends object
    ? { readonly [K in keyof T]?: PayPalWire<T[K]> }
    : T;
