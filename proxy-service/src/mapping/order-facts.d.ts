import { type PayPalAddress, type StandardAddress } from './address.ts';
import { type Money } from './money.ts';
export interface OrderLine {
    sku?: string;
    name: string;
    quantity: number;
    unitAmount: Money;
    tax?: Money;
}
export interface OrderFacts {
    orderId: string;
    payer: {
        payerId?: string;
        email?: string;
        givenName?: string;
        surname?: string;
        phone?: string;
        address?: StandardAddress;
        /** PayPal names a business payer only through its tax id type (BR_CNPJ); see flows/order-to-cash.ts */
        isBusiness: boolean;
    };
    lines: OrderLine[];
    shipping?: Money;
    discount?: Money;
    handling?: Money;
    shipTo?: StandardAddress;
    invoiceRef?: string;
    customId?: string;
}
type Amount = {
    currency_code?: string;
    value?: string;
};
export interface PayPalOrder {
    id?: string;
    payer?: {
        payer_id?: string;
        email_address?: string;
        name?: {
            given_name?: string;
            surname?: string;
        };
        phone?: {
            phone_number?: {
                national_number?: string;
            };
        };
        address?: PayPalAddress;
        tax_info?: {
            tax_id_type?: string;
        };
    };
    payment_source?: {
        paypal?: {
            account_id?: string;
            email_address?: string;
            name?: {
                given_name?: string;
                surname?: string;
            };
            address?: PayPalAddress;
        };
    };
    purchase_units?: {
        invoice_id?: string;
        custom_id?: string;
        amount?: Amount & {
            breakdown?: {
                shipping?: Amount;
                discount?: Amount;
                handling?: Amount;
                tax_total?: Amount;
                item_total?: Amount;
            };
        };
        items?: {
            name?: string;
            sku?: string;
            quantity?: string;
            unit_amount?: Amount;
            tax?: Amount;
        }[];
        shipping?: {
            address?: PayPalAddress;
        };
    }[];
}
export declare function orderFacts(o: PayPalOrder): OrderFacts;
export {};
