import { type Money } from './money.ts';
export type PaymentStatus = 'COMPLETED' | 'PENDING' | 'DECLINED' | 'FAILED' | 'REFUNDED' | 'PARTIALLY_REFUNDED' | 'REVERSED';
export interface PaymentFacts {
    kind: 'capture' | 'sale';
    paypalId: string;
    status: PaymentStatus;
    statusDetails?: string;
    gross: Money;
    /** PayPal's fee plus any platform fees: what the seller does not receive */
    fee: Money;
    net: Money;
    /** Cross-currency: what lands in the seller's balance, and PayPal's rate */
    receivable?: Money;
    exchangeRate?: {
        from: string;
        to: string;
        value: string;
    };
    orderId?: string;
    invoiceRef?: string;
    customId?: string;
    billingAgreementId?: string;
    createTime: string;
    updateTime: string;
}
type Amount = {
    currency_code?: string;
    value?: string;
};
interface CaptureResource {
    id?: string;
    status?: string;
    status_details?: {
        reason?: string;
    };
    amount?: Amount;
    seller_receivable_breakdown?: {
        gross_amount?: Amount;
        paypal_fee?: Amount;
        platform_fees?: {
            amount?: Amount;
        }[];
        net_amount?: Amount;
        receivable_amount?: Amount;
        exchange_rate?: {
            source_currency?: string;
            target_currency?: string;
            value?: string;
        };
    };
    invoice_id?: string;
    custom_id?: string;
    supplementary_data?: {
        related_ids?: {
            order_id?: string;
        };
    };
    links?: {
        href?: string;
        rel?: string;
    }[];
    create_time?: string;
    update_time?: string;
}
export declare function captureFacts(r: CaptureResource): PaymentFacts;
interface SaleResource {
    id?: string;
    state?: string;
    amount?: {
        total?: string;
        currency?: string;
    };
    transaction_fee?: {
        value?: string;
        currency?: string;
    };
    parent_payment?: string;
    invoice_number?: string;
    custom?: string;
    billing_agreement_id?: string;
    reason_code?: string;
    create_time?: string;
    update_time?: string;
}
/** v1 sale: `state` completed/pending/denied…, `amount.total` + `amount.currency`, `transaction_fee`. */
export declare function saleFacts(r: SaleResource): PaymentFacts;
export {};
