import { type TokenProvider } from './oauth.ts';
import { type TransportOptions } from './transport.ts';
import type { PayPalBalancesResponse, PayPalCapture, PayPalCreatePayoutRequest, PayPalDispute, PayPalDisputeSearch, PayPalDisputeSearchParams, PayPalOrder, PayPalOrderRequest, PayPalPayout, PayPalPayoutBatch, PayPalPayoutItem, PayPalPlan, PayPalPlanRequest, PayPalProduct, PayPalProductRequest, PayPalRefund, PayPalSale, PayPalSubscription, PayPalSubscriptionRequest, PayPalSubscriptionTransactions, PayPalTransactionSearchParams, PayPalTransactionSearchResponse, PayPalVerifyWebhookSignatureRequest, PayPalVerifyWebhookSignatureResponse, PayPalWebhook } from './types.ts';
export interface PayPalClientOptions {
    /** Host only, e.g. https://api-m.sandbox.paypal.com (paths carry their /v1, /v2 prefix). */
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    /** Attempts per call including the first (default 4). */
    maxAttempts?: number;
    random?: () => number;
    sleep?: (ms: number) => Promise<void>;
    /** Per attempt, ms (default 30 000). */
    timeoutMs?: number;
    /** Longer waits (Retry-After) are left to the job queue: the retryable error is thrown (default 60 000). */
    maxInlineDelayMs?: number;
    /** Share one token cache between clients; a new one per client otherwise. */
    tokens?: TokenProvider;
    onRetry?: TransportOptions['onRetry'];
}
export interface RefundCaptureRequest {
    /** Absent: refund what is left of the capture. Must be in the capture's currency. */
    amount?: {
        currency_code: string;
        value: string;
    };
    invoice_id?: string;
    custom_id?: string;
    note_to_payer?: string;
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
    getDispute(id: string): Promise<PayPalDispute>;
    listWebhooks(): Promise<PayPalWebhook[]>;
    createWebhook(url: string, eventTypes: readonly string[]): Promise<PayPalWebhook>;
    deleteWebhook(id: string): Promise<void>;
    verifyWebhookSignature(request: PayPalVerifyWebhookSignatureRequest): Promise<PayPalVerifyWebhookSignatureResponse>;
    searchTransactions(params: PayPalTransactionSearchParams): Promise<PayPalTransactionSearchResponse>;
    getBalances(params?: {
        as_of_time?: string;
        currency_code?: string;
    }): Promise<PayPalBalancesResponse>;
    /** `requestId` defaults to the sender_batch_id, PayPal's own idempotency key for payouts. */
    createPayout(request: PayPalCreatePayoutRequest, requestId?: string): Promise<PayPalPayout>;
    getPayoutBatch(id: string, params?: {
        page?: number;
        page_size?: number;
        total_required?: boolean;
    }): Promise<PayPalPayoutBatch>;
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
    /** start/end RFC 3339 (both required by PayPal). */
    listSubscriptionTransactions(id: string, startTime: string, endTime: string): Promise<PayPalSubscriptionTransactions>;
    readonly tokens: TokenProvider;
}
export declare function createPayPalClient(options: PayPalClientOptions): PayPalClient;
