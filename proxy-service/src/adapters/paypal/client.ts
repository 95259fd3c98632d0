// Typed PayPal REST client: openapi-fetch over the generated paths, every call through one middleware
// stack (transport.ts). Methods return PayPal's resources as typed by the specs, or throw an AppError
// (paypal-error.ts). Money stays in PayPal's string major units here; mapping/ converts.
import createClient from 'openapi-fetch';
import { AppError } from '../../errors.ts';
import { isNetworkFailure } from '../../retry/failure-class.ts';
import { payPalTokenProvider, type TokenProvider } from './oauth.ts';
import { payPalNetworkError } from './paypal-error.ts';
import { createPayPalFetch, REQUEST_ID_HEADER, type TransportOptions } from './transport.ts';
import type {
  PayPalBalancesResponse,
  PayPalCapture,
  PayPalCreatePayoutRequest,
  PayPalDispute,
  PayPalDisputeSearch,
  PayPalDisputeSearchParams,
  PayPalMoney,
  PayPalOrder,
  PayPalOrderRequest,
  PayPalPaths,
  PayPalPayout,
  PayPalPayoutBatch,
  PayPalPayoutItem,
  PayPalPlan,
  PayPalPlanRequest,
  PayPalProduct,
  PayPalProductRequest,
  PayPalRefund,
  PayPalSale,
  PayPalSaleRefund,
  PayPalSubscription,
  PayPalSubscriptionRequest,
  PayPalSubscriptionTransactions,
  PayPalTransactionSearchParams,
  PayPalTransactionSearchResponse,
  PayPalVerifyWebhookSignatureRequest,
  PayPalVerifyWebhookSignatureResponse,
  PayPalWebhook,
} from './types.ts';

export interface PayPalClientOptions {
  /** Host only, e.g. https://api-m.sandbox.paypal.com (paths carry their /v1, /v2 prefix). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Attempts per call including the first, instead of the retry table's (tests). */
  maxAttempts?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Per attempt, ms (default 30 000). */
  timeoutMs?: number;
  /** Longer waits (Retry-After) are left to the job queue: the retryable error is thrown (default INLINE.maxWaitMs). */
  maxInlineDelayMs?: number;
  /** Share one token cache between clients; a new one per client otherwise. */
  tokens?: TokenProvider;
  onRetry?: TransportOptions['onRetry'];
}

export interface RefundCaptureRequest {
  /** Absent: refund what is left of the capture. Must be in the capture's currency. */
  amount?: { currency_code: string; value: string };
  invoice_id?: string;
  custom_id?: string;
  note_to_payer?: string;
}

export interface RefundSaleRequest {
  /** Absent: refund what is left of the sale. v1 money: `{ total, currency }`. */
  amount?: { total: string; currency: string };
  description?: string;
  reason?: string;
  invoice_number?: string;
}

export interface CaptureSubscriptionRequest {
  note: string;
  amount: { currency_code: string; value: string };
}

