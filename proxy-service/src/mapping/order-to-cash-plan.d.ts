import type { BatchOp } from '../adapters/dataverse/types.ts';
import { type Posting, type PostingRules } from './ledger.ts';
import type { OrderFacts } from './order-facts.ts';
import type { PaymentFacts } from './payment-facts.ts';
export interface ReferenceData extends PostingRules {
    currencyId(iso: string): string | undefined;
    priceLevelId(currencyId: string): string | undefined;
    defaultUomId: string | undefined;
    fallbackProductNumber: string | undefined;
}
export interface ExistingTransaction {
    id: string;
    statuscode: number;
    updateTime?: string;
    invoiceId?: string;
    orderId?: string;
}
export interface ExistingCustomer {
    table: 'contact' | 'account';
    id: string;
    etag?: string;
    payerId?: string;
    totalSpendBase: unknown;
    paymentCount: number;
    firstPaymentOn?: string;
    lastPaymentOn?: string;
    monthlySpendJson?: string;
    totalRefundedBase?: unknown;
}
export interface ExistingProduct {
    id: string;
    productnumber: string;
    quantityonhand?: number | null;
    uomId?: string;
    etag?: string;
}
export interface ExistingInvoice {
    id: string;
    totalMinor: number;
    currency: string;
    paidMinor: number;
    orderId?: string;
    customerId?: string;
}
export interface Existing {
    transaction?: ExistingTransaction;
    customer?: ExistingCustomer;
    /** by productnumber */
    products: Record<string, ExistingProduct>;
    /** an invoice named by the payment's invoice_id / custom_id */
    invoice?: ExistingInvoice;
}
export interface PlanInput {
    eventId: string;
    payment: PaymentFacts;
    order: OrderFacts | undefined;
    existing: Existing;
    ref: ReferenceData;
}
export type PlanOutcome = 'created' | 'completed' | 'updated' | 'unchanged' | 'stale';
export interface Plan {
    ops: BatchOp[];
    outcome: PlanOutcome;
    flags: string[];
    posting?: Posting;
}
export declare function planOrderToCash(input: PlanInput): Plan;
export declare class CurrencyMissing extends Error {
    readonly currency: string;
    constructor(currency: string);
}
