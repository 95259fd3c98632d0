import type { DataversePort } from '../adapters/dataverse/types.ts';
import { type OrderFacts, type PayPalOrder } from '../mapping/order-facts.ts';
import { type Existing } from '../mapping/order-to-cash-plan.ts';
import { type PaymentFacts } from '../mapping/payment-facts.ts';
import type { Handler } from './handlers.ts';
import type { ReferenceDataSource } from './reference-data.ts';
export interface OrderToCashDeps {
    dataverse: DataversePort;
    paypal: {
        getOrder(id: string): Promise<PayPalOrder>;
    };
    reference: ReferenceDataSource;
}
export declare function paymentFromEvent(event: {
    event_type?: string;
    resource?: unknown;
}): PaymentFacts;
export declare function orderToCash(deps: OrderToCashDeps): Handler;
/** What Dataverse already knows about this payment, its payer, its products and a referenced invoice. */
export declare function lookUp(dv: DataversePort, payment: PaymentFacts, order: OrderFacts | undefined, fallbackSku: string | undefined): Promise<Existing>;