export interface PayPalClient {
  createOrder(order: PayPalOrderRequest, requestId?: string): Promise<PayPalOrder>;
  getOrder(id: string): Promise<PayPalOrder>;
  captureOrder(id: string, requestId: string): Promise<PayPalOrder>;
  getCapture(id: string): Promise<PayPalCapture>;
  /** `requestId` is the PayPal-Request-Id: the same id replays the same refund (kept 45 days). */
  refundCapture(captureId: string, request: RefundCaptureRequest, requestId: string): Promise<PayPalRefund>;
  getRefund(id: string): Promise<PayPalRefund>;
  getSale(id: string): Promise<PayPalSale>;
  /** v1 sale refund (subscription renewals); `requestId` is the PayPal-Request-Id (kept 30 days). */
  refundSale(saleId: string, request: RefundSaleRequest, requestId: string): Promise<PayPalSaleRefund>;
  /** v1 refund or reversal by its id (GET /v1/payments/refund/{id}): names the sale it returns money of. */
  getSaleRefund(id: string): Promise<PayPalSaleRefund>;
  getDispute(id: string): Promise<PayPalDispute>;
  listWebhooks(): Promise<PayPalWebhook[]>;
  createWebhook(url: string, eventTypes: readonly string[]): Promise<PayPalWebhook>;
  deleteWebhook(id: string): Promise<void>;
  verifyWebhookSignature(request: PayPalVerifyWebhookSignatureRequest): Promise<PayPalVerifyWebhookSignatureResponse>;
  searchTransactions(params: PayPalTransactionSearchParams): Promise<PayPalTransactionSearchResponse>;
  getBalances(params?: { as_of_time?: string; currency_code?: string }): Promise<PayPalBalancesResponse>;
  /** `requestId` defaults to the sender_batch_id, PayPal's own idempotency key for payouts. */
  createPayout(request: PayPalCreatePayoutRequest, requestId?: string): Promise<PayPalPayout>;
  getPayoutBatch(
    id: string,
    params?: { page?: number; page_size?: number; total_required?: boolean },
  ): Promise<PayPalPayoutBatch>;
  getPayoutItem(id: string): Promise<PayPalPayoutItem>;
  /** Only UNCLAIMED items can be cancelled (payments_payouts_batch_v1.json). */
  cancelPayoutItem(id: string): Promise<PayPalPayoutItem>;
  listDisputes(params: PayPalDisputeSearchParams): Promise<PayPalDisputeSearch>;
  createProduct(product: PayPalProductRequest, requestId?: string): Promise<PayPalProduct>;
  createPlan(plan: PayPalPlanRequest, requestId?: string): Promise<PayPalPlan>;
  createSubscription(subscription: PayPalSubscriptionRequest, requestId?: string): Promise<PayPalSubscription>;
  getSubscription(id: string): Promise<PayPalSubscription>;
  /** `reason` 1–128 characters; PayPal answers 204. */
  suspendSubscription(id: string, reason: string): Promise<void>;
  cancelSubscription(id: string, reason: string): Promise<void>;
  activateSubscription(id: string, reason?: string): Promise<void>;
  getPlan(id: string): Promise<PayPalPlan>;
  /** Captures (part of) the outstanding balance; `requestId` is the PayPal-Request-Id (kept 72 h). */
  captureSubscription(id: string, request: CaptureSubscriptionRequest, requestId: string): Promise<void>;
  /** start/end RFC 3339 (both required by PayPal). */
  listSubscriptionTransactions(id: string, startTime: string, endTime: string): Promise<PayPalSubscriptionTransactions>;
  readonly tokens: TokenProvider;
}

/** openapi-fetch answers {data, error}; our transport throws on every non-2xx, so only data remains.
 * A body that fails to arrive after the headers (reset, timeout) is a network error, retryable. */
async function required<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  let result: { data?: T; response: Response };
  try {
    result = await call;
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof TypeError || isNetworkFailure(err)) throw payPalNetworkError(err);
    throw err;
  }
  if (result.data === undefined)
    throw new AppError({
      code: 'paypal_EMPTY_RESPONSE',
      message: `PayPal ${result.response.url} answered ${result.response.status} without a body`,
      failure: 'bug',
      httpStatus: 502,
    });
  return result.data;
}

/** For 204 answers: errors surface as in required(), no body is expected. */
async function noContent(call: Promise<{ response: Response }>): Promise<void> {
  await required(call.then((r) => ({ response: r.response, data: null })));
}

export function createPayPalClient(options: PayPalClientOptions): PayPalClient {
  const tokens = options.tokens ?? payPalTokenProvider(options);
  const api = createClient<PayPalPaths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: createPayPalFetch({ ...options, tokens }),
  });
  const idHeader = (requestId: string | undefined) =>
    requestId === undefined ? {} : { [REQUEST_ID_HEADER]: requestId };

  return {
    tokens,
    createOrder: async (order, requestId) =>
      required(api.POST('/v2/checkout/orders', { body: order, params: { header: idHeader(requestId) } })),
    getOrder: async (id) => required(api.GET('/v2/checkout/orders/{id}', { params: { path: { id } } })),
    captureOrder: async (id, requestId) =>
      required(api.POST('/v2/checkout/orders/{id}/capture', { params: { path: { id }, header: idHeader(requestId) } })),
    getCapture: async (id) =>
      required(api.GET('/v2/payments/captures/{capture_id}', { params: { path: { capture_id: id } } })),
    refundCapture: async (captureId, request, requestId) =>
      required(
        api.POST('/v2/payments/captures/{capture_id}/refund', {
          params: { path: { capture_id: captureId }, header: idHeader(requestId) },
          body: { ...request, ...(request.amount ? { amount: request.amount satisfies PayPalMoney } : {}) },
        }),
      ),
    getRefund: async (id) =>
      required(api.GET('/v2/payments/refunds/{refund_id}', { params: { path: { refund_id: id } } })),
    getSale: async (id) => required(api.GET('/v1/payments/sale/{sale_id}', { params: { path: { sale_id: id } } })),
    refundSale: async (saleId, request, requestId) =>
      required(
        api.POST('/v1/payments/sale/{sale_id}/refund', {
          params: { path: { sale_id: saleId }, header: idHeader(requestId) },
          body: request,
        }),
      ),
    getSaleRefund: async (id) =>
      required(api.GET('/v1/payments/refund/{refund_id}', { params: { path: { refund_id: id } } })),
    getDispute: async (id) => required(api.GET('/v1/customer/disputes/{id}', { params: { path: { id } } })),
    listWebhooks: async () => (await required(api.GET('/v1/notifications/webhooks', {}))).webhooks ?? [],
    createWebhook: async (url, eventTypes) =>
      required(
        api.POST('/v1/notifications/webhooks', { body: { url, event_types: eventTypes.map((name) => ({ name })) } }),
      ),
    deleteWebhook: async (id) => {
      // 204 No Content: nothing to return, but errors still surface through required().
      await noContent(api.DELETE('/v1/notifications/webhooks/{webhook_id}', { params: { path: { webhook_id: id } } }));
    },
    verifyWebhookSignature: async (request) =>
      required(api.POST('/v1/notifications/verify-webhook-signature', { body: request })),
    searchTransactions: async (params) =>
      required(api.GET('/v1/reporting/transactions', { params: { query: params } })),
    getBalances: async (params = {}) => required(api.GET('/v1/reporting/balances', { params: { query: params } })),
    createPayout: async (request, requestId) =>
      required(
        api.POST('/v1/payments/payouts', {
          body: request,
          params: { header: idHeader(requestId ?? request.sender_batch_header.sender_batch_id) },
        }),
      ),
    getPayoutBatch: async (id, params = {}) =>
      required(api.GET('/v1/payments/payouts/{id}', { params: { path: { id }, query: params } })),
    getPayoutItem: async (id) =>
      required(api.GET('/v1/payments/payouts-item/{payout_item_id}', { params: { path: { payout_item_id: id } } })),
    cancelPayoutItem: async (id) =>
      required(
        api.POST('/v1/payments/payouts-item/{payout_item_id}/cancel', { params: { path: { payout_item_id: id } } }),
      ),
    listDisputes: async (params) => required(api.GET('/v1/customer/disputes', { params: { query: params } })),
    createProduct: async (product, requestId) =>
      required(api.POST('/v1/catalogs/products', { body: product, params: { header: idHeader(requestId) } })),
    createPlan: async (plan, requestId) =>
      required(api.POST('/v1/billing/plans', { body: plan, params: { header: idHeader(requestId) } })),
    createSubscription: async (subscription, requestId) =>
      required(api.POST('/v1/billing/subscriptions', { body: subscription, params: { header: idHeader(requestId) } })),
    getSubscription: async (id) => required(api.GET('/v1/billing/subscriptions/{id}', { params: { path: { id } } })),
    suspendSubscription: async (id, reason) =>
      noContent(api.POST('/v1/billing/subscriptions/{id}/suspend', { params: { path: { id } }, body: { reason } })),
    cancelSubscription: async (id, reason) =>
      noContent(api.POST('/v1/billing/subscriptions/{id}/cancel', { params: { path: { id } }, body: { reason } })),
    activateSubscription: async (id, reason) =>
      noContent(
        api.POST('/v1/billing/subscriptions/{id}/activate', {
          params: { path: { id } },
          body: reason === undefined ? {} : { reason },
        }),
      ),
    getPlan: async (id) => required(api.GET('/v1/billing/plans/{id}', { params: { path: { id } } })),
    captureSubscription: async (id, request, requestId) =>
      noContent(
        api.POST('/v1/billing/subscriptions/{id}/capture', {
          params: { path: { id }, header: idHeader(requestId) },
          body: { ...request, capture_type: 'OUTSTANDING_BALANCE' },
        }),
      ),
    listSubscriptionTransactions: async (id, startTime, endTime) =>
      required(
        api.GET('/v1/billing/subscriptions/{id}/transactions', {
          params: { path: { id }, query: { start_time: startTime, end_time: endTime } },
        }),
      ),
  };
}
